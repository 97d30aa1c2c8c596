package radix

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortIsSort: Sort gives slices.Sort's order when most digits are
// shared, when none is, on runs of equal values, with only the top digit
// varying, and on inputs too short to sort.
func TestSortIsSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	gens := map[string]func() uint64{
		"packed":  func() uint64 { return uint64(r.IntN(5000))<<32 | uint64(r.IntN(5000)) },
		"uniform": r.Uint64,
		"repeats": func() uint64 { return uint64(r.IntN(3))<<32 | uint64(r.IntN(3)) },
		"high":    func() uint64 { return uint64(r.IntN(4)) << 60 },
		"same":    func() uint64 { return 42 },
	}
	var scratch []uint64
	for name, gen := range gens {
		for _, n := range []int{0, 1, 2, 3, 100, 5000} {
			v := make([]uint64, n)
			for i := range v {
				v[i] = gen()
			}
			want := slices.Clone(v)
			slices.Sort(want)
			scratch = Sort(v, scratch)
			if !slices.Equal(v, want) {
				t.Fatalf("%s, %d values: not sorted as slices.Sort sorts", name, n)
			}
		}
	}
}
