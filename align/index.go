// An inverted index from anchor n-grams to documents, for finding which
// pairs of a collection share a passage without comparing all pairs.
//
// Add records each distinct anchor hash of a document as one (hash, doc)
// posting: 12 bytes of payload per distinct n-gram, no per-key map
// overhead, and nothing of the text. Postings go to one of 256 slices by
// the hash's top byte, so that growing them never copies the whole index at
// once and Candidates can sort the slices on all cores. Candidates sorts the
// postings by hash, skips every anchor found in more than MaxDF documents
// (stock phrases, boilerplate: they would add MaxDF² pairs and locate
// nothing), emits the document pairs of each remaining anchor, sorts those
// (partitioned by first document, again on all cores), and keeps pairs that
// share at least MinShared anchors. Sorting rather than hashing makes the
// result independent of the order of Add calls and of the number of cores,
// and leaves room to spill sorted runs to disk, as lsh does, for corpora
// larger than memory. Anchors can be computed apart from Add (by parallel
// workers) and handed over with AddAnchors.
//
// An anchor repeated within one document counts once. Deliberately not
// done: sampling anchors (winnowing, hash-mod-p) to save memory; it would
// lose passages near MinWords, which are the ones this index exists for.

package align

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/reprint/reprint/token"
)

type posting struct {
	hash uint64
	doc  int32
}

const indexBuckets = 256

// Index collects anchors of many documents and lists candidate pairs.
type Index struct {
	opt     Options
	buckets [indexBuckets][]posting
	n       int // postings
	maxDoc  int
	buf     []uint64
}

// NewIndex returns an empty Index using opt.Anchor, opt.MaxDF and
// opt.MinShared.
func NewIndex(opt Options) *Index {
	return &Index{opt: opt.norm(), maxDoc: -1}
}

// Anchors returns the sorted, distinct anchor hashes of toks under opt:
// what Add records of a document. dst is reused when large enough.
func Anchors(toks []token.Token, opt Options, dst []uint64) []uint64 {
	o := opt.norm()
	if len(toks) < o.Anchor {
		return dst[:0]
	}
	dst = token.Shingles(toks, o.Anchor, dst[:0])
	slices.Sort(dst)
	return slices.Compact(dst)
}

// Add records the anchors of document doc (a non-negative number the caller
// chooses; pairs are reported with it).
func (ix *Index) Add(doc int, toks []token.Token) {
	ix.buf = Anchors(toks, ix.opt, ix.buf)
	ix.AddAnchors(doc, ix.buf)
}

// AddAnchors records anchors, as returned by Anchors with the index's
// options, for document doc.
func (ix *Index) AddAnchors(doc int, anchors []uint64) {
	if doc < 0 || len(anchors) == 0 {
		return
	}
	for _, h := range anchors {
		b := &ix.buckets[h>>56]
		*b = append(*b, posting{h, int32(doc)})
	}
	ix.n += len(anchors)
	ix.maxDoc = max(ix.maxDoc, doc)
}

// Postings reports how many (anchor, document) postings the index holds;
// its memory is about 16 bytes per posting.
func (ix *Index) Postings() int { return ix.n }

// Candidates returns the pairs {x, y}, x < y, of documents that share at
// least MinShared anchors found in at most MaxDF documents, in increasing
// order. It sorts the postings in place; Add may be called again after.
func (ix *Index) Candidates() [][2]int {
	if ix.maxDoc < 0 {
		return nil
	}
	// Pairs are partitioned by their first document, so that sorting the
	// partitions one by one sorts them all.
	parts := min(indexBuckets, ix.maxDoc+1)
	part := func(x int32) int { return int(int64(x) * int64(parts) / int64(ix.maxDoc+1)) }
	found := make([][][]uint64, indexBuckets) // per bucket, per partition
	parallel(indexBuckets, func(b int) {
		ps := ix.buckets[b]
		slices.SortFunc(ps, func(x, y posting) int {
			switch {
			case x.hash < y.hash:
				return -1
			case x.hash > y.hash:
				return 1
			}
			return int(x.doc) - int(y.doc)
		})
		out := make([][]uint64, parts)
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
							p := part(g[x].doc)
							out[p] = append(out[p], uint64(g[x].doc)<<32|uint64(g[y].doc))
						}
					}
				}
			}
			s = e
		}
		found[b] = out
	})
	kept := make([][][2]int, parts)
	parallel(parts, func(p int) {
		var pairs []uint64
		for b := range found {
			pairs = append(pairs, found[b][p]...)
			found[b][p] = nil
		}
		slices.Sort(pairs)
		for s := 0; s < len(pairs); {
			e := s + 1
			for e < len(pairs) && pairs[e] == pairs[s] {
				e++
			}
			if e-s >= ix.opt.MinShared {
				kept[p] = append(kept[p], [2]int{int(pairs[s] >> 32), int(uint32(pairs[s]))})
			}
			s = e
		}
	})
	return slices.Concat(kept...)
}

// parallel calls f(0), ..., f(n-1) on all cores.
func parallel(n int, f func(int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
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
