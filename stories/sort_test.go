package stories

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// The hand-written sorts and the selection give slices.SortFunc's order
// with byHash and byWeight, on vectors of every length up to a few
// hundred terms, with tied weights.
func TestSortsMatchSortFunc(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 300; n++ {
		for rep := 0; rep < 3; rep++ {
			v := make([]term, n)
			seen := map[uint64]bool{}
			for i := range v {
				h := rng.Uint64() >> uint(rng.IntN(60))
				for seen[h] {
					h++
				}
				seen[h] = true
				v[i] = term{h: h, w: float32(rng.IntN(1 + n/4))}
			}
			want := slices.Clone(v)
			slices.SortFunc(want, byHash)
			got := slices.Clone(v)
			sortByHash(got)
			if !slices.Equal(got, want) {
				t.Fatalf("sortByHash of %d terms differs", n)
			}
			slices.SortFunc(want, byWeight)
			got = slices.Clone(v)
			sortByWeight(got)
			if !slices.Equal(got, want) {
				t.Fatalf("sortByWeight of %d terms differs", n)
			}
			for _, k := range []int{0, 1, 12, 48, n / 2, n - 1, n} {
				if k < 0 || k > n {
					continue
				}
				got = slices.Clone(v)
				heaviest(got, k)
				top := slices.Clone(got[:k])
				slices.SortFunc(top, byWeight)
				if !slices.Equal(top, want[:k]) {
					t.Fatalf("heaviest %d of %d: %v, want %v", k, n, top, want[:k])
				}
				rest := slices.Clone(got)
				slices.SortFunc(rest, byWeight)
				if !slices.Equal(rest, want) {
					t.Fatalf("heaviest %d of %d lost or duplicated terms", k, n)
				}
			}
		}
	}
}

// dfEntry.before orders forms as < does, prefix keys or not: strings
// shorter and longer than the key, sharing it, and with zero bytes.
func TestFormBeforeMatchesLess(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := "\x00aAbB\xc3\xa9"
	word := func() string {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	for i := 0; i < 200000; i++ {
		a, b := word(), word()
		if rng.IntN(4) == 0 {
			b = a + b[:min(len(b), 2)]
		}
		var e dfEntry
		e.setForm(b)
		if got, want := e.before(a, formKey(a)), a < b; got != want {
			t.Fatalf("before(%q, %q) = %v, want %v", a, b, got, want)
		}
	}
}
