package repeats

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSortRecsMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, keys := range []func() uint64{
		r.Uint64, // hashes
		func() uint64 { return r.Uint64N(300) << 32 }, // few documents, position 0
		func() uint64 { return 7 },                    // one key
	} {
		rs := make([]rec, 50000)
		for i := range rs {
			rs[i] = rec{keys(), uint64(i)}
		}
		want := slices.Clone(rs)
		slices.SortStableFunc(want, compareRec)
		sortRecs(rs, 3)
		if !slices.IsSortedFunc(rs, compareRec) {
			t.Fatal("not sorted")
		}
		// The same multiset of records.
		got := slices.Clone(rs)
		slices.SortFunc(got, func(x, y rec) int {
			if c := compareRec(x, y); c != 0 {
				return c
			}
			return int(x.b) - int(y.b)
		})
		slices.SortFunc(want, func(x, y rec) int {
			if c := compareRec(x, y); c != 0 {
				return c
			}
			return int(x.b) - int(y.b)
		})
		if !slices.Equal(got, want) {
			t.Fatal("records lost or changed")
		}
	}
}

func BenchmarkSortRecs(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	src := make([]rec, 1<<20)
	for i := range src {
		src[i] = rec{r.Uint64(), uint64(i)}
	}
	rs := make([]rec, len(src))
	b.SetBytes(int64(len(src) * recBytes))
	for b.Loop() {
		copy(rs, src)
		sortRecs(rs, 2)
	}
}

func BenchmarkSortFunc(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	src := make([]rec, 1<<20)
	for i := range src {
		src[i] = rec{r.Uint64(), uint64(i)}
	}
	rs := make([]rec, len(src))
	b.SetBytes(int64(len(src) * recBytes))
	for b.Loop() {
		copy(rs, src)
		slices.SortFunc(rs, compareRec)
	}
}
