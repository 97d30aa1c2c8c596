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
	s := newDFSketch(0)
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

// TestDFSketchFull: rows held to a budget stop growing, and once they
// would have to grow past it the sketch says it is full.
func TestDFSketchFull(t *testing.T) {
	s := newDFSketch(1 << 16) // two rows of 2^15
	if s.lg > 15 || s.maxLg != 15 {
		t.Fatalf("rows of 2^%d, at most 2^%d, for a budget of 64 KiB", s.lg, s.maxLg)
	}
	keys := make([]uint64, 1<<14)
	for k := range keys {
		keys[k] = uint64(k) * 0x9E3779B97F4A7C15
	}
	for range 2 {
		s.add(keys)
		if s.full {
			t.Fatalf("full at %d postings, %d counters a row", s.n, 1<<s.lg)
		}
	}
	if s.lg != 15 {
		t.Fatalf("rows of 2^%d for %d postings", s.lg, s.n)
	}
	s.add(keys)
	if !s.full {
		t.Errorf("%d postings for rows of at most 2^15: not full", s.n)
	}
}
