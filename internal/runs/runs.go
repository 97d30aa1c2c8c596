// Package runs merges the sorted runs that a sort under a memory budget
// spills to disk: files of fixed-size records, each sorted, read back
// together in one pass through a heap of their next records.
//
// It serves every spill of the tree (the band-key and anchor postings of
// lsh, the pairs they count, and the windows of repeats), so that reading
// runs back, and checking them, is written once. Each run is checked to be
// what was written: as many records as were counted into it, in order. A
// run cut short by whole records, grown, or changed on disk would otherwise
// merge silently into a wrong result; instead the merge stops with an
// error naming the file.
//
// Costs: one buffered sequential read of every run, and O(log k)
// comparisons a record for k runs. Records are handed out as byte slices
// so that callers decode only what they use; decoding the key once a
// comparison is cheap next to the read.
package runs

import (
	"bufio"
	"container/heap"
	"fmt"
	"io"
	"os"
)

// Merge reads the files names[i], each holding counts[i] records of size
// bytes in the order less defines, and calls emit with every record of all
// of them in that order (the slice is valid until emit returns). what names
// the caller in errors ("lsh", "repeats"). It stops at the first error of
// emit or of a run.
func Merge(what string, names []string, counts []int, size int, less func(a, b []byte) bool, emit func(rec []byte) error) error {
	h := &readers{less: less}
	for i, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("%s: reading a spilled run: %w", what, err)
		}
		defer f.Close()
		r := &reader{what: what, r: bufio.NewReaderSize(f, 64<<10), name: name, cur: make([]byte, size), prev: make([]byte, size), want: counts[i]}
		ok, err := r.next(less)
		if err != nil {
			return err
		}
		if ok {
			h.rs = append(h.rs, r)
		}
	}
	heap.Init(h)
	for len(h.rs) > 0 {
		r := h.rs[0]
		if err := emit(r.cur); err != nil {
			return err
		}
		ok, err := r.next(less)
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(h, 0)
		} else {
			heap.Pop(h)
		}
	}
	return nil
}

// reader is one run being read back.
type reader struct {
	what      string
	r         *bufio.Reader
	name      string
	cur, prev []byte
	n, want   int
}

// next reads the run's next record into cur; false at its end.
func (r *reader) next(less func(a, b []byte) bool) (bool, error) {
	r.cur, r.prev = r.prev, r.cur
	if _, err := io.ReadFull(r.r, r.cur); err != nil {
		if err != io.EOF {
			return false, fmt.Errorf("%s: reading a spilled run %s: %w", r.what, r.name, err)
		}
		if r.n != r.want {
			return false, fmt.Errorf("%s: spilled run %s holds %d records, %d were written (the file was changed or cut)", r.what, r.name, r.n, r.want)
		}
		return false, nil
	}
	if r.n > 0 && less(r.cur, r.prev) {
		return false, fmt.Errorf("%s: spilled run %s is out of order at record %d (the file was changed)", r.what, r.name, r.n+1)
	}
	if r.n++; r.n > r.want {
		return false, fmt.Errorf("%s: spilled run %s holds more than the %d records written (the file was changed)", r.what, r.name, r.want)
	}
	return true, nil
}

// readers is a heap of runs by their current records.
type readers struct {
	rs   []*reader
	less func(a, b []byte) bool
}

func (h *readers) Len() int           { return len(h.rs) }
func (h *readers) Less(i, j int) bool { return h.less(h.rs[i].cur, h.rs[j].cur) }
func (h *readers) Swap(i, j int)      { h.rs[i], h.rs[j] = h.rs[j], h.rs[i] }
func (h *readers) Push(x any)         { h.rs = append(h.rs, x.(*reader)) }
func (h *readers) Pop() any {
	x := h.rs[len(h.rs)-1]
	h.rs = h.rs[:len(h.rs)-1]
	return x
}
