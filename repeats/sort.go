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
	"sync"
)

// rec is one record: a sort key and a value, ordered by both.
type rec struct{ a, b uint64 }

// recBytes is the memory and disk cost of one record.
const recBytes = 16

// compareRec orders records by key. Ties need no order: the window
// stage reads a run of equal hashes as a set, and removed windows have
// unique keys.
func compareRec(x, y rec) int { return cmp.Compare(x.a, y.a) }

// sortRecs sorts rs by key on workers goroutines: one in-place pass
// distributes the records into 256 buckets by the top bits of key-min
// (American flag sort), then the buckets are radix sorted in parallel,
// each with a scratch buffer of its own size, so memory grows by a 256th
// per worker rather than doubling. Hash keys
// spread evenly over the buckets, and so do (document, position) keys
// once the minimum is taken off.
func sortRecs(rs []rec, workers int) {
	if len(rs) < 1<<12 {
		slices.SortFunc(rs, compareRec)
		return
	}
	lo, hi := rs[0].a, rs[0].a
	for _, r := range rs {
		lo, hi = min(lo, r.a), max(hi, r.a)
	}
	shift := uint(0)
	for (hi-lo)>>shift > 255 {
		shift++
	}
	bucket := func(r rec) int { return int((r.a - lo) >> shift) }
	var count [256]int
	for _, r := range rs {
		count[bucket(r)]++
	}
	var start, next [257]int
	for i := range 256 {
		start[i+1] = start[i] + count[i]
	}
	copy(next[:], start[:])
	for b := range 256 {
		for i := next[b]; i < start[b+1]; {
			t := bucket(rs[i])
			if t == b {
				i++
				next[b] = i
				continue
			}
			rs[i], rs[next[t]] = rs[next[t]], rs[i]
			next[t]++
		}
	}
	var wg sync.WaitGroup
	jobs := make(chan int, 256)
	for b := range 256 {
		jobs <- b
	}
	close(jobs)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var tmp []rec
			for b := range jobs {
				tmp = radixSort(rs[start[b]:start[b+1]], tmp, lo)
			}
		}()
	}
	wg.Wait()
}

// sorter sorts records within a memory budget, spilling sorted runs.
type sorter struct {
	budget  int    // records held before a spill; 0: no limit
	workers int    // goroutines that sort
	dir     string // where runs go
	name    string // what the records are, for temporary file names and errors
	buf     []rec
	runs    []string
	nruns   int   // runs written, kept after the runs are removed
	n       int64 // records added
	err     error // first spill error
}

func newSorter(memBytes int64, dir, name string, workers int) *sorter {
	s := &sorter{dir: dir, name: name, workers: workers}
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
	sortRecs(s.buf, s.workers)
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
		sortRecs(s.buf, s.workers)
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
