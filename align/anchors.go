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
	hs := token.Shingles(toks, n, nil)
	if w <= 1 {
		dst = append(dst[:0], hs...)
	} else {
		dst = winnow(hs, w, dst[:0])
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// winnow appends the minimum of every window of w hashes (the rightmost on
// ties) to dst, once per position.
func winnow(hs []uint64, w int, dst []uint64) []uint64 {
	w = min(w, len(hs))
	last := -1
	for i := 0; i+w <= len(hs); i++ {
		m := i
		for j := i + 1; j < i+w; j++ {
			if hs[j] <= hs[m] {
				m = j
			}
		}
		if m != last {
			dst = append(dst, hs[m])
			last = m
		}
	}
	return dst
}
