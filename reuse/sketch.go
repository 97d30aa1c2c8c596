// The document frequency of content keys, for the evidence filter
// (align.Prepared.MayShare): which keys are rare across the collection.
//
// A count-min sketch of saturating byte counters, two rows indexed by
// different bits of the key (keys are already uniform hashes). A key's
// count is the smaller of its two counters: never below its document
// frequency, above it only when both counters also hold other keys. The
// package lsh knows the exact frequencies, but only at the end, inside its
// grouping, and the filter needs them while preparing documents. The rows
// start at 2^20 counters and double while the postings outnumber them, each
// new counter taking its parent's count, so the sketch stays an upper bound
// and its memory is one to two bytes a posting, up to maxBytes for both
// rows (an eighth of --mem-limit). A key counted too high makes the filter
// stricter, so once the rows would have to grow past that, the sketch is
// no longer trusted (full) and every candidate pair is aligned: the counts
// used are always those of unbounded rows, or none. (Both counters of a
// key in one cache line, for one miss instead of two, measured no faster.)

package reuse

import "math/bits"

type dfSketch struct {
	rows  [2][]uint8
	lg    uint // log2 of a row's length
	maxLg uint // the longest rows allowed
	n     int  // postings added
	full  bool // too many postings for the counters: counts are not trusted
}

// newDFSketch returns a sketch whose two rows take at most maxBytes
// together (0: 2^28 counters a row).
func newDFSketch(maxBytes int64) *dfSketch {
	s := &dfSketch{lg: 20, maxLg: 28}
	if maxBytes > 0 {
		s.maxLg = 10
		for int64(2)<<(s.maxLg+1) <= maxBytes && s.maxLg < 32 {
			s.maxLg++
		}
		s.lg = min(s.lg, s.maxLg)
	}
	for r := range s.rows {
		s.rows[r] = make([]uint8, 1<<s.lg)
	}
	return s
}

// slot is key k's counter in row r.
func (s *dfSketch) slot(k uint64, r int) uint64 {
	if r == 1 {
		k = bits.RotateLeft64(k, 32)
	}
	return k & (1<<s.lg - 1)
}

// add counts one document holding each of keys (distinct).
func (s *dfSketch) add(keys []uint64) {
	s.n += len(keys)
	for s.n > 1<<s.lg && !s.full {
		if s.lg == s.maxLg {
			s.full = true
			s.rows = [2][]uint8{}
			return
		}
		s.grow()
	}
	if s.full {
		return
	}
	for _, k := range keys {
		for r := range s.rows {
			c := &s.rows[r][s.slot(k, r)]
			if *c < 255 {
				*c++
			}
		}
	}
}

// grow doubles the rows: slot x of the smaller row becomes slots x and
// x + 2^lg, both keeping its count.
func (s *dfSketch) grow() {
	for r := range s.rows {
		old := s.rows[r]
		row := make([]uint8, 2*len(old))
		copy(row, old)
		copy(row[len(old):], old)
		s.rows[r] = row
	}
	s.lg++
}

// count is an upper bound of the documents holding key k; not for a full
// sketch.
func (s *dfSketch) count(k uint64) int {
	return int(min(s.rows[0][s.slot(k, 0)], s.rows[1][s.slot(k, 1)]))
}

// shared is the rare-key test of the evidence filter: keys in at most
// maxDF documents, less those counted once. A key counted once is in one
// document alone (the sketch never undercounts, and every document
// prepared for alignment was counted in pass 1), so it meets no other
// document's keys: leaving it out changes no MayShare answer, and makes
// the key sites to merge fewer.
func (s *dfSketch) shared(maxDF int) func(uint64) bool {
	if maxDF < 2 {
		return func(uint64) bool { return false }
	}
	hi := uint(maxDF - 2) // c in [2, maxDF] is c-2 in [0, maxDF-2]: one comparison, no branch
	return func(k uint64) bool {
		return uint(s.count(k)-2) <= hi
	}
}
