package bench

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/reprint/reprint/gen"
)

// smallCorpus writes a small generated corpus with many near-duplicates.
func smallCorpus(t *testing.T, docs int) string {
	t.Helper()
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Seed, cfg.MeanWords = docs, 3, 120
	cfg.FamilyShare, cfg.ExactShare, cfg.EditRate, cfg.Passages = 0.5, 0.1, 0.08, 10
	path := filepath.Join(t.TempDir(), "corpus.jsonl")
	if _, err := gen.WriteFile(path, cfg); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOracleMatchesBruteForce(t *testing.T) {
	c, st, err := Load(smallCorpus(t, 600), 5)
	if err != nil {
		t.Fatal(err)
	}
	if st.Docs != 600 || len(c.Sets) != 600 {
		t.Fatalf("loaded %d docs", st.Docs)
	}
	// A few tiny and empty sets exercise the edges.
	c.Sets = append(c.Sets, nil, []uint64{1}, []uint64{1}, []uint64{1, 2}, []uint64{1, 2, 3, 4, 5})
	for _, th := range []float64{0.3, 0.5, 0.7, 0.8, 0.9, 1} {
		want := BruteForce(c.Sets, th)
		got := Oracle(c.Sets, th)
		if !slices.Equal(got, want) {
			t.Fatalf("threshold %.1f: oracle found %d pairs, brute force %d", th, len(got), len(want))
		}
		if th == 0.8 && len(want) < 50 {
			t.Fatalf("only %d pairs at 0.8: corpus too easy to test on", len(want))
		}
		t.Logf("threshold %.1f: %d pairs", th, len(want))
	}
}

func TestPeer(t *testing.T) {
	path := smallCorpus(t, 400)
	got, c, st, err := Peer(path, 5, 0.8, 128)
	if err != nil {
		t.Fatal(err)
	}
	truth := IDPairs(c.IDs, Oracle(c.Sets, 0.8))
	recall, precision := Score(IDPairs(c.IDs, got), truth)
	t.Logf("k=%d l=%d, %d candidates, recall %.3f precision %.3f", st.K, st.L, st.Candidates, recall, precision)
	if precision != 1 {
		t.Errorf("verified pairs have precision %.3f, want 1", precision)
	}
	if recall < 0.8 {
		t.Errorf("recall %.3f", recall)
	}
}

func TestScanStats(t *testing.T) {
	path := smallCorpus(t, 200)
	fi, _ := os.Stat(path)
	st, err := Scan(path, 5, 2, func(int, int, string, []uint64) {})
	if err != nil {
		t.Fatal(err)
	}
	if st.Docs != 200 || st.Bytes != fi.Size() || st.Decode <= 0 || st.Tokenize <= 0 {
		t.Fatalf("stats %+v", st)
	}
}
