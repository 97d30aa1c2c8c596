package align

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestBloomRate checks the filter holds what was added and passes few
// hashes it was not given: at 16 bits a hash, two bits of one word, about
// 2% (one bit a hash passed 6%).
func TestBloomRate(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 3, 100, 5000} {
		s := make([]anchorPos, n)
		for k := range s {
			s[k].h = r.Uint64()
		}
		f := newBloom(s)
		for _, a := range s {
			if !f.has(a.h) {
				t.Fatalf("n=%d: an added hash is not in the filter", n)
			}
		}
		const probes = 200000
		pass := 0
		for range probes {
			if f.has(r.Uint64()) {
				pass++
			}
		}
		if rate := float64(pass) / probes; rate > 0.03 {
			t.Errorf("n=%d: %.2f%% of absent hashes pass", n, 100*rate)
		}
	}
}

// TestSortedAnchorsTopBits checks the radix sort of the top four bytes and
// its insertion pass against a comparison sort where many hashes share
// their top 32 bits (the insertion pass's work), up to all of them (past
// its budget, the fallback's).
func TestSortedAnchorsTopBits(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{256, 1000, 5000} {
		for _, share := range []int{0, 1, 10, 50, 100} { // percent sharing one top half
			top := r.Uint64() &^ (1<<32 - 1)
			hs := make([]uint64, n)
			for k := range hs {
				hs[k] = r.Uint64()
				if r.IntN(100) < share {
					hs[k] = top | hs[k]&(1<<32-1)
				}
				if k > 0 && r.IntN(5) == 0 {
					hs[k] = hs[r.IntN(k)]
				}
			}
			got := sortedAnchors(hs)
			want := make([]anchorPos, n)
			for p, h := range hs {
				want[p] = anchorPos{h, int32(p)}
			}
			slices.SortFunc(want, func(x, y anchorPos) int {
				if x.h != y.h {
					return cmp.Compare(x.h, y.h)
				}
				return cmp.Compare(x.p, y.p)
			})
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d, %d%% sharing their top bits: the order differs from the comparison sort's", n, share)
			}
		}
	}
}

// BenchmarkSortedAnchors sorts the n-grams of a document of 1,000 words.
func BenchmarkSortedAnchors(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	hs := make([]uint64, 1000)
	for k := range hs {
		hs[k] = r.Uint64()
	}
	var tmp []anchorPos
	for b.Loop() {
		sortedAnchorsTmp(hs, &tmp)
	}
}

// TestSortHitsIsSort checks sortHits against slices.Sort on hits as pairs
// make them (a few diagonals, positions in a run, duplicates) and on
// arbitrary values, on both sides of radixHits.
func TestSortHitsIsSort(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for it := range 200 {
		n := r.IntN(4 * radixHits)
		hits := make([]uint64, n)
		for k := range hits {
			switch it % 3 {
			case 0: // a few diagonals, near positions
				hits[k] = hitKey(r.IntN(7)-3, 1000+r.IntN(3000))
			case 1: // diagonals far apart, negative ones too
				hits[k] = hitKey(r.IntN(1<<20)-1<<19, r.IntN(1<<22))
			default:
				hits[k] = r.Uint64()
			}
		}
		want := slices.Clone(hits)
		slices.Sort(want)
		sortHits(hits)
		if !slices.Equal(hits, want) {
			t.Fatalf("it %d: %d hits not sorted as slices.Sort sorts them", it, n)
		}
	}
}
