package index

import (
	"context"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/token"
)

// overlayWatch makes every scan through the overlay compare itself with
// the snapshot's own scan, and counts both outcomes.
func overlayWatch(ix *Index) (same, differ *atomic.Int64) {
	same, differ = &atomic.Int64{}, &atomic.Int64{}
	ix.overlayCheck = func(ok bool) {
		if ok {
			same.Add(1)
		} else {
			differ.Add(1)
		}
	}
	return same, differ
}

func seededDocs(t *testing.T, n int, seed uint64) []Doc {
	t.Helper()
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Seed = n, seed
	cfg.Passages, cfg.PassageWords = n/10, 30
	return generatedDocs(t, cfg)
}

// generatedDocs returns the documents gen makes for cfg.
func generatedDocs(tb testing.TB, cfg gen.Config) []Doc {
	tb.Helper()
	var docs []Doc
	if _, err := gen.Generate(cfg, func(d gen.Doc) error {
		docs = append(docs, Doc{ID: d.ID, Text: d.Text, Date: d.Date, Source: d.Source})
		return nil
	}); err != nil {
		tb.Fatal(err)
	}
	return docs
}

// gluedQueries are texts made of runs of stored documents.
func gluedQueries(docs []Doc, n int) []Query {
	var qs []Query
	for i := 0; i < n; i++ {
		var b strings.Builder
		for k := 0; k < 3; k++ {
			b.WriteString(docs[(i*53+k*17)%len(docs)].Text)
			b.WriteString("\n\n")
		}
		qs = append(qs, Query{Text: b.String(), NoStory: i%2 == 0})
	}
	return qs
}

func mustAdd(t *testing.T, ix *Index, docs []Doc) {
	t.Helper()
	res, err := ix.Add(docs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status == StatusError {
			t.Fatalf("%s: %s", r.ID, r.Error)
		}
	}
}

func (ix *Index) overlayPostings() int {
	ix.ov.mu.RLock()
	defer ix.ov.mu.RUnlock()
	return len(ix.ov.ents)
}

// TestOverlaySameResults: with documents in the tables and in the overlay,
// replaced and deleted on both sides, every scan through the overlay finds
// what the snapshot's scan finds, and the results show the overlay's
// documents and none of the deleted ones.
func TestOverlaySameResults(t *testing.T) {
	ix, _ := openTemp(t, Options{})
	same, differ := overlayWatch(ix)
	docs := seededDocs(t, 600, 3)
	mustAdd(t, ix, docs[:300])
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, ix, docs[300:])
	// Replace some flushed documents with other texts, delete some on
	// both sides of the flush.
	var repl []Doc
	for i := 0; i < 300; i += 15 {
		repl = append(repl, Doc{ID: docs[i].ID, Text: docs[(i+301)%600].Text + " " + words(i, 40)})
	}
	mustAdd(t, ix, repl)
	var del []string
	for i := 7; i < 600; i += 29 {
		del = append(del, docs[i].ID)
	}
	if _, err := ix.Delete(del); err != nil {
		t.Fatal(err)
	}
	if ix.overlayPostings() == 0 {
		t.Fatal("the overlay holds no postings after unflushed adds")
	}
	deleted := map[string]bool{}
	for _, id := range del {
		deleted[id] = true
	}
	check := func(stage string) {
		t.Helper()
		fromOverlay := 0
		for _, q := range gluedQueries(docs, 40) {
			r, err := ix.Query(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range r.Passages {
				if deleted[p.B] {
					t.Errorf("%s: deleted document %s in a result", stage, p.B)
				}
				var n int
				if _, err := fmt.Sscanf(p.B, "d%d", &n); err == nil && n >= 300 {
					fromOverlay++
				}
			}
		}
		if differ.Load() > 0 {
			t.Fatalf("%s: %d scans through the overlay differ from the snapshot's", stage, differ.Load())
		}
		if same.Load() == 0 {
			t.Fatalf("%s: no query went through the overlay", stage)
		}
		if fromOverlay == 0 {
			t.Errorf("%s: no passage with a document added after the flush", stage)
		}
	}
	check("before the second flush")

	// After a flush, the next commit prunes what the tables now hold.
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}
	extra := seededDocs(t, 5, 99)
	for i := range extra {
		extra[i].ID = "extra" + extra[i].ID
	}
	mustAdd(t, ix, extra)
	n := 0
	for _, d := range extra {
		a := ix.analyze(token.New(), d.Text, 0)
		n += len(a.anchors) + len(a.bands)
	}
	if got := ix.overlayPostings(); got != n {
		t.Errorf("after a flush and one add the overlay holds %d postings, want that add's %d", got, n)
	}
	same.Store(0)
	check("after the prune")
}

// TestOverlayCommonAnchors: an anchor list with documents on both sides
// of a flush is counted against MaxDF as one list, deletions on the
// flushed side included.
func TestOverlayCommonAnchors(t *testing.T) {
	ix, _ := openTemp(t, Options{NoStories: true})
	_, differ := overlayWatch(ix)
	shared := words(1, 40)
	var docs []Doc
	for i := 0; i < MaxDF+6; i++ {
		docs = append(docs, Doc{ID: fmt.Sprintf("c%03d", i), Text: words(100+i, 30) + " " + shared + " " + words(900+i, 30)})
	}
	mustAdd(t, ix, docs[:40])
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, ix, docs[40:])
	q := Query{Text: shared + " " + words(5000, 20)}
	r, err := ix.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if r.Stats.CommonAnchors == 0 {
		t.Fatalf("%d documents share the text, and no anchor was too common", len(docs))
	}
	// Six flushed documents fewer: exactly MaxDF left, no longer too common.
	var del []string
	for i := 0; i < 6; i++ {
		del = append(del, docs[i*5].ID)
	}
	if _, err := ix.Delete(del); err != nil {
		t.Fatal(err)
	}
	r, err = ix.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if r.Stats.CommonAnchors != 0 || r.Stats.AnchorCandidates != MaxDF {
		t.Errorf("with %d documents left: %d common anchors, %d anchor candidates; want 0 and %d",
			MaxDF, r.Stats.CommonAnchors, r.Stats.AnchorCandidates, MaxDF)
	}
	if differ.Load() > 0 {
		t.Fatalf("%d scans through the overlay differ from the snapshot's", differ.Load())
	}
}

// TestOverlayConcurrent: queries under adds, replacements, deletes and
// flushes: every scan through the overlay is the snapshot's.
func TestOverlayConcurrent(t *testing.T) {
	ix, _ := openTemp(t, Options{})
	same, differ := overlayWatch(ix)
	docs := seededDocs(t, 400, 4)
	mustAdd(t, ix, docs[:100])
	qs := gluedQueries(docs, 30)
	stop := queryLoops(ix, qs, 2)
	for i := 100; i < 400; i += 20 {
		mustAdd(t, ix, docs[i:i+20])
		if _, err := ix.Delete([]string{docs[i-50].ID, docs[i+3].ID}); err != nil {
			t.Fatal(err)
		}
		mustAdd(t, ix, []Doc{{ID: docs[i-70].ID, Text: docs[i-1].Text + " " + words(i, 30)}})
		if i%60 == 0 {
			if err := ix.Flush(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if differ.Load() > 0 {
		t.Fatalf("%d of %d scans through the overlay differ from the snapshot's", differ.Load(), differ.Load()+same.Load())
	}
	if same.Load() == 0 {
		t.Fatal("no query went through the overlay")
	}
}

// TestOverlayReopen: an index closed with commits only in its log is
// flushed when opened, and its queries go through the overlay again;
// opened read-only it cannot be, and queries read the snapshot.
func TestOverlayReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Open(dir, Options{Create: true, NoStories: true})
	if err != nil {
		t.Fatal(err)
	}
	docs := seededDocs(t, 200, 6)
	mustAdd(t, ix, docs)
	want, err := ix.Query(context.Background(), gluedQueries(docs, 1)[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{true, false} {
		ix, err := Open(dir, Options{ReadOnly: ro})
		if err != nil {
			t.Fatal(err)
		}
		same, differ := overlayWatch(ix)
		got, err := ix.Query(context.Background(), gluedQueries(docs, 1)[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Passages) != len(want.Passages) || len(got.Passages) == 0 {
			t.Errorf("read-only %v: %d passages, want %d", ro, len(got.Passages), len(want.Passages))
		}
		if through := same.Load() + differ.Load(); through != map[bool]int64{true: 0, false: 1}[ro] || differ.Load() > 0 {
			t.Errorf("read-only %v: %d scans through the overlay (%d differ)", ro, through, differ.Load())
		}
		ix.Close()
	}
}

// TestCountersCommits: counters written before Commits existed read as 0
// commits, and the five round-trip.
func TestCountersCommits(t *testing.T) {
	var old []byte
	for _, v := range []uint64{9, 8, 7, 6} {
		old = binary.AppendUvarint(old, v)
	}
	c, err := decodeCounters(old)
	if err != nil || c != (counters{Next: 9, Docs: 8, TextBytes: 7, Words: 6}) {
		t.Fatalf("four counters: %+v, %v", c, err)
	}
	want := counters{Next: 9, Docs: 8, TextBytes: 7, Words: 6, Commits: 5}
	if c, err := decodeCounters(want.encode()); err != nil || c != want {
		t.Fatalf("five counters: %+v, %v", c, err)
	}
}

// TestOverlayTable: the hash table of list heads against a map, through
// growth, with hash 0 and hashes that share their low bits.
func TestOverlayTable(t *testing.T) {
	var tb ovTable
	want := map[uint64]int32{}
	for i := 0; i < 5000; i++ {
		h := uint64(i%1700) << 40 // low bits all zero
		if i%7 == 0 {
			h = 0
		}
		old, ok := want[h]
		if !ok {
			old = -1
		}
		if got := tb.swap(h, int32(i)); got != old {
			t.Fatalf("swap(%x, %d) = %d, want %d", h, i, got, old)
		}
		want[h] = int32(i)
	}
	if tb.n != len(want) {
		t.Fatalf("%d keys held, want %d", tb.n, len(want))
	}
	for h, v := range want {
		if got := tb.get(h); got != v {
			t.Fatalf("get(%x) = %d, want %d", h, got, v)
		}
	}
	if got := tb.get(12345); got != -1 {
		t.Fatalf("get of an absent hash = %d", got)
	}
}

// TestOverlayBulkAdd: an add too large for the overlay resets it; queries
// then read their snapshots until a flush, and go through the overlay
// again after it.
func TestOverlayBulkAdd(t *testing.T) {
	ix, _ := openTemp(t, Options{NoStories: true})
	same, differ := overlayWatch(ix)
	var bulk []Doc
	for i := 0; i < 240; i++ {
		bulk = append(bulk, Doc{ID: fmt.Sprintf("b%03d", i), Text: words(i, 1000)})
	}
	mustAdd(t, ix, bulk)
	q := Query{Text: words(3, 300) + " " + words(77, 300)}
	query := func() int {
		t.Helper()
		r, err := ix.Query(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		return len(r.Passages)
	}
	if n := query(); n != 2 || same.Load()+differ.Load() != 0 {
		t.Fatalf("after a bulk add: %d passages (want 2), %d scans through the overlay (want 0)", n, same.Load()+differ.Load())
	}
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, ix, []Doc{{ID: "small", Text: words(3, 300)}})
	if n := query(); n != 3 || same.Load() != 1 || differ.Load() != 0 {
		t.Fatalf("after a flush and a small add: %d passages (want 3), %d scans through the overlay, %d differing (want 1, 0)", n, same.Load(), differ.Load())
	}
}

// TestOverlayDeletedSet checks the shared deleted sets against the
// overlay's own list of deletions through commits, prunes and resets: a
// set kept from before any change to that list must never answer after it.
func TestOverlayDeletedSet(t *testing.T) {
	o := &overlay{on: true}
	o.reset(0)
	want := func(dc, nc uint64) map[uint64]bool {
		var m map[uint64]bool
		for _, d := range o.dels {
			if d.commit > dc && d.commit <= nc {
				if m == nil {
					m = map[uint64]bool{}
				}
				m[d.num] = true
			}
		}
		return m
	}
	check := func(dc, nc uint64) {
		t.Helper()
		got, w := o.deletedSet(dc, nc), want(dc, nc)
		if len(got) != len(w) {
			t.Fatalf("(%d, %d]: %d deleted, want %d", dc, nc, len(got), len(w))
		}
		for n := range w {
			if !got[n] {
				t.Fatalf("(%d, %d]: %d not deleted", dc, nc, n)
			}
		}
	}
	num := uint64(1)
	for c := uint64(1); c <= 40; c++ {
		// A set asked for before commit c is recorded: the commit's
		// deletions must show once it is.
		check(o.base, c)
		d := &ovDelta{}
		for k := uint64(0); k < c%4; k++ {
			d.del(num)
			num++
		}
		o.apply(c, d)
		check(o.base, c)
		check(o.base, c)
		if c > 2 {
			check(c-2, c)
		}
		switch c % 10 {
		case 5:
			o.prune(c-1, num)
			check(o.base, c)
		case 9:
			o.failed(c)
			check(o.base, c-1)
		}
	}
}

// queryLoops starts n goroutines that query qs in turn until stop is
// called; stop waits for them and returns the first error one met.
func queryLoops(ix *Index, qs []Query, n int) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ctx.Err() == nil; i++ {
				if _, err := ix.Query(context.Background(), qs[i%len(qs)]); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	return func() error {
		cancel()
		wg.Wait()
		close(errs)
		return <-errs
	}
}
