package lsh

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestCandidatesShareAKey(t *testing.T) {
	var ix Index
	ix.Add(0, []uint64{1, 2, 3})
	ix.Add(1, []uint64{9, 2, 8})
	ix.Add(2, []uint64{7, 6, 3})
	ix.Add(3, []uint64{10, 11, 12})
	got := ix.Candidates(2)
	want := []uint64{Pack(0, 1), Pack(0, 2)}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestCandidatesSameForAnyWorkers(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	build := func() *Index {
		var ix Index
		for d := uint32(0); d < 3000; d++ {
			keys := make([]uint64, 8)
			for i := range keys {
				// Few distinct keys per band, so runs are long.
				keys[i] = uint64(i)<<60 | uint64(r.IntN(400))
			}
			ix.Add(d, keys)
		}
		return &ix
	}
	r = rand.New(rand.NewPCG(3, 4))
	a := build().Candidates(1)
	r = rand.New(rand.NewPCG(3, 4))
	b := build().Candidates(7)
	if len(a) == 0 || !slices.Equal(a, b) {
		t.Fatalf("1 worker: %d pairs, 7 workers: %d pairs, equal=%v", len(a), len(b), slices.Equal(a, b))
	}
	if !slices.IsSorted(a) {
		t.Fatal("not sorted")
	}
	for i := 1; i < len(a); i++ {
		if a[i] == a[i-1] {
			t.Fatal("duplicate pair")
		}
	}
}

func TestPackUnpack(t *testing.T) {
	a, b := Unpack(Pack(9, 4))
	if a != 4 || b != 9 {
		t.Fatalf("got %d,%d", a, b)
	}
}
