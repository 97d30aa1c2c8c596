// Sorting packed pairs by radix.
//
// Candidate pairs are uint64s packed by Pack: a document number in each
// half, so most of their bytes are zero or the same in every pair of a
// collection of fewer than 2^24 documents. A least-significant-digit radix
// sort, 8 bits a pass, that skips every digit all values share, sorts them
// in a few passes of one read and one scattered write each, where pdqsort
// compares and swaps log n times an element; it gives the same order (the
// order of uint64), so nothing downstream changes. Costs: one histogram
// pass, then a pass per digit that varies, and a scratch buffer as long as
// the input. Below radixMin values pdqsort is faster and needs no buffer.

package lsh

import "slices"

const radixMin = 1 << 11

// sortPairs sorts v in increasing order; scratch, if long enough, is used
// as the radix sort's buffer. It returns the buffer for reuse.
func sortPairs(v, scratch []uint64) []uint64 {
	if len(v) < radixMin {
		slices.Sort(v)
		return scratch
	}
	var counts [8][256]int
	for _, x := range v {
		counts[0][byte(x)]++
		counts[1][byte(x>>8)]++
		counts[2][byte(x>>16)]++
		counts[3][byte(x>>24)]++
		counts[4][byte(x>>32)]++
		counts[5][byte(x>>40)]++
		counts[6][byte(x>>48)]++
		counts[7][byte(x>>56)]++
	}
	if cap(scratch) < len(v) {
		scratch = make([]uint64, len(v))
	}
	src, dst := v, scratch[:len(v)]
	for d := range 8 {
		shift := uint(8 * d)
		c := &counts[d]
		if c[byte(src[0]>>shift)] == len(v) {
			continue // every value has this digit: the pass would move nothing
		}
		sum := 0
		for i, n := range c {
			c[i] = sum
			sum += n
		}
		for _, x := range src {
			b := byte(x >> shift)
			dst[c[b]] = x
			c[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &v[0] {
		copy(v, src)
	}
	return scratch
}
