package token

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortHashes checks SortHashes against slices.Sort, with repeated
// hashes and hashes sharing their top halves.
func TestSortHashes(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{0, 1, 255, 256, 1000, 5000} {
		for _, share := range []int{0, 1, 100} {
			top := r.Uint64() &^ (1<<32 - 1)
			s := make([]uint64, n)
			for k := range s {
				s[k] = r.Uint64()
				if r.IntN(100) < share {
					s[k] = top | s[k]&(1<<32-1)
				}
				if k > 0 && r.IntN(5) == 0 {
					s[k] = s[r.IntN(k)]
				}
			}
			want := slices.Clone(s)
			slices.Sort(want)
			if SortHashes(s); !slices.Equal(s, want) {
				t.Fatalf("n=%d, %d%% sharing their top bits: not sorted", n, share)
			}
		}
	}
}
