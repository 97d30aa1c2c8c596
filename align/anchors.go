// Anchors: the word n-grams that seed passages and make candidate pairs.
// One selection serves reuse and the persistent index: WinnowedAnchors with
// a window of 1 (every n-gram, what reuse uses, so that short edited
// passages keep enough shared anchors to become candidates) or more (what
// the index stores, about 2/(w+1) of the n-grams, so that a million
// documents' postings fit; any shared run of w+n-1 words still shares an
// anchor). Candidate pairs come from package lsh, which sorts (anchor,
// document) postings within a memory budget, drops anchors held by more
// than MaxDF documents and keeps pairs sharing MinShared of them.
//
// An anchor repeated within one document counts once.

package align

import (
	"slices"
	"sync"

	"github.com/reprint/reprint/token"
)

// Anchors returns the sorted, distinct opt.Anchor-word anchor hashes of
// toks, every one of them (WinnowedAnchors with a window of 1). dst is
// reused when large enough.
func Anchors(toks []token.Token, opt Options, dst []uint64) []uint64 {
	return WinnowedAnchors(toks, opt.norm().Anchor, 1, dst)
}

// WinnowedAnchors returns the sorted, distinct minima of every window of w
// consecutive n-word anchor hashes of toks (winnowing, Schleimer, Wilkerson
// & Aiken 2003); w <= 1 keeps every anchor, as Anchors does. Any run of
// w+n-1 words two texts share gives them at least one anchor in common,
// while a text keeps only about 2/(w+1) of its n-grams.
func WinnowedAnchors(toks []token.Token, n, w int, dst []uint64) []uint64 {
	if len(toks) < n {
		return dst[:0]
	}
	if w <= 1 {
		dst = token.Shingles(toks, n, dst[:0])
	} else {
		// The n-grams are scratch: only the window minima are kept.
		buf := shingleBufs.Get().(*[]uint64)
		hs := token.Shingles(toks, n, (*buf)[:0])
		dst = winnow(hs, w, dst[:0])
		*buf = hs
		shingleBufs.Put(buf)
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// shingleBufs holds WinnowedAnchors' n-gram buffers: the index winnows
// every document it adds and every query, and a fresh buffer each time
// was most of an add's garbage.
var shingleBufs = sync.Pool{New: func() any { return new([]uint64) }}

// winnow appends the minimum of every window of w hashes (the rightmost on
// ties) to dst, once per position. The candidates for a window's minimum
// are kept in a deque, positions increasing and hashes strictly
// increasing from the front: a hash at or below the back's makes the back
// useless to every later window, so each position enters and leaves once
// and the cost is O(len(hs)), whatever w.
func winnow(hs []uint64, w int, dst []uint64) []uint64 {
	w = min(w, len(hs))
	if w <= 0 {
		return dst
	}
	// q is a ring of positions, head its front and size its length: at most
	// w+1 at once (a window's, and the next position before the front
	// leaves).
	var small [64]int32
	q := small[:]
	if w+1 > len(small) {
		q = make([]int32, w+1)
	}
	head, size := 0, 0
	last := int32(-1)
	for j := range hs {
		for size > 0 && hs[q[(head+size-1)%len(q)]] >= hs[j] {
			size--
		}
		q[(head+size)%len(q)] = int32(j)
		size++
		i := j - w + 1 // the window hs[i:j+1]
		if i < 0 {
			continue
		}
		if int(q[head]) < i {
			head = (head + 1) % len(q)
			size--
		}
		if m := q[head]; m != last {
			dst = append(dst, hs[m])
			last = m
		}
	}
	return dst
}
