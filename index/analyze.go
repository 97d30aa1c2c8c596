// One tokenization per text feeds everything the index keeps or looks up:
// the shingle set (near-duplicates), its MinHash band keys (candidates),
// and the anchors (passages).
//
// Anchors are chosen by align.WinnowedAnchors, the selection reuse uses
// too: winnowing (Schleimer, Wilkerson & Aiken 2003) over
// the hashes of the text's Anchor-word n-grams: in every window of Window
// consecutive n-grams the smallest hash is kept. Any run of
// Window+Anchor-1 words two texts share therefore gives them at least one
// anchor in common, with Anchor 4 and Window 12 every shared run of 15
// words (the shortest passage reported), while a text keeps only about
// 2/(Window+1) of its n-grams, about 15%. That is what makes postings for
// a million documents affordable. The cost: a 15-word passage edited inside
// every window can be missed; longer passages have many chances.

package index

import (
	"github.com/reprint/reprint/align"
	"github.com/reprint/reprint/token"
)

// analysis is what one text contributes to the index.
type analysis struct {
	toks     []token.Token
	shingles []uint64 // sorted, distinct
	bands    []uint64 // one per band; nil when the text has no words
	anchors  []uint64 // sorted, distinct
}

// analyze tokenizes text[start:] once and derives everything from it.
func (ix *Index) analyze(tz *token.Tokenizer, text string, start int) analysis {
	return ix.analyzeIn(tz, text, start, nil)
}

// analyzeIn is analyze with the tokens, shingles and signature in sc's
// buffers when sc is not nil: then the analysis's toks and shingles are
// sc's, valid until its next call. An add's worker analyses thousands of
// documents and keeps only their band keys and anchors (and the shingle
// set, copied, where the store holds it), so reusing these three buffers
// saves most of the analysis's allocations, about 12 KB a document of
// 1,700 bytes, and the collections they cost.
func (ix *Index) analyzeIn(tz *token.Tokenizer, text string, start int, sc *analyzeScratch) analysis {
	var a analysis
	var toks []token.Token
	var shingles []uint64
	var sig []uint32
	if sc != nil {
		toks, shingles, sig = sc.toks[:0], sc.shingles[:0], sc.sig[:0]
	}
	a.toks = tz.Tokens(text, start, toks)
	if len(a.toks) == 0 {
		return a
	}
	a.shingles = token.ShingleSet(a.toks, ix.p.NGram, shingles)
	a.bands, sig = ix.recipe.Keys(a.shingles, sig, nil)
	a.anchors = align.WinnowedAnchors(a.toks, ix.p.Anchor, ix.p.Window, nil)
	if sc != nil {
		sc.toks, sc.shingles, sc.sig = a.toks, a.shingles, sig
	}
	return a
}

// analyzeScratch is one worker's buffers for analyzeIn.
type analyzeScratch struct {
	toks     []token.Token
	shingles []uint64
	sig      []uint32
}
