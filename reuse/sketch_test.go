package reuse

import (
	"math/rand/v2"
	"testing"
)

// TestDFSketchUpperBound: a key's count is never below the documents
// that hold it, also across the rows' doubling, and it tells rare keys
// (in at most 64 documents, reuse's MaxDF) from common ones for nearly
// every key.
func TestDFSketchUpperBound(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	s := newDFSketch()
	df := map[uint64]int{}
	keys := make([]uint64, 5000)
	for k := range keys {
		keys[k] = r.Uint64()
	}
	startLg := s.lg
	for doc := 0; doc < 300; doc++ {
		seen := map[uint64]bool{}
		var ks []uint64
		for range 4000 {
			// A few keys common to many documents, most rare.
			k := keys[r.IntN(len(keys))]
			if r.IntN(4) > 0 {
				k = r.Uint64()
			}
			if !seen[k] {
				seen[k] = true
				ks = append(ks, k)
				df[k]++
			}
		}
		s.add(ks)
	}
	if s.lg == startLg {
		t.Fatalf("1.2M postings did not grow rows of 2^%d", s.lg)
	}
	right := 0
	for k, n := range df {
		c := s.count(k)
		if c < min(n, 255) {
			t.Fatalf("key %x: count %d below its document frequency %d", k, c, n)
		}
		if (c <= 64) == (n <= 64) {
			right++
		}
	}
	if right < len(df)*999/1000 {
		t.Errorf("%d of %d keys taken for common or rare wrongly", len(df)-right, len(df))
	}
}
