// The budgeted sort of fixed-size records that both stages run on: records
// are buffered up to a budget, sorted and written to a temporary file as
// one run; at the end the runs are merged (internal/runs) and handed to the
// caller in order, exactly as the in-memory path hands over one sorted
// slice, so both paths give the same stream and the same output. This is
// the shape of lsh's spill (lsh/spill.go) for records that carry a
// position as well as a document.
//
// Why not lsh's (the architecture's one sort-spill-merge): lsh.Index
// holds (key, document) postings with no room for a position, and reads
// each run of equal keys off as document pairs, m(m-1)/2 for a key held m
// times (the BSD disclaimer's 511 copies in the Debian changelogs would make
// 130,305 pairs for each of its windows, where repeats needs the 511
// places); and it sorts with slices.SortFunc by key and document, which on
// the 2 M random records of BenchmarkSorter runs at 124 MB/s on one core
// (BenchmarkSortLikeLSH) against 373 MB/s for the radix sort here (the same
// run, 2026-12-01, 2 cores shared). Moving repeats onto lsh would need a
// record type, a group reader and this radix sort added to lsh, and its
// postings' disk format (12 bytes) changed or duplicated; not done, as
// lsh's callers (pairs, reuse) must stay byte-identical and are others'
// work in progress.
//
// Records are buffered in chunks of 64K, so the buffer never grows by
// copying. Sorting scatters the chunks into one array by the top bits of
// key-min (256 buckets; a chunk is freed once scattered), then radix sorts
// the buckets byte by byte on all workers, each with a scratch buffer of
// one bucket. The buffer and the array are both held only during the
// scatter, so the budget is for both.
//
// A record costs 16 bytes in memory and on disk. Not done: compression of
// runs and a multi-level merge (a thousand runs is within the usual limit
// on open files, and with a 16 MiB budget a run holds half a million
// records).

package repeats

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"sync"

	"github.com/reprint/reprint/internal/runs"
)

// rec is one record: a sort key and a value.
type rec struct{ a, b uint64 }

// recBytes is the memory and disk cost of one record.
const recBytes = 16

// chunkRecs is the number of records of one buffer chunk (1 MiB).
const chunkRecs = 1 << 16

// compareRec orders records by key. Ties need no order: the window
// stage reads a run of equal hashes as a set, and removed windows have
// unique keys.
func compareRec(x, y rec) int { return cmp.Compare(x.a, y.a) }

// sorter sorts records within a memory budget, spilling sorted runs.
type sorter struct {
	budget  int    // records held before a spill (half the memory: see the file comment); 0: no limit
	workers int    // goroutines that sort
	dir     string // where runs go
	name    string // what the records are, for temporary file names and errors
	chunks  [][]rec
	held    int    // records in chunks
	lo, hi  uint64 // smallest and largest key held
	runs    []string
	counts  []int // records written to each run
	nruns   int   // runs written, kept after the runs are removed
	err     error
}

func newSorter(memBytes int64, dir, name string, workers int) *sorter {
	s := &sorter{dir: dir, name: name, workers: max(workers, 1), lo: math.MaxUint64}
	if memBytes > 0 {
		s.budget = max(int(memBytes/recBytes/2), 1024)
	}
	return s
}

func (s *sorter) add(r rec) {
	if s.err != nil {
		return
	}
	k := len(s.chunks) - 1
	if k < 0 || len(s.chunks[k]) == cap(s.chunks[k]) {
		size := chunkRecs
		if s.budget > 0 {
			size = min(size, s.budget)
		}
		s.chunks = append(s.chunks, make([]rec, 0, size))
		k++
	}
	s.chunks[k] = append(s.chunks[k], r)
	s.held++
	s.lo, s.hi = min(s.lo, r.a), max(s.hi, r.a)
	if s.budget > 0 && s.held >= s.budget {
		s.err = s.spill()
	}
}

// sorted returns the held records sorted, and empties the buffer.
func (s *sorter) sorted() []rec {
	n, lo, hi := s.held, s.lo, s.hi
	chunks := s.chunks
	s.chunks, s.held, s.lo, s.hi = nil, 0, math.MaxUint64, 0
	if n == 0 {
		return nil
	}
	shift := uint(0)
	for (hi-lo)>>shift > 255 {
		shift++
	}
	var start [257]int
	for _, c := range chunks {
		for _, r := range c {
			start[(r.a-lo)>>shift+1]++
		}
	}
	for i := range 256 {
		start[i+1] += start[i]
	}
	out := make([]rec, n)
	next := start
	for i, c := range chunks {
		for _, r := range c {
			b := (r.a - lo) >> shift
			out[next[b]] = r
			next[b]++
		}
		chunks[i] = nil // free as we go
	}
	var wg sync.WaitGroup
	jobs := make(chan int, 256)
	for b := range 256 {
		jobs <- b
	}
	close(jobs)
	for range s.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var tmp []rec
			for b := range jobs {
				tmp = radixSort(out[start[b]:start[b+1]], tmp, lo)
			}
		}()
	}
	wg.Wait()
	return out
}

// radixSort sorts rs by key-lo (the order of key, as lo is at most every
// key), least significant byte first, with tmp as scratch; bytes on which
// all records agree (the top ones, within a bucket) cost one counting
// pass and no moves. It returns the scratch buffer for reuse.
func radixSort(rs, tmp []rec, lo uint64) []rec {
	if len(rs) < 64 {
		slices.SortFunc(rs, compareRec)
		return tmp
	}
	if cap(tmp) < len(rs) {
		tmp = make([]rec, len(rs))
	}
	tmp = tmp[:len(rs)]
	src, dst := rs, tmp
	for sh := uint(0); sh < 64; sh += 8 {
		var count [256]int
		for _, r := range src {
			count[byte((r.a-lo)>>sh)]++
		}
		if count[byte((src[0].a-lo)>>sh)] == len(src) {
			continue // every record has this byte
		}
		pos := 0
		for i, c := range count {
			count[i] = pos
			pos += c
		}
		for _, r := range src {
			d := byte((r.a - lo) >> sh)
			dst[count[d]] = r
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &rs[0] {
		copy(rs, src)
	}
	return tmp
}

// spill sorts the buffer and writes it as one run.
func (s *sorter) spill() error {
	if s.held == 0 {
		return nil
	}
	rs := s.sorted()
	f, err := os.CreateTemp(s.dir, "reprint-"+s.name+"-*")
	if err != nil {
		return fmt.Errorf("repeats: spilling %s: %w", s.name, err)
	}
	s.runs = append(s.runs, f.Name())
	s.counts = append(s.counts, len(rs))
	s.nruns++
	w := bufio.NewWriterSize(f, 1<<20)
	var b [recBytes]byte
	for _, r := range rs {
		binary.LittleEndian.PutUint64(b[:8], r.a)
		binary.LittleEndian.PutUint64(b[8:], r.b)
		w.Write(b[:])
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		return fmt.Errorf("repeats: spilling %s: %w", s.name, err)
	}
	return nil
}

// remove deletes the run files.
func (s *sorter) remove() {
	for _, r := range s.runs {
		os.Remove(r)
	}
	s.runs, s.counts = nil, nil
}

// each calls fn with every record in sorted order and empties the sorter.
func (s *sorter) each(fn func(rec) error) error {
	defer s.remove()
	if s.err != nil {
		return s.err
	}
	if len(s.runs) == 0 {
		for _, r := range s.sorted() {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
	if err := s.spill(); err != nil {
		return err
	}
	// Runs are sorted by key alone (compareRec), so that is the order the
	// merge checks and keeps; ties come out in an order fixed by the runs.
	return runs.Merge("repeats", s.runs, s.counts, recBytes, func(a, b []byte) bool {
		return binary.LittleEndian.Uint64(a[:8]) < binary.LittleEndian.Uint64(b[:8])
	}, func(b []byte) error { return fn(decodeRec(b)) })
}

// decodeRec reads a record as the spill wrote it.
func decodeRec(b []byte) rec {
	return rec{binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])}
}

// groups is each for records grouped by their first field: fn gets the
// second fields of every run of equal first fields, in order (the slice is
// reused after fn returns).
func (s *sorter) groups(fn func(group []uint64) error) error {
	var group []uint64
	var key uint64
	err := s.each(func(r rec) error {
		if len(group) > 0 && r.a != key {
			if err := fn(group); err != nil {
				return err
			}
			group = group[:0]
		}
		key = r.a
		group = append(group, r.b)
		return nil
	})
	if err == nil && len(group) > 0 {
		err = fn(group)
	}
	return err
}

// regroup runs fn on every group of s (see groups), fn adding records to
// out, and returns out; on an error, of either sorter, it removes out.
func (s *sorter) regroup(out *sorter, fn func(group []uint64)) (*sorter, error) {
	err := s.groups(func(group []uint64) error {
		fn(group)
		return out.err
	})
	if err == nil {
		err = out.err
	}
	if err != nil {
		out.remove()
		return nil, err
	}
	return out, nil
}
