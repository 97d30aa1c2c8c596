// The shingle-set store used for exact verification.
//
// Sets are appended in input order into fixed-size chunks, so the store
// never copies what it holds to grow and wastes at most one chunk's tail
// per set that does not fit. A set is stored as the worker produced it, in
// text order with repeats: MinHash does not need it sorted, and most
// documents never become candidates. Only the documents that appear in a
// candidate pair are sorted and deduplicated, once, in place, in parallel,
// just before verification; that saves a sort of every other document,
// which profiling showed costing half as much as tokenizing it.

package reprint

import (
	"slices"
	"sync"
)

const chunkLen = 1 << 20 // uint64s per chunk: 8 MiB

type setRef struct {
	chunk, off, n int32
	sorted        bool
}

type setStore struct {
	chunks [][]uint64
	refs   []setRef // by document number; zero for documents that share another's set
}

// add stores set for document d (d == len(refs) or more; gaps stay empty).
func (s *setStore) add(d int32, set []uint64) {
	for int(d) >= len(s.refs) {
		s.refs = append(s.refs, setRef{})
	}
	last := len(s.chunks) - 1
	if last < 0 || len(s.chunks[last])+len(set) > cap(s.chunks[last]) {
		s.chunks = append(s.chunks, make([]uint64, 0, max(chunkLen, len(set))))
		last++
	}
	c := s.chunks[last]
	s.refs[d] = setRef{chunk: int32(last), off: int32(len(c)), n: int32(len(set))}
	s.chunks[last] = append(c, set...)
}

// get returns document d's set as stored.
func (s *setStore) get(d int32) []uint64 {
	r := s.refs[d]
	return s.chunks[r.chunk][r.off : r.off+r.n]
}

// bytes returns the memory the store holds.
func (s *setStore) bytes() int64 {
	var n int64
	for _, c := range s.chunks {
		n += int64(cap(c)) * 8
	}
	return n + int64(len(s.refs))*16
}

// sortSets sorts and deduplicates the sets of the given documents in place,
// with the given number of workers.
func (s *setStore) sortSets(docs []int32, workers int) {
	var wg sync.WaitGroup
	next := make(chan []int32)
	for w := 0; w < max(workers, 1); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range next {
				for _, d := range batch {
					r := &s.refs[d]
					if r.sorted {
						continue
					}
					set := s.get(d)
					slices.Sort(set)
					r.n = int32(len(slices.Compact(set)))
					r.sorted = true
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
