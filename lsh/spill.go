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
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/reprint/reprint/internal/runs"
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
	err := runs.Merge("lsh", ix.runs, ix.runCounts, 12, postingLess, func(rec []byte) error {
		p := Posting{Key: binary.LittleEndian.Uint64(rec[:8]), Doc: binary.LittleEndian.Uint32(rec[8:])}
		if len(group) > 0 && p.Key != groupKey {
			flush()
		}
		groupKey = p.Key
		group = append(group, p)
		return pairs.err
	})
	if err != nil {
		return nil, err
	}
	flush()
	return pairs.result()
}

// postingLess orders spilled postings (key, then document, little-endian).
func postingLess(a, b []byte) bool {
	ka, kb := binary.LittleEndian.Uint64(a[:8]), binary.LittleEndian.Uint64(b[:8])
	return ka < kb || ka == kb && binary.LittleEndian.Uint32(a[8:]) < binary.LittleEndian.Uint32(b[8:])
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
			return countSorted(s.buf, s.minShared), nil
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
	err := runs.Merge("lsh", s.runs, s.runCounts, 12, func(a, b []byte) bool {
		return binary.LittleEndian.Uint64(a[:8]) < binary.LittleEndian.Uint64(b[:8])
	}, func(rec []byte) error {
		p, c := binary.LittleEndian.Uint64(rec[:8]), binary.LittleEndian.Uint32(rec[8:])
		if n > 0 && p != cur {
			if int(n) >= s.minShared {
				out = append(out, cur)
			}
			n = 0
		}
		cur, n = p, n+c
		return nil
	})
	if err != nil {
		return nil, err
	}
	if n > 0 && int(n) >= s.minShared {
		out = append(out, cur)
	}
	return out, nil
}
