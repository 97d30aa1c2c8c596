package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/reprint/reprint/corpus"
)

// jsonlCorpus writes lines to a .jsonl file and opens it.
func jsonlCorpus(t *testing.T, lines []string) (*corpus.Corpus, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := corpus.Open([]string{path}, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, path
}

func TestIngestNews(t *testing.T) {
	ix, _ := openTemp(t, Options{})
	meta, err := corpus.ReadMeta("../testdata/news-meta.jsonl", nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := corpus.Open([]string{"../testdata/news"}, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	st, err := Ingest(context.Background(), ix, c, IngestOptions{BatchDocs: 2, Meta: meta})
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != 5 || st.Commits != 3 || st.Records != 5 || st.Skipped != 0 {
		t.Fatalf("stats: %+v", st)
	}
	d, err := ix.Get(context.Background(), "001_e55fcabe4c6a2c3c.txt")
	if err != nil || d.Source != meta["001_e55fcabe4c6a2c3c.txt"].Source || d.Source == "" {
		t.Fatalf("metadata not applied: %+v %v", d, err)
	}
}

// Bad records and rejected documents are reported with file and line and
// counted; the others are added; the later of two records with one ID
// wins, whatever the number of workers.
func TestIngestProblemsAndOrder(t *testing.T) {
	long := strings.Repeat("x", MaxIDBytes+1)
	var lines []string
	for i := range 40 {
		lines = append(lines, fmt.Sprintf(`{"id": "d%d", "text": %q}`, i%10, words(i, 50)))
	}
	lines = append(lines, "not json", fmt.Sprintf(`{"id": %q, "text": "some words here"}`, long))
	for _, workers := range []int{1, 3} {
		ix, _ := openTemp(t, Options{})
		c, path := jsonlCorpus(t, lines)
		var mu sync.Mutex
		var probs []string
		st, err := Ingest(context.Background(), ix, c, IngestOptions{BatchDocs: 7, Workers: workers, OnProblem: func(p *corpus.Problem) {
			mu.Lock()
			probs = append(probs, p.Error())
			mu.Unlock()
		}})
		if err != nil {
			t.Fatal(err)
		}
		if st.Added != 10 || st.Replaced != 30 || st.Rejected != 1 || st.Skipped != 1 || st.Records != 42 {
			t.Fatalf("workers %d: stats %+v", workers, st)
		}
		if len(probs) != 2 || !strings.HasPrefix(probs[0], path+":41:") || !strings.HasPrefix(probs[1], path+":42: rejected by the index") {
			t.Fatalf("workers %d: problems %q", workers, probs)
		}
		for k := range 10 {
			d, err := ix.Get(context.Background(), fmt.Sprintf("d%d", k))
			if err != nil || d.Text != words(30+k, 50) {
				t.Fatalf("workers %d: d%d is not the last record with its ID: %v", workers, k, err)
			}
		}
	}
}

// cancelAfter is a Writer that cancels its ingest after n adds.
type cancelAfter struct {
	Writer
	n      int
	cancel context.CancelFunc
}

func (w *cancelAfter) Add(docs []Doc) ([]AddResult, error) {
	res, err := w.Writer.Add(docs)
	if w.n--; w.n == 0 {
		w.cancel()
	}
	return res, err
}

type failingWriter struct{ Writer }

func (failingWriter) Add([]Doc) ([]AddResult, error) { return nil, errors.New("disk on fire") }

// A cancelled ingest stops after the commit in progress and counts exactly
// what was committed; a writer's error ends it.
func TestIngestCancelAndFail(t *testing.T) {
	var lines []string
	for i := range 50 {
		lines = append(lines, fmt.Sprintf(`{"id": "d%d", "text": %q}`, i, words(i, 30)))
	}
	ix, _ := openTemp(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	c, _ := jsonlCorpus(t, lines)
	st, err := Ingest(ctx, &cancelAfter{Writer: ix, n: 2, cancel: cancel}, c, IngestOptions{BatchDocs: 10})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled ingest: %v", err)
	}
	got, _ := ix.Stats(context.Background())
	if st.Added != 20 || st.Commits != 2 || got.Documents != 20 {
		t.Fatalf("cancelled after two commits: stats %+v, index holds %d", st, got.Documents)
	}
	c2, _ := jsonlCorpus(t, lines)
	st, err = Ingest(context.Background(), failingWriter{ix}, c2, IngestOptions{BatchDocs: 10})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") || st.Commits != 0 {
		t.Fatalf("failing writer: %+v %v", st, err)
	}
}
