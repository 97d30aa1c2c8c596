package index

import (
	"context"
	"fmt"
	"reflect"
	"testing"
)

// queryAll runs qs and returns their results.
func queryAll(t *testing.T, ix *Index, qs []Query) []*Result {
	t.Helper()
	var out []*Result
	for _, q := range qs {
		r, err := ix.Query(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// sameWithoutPostingCache runs qs with the posting cache as the stages
// before left it, again (from it), and without it, and fails unless all
// three agree; it returns the cache's hits in the second round.
func sameWithoutPostingCache(t *testing.T, ix *Index, qs []Query, stage string) int64 {
	t.Helper()
	first := queryAll(t, ix, qs)
	h0, _, _ := ix.PostingCacheStats()
	second := queryAll(t, ix, qs)
	h1, _, _ := ix.PostingCacheStats()
	pc := ix.pc.Swap(nil)
	off := queryAll(t, ix, qs)
	ix.pc.Store(pc)
	for i := range qs {
		if !reflect.DeepEqual(first[i], off[i]) || !reflect.DeepEqual(second[i], off[i]) {
			t.Fatalf("%s: query %d differs with the posting cache", stage, i)
		}
	}
	return h1 - h0
}

// TestPostingCacheSameResults: queries give the same results with the
// posting cache, filling or full, as without it, over deletes and
// replacements of flushed documents (cached lists then hold documents the
// query must leave out), unflushed adds, and flushes (which empty it);
// and every scan through it is the snapshot's.
func TestPostingCacheSameResults(t *testing.T) {
	ix, _ := openTemp(t, Options{})
	same, differ := overlayWatch(ix)
	docs := seededDocs(t, 600, 5)
	mustAdd(t, ix, docs[:400])
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}
	qs := gluedQueries(docs[:400], 30)
	if h := sameWithoutPostingCache(t, ix, qs, "flushed"); h == 0 {
		t.Fatal("no list came from the posting cache")
	}
	// Deleted and replaced flushed documents, unflushed adds.
	var del []string
	for i := 3; i < 400; i += 23 {
		del = append(del, docs[i].ID)
	}
	if _, err := ix.Delete(del); err != nil {
		t.Fatal(err)
	}
	var repl []Doc
	for i := 0; i < 400; i += 31 {
		repl = append(repl, Doc{ID: docs[i].ID, Text: docs[(i+401)%600].Text + " " + words(i, 40)})
	}
	mustAdd(t, ix, repl)
	mustAdd(t, ix, docs[400:])
	qs = gluedQueries(docs, 30)
	if h := sameWithoutPostingCache(t, ix, qs, "deletes and adds after the flush"); h == 0 {
		t.Fatal("no list came from the posting cache")
	}
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, ix, seededDocs(t, 3, 77)[:1]) // prunes the overlay
	sameWithoutPostingCache(t, ix, qs, "after a second flush")
	if differ.Load() > 0 || same.Load() == 0 {
		t.Fatalf("%d scans through the overlay differ from the snapshot's, %d agree", differ.Load(), same.Load())
	}
}

// TestPostingCacheCommonAnchors: a list longer than MaxDF is cached in
// part; when deletions leave that part unable to say whether the list is
// still too common, it is read again.
func TestPostingCacheCommonAnchors(t *testing.T) {
	ix, _ := openTemp(t, Options{NoStories: true})
	_, differ := overlayWatch(ix)
	shared := words(1, 40)
	var docs []Doc
	for i := 0; i < MaxDF+8; i++ {
		docs = append(docs, Doc{ID: fmt.Sprintf("c%03d", i), Text: words(100+i, 30) + " " + shared + " " + words(900+i, 30)})
	}
	mustAdd(t, ix, docs)
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}
	q := []Query{{Text: shared + " " + words(5000, 20)}}
	ask := func(stage string, wantCommon bool) {
		t.Helper()
		sameWithoutPostingCache(t, ix, q, stage)
		r := queryAll(t, ix, q)[0] // from a full cache
		if (r.Stats.CommonAnchors > 0) != wantCommon {
			t.Fatalf("%s: %d common anchors, %d anchor candidates", stage, r.Stats.CommonAnchors, r.Stats.AnchorCandidates)
		}
	}
	ask("all", true)
	// The newest ones deleted: those past the cached part, still too common.
	if _, err := ix.Delete([]string{docs[len(docs)-1].ID, docs[len(docs)-2].ID}); err != nil {
		t.Fatal(err)
	}
	ask("two of the newest deleted", true)
	// Six of the oldest: the cached part cannot tell, and MaxDF are left.
	var del []string
	for i := 0; i < 6; i++ {
		del = append(del, docs[i*5].ID)
	}
	if _, err := ix.Delete(del); err != nil {
		t.Fatal(err)
	}
	ask("six of the oldest deleted", false)
	if differ.Load() > 0 {
		t.Fatalf("%d scans through the overlay differ from the snapshot's", differ.Load())
	}
}

// TestPostingCacheConcurrent: queries filling and reading the cache at
// once, under adds, deletes and flushes (run with -race).
func TestPostingCacheConcurrent(t *testing.T) {
	ix, _ := openTemp(t, Options{NoStories: true})
	same, differ := overlayWatch(ix)
	docs := seededDocs(t, 300, 6)
	mustAdd(t, ix, docs[:100])
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}
	ix.SetPostingCache(64 << 10) // small: emptied when full, too
	qs := gluedQueries(docs[:100], 10)
	stop := queryLoops(ix, qs, 3)
	for i := 100; i < 300; i += 20 {
		mustAdd(t, ix, docs[i:i+20])
		if _, err := ix.Delete([]string{docs[i-60].ID}); err != nil {
			t.Fatal(err)
		}
		if i%60 == 0 {
			if err := ix.Flush(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if hits, _, _ := ix.PostingCacheStats(); hits == 0 {
		t.Error("no list came from the posting cache")
	}
	if differ.Load() > 0 || same.Load() == 0 {
		t.Fatalf("%d scans through the overlay differ from the snapshot's, %d agree", differ.Load(), same.Load())
	}
}
