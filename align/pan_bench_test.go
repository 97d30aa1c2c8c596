package align

import (
	"bufio"
	"encoding/json"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/reprint/reprint/token"
)

// BenchmarkPANPairs pairs every tenth document of the PAN 2013 training
// corpus (read in place from the shared eval folder, or from the file
// $REPRINT_PAN13 names; skipped when neither is there) with 40 others
// drawn at random, all 5,057 prepared beforehand: 20,000 pairs that mostly
// share topic words and nothing else, the pairs a collection's alignment
// spends most of its time on, and as in reuse the first document of a
// run of pairs is in cache and the others are not.
func BenchmarkPANPairs(b *testing.B) {
	texts := panTexts(b)
	tz := token.New()
	opt := DefaultOptions()
	var ps []*Prepared
	for _, t := range texts {
		ps = append(ps, PrepareText(t, tz.Tokens(t, 0, nil), opt))
	}
	r := rand.New(rand.NewPCG(1, 2))
	var pairs [][2]int
	for x := 0; x < len(ps); x += 10 {
		for range 40 {
			pairs = append(pairs, [2]int{x, r.IntN(len(ps))})
		}
	}
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pairs {
			ps[p[0]].PairPrepared(ps[p[1]])
		}
	}
}

// BenchmarkPANPrepare prepares (PrepareText) every tenth document of the
// PAN 2013 training corpus, their tokens made beforehand.
func BenchmarkPANPrepare(b *testing.B) {
	texts := panTexts(b)
	tz := token.New()
	opt := DefaultOptions()
	var toks [][]token.Token
	for k := 0; k < len(texts); k += 10 {
		toks = append(toks, tz.Tokens(texts[k], 0, nil))
	}
	b.ResetTimer()
	for b.Loop() {
		for n, t := range toks {
			PrepareText(texts[10*n], t, opt)
		}
	}
}

// panTexts returns the texts of the PAN 2013 training corpus, read in
// place from the shared eval folder or from the file $REPRINT_PAN13 names,
// and skips the benchmark when neither is there.
func panTexts(b *testing.B) []string {
	path := os.Getenv("REPRINT_PAN13")
	if path == "" {
		path = "../../shared/eval/pan13-train/docs.jsonl"
	}
	f, err := os.Open(path)
	if err != nil {
		b.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<26)
	var texts []string
	for sc.Scan() {
		var d struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			b.Fatal(err)
		}
		texts = append(texts, d.Text)
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
	return texts
}
