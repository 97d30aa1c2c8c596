// The budgeted sort of fixed-size records that both stages run on: records
// are buffered up to a budget, sorted and written to a temporary file as
// one run; at the end the runs are merged with a heap and handed to the
// caller in order, exactly as the in-memory path hands over one sorted
// slice, so both paths give the same stream and the same output. This is
// the shape of lsh's spill (lsh/spill.go) for records that carry a
// position as well as a document; lsh's Index turns postings into pairs,
// which a window repeated m times would make m²/2 of.
//
// A record costs 16 bytes in memory and on disk. Not done: compression of
// runs and a multi-level merge (a thousand runs is within the usual limit
// on open files, and with a 16 MiB budget a run holds a million records).

package repeats

import (
	"bufio"
	"cmp"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// rec is one record: a sort key and a value, ordered by both.
type rec struct{ a, b uint64 }

// recBytes is the memory and disk cost of one record.
const recBytes = 16

func compareRec(x, y rec) int { return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b)) }

// sorter sorts records within a memory budget, spilling sorted runs.
type sorter struct {
	budget int    // records held before a spill; 0: no limit
	dir    string // where runs go
	name   string // what the records are, for temporary file names and errors
	buf    []rec
	runs   []string
	nruns  int   // runs written, kept after the runs are removed
	n      int64 // records added
	err    error // first spill error
}

func newSorter(memBytes int64, dir, name string) *sorter {
	s := &sorter{dir: dir, name: name}
	if memBytes > 0 {
		s.budget = max(int(memBytes/recBytes), 1024)
	}
	return s
}

func (s *sorter) add(r rec) {
	if s.err != nil {
		return
	}
	if s.budget > 0 && len(s.buf) == cap(s.buf) {
		// Grow by doubling but never past the budget, so memory stays
		// within it instead of briefly reaching one and a half times it.
		grown := make([]rec, len(s.buf), min(max(2*cap(s.buf), 4096), s.budget))
		copy(grown, s.buf)
		s.buf = grown
	}
	s.buf = append(s.buf, r)
	s.n++
	if s.budget > 0 && len(s.buf) >= s.budget {
		s.err = s.spill()
	}
}

// spill sorts the buffer and writes it as one run.
func (s *sorter) spill() error {
	if len(s.buf) == 0 {
		return nil
	}
	slices.SortFunc(s.buf, compareRec)
	f, err := os.CreateTemp(s.dir, "reprint-"+s.name+"-*")
	if err != nil {
		return fmt.Errorf("repeats: spilling %s: %w", s.name, err)
	}
	s.runs = append(s.runs, f.Name())
	s.nruns++
	w := bufio.NewWriterSize(f, 1<<20)
	var b [recBytes]byte
	for _, r := range s.buf {
		binary.LittleEndian.PutUint64(b[:8], r.a)
		binary.LittleEndian.PutUint64(b[8:], r.b)
		w.Write(b[:])
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		return fmt.Errorf("repeats: spilling %s: %w", s.name, err)
	}
	s.buf = s.buf[:0]
	return nil
}

// remove deletes the run files.
func (s *sorter) remove() {
	for _, r := range s.runs {
		os.Remove(r)
	}
	s.runs = nil
}

// each calls fn with every record in sorted order and empties the sorter.
func (s *sorter) each(fn func(rec) error) error {
	defer s.remove()
	if s.err != nil {
		return s.err
	}
	if len(s.runs) == 0 {
		slices.SortFunc(s.buf, compareRec)
		buf := s.buf
		s.buf = nil
		for _, r := range buf {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
	if err := s.spill(); err != nil {
		return err
	}
	s.buf = nil
	var h runHeap
	for _, name := range s.runs {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("repeats: reading a spilled run: %w", err)
		}
		defer f.Close()
		r := &runReader{r: bufio.NewReaderSize(f, 64<<10)}
		if ok, err := r.next(); err != nil {
			return err
		} else if ok {
			h = append(h, r)
		}
	}
	heap.Init(&h)
	for h.Len() > 0 {
		r := h[0]
		if err := fn(r.cur); err != nil {
			return err
		}
		ok, err := r.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	return nil
}

type runReader struct {
	r   *bufio.Reader
	cur rec
	b   [recBytes]byte
}

func (r *runReader) next() (bool, error) {
	if _, err := io.ReadFull(r.r, r.b[:]); err != nil {
		if err == io.EOF {
			return false, nil
		}
		return false, fmt.Errorf("repeats: reading a spilled run: %w", err)
	}
	r.cur = rec{binary.LittleEndian.Uint64(r.b[:8]), binary.LittleEndian.Uint64(r.b[8:])}
	return true, nil
}

type runHeap []*runReader

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return compareRec(h[i].cur, h[j].cur) < 0 }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
