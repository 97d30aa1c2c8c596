package lsh

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCandidatesShareAKey(t *testing.T) {
	var ix Index
	ix.Add(0, []uint64{1, 2, 3})
	ix.Add(1, []uint64{9, 2, 8})
	ix.Add(2, []uint64{7, 6, 3})
	ix.Add(3, []uint64{10, 11, 12})
	got, _ := ix.Candidates(2)
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
	a, _ := build().Candidates(1)
	r = rand.New(rand.NewPCG(3, 4))
	b, _ := build().Candidates(7)
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

func TestSpilledCandidatesEqualInMemory(t *testing.T) {
	fill := func(ix *Index) {
		r := rand.New(rand.NewPCG(8, 9))
		for d := uint32(0); d < 5000; d++ {
			keys := make([]uint64, 6)
			for i := range keys {
				keys[i] = uint64(i)<<58 | uint64(r.IntN(3000))
			}
			ix.Add(d, keys)
		}
	}
	var mem Index
	fill(&mem)
	want, err := mem.Candidates(2)
	if err != nil || len(want) == 0 {
		t.Fatalf("in memory: %d pairs, %v", len(want), err)
	}
	dir := t.TempDir()
	disk := NewIndex(20000, dir) // about 1,250 postings a run: 24 runs
	fill(disk)
	if disk.Spilled() < 10 {
		t.Fatalf("only %d runs spilled", disk.Spilled())
	}
	got, err := disk.Candidates(2)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("spilled: %d pairs, in memory: %d", len(got), len(want))
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("%d temp files left behind", len(left))
	}
}

func TestSpillToMissingDirFails(t *testing.T) {
	ix := NewIndex(1, filepath.Join(t.TempDir(), "missing"))
	for d := uint32(0); d < 3000; d++ {
		ix.Add(d, []uint64{uint64(d)})
	}
	// After the first failed spill nothing more is held (holding on grew
	// memory past the budget and copied it on every Add).
	if n := ix.Len(); n > 1024 {
		t.Errorf("%d postings held after a failed spill, budget 1024", n)
	}
	if _, err := ix.Candidates(1); err == nil {
		t.Fatal("no error from an unwritable temp dir")
	}
}

// With MaxDF and MinShared (how anchors use the index), the in-memory and
// the spilled paths both give exactly the brute-force answer: pairs of
// documents sharing at least MinShared keys held by at most MaxDF
// documents.
func TestMaxDFMinSharedAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const docs = 400
	keys := make([][]uint64, docs)
	holders := map[uint64]map[uint32]bool{}
	for d := range keys {
		seen := map[uint64]bool{}
		for range 30 {
			k := uint64(r.IntN(2500)) << 40 // top bits vary, so partitions differ
			if !seen[k] {
				seen[k] = true
				keys[d] = append(keys[d], k)
				if holders[k] == nil {
					holders[k] = map[uint32]bool{}
				}
				holders[k][uint32(d)] = true
			}
		}
	}
	for _, c := range []struct{ maxDF, minShared int }{{0, 1}, {8, 1}, {8, 2}, {5, 3}} {
		count := map[uint64]int{}
		for _, hs := range holders {
			if c.maxDF > 0 && len(hs) > c.maxDF {
				continue
			}
			for a := range hs {
				for b := range hs {
					if a < b {
						count[Pack(a, b)]++
					}
				}
			}
		}
		var want []uint64
		for p, n := range count {
			if n >= c.minShared {
				want = append(want, p)
			}
		}
		slices.Sort(want)
		for _, budget := range []int64{0, 2000 * PostingBytes} {
			ix := NewIndex(budget, t.TempDir())
			ix.MaxDF, ix.MinShared = c.maxDF, c.minShared
			for d, ks := range keys {
				ix.Add(uint32(d), ks)
			}
			spilled := ix.Spilled()
			got, err := ix.Candidates(3)
			if err != nil {
				t.Fatal(err)
			}
			if budget > 0 && spilled == 0 {
				t.Fatalf("budget %d did not spill", budget)
			}
			if !slices.Equal(got, want) {
				t.Errorf("maxDF %d minShared %d budget %d: %d pairs, want %d", c.maxDF, c.minShared, budget, len(got), len(want))
			}
		}
	}
}

// A spilled run changed on disk between spill and merge (cut short by a
// whole record, or reordered) is an error naming it, not a wrong result.
func TestDamagedRunIsAnError(t *testing.T) {
	for _, damage := range []string{"cut", "swap"} {
		dir := t.TempDir()
		ix := NewIndex(1, dir)
		for d := uint32(0); d < 3000; d++ {
			ix.Add(d, []uint64{uint64(d % 500), uint64(d%700) << 20})
		}
		if ix.Spilled() == 0 {
			t.Fatal("nothing spilled")
		}
		run := ix.runs[0]
		b, err := os.ReadFile(run)
		if err != nil {
			t.Fatal(err)
		}
		switch damage {
		case "cut":
			b = b[:len(b)-12]
		case "swap": // the first and last postings change places
			first := slices.Clone(b[:12])
			copy(b[:12], b[len(b)-12:])
			copy(b[len(b)-12:], first)
		}
		os.WriteFile(run, b, 0o600)
		_, err = ix.Candidates(2)
		if err == nil || !strings.Contains(err.Error(), run) {
			t.Errorf("%s run: error %v, want one naming %s", damage, err, run)
		}
	}
}

// TestGroupPostings checks that grouping keeps every posting and puts
// equal keys next to each other: small and large partitions, keys that
// share the bucket bits, repeated keys, documents in order and not.
func TestGroupPostings(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var g grouper // reused, as a worker does: nothing may carry over
	for _, n := range []int{0, 10, 255, 256, 3000, 70000} {
		for _, crowded := range []bool{false, true} {
			ps := make([]Posting, n)
			for k := range ps {
				key := 7<<58 | r.Uint64()>>6
				if crowded {
					key &^= 0xFFFF << 40 // every key in one bucket
				}
				ps[k] = Posting{Key: key, Doc: uint32(r.IntN(50))}
				if k > 0 && r.IntN(4) == 0 {
					ps[k].Key = ps[r.IntN(k)].Key
				}
			}
			want := slices.Clone(ps)
			sortPostings(want)
			got := slices.Clone(g.group(ps))
			seen := map[uint64]bool{}
			for i := range got {
				if i > 0 && got[i].Key != got[i-1].Key {
					if seen[got[i].Key] {
						t.Fatalf("n=%d crowded %v: key %x in two places", n, crowded, got[i].Key)
					}
				}
				seen[got[i].Key] = true
			}
			sortPostings(got)
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d crowded %v: grouping lost or changed postings", n, crowded)
			}
		}
	}
}

// mergeCounted cuts the value range into pieces counted apart; a value's
// occurrences in different lists must still be counted together, whatever
// the number of workers, also where one value fills most of the lists (the
// cuts coincide) and where lists are empty or hold 0.
func TestMergeCountedPiecesCountTogether(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for it := range 40 {
		lists := make([][]uint64, 1+r.IntN(300))
		spread := uint64(1 + r.IntN(20000))
		for k := range lists {
			n := r.IntN(200)
			if k%7 == 0 {
				n = 0
			}
			for range n {
				v := r.Uint64N(spread)
				if it%5 == 0 && r.IntN(2) == 0 {
					v = 42 // one value in half the postings
				}
				lists[k] = append(lists[k], v)
			}
			slices.Sort(lists[k])
		}
		for _, min := range []int{1, 2, 3} {
			want := countSorted(slices.Concat(lists...), min)
			for _, w := range []int{1, 2, 5} {
				if got := mergeCounted(lists, min, w); !slices.Equal(got, want) {
					t.Fatalf("it %d, min %d, %d workers: %d values, want %d", it, min, w, len(got), len(want))
				}
			}
		}
	}
}
