package repeats

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

func byKeyThenValue(x, y rec) int {
	if c := compareRec(x, y); c != 0 {
		return c
	}
	if x.b < y.b {
		return -1
	}
	if x.b > y.b {
		return 1
	}
	return 0
}

func TestSorterSortsInMemoryAndSpilled(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, keys := range []func() uint64{
		r.Uint64, // hashes
		func() uint64 { return r.Uint64N(300)<<32 | r.Uint64N(5) }, // (document, position)
		func() uint64 { return 7 },                                 // one key
	} {
		var want []rec
		mem := newSorter(0, "", "test", 3)
		disk := newSorter(300_000*recBytes, t.TempDir(), "test", 2) // spills at 150,000 records
		for i := range 400_000 {
			x := rec{keys(), uint64(i)}
			want = append(want, x)
			mem.add(x)
			disk.add(x)
		}
		slices.SortFunc(want, byKeyThenValue)
		for _, s := range []*sorter{mem, disk} {
			var got []rec
			if err := s.each(func(x rec) error { got = append(got, x); return nil }); err != nil {
				t.Fatal(err)
			}
			if !slices.IsSortedFunc(got, compareRec) {
				t.Fatal("not sorted by key")
			}
			slices.SortFunc(got, byKeyThenValue)
			if !slices.Equal(got, want) {
				t.Fatalf("records lost or changed (%d runs)", s.nruns)
			}
		}
		if disk.nruns < 2 {
			t.Errorf("%d runs spilled, want at least 2", disk.nruns)
		}
	}
}

func BenchmarkSorter(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	src := make([]rec, 1<<21)
	for i := range src {
		src[i] = rec{r.Uint64(), uint64(i)}
	}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.SetBytes(int64(len(src) * recBytes))
			for b.Loop() {
				s := newSorter(0, "", "bench", workers)
				for _, x := range src {
					s.add(x)
				}
				s.each(func(rec) error { return nil })
			}
		})
	}
}

// BenchmarkSortLikeLSH sorts the records of BenchmarkSorter the way package
// lsh sorts its postings (slices.SortFunc by key, then value, in memory),
// for the comparison in sort.go's file comment.
func BenchmarkSortLikeLSH(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	src := make([]rec, 1<<21)
	for i := range src {
		src[i] = rec{r.Uint64(), uint64(i)}
	}
	b.SetBytes(int64(len(src) * recBytes))
	rs := make([]rec, len(src))
	for b.Loop() {
		copy(rs, src)
		slices.SortFunc(rs, byKeyThenValue)
	}
}

// A spilled run that is not what was written (cut short, out of order) is
// an error naming it, not a wrong merge.
func TestSorterDetectsDamagedRuns(t *testing.T) {
	for _, damage := range []string{"cut", "swapped"} {
		s := newSorter(2048*recBytes, t.TempDir(), "test", 1) // spills at 1,024 records
		for i := range 3000 {
			s.add(rec{uint64(i * 7919 % 3001), uint64(i)})
		}
		if len(s.runs) < 2 {
			t.Fatalf("%d runs, want at least 2", len(s.runs))
		}
		b, err := os.ReadFile(s.runs[0])
		if err != nil {
			t.Fatal(err)
		}
		switch damage {
		case "cut":
			b = b[:len(b)-recBytes]
		case "swapped":
			var x [recBytes]byte
			copy(x[:], b[:recBytes])
			copy(b[:recBytes], b[len(b)-recBytes:])
			copy(b[len(b)-recBytes:], x[:])
		}
		if err := os.WriteFile(s.runs[0], b, 0o600); err != nil {
			t.Fatal(err)
		}
		name := s.runs[0]
		err = s.each(func(rec) error { return nil })
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s run: error %v, want one naming %s", damage, err, name)
		}
	}
}
