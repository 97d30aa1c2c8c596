package align

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/reprint/reprint/token"
)

// BenchmarkPANPairs pairs every tenth document of the PAN 2013 training
// corpus (read in place from the shared eval folder, or from the file
// $REPRINT_PAN13 names; skipped when neither is there) with the next 39 of
// them, prepared beforehand: 19,000 pairs that mostly share topic words
// and nothing else, the pairs a collection's alignment spends most of its
// time on.
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
	for k := 0; sc.Scan(); k++ {
		if k%10 != 0 {
			continue
		}
		var d struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			b.Fatal(err)
		}
		ps = append(ps, PrepareText(d.Text, tz.Tokens(d.Text, 0, nil), opt))
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		for x := range ps {
			for y := x + 1; y < min(len(ps), x+40); y++ {
				ps[x].PairPrepared(ps[y])
			}
		}
	}
}
