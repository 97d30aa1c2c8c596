package index

import (
	"context"
	"errors"
	"fmt"
	"github.com/reprint/reprint/token"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/reprint/reprint/corpus"
)

// newsDocs reads ../testdata/news with its metadata sidecar.
func newsDocs(t testing.TB) []Doc {
	t.Helper()
	meta, err := corpus.ReadMeta("../testdata/news-meta.jsonl", nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := corpus.Open([]string{"../testdata/news"}, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var docs []Doc
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
	return docs
}

func words(seed, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "w%d ", (seed*7919+i*104729)%10000019)
	}
	return b.String()
}

func openTemp(t *testing.T, opt Options) (*Index, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	opt.Create = true
	ix, err := Open(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, dir
}

func TestAddQueryNews(t *testing.T) {
	ix, _ := openTemp(t, Options{})
	docs := newsDocs(t)
	res, err := ix.Add(docs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != StatusAdded {
			t.Fatalf("%s: %s %s", r.ID, r.Status, r.Error)
		}
	}
	// Every news document reprints part of another: querying each by ID
	// finds passages, never itself.
	total := 0
	for _, d := range docs {
		r, err := ix.Query(context.Background(), Query{ID: d.ID, Excerpts: true})
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range r.Passages {
			if p.B == d.ID || p.A != d.ID {
				t.Errorf("%s: passage %+v", d.ID, p)
			}
			if p.Earliest.Status == "" || p.Group == "" {
				t.Errorf("%s: passage without group or earliest: %+v", d.ID, p)
			}
			if len(r.Excerpts) != len(r.Passages) || len(r.Excerpts[i].A) == 0 {
				t.Errorf("%s: excerpts missing", d.ID)
			}
		}
		total += len(r.Passages)
	}
	if total == 0 {
		t.Fatal("no passages among the news")
	}
	// A text query: the first document verbatim is a near-duplicate of
	// itself with Jaccard 1, and its date and source come along.
	r, err := ix.Query(context.Background(), Query{Text: docs[0].Text[docs[0].Start:]})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.NearDuplicates) == 0 || r.NearDuplicates[0].ID != docs[0].ID || r.NearDuplicates[0].Jaccard != 1 ||
		r.NearDuplicates[0].Date != docs[0].Date {
		t.Fatalf("near-duplicates of a stored text: %+v", r.NearDuplicates)
	}
	if len(r.Passages) == 0 || r.Passages[0].Date == "" || r.Passages[0].Source == "" {
		t.Fatalf("passages of a stored text: %+v", r.Passages)
	}
}

func TestReplaceDeleteStats(t *testing.T) {
	ix, dir := openTemp(t, Options{})
	a, b := words(1, 300), words(2, 300)
	if _, err := ix.Add([]Doc{{ID: "x", Text: a}, {ID: "y", Text: b}}); err != nil {
		t.Fatal(err)
	}
	r, _ := ix.Query(context.Background(), Query{Text: a})
	if len(r.NearDuplicates) != 1 || r.NearDuplicates[0].ID != "x" {
		t.Fatalf("before replace: %+v", r.NearDuplicates)
	}
	res, err := ix.Add([]Doc{{ID: "x", Text: b}, {ID: "bad\xff", Text: "t"}})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Status != StatusReplaced || res[1].Status != StatusError {
		t.Fatalf("statuses: %+v", res)
	}
	r, _ = ix.Query(context.Background(), Query{Text: a})
	if len(r.NearDuplicates) != 0 || len(r.Passages) != 0 {
		t.Fatalf("old text still found after replace: %+v", r)
	}
	r, _ = ix.Query(context.Background(), Query{Text: b})
	if len(r.NearDuplicates) != 2 {
		t.Fatalf("new text: %+v", r.NearDuplicates)
	}
	st, _ := ix.Stats(context.Background())
	if st.Documents != 2 {
		t.Fatalf("stats: %+v", st)
	}
	found, err := ix.Delete([]string{"x", "x", "nope"})
	if err != nil {
		t.Fatal(err)
	}
	if !found[0] || found[1] || found[2] {
		t.Fatalf("delete: %v", found)
	}
	if _, err := ix.Get(context.Background(), "x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get deleted: %v", err)
	}
	r, _ = ix.Query(context.Background(), Query{Text: b})
	if len(r.NearDuplicates) != 1 || r.NearDuplicates[0].ID != "y" {
		t.Fatalf("after delete: %+v", r.NearDuplicates)
	}
	// No postings of x are left.
	if n := countPrefix(t, ix, pAnchor) + countPrefix(t, ix, pBand); n != len(mustKeys(t, ix, "y")) {
		t.Fatalf("postings left: %d, want %d", n, len(mustKeys(t, ix, "y")))
	}
	ix.Close()
	ix2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	if st, _ := ix2.Stats(context.Background()); st.Documents != 1 {
		t.Fatalf("reopened stats: %+v", st)
	}
}

func TestNoText(t *testing.T) {
	ix, _ := openTemp(t, Options{NoText: true})
	a := words(3, 200)
	if _, err := ix.Add([]Doc{{ID: "x", Text: a}}); err != nil {
		t.Fatal(err)
	}
	r, err := ix.Query(context.Background(), Query{Text: a})
	if err != nil || len(r.NearDuplicates) != 1 || len(r.Passages) != 0 {
		t.Fatalf("%+v %v", r, err)
	}
	d, err := ix.Get(context.Background(), "x")
	if err != nil || d.Text != "" || d.Words != 200 {
		t.Fatalf("%+v %v", d, err)
	}
}

func TestVersionAndMissing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrNoIndex) {
		t.Fatalf("open missing: %v", err)
	}
	ix, err := Open(dir, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	ix.db.Set(keyVersion, []byte(`{"format":99}`), pebble.Sync)
	ix.Close()
	if _, err := Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Fatalf("open other version: %v", err)
	}
	// A Pebble store that is not an index.
	other := filepath.Join(t.TempDir(), "other")
	db, err := pebble.Open(other, &pebble.Options{Logger: &storage{l: slog.New(slog.DiscardHandler)}})
	if err != nil {
		t.Fatal(err)
	}
	db.Set([]byte("hello"), []byte("x"), pebble.Sync)
	db.Close()
	if _, err := Open(other, Options{Create: true}); err == nil || !strings.Contains(err.Error(), "not a reprint index") {
		t.Fatalf("open foreign store: %v", err)
	}
}

func TestWinnowGuarantee(t *testing.T) {
	// Any run of Window+Anchor-1 words shared by two texts gives them an
	// anchor in common.
	ix, _ := openTemp(t, Options{})
	shared := words(9, 15)
	a := ix.analyze(newTok(), words(10, 100)+shared+words(11, 50), 0)
	b := ix.analyze(newTok(), words(12, 37)+shared+words(13, 80), 0)
	if overlap(a.anchors, b.anchors) == 0 {
		t.Fatal("no shared anchor for a 15-word shared run")
	}
}

func overlap(a, b []uint64) int {
	m := map[uint64]bool{}
	for _, x := range a {
		m[x] = true
	}
	n := 0
	for _, x := range b {
		if m[x] {
			n++
		}
	}
	return n
}

func countPrefix(t *testing.T, ix *Index, p byte) int {
	it, err := ix.db.NewIter(&pebble.IterOptions{LowerBound: []byte{p}, UpperBound: []byte{p + 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	n := 0
	for ok := it.First(); ok; ok = it.Next() {
		n++
	}
	return n
}

func mustKeys(t *testing.T, ix *Index, id string) []uint64 {
	snap := ix.db.NewSnapshot()
	defer snap.Close()
	num, _, err := ix.lookup(snap, id)
	if err != nil {
		t.Fatal(err)
	}
	v, err := getString(snap, numKey(pKeys, num))
	if err != nil {
		t.Fatal(err)
	}
	return getUint64s([]byte(v))[1:]
}

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) != "" {
		crashChild()
		return
	}
	os.Exit(m.Run())
}
func newTok() *token.Tokenizer { return token.New() }

func TestLocked(t *testing.T) {
	_, dir := openTemp(t, Options{})
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: %v", err)
	}
}
