package stories

import (
	"context"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/gen"
)

// readNews reads the example news with its dates and sources.
func readNews(t *testing.T) []corpus.Doc {
	t.Helper()
	c, err := corpus.Open([]string{"../testdata/news"}, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	meta, err := corpus.ReadMeta("../testdata/news-meta.jsonl", nil)
	if err != nil {
		t.Fatal(err)
	}
	var docs []corpus.Doc
	err = c.Scan(context.Background(), func(r corpus.Record) error {
		d, err := c.Decode(r)
		if err != nil {
			return err
		}
		if m, ok := meta[d.ID]; ok {
			m.Apply(&d)
		}
		docs = append(docs, d)
		return nil
	}, func(p *corpus.Problem) { t.Errorf("problem: %v", p) })
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 5 {
		t.Fatalf("read %d example documents, want 5", len(docs))
	}
	return docs
}

// where returns each document's story and topic.
func where(res Result) (story, topic map[string]string) {
	story, topic = map[string]string{}, map[string]string{}
	for _, s := range res.Stories {
		for _, id := range s.Docs {
			story[id], topic[id] = s.Story, s.Topic
		}
	}
	return story, topic
}

func newsID(docs []corpus.Doc, prefix string) string {
	for _, d := range docs {
		if strings.HasPrefix(d.ID, prefix) {
			return d.ID
		}
	}
	return ""
}

func TestExampleNews(t *testing.T) {
	docs := readNews(t)
	res, err := Build(docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	story, topic := where(res)
	d := func(p string) string { return newsID(docs, p) }
	if story[d("000")] != story[d("001")] {
		t.Errorf("000 (%s) and 001 (%s) are not in one story", story[d("000")], story[d("001")])
	}
	for _, p := range []string{"002", "003"} {
		if story[d(p)] == story[d("001")] {
			t.Errorf("%s is in 001's story %s", p, story[d("001")])
		}
	}
	for _, p := range []string{"000", "002", "003", "004"} {
		if topic[d(p)] != topic[d("001")] {
			t.Errorf("%s is in topic %s, 001 in %s: all five should be one topic", p, topic[d(p)], topic[d("001")])
		}
	}
	if len(res.Topics) != 1 {
		t.Errorf("%d topics, want 1", len(res.Topics))
	}
	for _, s := range res.Stories {
		if s.Story == story[d("001")] {
			dates := map[string]string{}
			for _, doc := range docs {
				dates[doc.ID] = doc.Date
			}
			if s.First != dates[s.Docs[0]] || s.Last != dates[s.Docs[len(s.Docs)-1]] || s.First > "2017-10-30" || s.Last < "2017-10-31" {
				t.Errorf("001's story runs %s to %s, docs %v", s.First, s.Last, s.Docs)
			}
			if !slices.Contains(s.Sources, "SANA") || !slices.Contains(s.Sources, "Alwaght") {
				t.Errorf("001's story has sources %v, want SANA and Alwaght", s.Sources)
			}
			if !slices.Contains(s.Terms, "Raqqa") {
				t.Errorf("001's story terms %v lack Raqqa", s.Terms)
			}
		}
	}

	// The stream, in date order, puts 000 with 001 too.
	c, err := NewClusterer(Options{})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(docs, func(a, b corpus.Doc) int { return strings.Compare(a.Date, b.Date) })
	got := map[string]string{}
	for _, doc := range docs {
		id, err := c.Add(doc)
		if err != nil {
			t.Fatal(err)
		}
		got[doc.ID] = id
	}
	if got[d("000")] != got[d("001")] {
		t.Errorf("stream: 000 in %s, 001 in %s", got[d("000")], got[d("001")])
	}
	if got[d("003")] == got[d("001")] {
		t.Errorf("stream: 003 (2022) joined 001's story")
	}
}

// generated returns n generated story documents and their true story and
// topic labels.
func generated(t testing.TB, n int, seed uint64, undated float64) ([]corpus.Doc, []string, []string) {
	cfg := gen.DefaultStoryConfig()
	cfg.Docs, cfg.Seed, cfg.Undated = n, seed, undated
	var docs []corpus.Doc
	var story, topic []string
	err := gen.GenerateStories(cfg, func(d gen.StoryDoc) error {
		docs = append(docs, corpus.Doc{ID: d.ID, Text: d.Text, Date: d.Date, Source: d.Source})
		story = append(story, strconv.Itoa(d.Story))
		topic = append(topic, strconv.Itoa(d.Topic))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs, story, topic
}

func predicted(res Result, docs []corpus.Doc) (story, topic []string) {
	s, tp := where(res)
	for _, d := range docs {
		story = append(story, s[d.ID])
		topic = append(topic, tp[d.ID])
	}
	return story, topic
}

func TestGeneratedStories(t *testing.T) {
	for _, undated := range []float64{0, 0.3} {
		docs, truth, truthTopic := generated(t, 3000, 3, undated)
		res, err := Build(docs, Options{})
		if err != nil {
			t.Fatal(err)
		}
		story, topic := predicted(res, docs)
		ari, f1 := ARI(truth, story), PairF1(truth, story)
		t.Logf("undated %.0f%%: %d stories (true %d), story ARI %.4f F1 %.4f, topic ARI %.4f",
			100*undated, len(res.Stories), count(truth), ari, f1, ARI(truthTopic, topic))
		if ari < 0.95 {
			t.Errorf("undated %.0f%%: story ARI %.4f < 0.95", 100*undated, ari)
		}
		if a := ARI(truthTopic, topic); a < 0.3 {
			t.Errorf("undated %.0f%%: topic ARI %.4f < 0.3", 100*undated, a)
		}
		// Undated documents come last in every story.
		dated := map[string]bool{}
		for _, d := range docs {
			dated[d.ID] = d.Date != ""
		}
		for _, s := range res.Stories {
			for i := 1; i < len(s.Docs); i++ {
				if !dated[s.Docs[i-1]] && dated[s.Docs[i]] {
					t.Fatalf("story %s: undated %s before dated %s", s.Story, s.Docs[i-1], s.Docs[i])
				}
			}
		}
	}
}

func count(labels []string) int {
	m := map[string]bool{}
	for _, l := range labels {
		m[l] = true
	}
	return len(m)
}

// Two events of one kind in the same town, told in the same words, five
// years apart: the window keeps them two stories of one topic; without
// the window they are one.
func TestLookAlikeEventsKeptApart(t *testing.T) {
	report := []string{
		"A magnitude 6.1 earthquake struck Velmora on Tuesday, destroying houses in the old town. Rescue teams from Karst searched the rubble; the mayor, Ilse Domrat, said 40 people were missing.",
		"Rescuers in Velmora dug through rubble after the earthquake of magnitude 6.1. Mayor Ilse Domrat said houses in the old town collapsed and 40 people were missing; teams came from Karst.",
		"The earthquake in Velmora, magnitude 6.1, left the old town in rubble. Mayor Ilse Domrat appealed for help as teams from Karst searched for 40 missing people.",
	}
	other := "Farmers near Ostrava harvested a record wheat crop, the ministry said, and prices for bread fell in the markets of the capital."
	var docs []corpus.Doc
	for i, text := range report {
		docs = append(docs, corpus.Doc{ID: "2010-" + strconv.Itoa(i), Text: text, Date: "2010-03-0" + strconv.Itoa(2+i)})
		docs = append(docs, corpus.Doc{ID: "2015-" + strconv.Itoa(i), Text: text, Date: "2015-06-1" + strconv.Itoa(i)})
	}
	for i := 0; i < 3; i++ {
		docs = append(docs, corpus.Doc{ID: "farm-" + strconv.Itoa(i), Text: other, Date: "2012-01-0" + strconv.Itoa(1+i)})
	}
	res, err := Build(docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	story, topic := where(res)
	if story["2010-0"] != story["2010-2"] || story["2015-0"] != story["2015-2"] {
		t.Errorf("the reports of one quake are split: %v", story)
	}
	if story["2010-0"] == story["2015-0"] {
		t.Errorf("the 2010 and 2015 quakes are one story %s", story["2010-0"])
	}
	if topic["2010-0"] != topic["2015-0"] {
		t.Errorf("the two quakes are in topics %s and %s, want one", topic["2010-0"], topic["2015-0"])
	}
	if story["farm-0"] == story["2010-0"] || topic["farm-0"] == topic["2010-0"] {
		t.Errorf("the harvest joined the quake: story %s topic %s", story["farm-0"], topic["farm-0"])
	}
	res, err = Build(docs, Options{Window: -1})
	if err != nil {
		t.Fatal(err)
	}
	if story, _ := where(res); story["2010-0"] != story["2015-0"] {
		t.Errorf("without a window the same words should make one story")
	}

	// Undated, the same texts cluster by content alone.
	for i := range docs {
		docs[i].Date = ""
	}
	res, err = Build(docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	story, _ = where(res)
	if story["2010-0"] != story["2015-1"] || story["farm-0"] != story["farm-2"] || story["farm-0"] == story["2010-0"] {
		t.Errorf("undated: %v", story)
	}
	for _, s := range res.Stories {
		if s.First != "" || s.Last != "" {
			t.Errorf("undated story %s has dates %q %q", s.Story, s.First, s.Last)
		}
	}
}

func TestDeterministic(t *testing.T) {
	docs, _, _ := generated(t, 1500, 5, 0.2)
	want, err := Build(docs, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, workers := range []int{2, 3, 8} {
		shuffled := slices.Clone(docs)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		got, err := Build(shuffled, Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("workers %d, shuffled input: the result differs", workers)
		}
	}
}

func TestBadInput(t *testing.T) {
	docs := []corpus.Doc{{ID: "a", Text: "one two"}, {ID: "b.txt", Text: "three", Date: "2017-13-40"}}
	_, err := Build(docs, Options{})
	if err == nil || !strings.Contains(err.Error(), `"b.txt"`) || !strings.Contains(err.Error(), "date") {
		t.Errorf("bad date: error %v, want one naming b.txt and its date", err)
	}
	c, _ := NewClusterer(Options{})
	if _, err := c.Add(docs[1]); err == nil || c.Len() != 0 {
		t.Errorf("stream, bad date: error %v, %d documents kept", err, c.Len())
	}
	if _, err := Build(nil, Options{Threshold: 2}); err == nil {
		t.Errorf("threshold 2 accepted")
	}
	// Empty and wordless documents are stories of their own.
	res, err := Build([]corpus.Doc{{ID: "e1"}, {ID: "e2", Text: "!!! ..."}, {ID: "e3", Text: "word"}}, Options{})
	if err != nil || len(res.Stories) != 3 {
		t.Errorf("empty documents: %d stories, error %v; want 3", len(res.Stories), err)
	}
}

// Chinese and Japanese, written without spaces, cluster on character
// bigrams.
func TestCJK(t *testing.T) {
	quake := []string{
		"四川省汶川县发生八级地震，救援队伍赶赴灾区，数千人受伤。",
		"汶川地震后，救援队伍在四川省灾区搜救，受伤人数达数千人。",
		"四川汶川八级地震：救援队伍连夜赶赴灾区。",
	}
	race := []string{
		"上海国际马拉松比赛今天举行，三万名选手参加比赛。",
		"三万名选手参加了上海国际马拉松比赛，比赛今天在外滩开始。",
	}
	var docs []corpus.Doc
	for i, s := range quake {
		docs = append(docs, corpus.Doc{ID: "q" + strconv.Itoa(i), Text: s})
	}
	for i, s := range race {
		docs = append(docs, corpus.Doc{ID: "r" + strconv.Itoa(i), Text: s})
	}
	res, err := Build(docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	story, _ := where(res)
	if story["q0"] != story["q1"] || story["q0"] != story["q2"] || story["r0"] != story["r1"] || story["q0"] == story["r0"] {
		t.Errorf("CJK stories: %v", story)
	}
}

func TestARI(t *testing.T) {
	a := []string{"x", "x", "y", "y", "z"}
	if got := ARI(a, []string{"1", "1", "2", "2", "3"}); got != 1 {
		t.Errorf("ARI of a relabelling = %v, want 1", got)
	}
	// Contingency (x,1)=2 (y,1)=1 (y,2)=1: tp 1, pred pairs 3, true pairs
	// 2, expected 3×2/6 = 1: ARI (1-1)/(2.5-1) = 0.
	if got := ARI([]string{"x", "x", "y", "y"}, []string{"1", "1", "1", "2"}); got != 0 {
		t.Errorf("ARI = %v, want 0", got)
	}
	if got := PairF1([]string{"x", "x", "y", "y"}, []string{"1", "1", "1", "2"}); got < 0.39 || got > 0.41 {
		t.Errorf("pairwise F1 = %v, want 0.4 (P 1/3, R 1/2)", got)
	}
}

// The stream learns document frequencies as documents arrive, in date
// order, and still finds the generated stories.
func TestStreamGenerated(t *testing.T) {
	docs, truth, _ := generated(t, 3000, 3, 0.1)
	idx := make([]int, len(docs))
	for i := range idx {
		idx[i] = i
	}
	undatedLast := func(d string) string {
		if d == "" {
			return "9999"
		}
		return d
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return strings.Compare(undatedLast(docs[a].Date), undatedLast(docs[b].Date))
	})
	c, err := NewClusterer(Options{})
	if err != nil {
		t.Fatal(err)
	}
	pred := make([]string, len(docs))
	for _, i := range idx {
		if pred[i], err = c.Add(docs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if ari := ARI(truth, pred); ari < 0.95 {
		t.Errorf("stream: story ARI %.4f < 0.95", ari)
	}
	// Result agrees with what Add returned.
	res := c.Result()
	story, _ := where(res)
	for i, d := range docs {
		if story[d.ID] != pred[i] {
			t.Fatalf("%s: Add said %s, Result says %s", d.ID, pred[i], story[d.ID])
		}
	}
}
