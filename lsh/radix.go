// Sorting packed pairs by radix.
//
// Candidate pairs are uint64s packed by Pack: a document number in each
// half, so most of their bytes are zero or the same in every pair of a
// collection of fewer than 2^24 documents: internal/radix sorts them in a
// few passes, in uint64's order, so nothing downstream changes. Below
// radixMin values pdqsort is faster and needs no buffer.

package lsh

import (
	"slices"

	"github.com/reprint/reprint/internal/radix"
)

const radixMin = 1 << 11

// sortPairs sorts v in increasing order; scratch, if long enough, is used
// as the radix sort's buffer. It returns the buffer for reuse.
func sortPairs(v, scratch []uint64) []uint64 {
	if len(v) < radixMin {
		slices.Sort(v)
		return scratch
	}
	return radix.Sort(v, scratch)
}
