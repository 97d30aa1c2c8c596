package lsh

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
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
	if _, err := ix.Candidates(1); err == nil {
		t.Fatal("no error from an unwritable temp dir")
	}
}
