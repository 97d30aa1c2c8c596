// Anchors: word n-grams the two documents share, grown into exact diagonal
// runs ("segments").
//
// The smaller document's n-gram hashes go into a map; the larger one is
// streamed past it twice, once to count repeats and once to emit hits. An
// n-gram that occurs more than MaxRepeat times in either document (a
// refrain, a list of links, "the United States and its allies") is dropped:
// it would add MaxRepeat² hits that locate nothing. Consecutive hits on one
// diagonal merge into one segment, so a copied stretch of L words costs one
// segment, not L hits. Hashes are the tokenizer's 64-bit n-gram hashes;
// equality is checked word by word later, when segments become edit runs.

package align

import (
	"slices"

	"github.com/reprint/reprint/token"
)

// segment is an exact diagonal run: words a[i:i+n] equal b[j:j+n].
type segment struct{ i, j, n int }

type anchorEntry struct {
	first      int32 // first position in the small side, -1 once dropped
	countSmall int32
	countLarge int32
}

// segments returns the maximal exact diagonal runs built from shared
// k-word anchors, sorted by (i, j).
func segments(a, b []token.Token, k, maxRepeat int) []segment {
	if len(a) < k || len(b) < k || k <= 0 {
		return nil
	}
	sa := token.Shingles(a, k, nil)
	sb := token.Shingles(b, k, nil)
	swapped := false
	small, large := sa, sb
	if len(sb) < len(sa) {
		small, large, swapped = sb, sa, true
	}
	idx := make(map[uint64]int32, len(small))
	var entries []anchorEntry
	next := make([]int32, len(small)) // next position with the same hash
	// Insert backwards so each chain lists positions in increasing order.
	for p := len(small) - 1; p >= 0; p-- {
		h := small[p]
		e, ok := idx[h]
		if !ok {
			e = int32(len(entries))
			idx[h] = e
			entries = append(entries, anchorEntry{first: -1})
		}
		next[p] = entries[e].first
		entries[e].first = int32(p)
		entries[e].countSmall++
	}
	hitsIn := make([]int32, len(large)) // entry+1 for each large position, 0 if none
	for q, h := range large {
		if e, ok := idx[h]; ok {
			entries[e].countLarge++
			hitsIn[q] = e + 1
		}
	}
	type hit struct{ d, i int }
	var hits []hit
	for q, e1 := range hitsIn {
		if e1 == 0 {
			continue
		}
		e := &entries[e1-1]
		if int(e.countSmall) > maxRepeat || int(e.countLarge) > maxRepeat {
			continue
		}
		for p := e.first; p >= 0; p = next[p] {
			i, j := int(p), q
			if swapped {
				i, j = q, int(p)
			}
			hits = append(hits, hit{j - i, i})
		}
	}
	slices.SortFunc(hits, func(x, y hit) int {
		if x.d != y.d {
			return x.d - y.d
		}
		return x.i - y.i
	})
	var segs []segment
	for s := 0; s < len(hits); {
		e := s + 1
		for e < len(hits) && hits[e].d == hits[s].d && hits[e].i == hits[e-1].i+1 {
			e++
		}
		i := hits[s].i
		segs = append(segs, segment{i, i + hits[s].d, hits[e-1].i - i + k})
		s = e
	}
	slices.SortFunc(segs, func(x, y segment) int {
		if x.i != y.i {
			return x.i - y.i
		}
		return x.j - y.j
	})
	return segs
}
