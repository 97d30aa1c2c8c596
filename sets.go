// The shingle-set store used for exact verification.
//
// Each document's set is the slice its worker produced, kept as is: storing
// it costs the collector (which runs serially) no copy, and a slice of
// uint64 holds no pointers, so the garbage collector never scans it. A set
// is stored in text order with repeats: MinHash does not need it sorted,
// and most documents never become candidates. Only the documents that
// appear in a candidate pair are sorted and deduplicated, once, in place,
// in parallel, just before verification; that saves a sort of every other
// document, which profiling showed costing half as much as tokenizing it.

package reprint

import (
	"slices"
	"sync"
)

type setStore struct {
	sets   [][]uint64 // by document number; nil for documents that share another's set
	sorted []bool
}

// add stores set for document d, taking ownership of it.
func (s *setStore) add(d int32, set []uint64) {
	for int(d) >= len(s.sets) {
		s.sets = append(s.sets, nil)
		s.sorted = append(s.sorted, false)
	}
	s.sets[d] = set
}

// get returns document d's set as stored.
func (s *setStore) get(d int32) []uint64 { return s.sets[d] }

// bytes returns the memory the store holds.
func (s *setStore) bytes() int64 {
	n := int64(len(s.sets)) * 25
	for _, set := range s.sets {
		n += int64(cap(set)) * 8
	}
	return n
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
					if s.sorted[d] {
						continue
					}
					set := s.sets[d]
					slices.Sort(set)
					s.sets[d] = slices.Compact(set)
					s.sorted[d] = true
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
