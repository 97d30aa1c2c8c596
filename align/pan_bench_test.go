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
	tz := token.New()
	opt := DefaultOptions()
	var ps []*Prepared
	for sc.Scan() {
		var d struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			b.Fatal(err)
		}
		ps = append(ps, PrepareText(d.Text, tz.Tokens(d.Text, 0, nil), opt))
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
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
