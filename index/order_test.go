package index

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/reprint/reprint/corpus"
)

// stateOf returns what an index holds, in document-number order: each
// document's number, ID, text and story, and the clusterer's saved state.
func stateOf(t *testing.T, ix *Index) ([]string, []byte) {
	t.Helper()
	var out []string
	it, err := ix.db.NewIter(nil)
	if err != nil {
		t.Fatal(err)
	}
	for ok := it.First(); ok; ok = it.Next() {
		if k := it.Key(); k[0] == pMeta || k[0] == pText || k[0] == pStory || k[0] == pID {
			out = append(out, string(k)+"="+string(it.Value()))
		}
	}
	it.Close()
	var st bytes.Buffer
	if ix.p.Stories {
		ix.sto.mu.Lock()
		c, err := ix.clusterer()
		if err == nil {
			err = c.Save(&st)
		}
		ix.sto.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out, st.Bytes()
}

// Adds started one after another with StartAdd, without waiting, leave
// the index and its stories exactly as the same adds made one at a time:
// same numbers, same winner of an ID added twice, same story state; and
// Ingest into an *Index (two batches in flight) gives the same as Ingest
// through a plain Writer (one batch at a time).
func TestStartAddOrder(t *testing.T) {
	docs := genDocs(t, 600)
	// Some IDs come back in later batches with another text.
	for i := 0; i < len(docs); i += 37 {
		docs[i].ID = docs[(i*7)%len(docs)].ID
	}
	for _, noStories := range []bool{false, true} {
		seq, _ := openTemp(t, Options{NoStories: noStories})
		par, _ := openTemp(t, Options{NoStories: noStories})
		for i := 0; i < len(docs); i += 25 {
			if _, err := seq.Add(docs[i : i+25]); err != nil {
				t.Fatal(err)
			}
		}
		var ps []*PendingAdd
		for i := 0; i < len(docs); i += 25 {
			ps = append(ps, par.StartAdd(docs[i:i+25]))
		}
		for _, p := range ps {
			if _, err := p.Wait(); err != nil {
				t.Fatal(err)
			}
		}
		a, sa := stateOf(t, seq)
		b, sb := stateOf(t, par)
		if len(a) == 0 || !equalStrings(a, b) || !bytes.Equal(sa, sb) {
			t.Fatalf("no stories %v: StartAdd without waiting differs from Add after Add (%d and %d keys, state equal %v)",
				noStories, len(a), len(b), bytes.Equal(sa, sb))
		}

		var lines []string
		for _, d := range docs {
			l, _ := json.Marshal(map[string]string{"id": d.ID, "text": d.Text, "date": d.Date, "source": d.Source})
			lines = append(lines, string(l))
		}
		one, _ := openTemp(t, Options{NoStories: noStories})
		two, _ := openTemp(t, Options{NoStories: noStories})
		c1, _ := jsonlCorpus(t, lines)
		c2, _ := jsonlCorpus(t, lines)
		st1, err1 := Ingest(context.Background(), plainWriter{one}, c1, IngestOptions{BatchDocs: 30})
		st2, err2 := Ingest(context.Background(), two, c2, IngestOptions{BatchDocs: 30})
		if err1 != nil || err2 != nil || st1.Added != st2.Added || st1.Replaced != st2.Replaced || st1.Commits != st2.Commits || st1.Bytes != st2.Bytes {
			t.Fatalf("ingest one batch at a time: %+v %v; two in flight: %+v %v", st1, err1, st2, err2)
		}
		a, sa = stateOf(t, one)
		b, sb = stateOf(t, two)
		if !equalStrings(a, b) || !bytes.Equal(sa, sb) {
			t.Fatalf("no stories %v: ingest with two batches in flight differs from one at a time", noStories)
		}
	}
}

// plainWriter hides the *Index behind the Writer interface, so that
// Ingest adds one batch at a time.
type plainWriter struct{ *Index }

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A cancelled ingest into an *Index, with a batch in flight behind the
// one committing, counts exactly what the index holds; an add that fails
// at its commit turn lets the adds behind it run.
func TestIngestInFlightCancel(t *testing.T) {
	docs := genDocs(t, 400)
	var lines []string
	for i, d := range docs {
		if i == 150 {
			lines = append(lines, "{not json") // cancels the ingest when reported
		}
		l, _ := json.Marshal(map[string]string{"id": d.ID, "text": d.Text})
		lines = append(lines, string(l))
	}
	ix, _ := openTemp(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	c, _ := jsonlCorpus(t, lines)
	st, err := Ingest(ctx, ix, c, IngestOptions{BatchDocs: 20, OnProblem: func(*corpus.Problem) { cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled ingest: %v", err)
	}
	got, _ := ix.Stats(context.Background())
	if st.Added == 0 || st.Added >= len(docs) || uint64(st.Added) != got.Documents || st.Commits*20 != st.Added {
		t.Fatalf("cancelled: stats %+v, index holds %d", st, got.Documents)
	}
	checkCrashedStories(t, ix, st.Added)

	// An add aborted at its turn adds nothing; the one started right
	// after it either commits or, when its story pass ran on the
	// clusterer the aborted add had fed, fails the same way; the index
	// and its stories stay consistent, and the next add commits.
	boom := errors.New("boom")
	p1 := ix.startAdd(docs[370:380], func() error { return boom })
	p2 := ix.StartAdd(docs[380:390])
	if _, err := p1.Wait(); !errors.Is(err, boom) {
		t.Fatalf("aborted add: %v", err)
	}
	added := st.Added
	if _, err := p2.Wait(); err == nil {
		added += 10
	} else if !errors.Is(err, errEarlierAdd) {
		t.Fatalf("the add after an aborted one: %v", err)
	}
	if _, err := ix.Add(docs[390:400]); err != nil {
		t.Fatalf("an add after those: %v", err)
	}
	added += 10
	if _, err := ix.Get(context.Background(), docs[375].ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a document of the aborted add is there: %v", err)
	}
	if _, err := ix.Get(context.Background(), docs[395].ID); err != nil {
		t.Fatalf("a document of the last add: %v", err)
	}
	checkCrashedStories(t, ix, added)
}
