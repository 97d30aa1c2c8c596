package lsh

// Fuzz targets for the spill files: runs of postings (Index past its
// budget) and runs of (pair, count) (pairSink past its budget). Postings
// and pairs come from the fuzzer's bytes, drawn from few keys and few
// documents so that runs of equal keys are long, and the budget is tiny so
// that every input spills. Untouched, the spilled result must equal the
// in-memory one and a direct count (the round trip through disk); with a
// run truncated, extended, flipped or deleted between spill and merge, the
// merge must not panic, must report a run whose length is not a whole
// number of records, must still return sorted unique pairs, and must leave
// no run on disk. The seeds run with go test; fuzz for minutes with
//
//	nice -n 19 go test -run NONE -fuzz FuzzPostingRuns -fuzztime 2m -parallel 1 ./lsh

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// fuzzPostings turns each 3 bytes of data into one posting: 24 documents,
// 32 keys spread over 4 partitions.
func fuzzPostings(data []byte) []Posting {
	var ps []Posting
	for i := 0; i+3 <= len(data); i += 3 {
		ps = append(ps, Posting{Key: uint64(data[i+1]%4)<<62 | uint64(data[i+2]%8), Doc: uint32(data[i] % 24)})
	}
	return ps
}

// countPairs is the definition Candidates implements: for each key held by
// at most maxDF postings (any number when maxDF is 0), every two postings
// of different documents count once for their pair; a pair is a candidate
// when its count reaches minShared.
func countPairs(ps []Posting, maxDF, minShared int) []uint64 {
	byKey := map[uint64][]uint32{}
	for _, p := range ps {
		byKey[p.Key] = append(byKey[p.Key], p.Doc)
	}
	count := map[uint64]int{}
	for _, docs := range byKey {
		if maxDF > 0 && len(docs) > maxDF {
			continue
		}
		for x := range docs {
			for y := x + 1; y < len(docs); y++ {
				if docs[x] != docs[y] {
					count[Pack(docs[x], docs[y])]++
				}
			}
		}
	}
	var out []uint64
	for p, n := range count {
		if n >= max(minShared, 1) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// corruption is what a fuzz input does to one spilled run.
type corruption struct {
	mode uint8  // 0: nothing; 1: truncate; 2: append bytes; 3: flip a byte; 4: delete
	at   uint16 // where (taken modulo the run's size)
}

// apply corrupts the run file name and reports whether the merge must fail:
// when the run is gone or its length is not a whole number of records.
func (c corruption) apply(t *testing.T, name string, recSize int) (mustFail bool) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	switch c.mode % 5 {
	case 0:
		return false
	case 1:
		b = b[:int(c.at)%(len(b)+1)]
	case 2:
		b = append(b, make([]byte, 1+int(c.at)%(2*recSize))...)
	case 3:
		if len(b) == 0 {
			return false
		}
		b[int(c.at)%len(b)] ^= 1 << (c.at >> 13)
	case 4:
		if err := os.Remove(name); err != nil {
			t.Fatal(err)
		}
		return true
	}
	if err := os.WriteFile(name, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return len(b)%recSize != 0
}

// checkPairs fails unless pairs are sorted, unique, and each of two
// different documents, smaller first.
func checkPairs(t *testing.T, pairs []uint64) {
	t.Helper()
	for i, p := range pairs {
		if a, b := Unpack(p); a >= b || i > 0 && p <= pairs[i-1] {
			t.Fatalf("pair %d (%d,%d) out of order or not two documents", i, a, b)
		}
	}
}

// checkEmpty fails if dir holds a file.
func checkEmpty(t *testing.T, dir string) {
	t.Helper()
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Fatalf("%d files left in the spill folder, first %s", len(left), left[0].Name())
	}
}

// checkRunError fails unless err says it is this package's and which run
// it was reading.
func checkRunError(t *testing.T, err error, run string) {
	t.Helper()
	if !strings.HasPrefix(err.Error(), "lsh: ") || !strings.Contains(err.Error(), run) {
		t.Fatalf("error %q does not name the run %s", err, run)
	}
}

// FuzzPostingRuns adds postings to an Index with a tiny budget, optionally
// corrupts one spilled run, and merges.
func FuzzPostingRuns(f *testing.F) {
	f.Add([]byte("abcabcabdxyzxyzxy0a0b0c0d"), uint8(2), uint8(0), uint8(0), uint8(0), uint8(0), uint16(0))
	f.Add([]byte("\x00\x00\x00\x01\x00\x00\x02\x00\x00\x03\x00\x00\x00\x00\x01\x01\x00\x01"), uint8(1), uint8(3), uint8(2), uint8(0), uint8(1), uint16(30))
	f.Add([]byte(strings.Repeat("q\x01\x05r\x01\x05s\x02\x06", 9)), uint8(4), uint8(0), uint8(1), uint8(1), uint8(2), uint16(5))
	f.Add([]byte(strings.Repeat("0123456789", 12)), uint8(5), uint8(5), uint8(2), uint8(2), uint8(3), uint16(17|3<<13))
	f.Add([]byte(strings.Repeat("zyxwvu", 20)), uint8(3), uint8(0), uint8(0), uint8(0), uint8(4), uint16(0))
	f.Fuzz(func(t *testing.T, data []byte, budget, maxDF, minShared, which, mode uint8, at uint16) {
		ps := fuzzPostings(data)
		dir := t.TempDir()
		ix := NewIndex(1, dir)
		ix.budget = 1 + int(budget%16) // below NewIndex's floor: spill with a few postings
		ix.MaxDF, ix.MinShared = int(maxDF%8), int(minShared%4)
		var mem Index
		mem.MaxDF, mem.MinShared = ix.MaxDF, ix.MinShared
		for _, p := range ps {
			ix.Add(p.Doc, []uint64{p.Key})
			mem.Add(p.Doc, []uint64{p.Key})
		}
		if want := len(ps) / ix.budget; ix.Spilled() != want {
			t.Fatalf("%d postings, budget %d: %d runs, want %d", len(ps), ix.budget, ix.Spilled(), want)
		}
		c := corruption{mode: mode, at: at}
		if len(ix.runs) == 0 {
			c.mode = 0
		}
		var run string
		mustFail := false
		if c.mode%5 != 0 {
			run = ix.runs[int(which)%len(ix.runs)]
			mustFail = c.apply(t, run, 12)
		}
		got, err := ix.Candidates(1)
		checkEmpty(t, dir)
		if err != nil {
			if c.mode%5 == 0 {
				t.Fatalf("untouched runs: %v", err)
			}
			checkRunError(t, err, run)
			return
		}
		if mustFail {
			t.Fatalf("run %s corrupted (mode %d at %d) but the merge returned %d pairs and no error", run, c.mode%5, at, len(got))
		}
		checkPairs(t, got)
		if c.mode%5 != 0 {
			return // a flipped byte may change any result; it only must not crash
		}
		want := countPairs(ps, ix.MaxDF, ix.MinShared)
		inMem, _ := mem.Candidates(3)
		if !slices.Equal(got, want) || !slices.Equal(inMem, want) {
			t.Fatalf("spilled %d pairs, in memory %d, counted %d", len(got), len(inMem), len(want))
		}
	})
}

// FuzzPairRuns adds pairs (each 2 bytes: two of 16 documents) to a
// pairSink with a tiny budget, optionally corrupts one spilled run of
// (pair, count), and merges.
func FuzzPairRuns(f *testing.F) {
	f.Add([]byte("abcdabcdabefab"), uint8(2), uint8(0), uint8(0), uint8(0), uint16(0))
	f.Add([]byte(strings.Repeat("\x01\x02\x01\x03\x02\x03", 7)), uint8(3), uint8(2), uint8(1), uint8(1), uint16(25))
	f.Add([]byte(strings.Repeat("0123456789", 6)), uint8(4), uint8(1), uint8(0), uint8(2), uint16(3))
	f.Add([]byte(strings.Repeat("zz", 30)), uint8(1), uint8(3), uint8(2), uint8(3), uint16(9|7<<13))
	f.Add([]byte(strings.Repeat("qrst", 10)), uint8(5), uint8(0), uint8(0), uint8(4), uint16(0))
	f.Fuzz(func(t *testing.T, data []byte, budget, minShared, which, mode uint8, at uint16) {
		dir := t.TempDir()
		s := pairSink{budget: 1 + int(budget%16), dir: dir, minShared: 1 + int(minShared%4)}
		count := map[uint64]int{}
		for i := 0; i+2 <= len(data); i += 2 {
			a, b := uint32(data[i]%16), uint32(data[i+1]%16)
			if a == b {
				continue // the index never pairs a document with itself
			}
			s.add(Pack(a, b))
			count[Pack(a, b)]++
		}
		if s.err != nil {
			t.Fatal(s.err)
		}
		c := corruption{mode: mode, at: at}
		if len(s.runs) == 0 {
			c.mode = 0
		}
		var run string
		mustFail := false
		if c.mode%5 != 0 {
			run = s.runs[int(which)%len(s.runs)]
			mustFail = c.apply(t, run, 12)
		}
		got, err := s.result()
		s.remove()
		checkEmpty(t, dir)
		if err != nil {
			if c.mode%5 == 0 {
				t.Fatalf("untouched runs: %v", err)
			}
			checkRunError(t, err, run)
			return
		}
		if mustFail {
			t.Fatalf("run %s corrupted (mode %d at %d) but the merge returned %d pairs and no error", run, c.mode%5, at, len(got))
		}
		if c.mode%5 != 0 {
			return // a flipped byte may give any list; it only must not crash
		}
		checkPairs(t, got)
		var want []uint64
		for p, n := range count {
			if n >= s.minShared {
				want = append(want, p)
			}
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("merged %d pairs, counted %d", len(got), len(want))
		}
	})
}
