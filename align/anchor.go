// Anchors: word n-grams the two documents share, grown into exact diagonal
// runs ("segments").
//
// One document's n-gram hashes go into a table (the smaller one's, or, for
// a Prepared document aligned with many others, its own once); the other is
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
	first int32 // first position in the table's side
	count int32 // occurrences in the table's side
}

// anchorTable maps one side's n-gram hashes to their positions.
type anchorTable struct {
	idx     map[uint64]int32
	entries []anchorEntry
	next    []int32 // next position with the same hash, -1 at the end
	other   []int32 // scratch: occurrences per entry in the streamed side, zero between calls
}

func newAnchorTable(hs []uint64) *anchorTable {
	t := &anchorTable{idx: make(map[uint64]int32, len(hs)), next: make([]int32, len(hs))}
	// Insert backwards so each chain lists positions in increasing order.
	for p := len(hs) - 1; p >= 0; p-- {
		h := hs[p]
		e, ok := t.idx[h]
		if !ok {
			e = int32(len(t.entries))
			t.idx[h] = e
			t.entries = append(t.entries, anchorEntry{first: -1})
		}
		t.next[p] = t.entries[e].first
		t.entries[e].first = int32(p)
		t.entries[e].count++
	}
	t.other = make([]int32, len(t.entries))
	return t
}

// segments returns the maximal exact diagonal runs built from shared
// k-word anchors, sorted by (i, j).
func segments(a, b []token.Token, k, maxRepeat int) []segment {
	if len(a) < k || len(b) < k || k <= 0 {
		return nil
	}
	sa := token.Shingles(a, k, nil)
	sb := token.Shingles(b, k, nil)
	if len(sb) < len(sa) {
		return newAnchorTable(sb).segments(sa, true, k, maxRepeat)
	}
	return newAnchorTable(sa).segments(sb, false, k, maxRepeat)
}

// segments streams the other side's n-gram hashes past the table. The
// table holds side a unless swapped.
func (t *anchorTable) segments(hs []uint64, swapped bool, k, maxRepeat int) []segment {
	hitsIn := make([]int32, len(hs)) // entry+1 for each streamed position, 0 if none
	for q, h := range hs {
		if e, ok := t.idx[h]; ok {
			t.other[e]++
			hitsIn[q] = e + 1
		}
	}
	type hit struct{ d, i int }
	var hits []hit
	for q, e1 := range hitsIn {
		if e1 == 0 {
			continue
		}
		e := &t.entries[e1-1]
		if int(e.count) > maxRepeat || int(t.other[e1-1]) > maxRepeat {
			continue
		}
		for p := e.first; p >= 0; p = t.next[p] {
			i, j := int(p), q
			if swapped {
				i, j = q, int(p)
			}
			hits = append(hits, hit{j - i, i})
		}
	}
	for _, e1 := range hitsIn {
		if e1 != 0 {
			t.other[e1-1] = 0
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
