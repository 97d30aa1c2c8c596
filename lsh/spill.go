// Candidate generation for more postings than memory holds, the way
// google/codesearch writes its index: postings are buffered up to a budget,
// sorted, and written to a temporary file as one run; at the end the runs
// are merged with a heap, and runs of equal keys are read off the merged
// stream exactly as the in-memory path reads them off one sorted slice.
// Pairs are buffered the same way and spilled as sorted runs when they
// exceed the budget, then merged without duplicates. The result is the same
// sorted, unique list the in-memory path returns, so the two paths give
// byte-identical output.
//
// A run costs 12 bytes a posting on disk (key and document, little-endian)
// and the merge holds one bufio.Reader per run. Not done: compression of
// runs, and a cap on the number of runs open at once (a multi-level merge);
// with a budget of even 16 MiB a run holds a million postings, so a billion
// postings make a thousand runs, which is within the usual open-file limit.

package lsh

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// NewIndex returns an index that keeps at most memBytes of postings in
// memory and spills sorted runs to temporary files in dir ("" for the
// system's) beyond that. memBytes <= 0 means no limit.
func NewIndex(memBytes int64, dir string) *Index {
	ix := &Index{dir: dir}
	if memBytes > 0 {
		ix.budget = max(int(memBytes/PostingBytes), 1024)
	}
	return ix
}

// Spilled returns the number of runs written to disk so far.
func (ix *Index) Spilled() int { return len(ix.runs) }

// spill sorts the buffered postings and writes them as one run.
func (ix *Index) spill() error {
	if ix.err != nil || len(ix.postings) == 0 {
		return ix.err
	}
	sortPostings(ix.postings)
	f, err := os.CreateTemp(ix.dir, "reprint-postings-*")
	if err != nil {
		return fmt.Errorf("lsh: spilling postings: %w", err)
	}
	ix.runs = append(ix.runs, f.Name())
	w := bufio.NewWriterSize(f, 1<<20)
	var rec [12]byte
	for _, p := range ix.postings {
		binary.LittleEndian.PutUint64(rec[:8], p.Key)
		binary.LittleEndian.PutUint32(rec[8:], p.Doc)
		w.Write(rec[:])
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		return fmt.Errorf("lsh: spilling postings: %w", err)
	}
	ix.postings = ix.postings[:0]
	return nil
}

// removeRuns deletes the run files.
func (ix *Index) removeRuns() {
	for _, r := range ix.runs {
		os.Remove(r)
	}
	ix.runs = nil
}

// mergeCandidates is Candidates for an index that has spilled.
func (ix *Index) mergeCandidates() ([]uint64, error) {
	defer ix.removeRuns()
	if err := ix.spill(); err != nil {
		return nil, err
	}
	ix.postings = nil
	var h runHeap
	for _, name := range ix.runs {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("lsh: reading a spilled run: %w", err)
		}
		defer f.Close()
		r := &runReader{r: bufio.NewReaderSize(f, 256<<10)}
		if ok, err := r.next(); err != nil {
			return nil, err
		} else if ok {
			h = append(h, r)
		}
	}
	heap.Init(&h)
	pairs := pairSink{budget: max(ix.budget*2, 1024), dir: ix.dir}
	defer pairs.remove()
	var group []uint32
	var groupKey uint64
	flush := func() {
		for x := 0; x < len(group); x++ {
			for y := x + 1; y < len(group); y++ {
				if group[x] != group[y] {
					pairs.add(Pack(group[x], group[y]))
				}
			}
		}
		group = group[:0]
	}
	for h.Len() > 0 {
		r := h[0]
		p := r.cur
		if len(group) > 0 && p.Key != groupKey {
			flush()
		}
		groupKey = p.Key
		group = append(group, p.Doc)
		ok, err := r.next()
		if err != nil {
			return nil, err
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
		if pairs.err != nil {
			return nil, pairs.err
		}
	}
	flush()
	return pairs.result()
}

type runReader struct {
	r   *bufio.Reader
	cur Posting
	buf [12]byte
}

func (r *runReader) next() (bool, error) {
	if _, err := io.ReadFull(r.r, r.buf[:]); err != nil {
		if err == io.EOF {
			return false, nil
		}
		return false, fmt.Errorf("lsh: reading a spilled run: %w", err)
	}
	r.cur = Posting{Key: binary.LittleEndian.Uint64(r.buf[:8]), Doc: binary.LittleEndian.Uint32(r.buf[8:])}
	return true, nil
}

type runHeap []*runReader

func (h runHeap) Len() int { return len(h) }
func (h runHeap) Less(i, j int) bool {
	a, b := h[i].cur, h[j].cur
	return a.Key < b.Key || a.Key == b.Key && a.Doc < b.Doc
}
func (h runHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)   { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// pairSink buffers packed pairs, spilling sorted unique runs past a budget.
type pairSink struct {
	budget int
	dir    string
	buf    []uint64
	runs   []string
	err    error
}

func (s *pairSink) add(p uint64) {
	s.buf = append(s.buf, p)
	if len(s.buf) >= s.budget && s.err == nil {
		s.err = s.spill()
	}
}

func (s *pairSink) spill() error {
	slices.Sort(s.buf)
	s.buf = slices.Compact(s.buf)
	f, err := os.CreateTemp(s.dir, "reprint-pairs-*")
	if err != nil {
		return fmt.Errorf("lsh: spilling pairs: %w", err)
	}
	s.runs = append(s.runs, f.Name())
	w := bufio.NewWriterSize(f, 1<<20)
	var rec [8]byte
	for _, p := range s.buf {
		binary.LittleEndian.PutUint64(rec[:], p)
		w.Write(rec[:])
	}
	s.buf = s.buf[:0]
	return errors.Join(w.Flush(), f.Close())
}

func (s *pairSink) remove() {
	for _, r := range s.runs {
		os.Remove(r)
	}
}

// result merges the spilled runs and the buffer into one sorted unique list.
func (s *pairSink) result() ([]uint64, error) {
	if s.err != nil {
		return nil, s.err
	}
	slices.Sort(s.buf)
	s.buf = slices.Compact(s.buf)
	lists := [][]uint64{s.buf}
	for _, name := range s.runs {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("lsh: reading spilled pairs: %w", err)
		}
		l := make([]uint64, len(data)/8)
		for i := range l {
			l[i] = binary.LittleEndian.Uint64(data[i*8:])
		}
		lists = append(lists, l)
	}
	return MergeUnique(lists), nil
}
