// Package radix sorts uint64s whose bytes are mostly shared: packed pairs
// of document numbers, packed (diagonal, position) hits.
//
// Algorithm: a least-significant-digit radix sort, 8 bits a pass, that
// skips every digit all values share. One histogram pass counts all eight
// digits at once; then each digit that varies costs one read and one
// scattered write of every value, where pdqsort compares and swaps log n
// times an element. The order is uint64's, so it can stand in for
// slices.Sort anywhere. Costs: the histogram (16 KB on the stack), a pass
// per varying digit, and a scratch buffer as long as the input. Below a
// few thousand values pdqsort is faster and needs no buffer, so callers
// keep slices.Sort for short inputs (each where it measured the crossing).
package radix

// Sort sorts v in increasing order; scratch, if long enough, is used as
// the sort's buffer. It returns the buffer for reuse.
func Sort(v, scratch []uint64) []uint64 {
	if len(v) < 2 {
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
