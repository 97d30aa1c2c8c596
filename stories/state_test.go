package stories

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/token"
)

// streamDocs returns n generated story documents in generation order (not
// date order: a stream takes what comes).
func streamDocs(t testing.TB, n int, seed uint64) []corpus.Doc {
	t.Helper()
	cfg := gen.DefaultStoryConfig()
	cfg.Docs, cfg.Seed, cfg.Undated = n, seed, 0.1
	var docs []corpus.Doc
	if err := gen.GenerateStories(cfg, func(d gen.StoryDoc) error {
		docs = append(docs, corpus.Doc{ID: d.ID, Text: d.Text, Date: d.Date, Source: d.Source})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return docs
}

func saved(t testing.TB, c *Clusterer) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := c.Save(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func addAll(t testing.TB, c *Clusterer, docs []corpus.Doc) []string {
	t.Helper()
	var ids []string
	for _, d := range docs {
		id, err := c.Add(d)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// A stream saved and loaded in the middle gives the same story IDs, the
// same result and the same state as one that never stopped.
func TestSaveLoadContinues(t *testing.T) {
	docs := streamDocs(t, 1500, 7)
	whole, _ := NewClusterer(Options{})
	want := addAll(t, whole, docs)

	for _, cut := range []int{0, 1, 700, 1499} {
		c, _ := NewClusterer(Options{})
		got := addAll(t, c, docs[:cut])
		state := saved(t, c)
		r, err := LoadClusterer(bytes.NewReader(state))
		if err != nil {
			t.Fatalf("cut %d: %v", cut, err)
		}
		if !bytes.Equal(saved(t, r), state) {
			t.Fatalf("cut %d: the loaded state saves differently", cut)
		}
		got = append(got, addAll(t, r, docs[cut:])...)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("cut %d: story IDs differ after reloading", cut)
		}
		if !reflect.DeepEqual(r.Result(), whole.Result()) {
			t.Fatalf("cut %d: results differ after reloading", cut)
		}
		if !bytes.Equal(saved(t, r), saved(t, whole)) {
			t.Fatalf("cut %d: final states differ", cut)
		}
	}
	if whole.NumStories() < 10 || whole.NumStories() > len(docs)/2 {
		t.Errorf("%d stories for %d documents: the test does not exercise joining", whole.NumStories(), len(docs))
	}
}

// AddTerms after ExtractTerms is Add, on the story corpus and on gen's
// default one (the index's: most documents a story of their own, so that
// the scan finds more than maxCandidates groups and selects).
func TestAddTermsIsAdd(t *testing.T) {
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Seed = 2500, 5
	var plain []corpus.Doc
	if _, err := gen.Generate(cfg, func(d gen.Doc) error {
		plain = append(plain, corpus.Doc{ID: d.ID, Text: d.Text, Date: d.Date, Source: d.Source})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, docs := range [][]corpus.Doc{streamDocs(t, 800, 11), plain} {
		addTermsIsAdd(t, docs)
	}
	if _, err := ExtractTerms(corpus.Doc{ID: "x", Text: "a b", Date: "yesterday"}); err == nil {
		t.Error("a bad date was accepted")
	}
}

func addTermsIsAdd(t *testing.T, docs []corpus.Doc) {
	a, _ := NewClusterer(Options{})
	want := addAll(t, a, docs)
	b, _ := NewClusterer(Options{})
	for i, d := range docs {
		dt, err := ExtractTerms(d)
		if err != nil {
			t.Fatal(err)
		}
		if got := b.AddTerms(dt); got != want[i] {
			t.Fatalf("%s: AddTerms %s, Add %s", d.ID, got, want[i])
		}
	}
	if !bytes.Equal(saved(t, a), saved(t, b)) {
		t.Error("states differ")
	}
}

// ExtractTermsTokens, given the tokens, gives what ExtractTerms gives,
// past a header too (Start) and in a script without spaces.
func TestExtractTermsTokens(t *testing.T) {
	docs := streamDocs(t, 300, 12)
	docs = append(docs,
		corpus.Doc{ID: "h", Text: " date 2017-10-24 \nRaqqa fell on October 17, 2017. Palin's aides met.", Start: 18, Date: "2017-10-24"},
		corpus.Doc{ID: "cjk", Text: "東京都で地震が発生しました。 Tokyo April 28, 2009"})
	tz := token.New()
	for _, d := range docs {
		want, err := ExtractTerms(d)
		if err != nil {
			t.Fatal(err)
		}
		toks := tz.Tokens(d.Text, d.Start, nil)
		got, err := ExtractTermsTokens(d, toks)
		if err != nil {
			t.Fatal(err)
		}
		if len(want.raw) == 0 || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: terms from the tokens differ (%d terms, %d from the text)", d.ID, len(got.raw), len(want.raw))
		}
	}
}

// Terms released after AddTerms, their memory reused by the next
// documents' extraction, give the same stories and state as terms never
// released: the clusterer keeps nothing of them, and what is extracted
// into reused memory is what a fresh extraction gives.
func TestReleasedTermsAreReused(t *testing.T) {
	docs := streamDocs(t, 600, 13)
	a, _ := NewClusterer(Options{})
	want := addAll(t, a, docs)
	b, _ := NewClusterer(Options{})
	tz := token.New()
	for i, d := range docs {
		dt, err := ExtractTermsTokens(d, tz.Tokens(d.Text, d.Start, nil))
		if err != nil {
			t.Fatal(err)
		}
		fresh, _ := ExtractTerms(d)
		if !reflect.DeepEqual(dt, fresh) {
			t.Fatalf("%s: terms extracted into released memory differ from a fresh extraction", d.ID)
		}
		if got := b.AddTerms(dt); got != want[i] {
			t.Fatalf("%s: AddTerms %s after releases, Add %s", d.ID, got, want[i])
		}
		dt.Release()
		if dt.raw != nil {
			t.Fatal("released terms still hold their slice")
		}
	}
	if !bytes.Equal(saved(t, a), saved(t, b)) {
		t.Error("states differ")
	}
}

// Nearest says what Add would do and changes nothing.
func TestNearest(t *testing.T) {
	docs := streamDocs(t, 1000, 5)
	c, _ := NewClusterer(Options{})
	addAll(t, c, docs[:600])
	joined := 0
	for _, d := range docs[600:700] {
		dt, err := ExtractTerms(d)
		if err != nil {
			t.Fatal(err)
		}
		before := saved(t, c)
		id, score, ok := c.Nearest(dt)
		if !bytes.Equal(saved(t, c), before) {
			t.Fatalf("%s: Nearest changed the clusterer", d.ID)
		}
		if ok != (score >= c.Options().Threshold) || (id == "") && ok {
			t.Fatalf("%s: Nearest = %q %.3f %v, inconsistent", d.ID, id, score, ok)
		}
		// What Add does on a copy.
		cp, err := LoadClusterer(bytes.NewReader(before))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := cp.Add(d)
		isNew := got == StoryID(c.NumStories())
		switch {
		case ok && got != id:
			t.Fatalf("%s: Nearest says %s, Add put it in %s", d.ID, id, got)
		case !ok && !isNew:
			t.Fatalf("%s: Nearest says a new story, Add put it in %s", d.ID, got)
		}
		if ok {
			joined++
		}
	}
	if joined < 50 {
		t.Errorf("only %d of 100 documents would join a story", joined)
	}
	// A text that shares nothing with anything.
	dt, _ := ExtractTerms(corpus.Doc{ID: "q", Text: "Zyxwvut qwertyuiop asdfghjkl zxcvbnm."})
	if id, _, ok := c.Nearest(dt); ok {
		t.Errorf("a text of unknown words would join %s", id)
	}
}

// A damaged state is an error, never a panic or a wrong clusterer.
func TestLoadDamaged(t *testing.T) {
	docs := streamDocs(t, 60, 3)
	c, _ := NewClusterer(Options{})
	addAll(t, c, docs)
	state := saved(t, c)
	for n := 0; n < len(state); n += 1 + n/50 {
		if _, err := LoadClusterer(bytes.NewReader(state[:n])); !errors.Is(err, ErrBadState) {
			t.Fatalf("a state cut to %d of %d bytes: err %v", n, len(state), err)
		}
	}
	if _, err := LoadClusterer(bytes.NewReader(append(bytes.Clone(state), 0))); err == nil {
		t.Error("trailing bytes accepted")
	}
	v2 := bytes.Clone(state)
	v2[len(stateMagic)] = 2
	if _, err := LoadClusterer(bytes.NewReader(v2)); err == nil {
		t.Error("another version accepted")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		b := bytes.Clone(state)
		for k := 0; k < 1+rng.IntN(4); k++ {
			b[rng.IntN(len(b))] = byte(rng.Uint32())
		}
		c, err := LoadClusterer(bytes.NewReader(b))
		if err == nil {
			// Some flips land in weights or text and are not detectable;
			// the clusterer must still work.
			c.Add(corpus.Doc{ID: "x", Text: docs[0].Text})
			c.Result()
		}
	}
}

func TestParseStoryID(t *testing.T) {
	for id, want := range map[string]int{"s1": 0, "s12": 11, "s2147483647": 2147483646} {
		if n, ok := ParseStoryID(id); !ok || n != want || StoryID(n) != id {
			t.Errorf("ParseStoryID(%q) = %d, %v", id, n, ok)
		}
	}
	for _, id := range []string{"", "s", "s0", "s01", "t1", "1", "s-1", "s1x", "s99999999999", "s2147483648", "S1"} {
		if _, ok := ParseStoryID(id); ok {
			t.Errorf("ParseStoryID(%q) accepted", id)
		}
	}
}

// Save writes every field of the structures below that a stream's state
// holds; this test fails when one gains a field state.go does not know,
// so that Save and LoadClusterer are taught to keep it (or the field is
// listed here with the reason it need not be kept) before a saved stream
// silently loses it.
func TestStateCoversEveryField(t *testing.T) {
	known := map[reflect.Type][]string{
		// x, vec and counts are scratch; the rest is saved.
		reflect.TypeOf(Clusterer{}): {"opt", "df", "learn", "x", "gr", "docs", "sources", "vec", "counts"},
		// groups and post are saved; the parameters come from opt;
		// lookup is set by the batch's refinement only (0 in a stream);
		// seen, cand, query, merge, probe and sum are scratch, and so
		// are the spans' hits.
		reflect.TypeOf(grouper{}): {"groups", "spans", "post", "threshold", "window", "queryTerms", "centroidTerms", "lookup",
			"seen", "cand", "query", "merge", "probe", "sum"},
		reflect.TypeOf(group{}): {"centroid", "norm", "size", "posted"},
		reflect.TypeOf(span{}):  {"first", "last", "hits"},
		// n is counted as slots are filled; idx is scratch.
		reflect.TypeOf(dfTable{}): {"docs", "slots", "n", "idx"},
		reflect.TypeOf(dfSlot{}):  {"h", "dfEntry"},
		// pre is derived from form.
		reflect.TypeOf(dfEntry{}): {"n", "form", "pre", "dated"},
		reflect.TypeOf(docRec{}):  {"id", "source", "day", "story"},
		// Workers does not change a stream, and a stream makes one
		// pass whatever Passes says.
		reflect.TypeOf(Options{}): {"Threshold", "TopicThreshold", "Window", "Terms", "CentroidTerms", "QueryTerms",
			"NameWeight", "NumberWeight", "DateWeight", "MinDF", "MaxDF", "MinDocsForMaxDF", "StoryTerms", "Workers", "Passes"},
	}
	for typ, names := range known {
		for i := range typ.NumField() {
			if f := typ.Field(i).Name; !slices.Contains(names, f) {
				t.Errorf("%v has a field %s that state.go does not know: save it in Save and LoadClusterer, or say here why not", typ, f)
			}
		}
	}
}
