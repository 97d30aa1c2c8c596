package minhash

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reprint/reprint/token"
)

// sets returns two random sets with the given Jaccard similarity.
func sets(r *rand.Rand, size int, j float64) ([]uint64, []uint64) {
	// |A∩B| = c, |A| = |B| = size: J = c / (2*size - c).
	c := int(math.Round(2 * float64(size) * j / (1 + j)))
	a := make([]uint64, 0, size)
	b := make([]uint64, 0, size)
	for i := 0; i < c; i++ {
		x := r.Uint64()
		a, b = append(a, x), append(b, x)
	}
	for i := c; i < size; i++ {
		a, b = append(a, r.Uint64()), append(b, r.Uint64())
	}
	return a, b
}

func TestSignatureEstimatesJaccard(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{20, 300, 5000} {
		for _, j := range []float64{0.2, 0.5, 0.8, 0.95} {
			var sum float64
			const trials = 40
			for trial := 0; trial < trials; trial++ {
				a, b := sets(r, size, j)
				s := NewSigner(128, uint64(trial))
				sa, sb := s.Sign(a, nil), s.Sign(b, nil)
				eq := 0
				for i := range sa {
					if sa[i] == sb[i] {
						eq++
					}
				}
				sum += float64(eq) / float64(len(sa))
			}
			est := sum / trials
			if math.Abs(est-j) > 0.05 {
				t.Errorf("size %d, J %.2f: mean estimate %.3f", size, j, est)
			}
		}
	}
}

func TestSignIgnoresOrderAndDuplicates(t *testing.T) {
	s := NewSigner(64, 7)
	a := s.Sign([]uint64{1, 2, 3, 4, 5}, nil)
	b := s.Sign([]uint64{5, 4, 4, 3, 2, 1, 1}, nil)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("slot %d differs", i)
		}
	}
}

func TestSeedChangesSignature(t *testing.T) {
	a := NewSigner(64, 1).Sign([]uint64{1, 2, 3, 4, 5, 6, 7, 8}, nil)
	b := NewSigner(64, 2).Sign([]uint64{1, 2, 3, 4, 5, 6, 7, 8}, nil)
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	if same == len(a) {
		t.Fatal("seed has no effect")
	}
}

func TestBandingRecallAtThreshold(t *testing.T) {
	for _, th := range []float64{0.5, 0.7, 0.8, 0.9} {
		k := DefaultK(th)
		b := ChooseBanding(th, k)
		if b.Bands*b.Rows > k {
			t.Fatalf("t=%.1f: %d×%d exceeds K=%d", th, b.Bands, b.Rows, k)
		}
		if p := Prob(th, b.Bands, b.Rows); p < 0.99 {
			t.Errorf("t=%.1f: P(candidate) at threshold %.4f < 0.99", th, p)
		}
		if p := Prob(th/3, b.Bands, b.Rows); p > 0.4 {
			t.Errorf("t=%.1f: P(candidate) at t/3 %.4f: banding does not filter", th, p)
		}
	}
}

func TestBandKeysSeparateBands(t *testing.T) {
	sig := make([]uint32, 8) // all slots equal: bands differ only by index
	keys := BandKeys(sig, 4, 2, 0, nil)
	seen := map[uint64]bool{}
	for _, k := range keys {
		if seen[k] {
			t.Fatal("two bands share a key")
		}
		seen[k] = true
	}
}

func BenchmarkSign(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	sh, _ := sets(r, 330, 0.5)
	s := NewSigner(128, 1)
	var sig []uint32
	b.SetBytes(int64(len(sh) * 8))
	for b.Loop() {
		sig = s.Sign(sh, sig)
	}
}

// signProbing is Sign without the first-hit table: plain optimal
// densification, the reference the table must reproduce exactly.
func signProbing(s *Signer, shingles []uint64) []uint32 {
	k := uint64(s.k)
	bins := make([]uint64, s.k)
	for i := range bins {
		bins[i] = empty
	}
	for _, h := range shingles {
		x := h
		if s.seed != 0 {
			x = token.Mix(h ^ s.seed)
		}
		bin := (x >> 32) * k >> 32
		bins[bin] = min(bins[bin], x&0xFFFFFFFF)
	}
	out := make([]uint32, s.k)
	for i := range bins {
		v := bins[i]
		for attempt := uint64(1); v == empty; attempt++ {
			v = bins[probe(s.seed, i, attempt, k)]
		}
		out[i] = uint32(v)
	}
	return out
}

// Both ways of using the probe tables (smallest rank among few filled bins,
// walking the order otherwise) must give plain probing's signature, from one
// shingle to several times k, and past the tables' largest k.
func TestProbeTablesAreExact(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	sizes := []int{60, 100, 200, 400, 1000, 2000}
	for n := 1; n <= 40; n++ {
		sizes = append(sizes, n)
	}
	for _, k := range []int{8, 64, 128, 256, 512, 600} {
		for _, seed := range []uint64{0, 7} {
			s := NewSigner(k, seed)
			for _, n := range sizes {
				set := make([]uint64, n)
				for i := range set {
					set[i] = r.Uint64()
				}
				if got, want := s.Sign(set, nil), signProbing(s, set); !slices.Equal(got, want) {
					t.Fatalf("k %d seed %d, %d shingles: signatures differ", k, seed, n)
				}
			}
		}
	}
}

func BenchmarkSignShortSet(b *testing.B) {
	s := NewSigner(128, 0)
	set := []uint64{0x123456789abcdef, 0xfedcba9876543210, 0x0f0f0f0f0f0f0f0f}
	var dst []uint32
	for b.Loop() {
		dst = s.Sign(set, dst)
	}
}

func BenchmarkSignShortSetProbing(b *testing.B) {
	s := NewSigner(128, 0)
	set := []uint64{0x123456789abcdef, 0xfedcba9876543210, 0x0f0f0f0f0f0f0f0f}
	for b.Loop() {
		signProbing(s, set)
	}
}

// BenchmarkSignSizes signs sets of the sizes of a one-line description, a
// 500-byte document and a 2 KB one, where densification dominates. It
// cycles through 256 different sets of each size: with one set, the branch
// predictor learns its walks, and a benchmark would favour branchy code
// that real documents, each different, do not.
func BenchmarkSignSizes(b *testing.B) {
	for _, n := range []int{3, 11, 20, 76, 330} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, uint64(n)))
			sets := make([][]uint64, 256)
			for j := range sets {
				sets[j] = make([]uint64, n)
				for i := range sets[j] {
					sets[j][i] = r.Uint64()
				}
			}
			s := NewSigner(128, 1)
			var dst []uint32
			j := 0
			for b.Loop() {
				dst = s.Sign(sets[j&255], dst)
				j++
			}
		})
	}
}
