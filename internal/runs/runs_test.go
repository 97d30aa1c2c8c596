package runs

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func less(a, b []byte) bool { return binary.BigEndian.Uint64(a) < binary.BigEndian.Uint64(b) }

// writeRuns writes k sorted runs of random 8-byte keys and returns them
// with every key written.
func writeRuns(t *testing.T, k int, r *rand.Rand) (names []string, counts []int, all []uint64) {
	dir := t.TempDir()
	for i := 0; i < k; i++ {
		keys := make([]uint64, r.IntN(300))
		for j := range keys {
			keys[j] = r.Uint64N(500) // repeats within and across runs
		}
		slices.Sort(keys)
		var b []byte
		for _, x := range keys {
			b = binary.BigEndian.AppendUint64(b, x)
		}
		name := filepath.Join(dir, fmt.Sprintf("run%d", i))
		if err := os.WriteFile(name, b, 0o600); err != nil {
			t.Fatal(err)
		}
		names, counts, all = append(names, name), append(counts, len(keys)), append(all, keys...)
	}
	slices.Sort(all)
	return names, counts, all
}

func TestMergeIsSortedUnion(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, k := range []int{0, 1, 2, 7, 40} {
		names, counts, want := writeRuns(t, k, r)
		var got []uint64
		if err := Merge("test", names, counts, 8, less, func(rec []byte) error {
			got = append(got, binary.BigEndian.Uint64(rec))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%d runs: merged %d records, not the sorted %d written", k, len(got), len(want))
		}
	}
}

// A run that is not what was written is an error naming it, not a merge.
func TestDamagedRunIsAnError(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, damage := range []string{"cut", "grown", "swapped", "partial record"} {
		names, counts, _ := writeRuns(t, 3, r)
		for counts[1] < 2 {
			names, counts, _ = writeRuns(t, 3, r)
		}
		b, err := os.ReadFile(names[1])
		if err != nil {
			t.Fatal(err)
		}
		switch damage {
		case "cut":
			b = b[:len(b)-8]
		case "grown":
			b = append(b, b[len(b)-8:]...)
		case "swapped":
			first := slices.Clone(b[:8])
			copy(b, b[len(b)-8:])
			copy(b[len(b)-8:], first)
			if slices.Equal(b[:8], first) { // equal keys: swapping changes nothing
				b[len(b)-1] = 0
				b[len(b)-2] = 0
			}
		case "partial record":
			b = b[:len(b)-3]
		}
		if err := os.WriteFile(names[1], b, 0o600); err != nil {
			t.Fatal(err)
		}
		err = Merge("test", names, counts, 8, less, func([]byte) error { return nil })
		if err == nil || !strings.Contains(err.Error(), names[1]) || !strings.HasPrefix(err.Error(), "test: ") {
			t.Errorf("%s run: error %v, want one naming %s", damage, err, names[1])
		}
	}
}

func TestEmitErrorStopsTheMerge(t *testing.T) {
	names, counts, all := writeRuns(t, 4, rand.New(rand.NewPCG(5, 6)))
	stop := errors.New("stop")
	n := 0
	err := Merge("test", names, counts, 8, less, func([]byte) error {
		if n++; n == len(all)/2 {
			return stop
		}
		return nil
	})
	if err != stop || n != len(all)/2 {
		t.Fatalf("error %v after %d records, want stop after %d", err, n, len(all)/2)
	}
	if err := Merge("test", []string{filepath.Join(t.TempDir(), "missing")}, []int{1}, 8, less, func([]byte) error { return nil }); err == nil {
		t.Fatal("a missing run merged")
	}
}
