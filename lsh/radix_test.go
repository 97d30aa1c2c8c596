package lsh

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortPairsIsSort: packed pairs come out in slices.Sort's order on
// both sides of radixMin, where sortPairs hands over to internal/radix
// (which its own tests hold to slices.Sort on other values).
func TestSortPairsIsSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var scratch []uint64
	for _, n := range []int{radixMin - 1, radixMin, 50000} {
		v := make([]uint64, n)
		for i := range v {
			v[i] = Pack(uint32(r.IntN(5000)), uint32(r.IntN(5000)))
		}
		want := slices.Clone(v)
		slices.Sort(want)
		scratch = sortPairs(v, scratch)
		if !slices.Equal(v, want) {
			t.Fatalf("%d packed pairs: not sorted as slices.Sort sorts", n)
		}
	}
}

func BenchmarkSortPairs(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	v := make([]uint64, 1<<20)
	for i := range v {
		v[i] = Pack(uint32(r.IntN(1<<20)), uint32(r.IntN(1<<20)))
	}
	w := make([]uint64, len(v))
	b.Run("radix", func(b *testing.B) {
		var scratch []uint64
		for b.Loop() {
			copy(w, v)
			scratch = sortPairs(w, scratch)
		}
	})
	b.Run("pdqsort", func(b *testing.B) {
		for b.Loop() {
			copy(w, v)
			slices.Sort(w)
		}
	})
}
