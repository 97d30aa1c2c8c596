// Sorting uniform hashes.
//
// A set of shingle or n-gram hashes is sorted before it is compared or
// deduplicated. Hashes are uniform, so their top four bytes, radix-sorted
// a byte at a time (four passes of one read and one scattered write), put
// nearly every hash in place, and one insertion pass finishes the job
// (two hashes rarely share their top 32 bits); where they do share them,
// an insertion budget of four moves an element falls back to pdqsort, so
// hashes made to collide cost no more than a comparison sort. Below 256
// values pdqsort is faster. Costs: a pooled buffer as long as s.

package token

import (
	"slices"
	"sync"
)

// hashTmp holds SortHashes' second buffers.
var hashTmp = sync.Pool{New: func() any { return new([]uint64) }}

// SortHashes sorts s in increasing order, as slices.Sort does, faster when
// the values are uniform hashes (shingles, n-grams, content keys).
func SortHashes(s []uint64) {
	if len(s) < 256 {
		slices.Sort(s)
		return
	}
	buf := hashTmp.Get().(*[]uint64)
	defer hashTmp.Put(buf)
	if cap(*buf) < len(s) {
		*buf = make([]uint64, len(s))
	}
	t := (*buf)[:len(s)]
	var count [256]int
	x, y := s, t
	for shift := uint(32); shift < 64; shift += 8 {
		clear(count[:])
		for _, h := range x {
			count[byte(h>>shift)]++
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, h := range x {
			d := byte(h >> shift)
			y[count[d]] = h
			count[d]++
		}
		x, y = y, x
	}
	// Four passes: x is s again.
	budget := 4 * len(s)
	for k := 1; k < len(s); k++ {
		if h := s[k]; h < s[k-1] {
			j := k
			for j > 0 && h < s[j-1] {
				s[j] = s[j-1]
				j--
			}
			s[j] = h
			if budget -= k - j; budget < 0 {
				slices.Sort(s)
				return
			}
		}
	}
}
