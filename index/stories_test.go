package index

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/token"
)

// storyOf returns the story of a stored document, as a query by ID says.
func storyOf(t *testing.T, ix *Index, id string) string {
	t.Helper()
	res, err := ix.Query(context.Background(), Query{ID: id})
	if err != nil {
		t.Fatal(err)
	}
	if res.Story == nil || !res.Story.Joined || res.Story.ID == "" {
		t.Fatalf("%s: no story in the query result: %+v", id, res.Story)
	}
	return res.Story.ID
}

func newsIDs(docs []Doc) map[string]string {
	m := map[string]string{}
	for _, d := range docs {
		m[d.ID[:3]] = d.ID
	}
	return m
}

// The example news added to an index: 000 and 001 in one story, 002 (2018)
// and 003 (2022) not in it; a query of 001's text says 001's story; the
// story lists its documents in date order with their dates.
func TestStoriesNews(t *testing.T) {
	ix, _ := openTemp(t, Options{})
	docs := newsDocs(t)
	c, err := corpus.Open([]string{"../testdata/news"}, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	meta, _ := corpus.ReadMeta("../testdata/news-meta.jsonl", nil)
	if _, err := Ingest(context.Background(), ix, c, IngestOptions{Meta: meta, BatchDocs: 2}); err != nil {
		t.Fatal(err)
	}
	id := newsIDs(docs)
	s001 := storyOf(t, ix, id["001"])
	if s := storyOf(t, ix, id["000"]); s != s001 {
		t.Errorf("000 is in %s, 001 in %s", s, s001)
	}
	for _, p := range []string{"002", "003"} {
		if s := storyOf(t, ix, id[p]); s == s001 {
			t.Errorf("%s is in 001's story %s", p, s)
		}
	}

	var text001 string
	for _, d := range docs {
		if d.ID == id["001"] {
			text001 = d.Text
		}
	}
	res, err := ix.Query(context.Background(), Query{Text: text001, Date: "2017-10-30"})
	if err != nil {
		t.Fatal(err)
	}
	qs := res.Story
	if qs == nil || qs.ID != s001 || !qs.Joined || qs.Score < qs.Threshold || qs.Threshold <= 0 {
		t.Fatalf("a query of 001's text: story %+v, want %s joined", qs, s001)
	}
	if qs.Size < 2 || len(qs.Docs) != qs.Size || qs.First != "2017-10-24" && qs.First != "2017-10-30" || qs.Last != "2017-10-31" {
		t.Errorf("001's story: %+v", qs.Story)
	}
	for i := 1; i < len(qs.Docs); i++ {
		if qs.Docs[i-1].Date > qs.Docs[i].Date {
			t.Errorf("documents not in date order: %+v", qs.Docs)
		}
	}
	if !reflect.DeepEqual(qs.Sources, []string{"Alwaght", "SANA"}) && !reflect.DeepEqual(qs.Sources, []string{"Alwaght", "SANA"}) {
		t.Errorf("sources %v", qs.Sources)
	}
	found := false
	for _, term := range qs.Terms {
		found = found || term == "Raqqa"
	}
	if !found {
		t.Errorf("terms %v lack Raqqa", qs.Terms)
	}

	// Story and Stories agree with the query.
	st, err := ix.Story(context.Background(), s001, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*st, qs.Story) {
		t.Errorf("Story(%s) = %+v\nquery said %+v", s001, *st, qs.Story)
	}
	list, err := ix.Stories(context.Background(), StoriesQuery{})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for i, s := range list.Stories {
		total += s.Size
		if s.Docs != nil {
			t.Errorf("a listing holds documents")
		}
		if i > 0 && list.Stories[i-1].ID >= s.ID && len(list.Stories[i-1].ID) == len(s.ID) {
			t.Errorf("listing out of order: %s then %s", list.Stories[i-1].ID, s.ID)
		}
	}
	if total != 5 || list.Next != "" {
		t.Errorf("listing covers %d documents, next %q: %+v", total, list.Next, list)
	}
	// min_docs and paging.
	big, _ := ix.Stories(context.Background(), StoriesQuery{MinDocs: 2})
	if len(big.Stories) != 1 || big.Stories[0].ID != s001 {
		t.Errorf("stories of 2 or more: %+v", big.Stories)
	}
	var paged []Story
	after := ""
	for range 10 {
		p, err := ix.Stories(context.Background(), StoriesQuery{After: after, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, p.Stories...)
		if after = p.Next; after == "" {
			break
		}
	}
	if !reflect.DeepEqual(paged, list.Stories) {
		t.Errorf("pages of one: %+v\nwhole: %+v", paged, list.Stories)
	}

	// Bad IDs.
	for _, bad := range []string{"", "x", "s0", "s01", "s999", "s1x", "S1", "s4294967296"} {
		if _, err := ix.Story(context.Background(), bad, 0); !errors.Is(err, ErrNotFound) {
			t.Errorf("Story(%q): %v, want ErrNotFound", bad, err)
		}
	}
	if _, err := ix.Stories(context.Background(), StoriesQuery{After: "nope"}); !errors.Is(err, ErrInvalidQuery) {
		t.Errorf("Stories after a bad ID: %v", err)
	}
	if p, err := ix.Stories(context.Background(), StoriesQuery{After: "s2147483647"}); err != nil || len(p.Stories) != 0 {
		t.Errorf("Stories after the last possible ID: %v %v", p, err)
	}
	// NoStory leaves it out.
	res, _ = ix.Query(context.Background(), Query{Text: text001, NoStory: true})
	if res.Story != nil {
		t.Error("NoStory: the result has a story")
	}
}

// Deleting a document takes it out of its story; the story stays
// joinable; a story with no documents left is not found.
func TestStoriesDelete(t *testing.T) {
	ix, _ := openTemp(t, Options{})
	docs := newsDocs(t)
	added, err := ix.Add(docs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range added {
		if got := storyOf(t, ix, r.ID); r.Story != got {
			t.Errorf("%s: Add said story %q, a query says %q", r.ID, r.Story, got)
		}
	}
	id := newsIDs(docs)
	s := storyOf(t, ix, id["001"])
	before, _ := ix.Story(context.Background(), s, 0)
	if _, err := ix.Delete([]string{id["000"]}); err != nil {
		t.Fatal(err)
	}
	after, err := ix.Story(context.Background(), s, 0)
	if err != nil {
		t.Fatal(err)
	}
	if after.Size != before.Size-1 || len(after.Docs) != after.Size {
		t.Fatalf("after deleting 000: %d documents, before %d", after.Size, before.Size)
	}
	for _, d := range after.Docs {
		if d.ID == id["000"] {
			t.Fatal("000 is still listed in its story")
		}
	}
	// 000's text still belongs with 001 (the centroid kept it).
	var text000 string
	for _, d := range docs {
		if d.ID == id["000"] {
			text000 = d.Text
		}
	}
	res, err := ix.Query(context.Background(), Query{Text: text000})
	if err != nil {
		t.Fatal(err)
	}
	if res.Story.ID != s || !res.Story.Joined {
		t.Errorf("000's text after its deletion: %+v, want %s", res.Story, s)
	}
	// Delete the rest of the story: it is gone from Story and Stories.
	var rest []string
	for _, d := range after.Docs {
		rest = append(rest, d.ID)
	}
	if _, err := ix.Delete(rest); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Story(context.Background(), s, 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("a story with every document deleted: %v", err)
	}
	list, _ := ix.Stories(context.Background(), StoriesQuery{})
	for _, st := range list.Stories {
		if st.ID == s {
			t.Errorf("a story with no documents is listed")
		}
	}
	// Re-adding 000 joins the story again under its old ID.
	if _, err := ix.Add([]Doc{docs[0]}); err != nil {
		t.Fatal(err)
	}
	if got := storyOf(t, ix, docs[0].ID); docs[0].ID == id["000"] && got != s {
		t.Errorf("re-added 000 is in %s, want %s", got, s)
	}
}

// genDocs returns n generated story documents.
func genDocs(t testing.TB, n int) []Doc {
	cfg := gen.DefaultStoryConfig()
	cfg.Docs, cfg.Seed, cfg.Undated = n, 9, 0.1
	var docs []Doc
	if err := gen.GenerateStories(cfg, func(d gen.StoryDoc) error {
		docs = append(docs, Doc{ID: d.ID, Text: d.Text, Date: d.Date, Source: d.Source})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return docs
}

// step is one operation of a scripted history.
type step struct {
	add    []Doc
	del    []string
	reopen bool // close and open again (a clean restart)
	reload bool // drop the clusterer and load it from the store (what a crash leaves)
}

// history runs steps on a new index and returns the story of every
// document it holds at the end, as a query by ID says.
func history(t *testing.T, opt Options, steps []step) map[string]string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	opt.Create = true
	ix, err := Open(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	for _, s := range steps {
		switch {
		case s.reopen:
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			if ix, err = Open(dir, opt); err != nil {
				t.Fatal(err)
			}
		case s.reload:
			ix.sto.mu.Lock()
			ix.sto.c = nil
			ix.sto.mu.Unlock()
		case s.del != nil:
			if _, err := ix.Delete(s.del); err != nil {
				t.Fatal(err)
			}
		default:
			if _, err := ix.Add(s.add); err != nil {
				t.Fatal(err)
			}
		}
	}
	out := map[string]string{}
	after := ""
	for {
		p, err := ix.Stories(context.Background(), StoriesQuery{After: after, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range p.Stories {
			st, err := ix.Story(context.Background(), s.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range st.Docs {
				out[d.ID] = s.ID
			}
		}
		if after = p.Next; after == "" {
			break
		}
	}
	return out
}

// Story IDs go on across restarts, crashes (a clusterer loaded from the
// saved state and replayed), saves in the middle of adds, deletions and
// replacements, with and without texts: always the same as an index that
// never stopped. The same documents in the same order give the same
// stories.
func TestStoriesContinue(t *testing.T) {
	docs := genDocs(t, 1200)
	old := saveMinPending
	saveMinPending = 150 // saves in the middle of adds
	defer func() { saveMinPending = old }()
	batches := func() []step {
		var s []step
		for i := 0; i < len(docs); i += 100 {
			s = append(s, step{add: docs[i:min(i+100, len(docs))]})
			if i == 300 {
				s = append(s, step{del: []string{docs[10].ID, docs[290].ID, docs[299].ID}})
			}
			if i == 500 {
				// Replacements of a recent and an old document.
				r1, r2 := docs[450], docs[5]
				r1.Text += " Update: officials confirmed."
				s = append(s, step{add: []Doc{r1, r2}})
			}
		}
		return s
	}
	with := func(marks map[int]step) []step {
		var out []step
		for i, s := range batches() {
			if m, ok := marks[i]; ok {
				out = append(out, m)
			}
			out = append(out, s)
		}
		return out
	}
	for _, opt := range []Options{{}, {NoText: true}} {
		want := history(t, opt, batches())
		if len(want) != len(docs)-3 {
			t.Fatalf("%d documents in stories, want %d", len(want), len(docs)-3)
		}
		nStories := map[string]bool{}
		for _, s := range want {
			nStories[s] = true
		}
		if len(nStories) < 20 || len(nStories) > len(docs)/2 {
			t.Fatalf("%d stories for %d documents: the test does not exercise joining", len(nStories), len(docs))
		}
		if again := history(t, opt, batches()); !reflect.DeepEqual(again, want) {
			t.Errorf("NoText %v: the same history gave other stories", opt.NoText)
		}
		for name, marks := range map[string]map[int]step{
			"reopen": {1: {reopen: true}, 4: {reopen: true}, 6: {reopen: true}, 9: {reopen: true}},
			"reload": {2: {reload: true}, 4: {reload: true}, 5: {reload: true}, 7: {reload: true}, 11: {reload: true}},
		} {
			got := history(t, opt, with(marks))
			if !reflect.DeepEqual(got, want) {
				diff := 0
				for id, s := range want {
					if got[id] != s {
						diff++
					}
				}
				t.Errorf("NoText %v, %s: %d of %d documents in another story than without it", opt.NoText, name, diff, len(want))
			}
		}
	}
}

// A clean close saves the state when enough was added since the last
// save (then reopening replays nothing), and leaves a small add to the
// replay (which gives the same stories).
func TestStoriesSavedOnClose(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	docs := genDocs(t, 1500)
	reopen := func(ro bool) *Index {
		t.Helper()
		ix, err := Open(dir, Options{Create: true, ReadOnly: ro})
		if err != nil {
			t.Fatal(err)
		}
		return ix
	}
	ix := reopen(false)
	if _, err := ix.Add(docs[:300]); err != nil {
		t.Fatal(err)
	}
	st, _ := ix.Stats(context.Background())
	if !st.Stories || st.StoryPending != 300 || st.StoryState != 0 {
		t.Errorf("before close: stories %v, pending %d, state %d", st.Stories, st.StoryPending, st.StoryState)
	}
	want := storyOf(t, ix, docs[299].ID)
	ix.Close() // 300 < closeMinPending: not saved
	ix = reopen(true)
	if err := ix.LoadStories(); err != nil || ix.sto.c == nil {
		t.Fatalf("LoadStories: %v", err)
	}
	if st, _ := ix.Stats(context.Background()); ix.sto.replayed != 300 || st.StoryPending != 300 || st.StoryState != 0 {
		t.Errorf("after a small add: %d replayed, %d pending, state %d bytes", ix.sto.replayed, st.StoryPending, st.StoryState)
	}
	if got := storyOf(t, ix, docs[299].ID); got != want {
		t.Errorf("after the replay %s is in %s, before in %s", docs[299].ID, got, want)
	}
	ix.Close()

	ix = reopen(false)
	if _, err := ix.Add(docs[300:]); err != nil {
		t.Fatal(err)
	}
	ix.Close() // 1,500 pending: saved
	ix = reopen(true)
	defer ix.Close()
	st, _ = ix.Stats(context.Background())
	if st.StoryPending != 0 || st.StoryState < 1500*100 {
		t.Errorf("after close: pending %d, state %d bytes", st.StoryPending, st.StoryState)
	}
	if countPrefix(t, ix, pReplay) != 0 {
		t.Error("replay records left after a save")
	}
	if err := ix.LoadStories(); err != nil {
		t.Fatal(err)
	}
	if ix.sto.replayed != 0 {
		t.Errorf("%d documents replayed after a clean close", ix.sto.replayed)
	}
}

// An index without stories says so and its queries carry none.
func TestNoStories(t *testing.T) {
	ix, _ := openTemp(t, Options{NoStories: true})
	docs := newsDocs(t)
	if _, err := ix.Add(docs); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Query(context.Background(), Query{ID: docs[0].ID})
	if err != nil || res.Story != nil {
		t.Errorf("query: %v, story %+v", err, res.Story)
	}
	if _, err := ix.Stories(context.Background(), StoriesQuery{}); !errors.Is(err, ErrNoStories) {
		t.Errorf("Stories: %v", err)
	}
	if _, err := ix.Story(context.Background(), "s1", 0); !errors.Is(err, ErrNoStories) {
		t.Errorf("Story: %v", err)
	}
	for _, p := range []byte{pStory, pMember, pReplay} {
		if n := countPrefix(t, ix, p); n != 0 {
			t.Errorf("%d keys of prefix %c", n, p)
		}
	}
}

// A damaged, missing or stale state file is an error wrapping ErrCorrupt,
// not a panic and not a silent restart of the story IDs.
func TestStoriesDamagedState(t *testing.T) {
	oldMin := closeMinPending
	closeMinPending = 1 // every close saves
	defer func() { closeMinPending = oldMin }()
	dir := filepath.Join(t.TempDir(), "idx")
	docs := newsDocs(t)
	ix, err := Open(dir, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	ix.Add(docs[:3])
	ix.Close() // saves
	state := filepath.Join(dir, stateFile)
	old, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	ix, _ = Open(dir, Options{})
	ix.Add(docs[3:])
	ix.Close() // saves again
	good, _ := os.ReadFile(state)

	damaged := bytes.Clone(good)
	damaged[len(damaged)/2] ^= 0x55
	for name, content := range map[string][]byte{"damaged": damaged, "stale": old, "truncated": good[:len(good)-20], "missing": nil} {
		if content == nil {
			os.Remove(state)
		} else {
			os.WriteFile(state, content, 0o644)
		}
		ix, err := Open(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = ix.Query(context.Background(), Query{Text: docs[1].Text})
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), stateFile) {
			t.Errorf("%s state file: query: %v", name, err)
		}
		if _, err := ix.Add(docs[:1]); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s state file: add: %v", name, err)
		}
		// Queries that leave the story out still work.
		if _, err := ix.Query(context.Background(), Query{Text: docs[1].Text, NoStory: true}); err != nil {
			t.Errorf("%s state file: query without story: %v", name, err)
		}
		ix.Close()
	}
	os.WriteFile(state, good, 0o644)
	ix, _ = Open(dir, Options{ReadOnly: true})
	defer ix.Close()
	if _, err := ix.Query(context.Background(), Query{Text: docs[1].Text}); err != nil {
		t.Errorf("the good file again: %v", err)
	}
}

// Adds from many goroutines at once number their documents in the order
// the clusterer saw them: the clusterer reloaded from the store (saved
// state and replay) is exactly the one in memory, and agrees with every
// document's stored story.
func TestStoriesConcurrentAdds(t *testing.T) {
	old := saveMinPending
	saveMinPending = 100
	defer func() { saveMinPending = old }()
	ix, _ := openTemp(t, Options{})
	docs := genDocs(t, 800)
	errs := make(chan error, 4)
	for g := range 4 {
		go func() {
			var err error
			for i := g * 20; i < len(docs) && err == nil; i += 80 {
				_, err = ix.Add(docs[i : i+20])
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var live, reloaded bytes.Buffer
	ix.sto.mu.Lock()
	ix.sto.c.Save(&live)
	ix.sto.c = nil
	c, err := ix.clusterer()
	ix.sto.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	c.Save(&reloaded)
	if !bytes.Equal(live.Bytes(), reloaded.Bytes()) {
		t.Error("the clusterer reloaded from the store differs from the one the adds built")
	}
	checkCrashedStories(t, ix, len(docs))
}

// A query's story from the analysis's tokens is the story from the text:
// same story, score and documents, for texts with and without a date and
// past a header.
func TestQueryStoryTokens(t *testing.T) {
	docs := genDocs(t, 600)
	ix, err := Open(filepath.Join(t.TempDir(), "idx"), Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Add(docs[:500]); err != nil {
		t.Fatal(err)
	}
	joined := 0
	for i, d := range docs[500:] {
		q := Query{Text: d.Text, Date: d.Date, Source: d.Source}
		start := 0
		if i%3 == 0 {
			q.Date = ""
		}
		if i%5 == 0 {
			q.Text, start = " date 2012-11-07 \n"+d.Text, 18
		}
		snap := ix.db.NewSnapshot()
		want, err := ix.queryStory(context.Background(), snap, q, 0, start)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ix.queryStoryTokens(context.Background(), snap, q, 0, start, ix.analyze(token.New(), q.Text, start).toks)
		snap.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: story from the tokens %+v, from the text %+v", d.ID, got, want)
		}
		if want.Joined {
			joined++
		}
	}
	if joined < 30 {
		t.Errorf("only %d of 100 queries joined a story: the test compares too little", joined)
	}
}
