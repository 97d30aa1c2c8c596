// An inverted index from anchor n-grams to documents, for finding which
// pairs of a collection share a passage without comparing all pairs.
//
// Add records each distinct anchor hash of a document as one (hash, doc)
// posting in a flat slice: 12 bytes of payload per distinct n-gram, no
// per-key map overhead, and nothing of the text. Candidates sorts the
// postings by hash, skips every anchor found in more than MaxDF documents
// (stock phrases, boilerplate: they would add MaxDF² pairs and locate
// nothing), emits the document pairs of each remaining anchor, sorts those,
// and keeps pairs that share at least MinShared anchors. Sorting rather than
// hashing makes the result independent of the order of Add calls and leaves
// room to spill sorted runs to disk, as lsh does, for corpora larger than
// memory.
//
// An anchor repeated within one document counts once. Deliberately not
// done: sampling anchors (winnowing, hash-mod-p) to save memory; it would
// lose passages near MinWords, which are the ones this index exists for.

package align

import (
	"slices"

	"github.com/reprint/reprint/token"
)

type posting struct {
	hash uint64
	doc  int32
}

// Index collects anchors of many documents and lists candidate pairs.
type Index struct {
	opt      Options
	postings []posting
	buf      []uint64
}

// NewIndex returns an empty Index using opt.Anchor, opt.MaxDF and
// opt.MinShared.
func NewIndex(opt Options) *Index {
	return &Index{opt: opt.norm()}
}

// Add records the anchors of document doc (a non-negative number the caller
// chooses; pairs are reported with it).
func (ix *Index) Add(doc int, toks []token.Token) {
	if len(toks) < ix.opt.Anchor || doc < 0 {
		return
	}
	ix.buf = token.Shingles(toks, ix.opt.Anchor, ix.buf[:0])
	slices.Sort(ix.buf)
	ix.buf = slices.Compact(ix.buf)
	for _, h := range ix.buf {
		ix.postings = append(ix.postings, posting{h, int32(doc)})
	}
}

// Postings reports how many (anchor, document) postings the index holds;
// its memory is about 16 bytes per posting.
func (ix *Index) Postings() int { return len(ix.postings) }

// Candidates returns the pairs {x, y}, x < y, of documents that share at
// least MinShared anchors found in at most MaxDF documents, in increasing
// order. It sorts the postings in place; Add may be called again after.
func (ix *Index) Candidates() [][2]int {
	ps := ix.postings
	slices.SortFunc(ps, func(x, y posting) int {
		switch {
		case x.hash < y.hash:
			return -1
		case x.hash > y.hash:
			return 1
		}
		return int(x.doc) - int(y.doc)
	})
	var pairs []uint64
	for s := 0; s < len(ps); {
		e := s + 1
		for e < len(ps) && ps[e].hash == ps[s].hash {
			e++
		}
		// The same document added twice under one id counts once.
		g := ps[s:e]
		if len(g) <= ix.opt.MaxDF {
			for x := range g {
				for y := x + 1; y < len(g); y++ {
					if g[x].doc != g[y].doc {
						pairs = append(pairs, uint64(g[x].doc)<<32|uint64(g[y].doc))
					}
				}
			}
		}
		s = e
	}
	slices.Sort(pairs)
	var out [][2]int
	for s := 0; s < len(pairs); {
		e := s + 1
		for e < len(pairs) && pairs[e] == pairs[s] {
			e++
		}
		if e-s >= ix.opt.MinShared {
			out = append(out, [2]int{int(pairs[s] >> 32), int(uint32(pairs[s]))})
		}
		s = e
	}
	return out
}
