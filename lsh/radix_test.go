package lsh

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortPairsIsSort: the radix sort gives slices.Sort's order on packed
// pairs of a small collection (most digits shared), on uniform values (no
// digit shared), on runs of equal values, and around the size where it
// takes over from pdqsort.
func TestSortPairsIsSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	gens := map[string]func() uint64{
		"packed":  func() uint64 { return Pack(uint32(r.IntN(5000)), uint32(r.IntN(5000))) },
		"uniform": r.Uint64,
		"repeats": func() uint64 { return Pack(uint32(r.IntN(3)), uint32(r.IntN(3))) },
		"high":    func() uint64 { return uint64(r.IntN(4)) << 60 },
	}
	var scratch []uint64
	for name, gen := range gens {
		for _, n := range []int{0, 1, radixMin - 1, radixMin, radixMin + 1, 50000} {
			v := make([]uint64, n)
			for i := range v {
				v[i] = gen()
			}
			want := slices.Clone(v)
			slices.Sort(want)
			scratch = sortPairs(v, scratch)
			if !slices.Equal(v, want) {
				t.Fatalf("%s, %d values: not sorted as slices.Sort sorts", name, n)
			}
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
