// The shingle-set store used for exact verification.
//
// In memory, each document's set is the slice its worker wrote, carved
// from a block of a few hundred documents' sets, kept as is: storing it
// costs the collector (which runs serially) no copy, the worker no
// allocation, and a slice of uint64 holds no pointers, so the garbage
// collector never scans it. The sets of exact duplicates are not stored,
// but their block keeps their space, so it is counted against the budget. A set is stored in text order with repeats: MinHash does not need it
// sorted, and most documents never become candidates. Only the documents
// that appear in a candidate pair are sorted and deduplicated, once, in
// place, in parallel, just before verification; that saves a sort of every
// other document, which profiling showed costing half as much as
// tokenizing it.
//
// Past its memory budget the store spills: every set held so far, and every
// later one, goes to one temporary file (8 bytes a shingle, appended in
// input order), and memory keeps only an offset and a length per document.
// Verification then reads each candidate's set back with ReadAt (served by
// the page cache when the file fits there) and sorts it on the spot. The
// sets, and so every Jaccard value, are the same either way.

package neardup

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"

	"github.com/reprint/reprint/token"
)

type spillRef struct {
	off int64
	n   int32
}

type setStore struct {
	sets   [][]uint64 // by document number; nil for documents that share another's set
	sorted []bool

	budget int64 // bytes held in memory before spilling; 0: no limit
	held   int64
	dir    string

	file *os.File // spilled sets; nil until the budget is passed
	w    *bufio.Writer
	end  int64
	refs []spillRef
	buf  []byte // encoding scratch for write
	err  error
	// sealed: writing is over and the file is flushed, so reads need no
	// lock and may run on many goroutines.
	sealed bool
}

// seal ends writing.
func (s *setStore) seal() {
	if s.file != nil && !s.sealed {
		if err := s.w.Flush(); err != nil && s.err == nil {
			s.err = err
		}
	}
	s.sealed = true
}

// add stores set for document d, taking ownership of it.
func (s *setStore) add(d int32, set []uint64) {
	for int(d) >= len(s.sets) {
		s.sets = append(s.sets, nil)
		s.sorted = append(s.sorted, false)
	}
	if s.file != nil {
		s.write(d, set)
		return
	}
	s.sets[d] = set
	s.held += int64(cap(set)) * 8
	if s.budget > 0 && s.held > s.budget {
		s.spillAll()
	}
}

// drop counts a set that is not stored but whose space stays in use: the
// block a worker carved it from lives as long as any set in it.
func (s *setStore) drop(set []uint64) {
	if s.file != nil {
		return
	}
	s.held += int64(cap(set)) * 8
	if s.budget > 0 && s.held > s.budget {
		s.spillAll()
	}
}

func (s *setStore) spillAll() {
	f, err := os.CreateTemp(s.dir, "reprint-sets-*")
	if err != nil {
		s.err = fmt.Errorf("spilling shingle sets: %w", err)
		s.budget = 0 // keep going in memory; the error is reported at the end
		return
	}
	s.file, s.w = f, bufio.NewWriterSize(f, 1<<20)
	for d, set := range s.sets {
		if set != nil {
			s.write(int32(d), set)
			s.sets[d] = nil
		}
	}
	s.held = 0
}

func (s *setStore) write(d int32, set []uint64) {
	// refs exist only once the store has spilled: 16 bytes a document
	// that a run in memory never needs.
	for int(d) >= len(s.refs) {
		s.refs = append(s.refs, spillRef{})
	}
	s.refs[d] = spillRef{off: s.end, n: int32(len(set))}
	s.buf = s.buf[:0]
	for _, v := range set {
		s.buf = binary.LittleEndian.AppendUint64(s.buf, v)
	}
	if _, err := s.w.Write(s.buf); err != nil && s.err == nil {
		s.err = fmt.Errorf("spilling shingle sets: %w", err)
	}
	s.end += int64(len(set)) * 8
}

// get returns document d's set as stored (unsorted unless sortSets ran).
func (s *setStore) get(d int32) []uint64 {
	if s.file == nil {
		return s.sets[d]
	}
	return s.read(d)
}

func (s *setStore) read(d int32) []uint64 {
	if !s.sealed {
		if err := s.w.Flush(); err != nil && s.err == nil {
			s.err = err
		}
	}
	var r spillRef // a document whose set was never written has none
	if int(d) < len(s.refs) {
		r = s.refs[d]
	}
	buf := make([]byte, int(r.n)*8)
	if _, err := s.file.ReadAt(buf, r.off); err != nil {
		if s.err == nil {
			s.err = fmt.Errorf("reading spilled shingle sets: %w", err)
		}
		return nil
	}
	set := make([]uint64, r.n)
	for i := range set {
		set[i] = binary.LittleEndian.Uint64(buf[i*8:])
	}
	return set
}

// sortedSet returns document d's set sorted and without repeats.
func (s *setStore) sortedSet(d int32) []uint64 {
	if s.file == nil {
		if !s.sorted[d] {
			set := s.sets[d]
			token.SortHashes(set)
			s.sets[d] = slices.Compact(set)
			s.sorted[d] = true
		}
		return s.sets[d]
	}
	set := s.read(d)
	token.SortHashes(set)
	return slices.Compact(set)
}

// bytes returns the memory the store holds.
func (s *setStore) bytes() int64 {
	return int64(len(s.sets))*(24+1+12) + s.held
}

// diskBytes returns the bytes spilled to disk.
func (s *setStore) diskBytes() int64 { return s.end }

// sortSets sorts and deduplicates the in-memory sets of the given documents,
// with the given number of workers, so verification can read them without
// locking. Spilled sets are sorted as they are read instead.
func (s *setStore) sortSets(docs []int32, workers int) {
	if s.file != nil {
		return
	}
	var wg sync.WaitGroup
	next := make(chan []int32)
	for w := 0; w < max(workers, 1); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range next {
				for _, d := range batch {
					s.sortedSet(d)
				}
			}
		}()
	}
	for i := 0; i < len(docs); i += 256 {
		next <- docs[i:min(i+256, len(docs))]
	}
	close(next)
	wg.Wait()
}

// close removes the spill file.
func (s *setStore) close() error {
	if s.file == nil {
		return s.err
	}
	name := s.file.Name()
	err := errors.Join(s.err, s.file.Close(), os.Remove(name))
	s.file = nil
	return err
}
