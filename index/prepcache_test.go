package index

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/reprint/reprint/align"
	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/token"
)

// cacheCorpus is a generated corpus with near-duplicate families and
// inserted passages, and queries that find both: passage targets and
// family copies by ID, and texts glued from several stored documents.
func cacheCorpus(t *testing.T) ([]Doc, []Query) {
	t.Helper()
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Seed = 2000, 5
	cfg.Passages, cfg.PassageWords, cfg.PassageEditRate = 150, 30, 0.05
	var docs []Doc
	truth, err := gen.Generate(cfg, func(d gen.Doc) error {
		docs = append(docs, Doc{ID: d.ID, Text: d.Text, Date: d.Date, Source: d.Source})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var qs []Query
	for i, p := range truth.Passages {
		if i%3 == 0 {
			qs = append(qs, Query{ID: p.Target, Excerpts: i%2 == 0})
		}
	}
	for _, f := range truth.Families[:20] {
		qs = append(qs, Query{ID: f.Copies[0].ID})
	}
	for i := 0; i < 20; i++ {
		var b strings.Builder
		for k := 0; k < 4; k++ {
			b.WriteString(docs[(i*97+k*31)%len(docs)].Text)
			b.WriteString("\n\n")
		}
		qs = append(qs, Query{Text: b.String(), Excerpts: i%2 == 1, Limit: 1 + i%3})
	}
	return docs, qs
}

func runQueries(t *testing.T, ix *Index, qs []Query) []*Result {
	t.Helper()
	out := make([]*Result, len(qs))
	for i, q := range qs {
		r, err := ix.Query(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = r
	}
	return out
}

func sameResults(t *testing.T, what string, qs []Query, want, got []*Result) {
	t.Helper()
	for i := range want {
		if !reflect.DeepEqual(want[i], got[i]) {
			t.Errorf("%s: query %d (%s) differs from the run without the cache:\n got %+v\nwant %+v", what, i, qs[i].ID, got[i], want[i])
		}
	}
}

// The cache of prepared candidates changes what a query costs, never what
// it returns: with the cache off, cold, warm, evicting all the time and
// shared by concurrent queries, every result is the same.
func TestQueryCacheSameResults(t *testing.T) {
	docs, qs := cacheCorpus(t)
	ix, _ := openTemp(t, Options{})
	if _, err := ix.Add(docs); err != nil {
		t.Fatal(err)
	}
	ix.SetQueryCache(0)
	want := runQueries(t, ix, qs)
	passages := 0
	for _, r := range want {
		passages += len(r.Passages)
	}
	if passages < len(qs) {
		t.Fatalf("%d passages for %d queries: the corpus does not exercise alignment", passages, len(qs))
	}
	if h, m, _ := ix.QueryCacheStats(); h != 0 || m != 0 {
		t.Errorf("cache off, yet %d hits and %d misses", h, m)
	}

	ix.SetQueryCache(DefaultQueryCache)
	sameResults(t, "cold", qs, want, runQueries(t, ix, qs))
	_, cold, _ := ix.QueryCacheStats()
	sameResults(t, "warm", qs, want, runQueries(t, ix, qs))
	hits, misses, used := ix.QueryCacheStats()
	if misses != cold || hits == 0 {
		t.Errorf("warm pass: %d hits, %d misses (cold pass %d misses), want hits and no new misses", hits, misses, cold)
	}
	if used <= 0 || used > DefaultQueryCache {
		t.Errorf("cache holds %d bytes", used)
	}

	// A budget of a few documents: entries are evicted all the time.
	const small = 400 << 10
	ix.SetQueryCache(small)
	sameResults(t, "small cache", qs, want, runQueries(t, ix, qs))
	if _, _, used := ix.QueryCacheStats(); used > small {
		t.Errorf("cache of %d bytes holds %d", small, used)
	}

	ix.SetQueryCache(DefaultQueryCache)
	var wg sync.WaitGroup
	got := make([][]*Result, 4)
	for w := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[w] = make([]*Result, len(qs))
			for k := range qs {
				i := (k + w*len(qs)/len(got)) % len(qs) // each goroutine starts elsewhere
				r, err := ix.Query(context.Background(), qs[i])
				if err != nil {
					t.Error(err)
					return
				}
				got[w][i] = r
			}
		}()
	}
	wg.Wait()
	for w := range got {
		sameResults(t, fmt.Sprintf("concurrent %d", w), qs, want, got[w])
	}
}

// A replaced document gets a new number; its old entry is never used for
// it, and a cached entry whose metadata differs from the snapshot's is not
// used at all.
func TestQueryCacheReplaced(t *testing.T) {
	ix, _ := openTemp(t, Options{NoStories: true})
	shared := words(1, 40)
	a1 := words(2, 30) + shared + words(3, 30)
	a2 := words(4, 30) + words(5, 40) + words(6, 30) // nothing in common with the query
	query := words(7, 20) + shared + words(8, 20)
	if _, err := ix.Add([]Doc{{ID: "a", Text: a1}}); err != nil {
		t.Fatal(err)
	}
	r, err := ix.Query(context.Background(), Query{Text: query})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Passages) != 1 || r.Passages[0].B != "a" {
		t.Fatalf("before the replacement: %+v", r.Passages)
	}
	if _, err := ix.Add([]Doc{{ID: "a", Text: a2}}); err != nil {
		t.Fatal(err)
	}
	if r, err = ix.Query(context.Background(), Query{Text: query}); err != nil {
		t.Fatal(err)
	}
	if len(r.Passages) != 0 {
		t.Fatalf("after the replacement the old text still matches: %+v", r.Passages)
	}

	c := newPrepCache(1 << 20)
	m := meta{ID: "x", Bytes: 10, Words: 2}
	c.put(7, &candDoc{m: m, text: "two words", toks: token.New().Tokens("two words", 0, nil)})
	if c.get(7, m) == nil {
		t.Fatal("entry not found under its own metadata")
	}
	other := m
	other.Bytes = 11
	if c.get(7, other) != nil || c.get(8, m) != nil {
		t.Fatal("entry used for other metadata or another number")
	}
}

// The budget's estimate of a prepared document stays near what it really
// takes (align's tables may change): within a factor of two of the heap
// it holds.
func TestPreparedSize(t *testing.T) {
	docs := genDocs(t, 400)
	tz := token.New()
	toks := make([][]token.Token, len(docs))
	words := 0
	for i, d := range docs {
		toks[i] = tz.Tokens(d.Text, 0, nil)
		words += len(toks[i])
	}
	preps := make([]*align.Prepared, len(docs))
	var m0, m1 runtime.MemStats
	for range 3 { // earlier tests' indexes and caches, freed after their cleanups ran
		runtime.GC()
	}
	runtime.ReadMemStats(&m0)
	for i, d := range docs {
		preps[i] = align.PrepareText(d.Text, toks[i], align.DefaultOptions())
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	perWord := float64(m1.HeapAlloc-m0.HeapAlloc) / float64(words)
	runtime.KeepAlive(preps)
	t.Logf("prepared documents take %.1f bytes a word (estimate %d), %d words", perWord, preparedBytesPerWord, words)
	if perWord < preparedBytesPerWord/2 || perWord > 2*preparedBytesPerWord {
		t.Errorf("prepared documents take %.1f bytes a word; preparedBytesPerWord is %d", perWord, preparedBytesPerWord)
	}
}
