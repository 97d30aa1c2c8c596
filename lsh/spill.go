// Candidate generation for more postings than memory holds, the way
// google/codesearch writes its index: postings are buffered up to a budget,
// sorted, and written to a temporary file as one run; at the end the runs
// are merged with a heap, and runs of equal keys are read off the merged
// stream exactly as the in-memory path reads them off one sorted slice.
// Pairs are buffered the same way and spilled as sorted runs of (pair,
// count) when they exceed the budget, then merged, summing the counts. The result is the same
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

// spill sorts the buffered postings and writes them as one run: partition
// by partition, each sorted, which is the order of all of them sorted,
// since partitions are ranges of keys.
func (ix *Index) spill() error {
	if ix.err != nil || ix.n == 0 {
		return ix.err
	}
	f, err := os.CreateTemp(ix.dir, "reprint-postings-*")
	if err != nil {
		return fmt.Errorf("lsh: spilling postings: %w", err)
	}
	ix.runs = append(ix.runs, f.Name())
	ix.runCounts = append(ix.runCounts, ix.n)
	w := bufio.NewWriterSize(f, 1<<20)
	var rec [12]byte
	var buf []Posting
	for p := range ix.parts {
		buf = ix.parts[p].flatten(buf[:0])
		sortPostings(buf)
		for _, p := range buf {
			binary.LittleEndian.PutUint64(rec[:8], p.Key)
			binary.LittleEndian.PutUint32(rec[8:], p.Doc)
			w.Write(rec[:])
		}
	}
	ix.n = 0
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		return fmt.Errorf("lsh: spilling postings: %w", err)
	}
	return nil
}

// Close deletes any spilled runs; a run that ends before Candidates (an
// error, an interruption) calls it so that nothing is left on disk.
// Candidates deletes them itself.
func (ix *Index) Close() { ix.removeRuns() }

// removeRuns deletes the run files.
func (ix *Index) removeRuns() {
	for _, r := range ix.runs {
		os.Remove(r)
	}
	ix.runs, ix.runCounts = nil, nil
}

// mergeCandidates is Candidates for an index that has spilled.
func (ix *Index) mergeCandidates() ([]uint64, error) {
	defer ix.removeRuns()
	if err := ix.spill(); err != nil {
		return nil, err
	}
	var h runHeap
	for i, name := range ix.runs {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("lsh: reading a spilled run: %w", err)
		}
		defer f.Close()
		r := &runReader{r: bufio.NewReaderSize(f, 256<<10), name: name, want: ix.runCounts[i]}
		if ok, err := r.next(); err != nil {
			return nil, err
		} else if ok {
			h = append(h, r)
		}
	}
	heap.Init(&h)
	pairs := pairSink{budget: max(ix.budget*2, 1024), dir: ix.dir, minShared: max(ix.MinShared, 1)}
	defer pairs.remove()
	var group []Posting
	var groupKey uint64
	var buf []uint64
	flush := func() {
		buf = ix.appendRun(buf[:0], group)
		for _, p := range buf {
			pairs.add(p)
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
		group = append(group, p)
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

// runReader reads one spilled run back, checking it is what was written:
// as many postings, in order (a run cut short by a whole record, or with a
// flipped byte, would otherwise merge silently into a wrong result).
type runReader struct {
	r       *bufio.Reader
	name    string // the run's file, for errors: a damaged run says which
	cur     Posting
	buf     [12]byte
	n, want int
}

func (r *runReader) next() (bool, error) {
	if _, err := io.ReadFull(r.r, r.buf[:]); err != nil {
		if err == io.EOF {
			if r.n != r.want {
				return false, fmt.Errorf("lsh: spilled run %s holds %d postings, %d were written (the file was changed or cut)", r.name, r.n, r.want)
			}
			return false, nil
		}
		return false, fmt.Errorf("lsh: reading a spilled run %s: %w", r.name, err)
	}
	p := Posting{Key: binary.LittleEndian.Uint64(r.buf[:8]), Doc: binary.LittleEndian.Uint32(r.buf[8:])}
	if r.n > 0 && (p.Key < r.cur.Key || p.Key == r.cur.Key && p.Doc < r.cur.Doc) {
		return false, fmt.Errorf("lsh: spilled run %s is out of order at posting %d (the file was changed)", r.name, r.n+1)
	}
	r.n++
	if r.n > r.want {
		return false, fmt.Errorf("lsh: spilled run %s holds more than the %d postings written (the file was changed)", r.name, r.want)
	}
	r.cur = p
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

// pairSink buffers packed pairs, spilling sorted runs of (pair, count)
// past a budget, and counts how often each pair was added: a pair is a
// candidate once it reaches minShared.
type pairSink struct {
	budget    int
	dir       string
	minShared int
	buf       []uint64
	runs      []string
	runCounts []int // records written to each run
	err       error
}

func (s *pairSink) add(p uint64) {
	if s.err != nil {
		return
	}
	s.buf = append(s.buf, p)
	if len(s.buf) >= s.budget {
		s.err = s.spill()
	}
}

func (s *pairSink) spill() error {
	slices.Sort(s.buf)
	f, err := os.CreateTemp(s.dir, "reprint-pairs-*")
	if err != nil {
		return fmt.Errorf("lsh: spilling pairs: %w", err)
	}
	s.runs = append(s.runs, f.Name())
	s.runCounts = append(s.runCounts, 0)
	w := bufio.NewWriterSize(f, 1<<20)
	var rec [12]byte
	for i := 0; i < len(s.buf); {
		j := i + 1
		for j < len(s.buf) && s.buf[j] == s.buf[i] {
			j++
		}
		binary.LittleEndian.PutUint64(rec[:8], s.buf[i])
		binary.LittleEndian.PutUint32(rec[8:], uint32(j-i))
		w.Write(rec[:])
		s.runCounts[len(s.runCounts)-1]++
		i = j
	}
	s.buf = s.buf[:0]
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		return fmt.Errorf("lsh: spilling pairs: %w", err)
	}
	return nil
}

func (s *pairSink) remove() {
	for _, r := range s.runs {
		os.Remove(r)
	}
}

// result merges the spilled runs and the buffer into one sorted unique
// list of the pairs added at least minShared times.
func (s *pairSink) result() ([]uint64, error) {
	if s.err != nil {
		return nil, s.err
	}
	if len(s.runs) == 0 {
		if s.minShared > 1 {
			return mergeCounted([][]uint64{s.buf}, s.minShared), nil
		}
		slices.Sort(s.buf)
		return slices.Clip(slices.Compact(s.buf)), nil
	}
	if err := s.spill(); err != nil {
		return nil, err
	}
	s.buf = nil
	var out []uint64
	var cur uint64
	var n uint32
	err := mergeRuns(s.runs, s.runCounts, 12, func(rec []byte) {
		p, c := binary.LittleEndian.Uint64(rec[:8]), binary.LittleEndian.Uint32(rec[8:])
		if n > 0 && p != cur {
			if int(n) >= s.minShared {
				out = append(out, cur)
			}
			n = 0
		}
		cur, n = p, n+c
	}, func(a, b []byte) bool { return binary.LittleEndian.Uint64(a[:8]) < binary.LittleEndian.Uint64(b[:8]) })
	if err != nil {
		return nil, err
	}
	if n > 0 && int(n) >= s.minShared {
		out = append(out, cur)
	}
	return out, nil
}

// mergeRuns reads files of fixed-size records, each sorted by less and
// holding counts[i] records, and calls emit with every record in merged
// order. A run that is not what was written (shorter, longer, out of
// order) is an error naming it.
func mergeRuns(names []string, counts []int, size int, emit func([]byte), less func(a, b []byte) bool) error {
	type run struct {
		r         *bufio.Reader
		name      string
		cur, prev []byte
		n, want   int
	}
	// read advances r; false at its end.
	read := func(r *run) (bool, error) {
		copy(r.prev, r.cur)
		if _, err := io.ReadFull(r.r, r.cur); err != nil {
			if err != io.EOF {
				return false, fmt.Errorf("lsh: reading a spilled run %s: %w", r.name, err)
			}
			if r.n != r.want {
				return false, fmt.Errorf("lsh: spilled run %s holds %d records, %d were written (the file was changed or cut)", r.name, r.n, r.want)
			}
			return false, nil
		}
		if r.n > 0 && less(r.cur, r.prev) {
			return false, fmt.Errorf("lsh: spilled run %s is out of order at record %d (the file was changed)", r.name, r.n+1)
		}
		if r.n++; r.n > r.want {
			return false, fmt.Errorf("lsh: spilled run %s holds more than the %d records written (the file was changed)", r.name, r.want)
		}
		return true, nil
	}
	var rs []*run
	for i, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("lsh: reading a spilled run: %w", err)
		}
		defer f.Close()
		r := &run{r: bufio.NewReaderSize(f, 64<<10), name: name, cur: make([]byte, size), prev: make([]byte, size), want: counts[i]}
		ok, err := read(r)
		if err != nil {
			return err
		}
		if ok {
			rs = append(rs, r)
		}
	}
	// Few runs: a linear scan for the smallest is simpler than a heap and
	// as fast below a few dozen.
	for len(rs) > 0 {
		m := 0
		for i := 1; i < len(rs); i++ {
			if less(rs[i].cur, rs[m].cur) {
				m = i
			}
		}
		emit(rs[m].cur)
		ok, err := read(rs[m])
		if err != nil {
			return err
		}
		if !ok {
			rs = append(rs[:m], rs[m+1:]...)
		}
	}
	return nil
}
