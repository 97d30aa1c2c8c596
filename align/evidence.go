// Evidence: which candidate pairs can hold a passage, told from where
// their rare content keys meet, before either document is aligned.
//
// A candidate pair of reuse shares MinShared content keys (keys.go) that
// are rare across the collection, anywhere in the two documents. Reused
// text, however edited, puts such keys close together on both sides: an
// exact run holds consecutive keys on one diagonal, and a reworded,
// translated or summarised passage is made of sentences whose content
// words pair up, two keys to a sentence pair at least, in several
// sentences. Two documents on one subject share rare keys too, but
// scattered: one here, one there, in sentences that have nothing else in
// common. MayShare passes a pair when either shape is there:
//
//   - two shared keys on one diagonal (equal token offset) at most MaxGap
//     words apart in A: the start of an exact run; or
//   - sentence pairs holding two shared keys (counted over the pair and
//     its next sentences on either side, so that a sentence split or
//     merged in the copy still counts), in MinSeeds distinct sentences of
//     each document: what a paraphrase passage needs (para.go).
//
// Measured on PAN 2013's training corpus (reuse's 101,327 candidate
// pairs; rare = in at most MaxDF documents): 48,800 of the 87,815 pairs
// without passages fail it, and 61 of the 13,512 with passages do, 4 of
// them listed pairs (the others mostly share a phrase whose keys are all
// common across the collection). It is a filter, not a proof: a pair that
// fails it is not aligned at all.
//
// Cost: preparing a document lists its rare key sites (sorted by key);
// a pair costs a merge of the two lists (galloping through the longer),
// then a sort of the matches, which are few unless the pair shares text.

package align

import (
	"cmp"
	"slices"
	"sync"

	"github.com/reprint/reprint/token"
)

// keySet is where a prepared document's rare content keys occur: its
// distinct keys in increasing order, for each the sites (token and
// sentence) keys[k] occurs at, sites[start[k]:start[k+1]], and a Bloom
// filter of the keys, so that the other side of a pair tests most of its
// keys with one bit.
type keySet struct {
	keys   []uint64
	start  []int32
	sites  []keySite
	filter bloom
}

// keySite is one occurrence of a key: the token that ends it and that
// token's sentence.
type keySite struct{ tok, sent int32 }

// PrepareKeyed is PrepareText that also records, for MayShare, where the
// document's content keys that rare reports true for occur (rare is asked
// once per distinct key). With ExactOnly there are no keys, and MayShare
// passes the document.
func PrepareKeyed(ta string, a []token.Token, opt Options, rare func(key uint64) bool) *Prepared {
	p := PrepareContent(ta, a, opt)
	p.KeyRare(rare)
	return p
}

// PrepareContent is PrepareText that also keeps, until KeyRare, what the
// document's content keys are made of, so that a collection can take each
// document's candidate keys (ContentKeys) and, once their document
// frequencies are known, its rare key sites (KeyRare) from one
// preparation instead of two.
func PrepareContent(ta string, a []token.Token, opt Options) *Prepared {
	p := Prepare(a, opt)
	if !p.o.ExactOnly {
		p.text, p.terms = newTextDoc(ta, a)
		p.unkeyed = true
	}
	return p
}

// ContentKeys appends to dst[:0] and returns the sorted, distinct content
// keys of a document prepared by PrepareContent and not yet keyed:
// ContentKeys(ta, a, dst) of its text and tokens.
func (p *Prepared) ContentKeys(dst []uint64) []uint64 {
	n := 0 // content tokens: one key each after the first
	for _, v := range p.terms {
		if v != 0 {
			n++
		}
	}
	dst = slices.Grow(dst[:0], max(0, n-1))
	var prev uint64
	for _, v := range p.terms {
		if v == 0 {
			continue
		}
		h := p.text.vocab[v-1]
		if prev != 0 {
			dst = append(dst, token.Mix(prev*0x9E3779B97F4A7C15^h))
		}
		prev = h
	}
	token.SortHashes(dst)
	return slices.Compact(dst)
}

// KeyRare records, for MayShare, where the content keys that rare reports
// true for occur in a document prepared by PrepareContent (rare is asked
// once per distinct key), as PrepareKeyed does, and lets go of what they
// were made from; rare nil only lets go, leaving the document unkeyed
// (PrepareText's). It does nothing to a document already keyed or
// prepared otherwise.
func (p *Prepared) KeyRare(rare func(key uint64) bool) {
	if !p.unkeyed {
		return
	}
	if rare != nil {
		p.indexKeys(p.terms, rare)
	}
	p.terms, p.unkeyed = nil, false
}

// indexKeys builds p.keys from each token's vocab index + 1 (terms).
func (p *Prepared) indexKeys(terms []int32, rare func(key uint64) bool) {
	d := p.text
	n := 0 // keys: content tokens after the first
	for _, v := range terms {
		if v != 0 {
			n++
		}
	}
	sc := prepPool.Get().(*prepScratch)
	defer prepPool.Put(sc)
	hs := slices.Grow(sc.hs[:0], max(0, n-1))
	at := slices.Grow(sc.at[:0], max(0, n-1))
	defer func() { sc.hs, sc.at = hs[:0], at[:0] }()
	var prev uint64
	s := 0
	for k, v := range terms {
		if v == 0 {
			continue
		}
		h := d.vocab[v-1]
		if prev != 0 {
			for s < len(d.sents)-1 && d.sents[s].t1 <= k {
				s++
			}
			hs = append(hs, token.Mix(prev*0x9E3779B97F4A7C15^h))
			at = append(at, keySite{int32(k), int32(s)})
		}
		prev = h
	}
	// The keys, starts and sites are gathered in scratch memory and copied
	// out at their size: the document is held for the whole run.
	sorted := sortedAnchorsIn(hs, &sc.sorted, &sc.tmp) // by key, then position: sites in token order
	// rare is asked of every distinct key first, in a loop of its own: its
	// answer is usually a table lookup that misses the cache, and with no
	// branch waiting on one answer, the lookups of many keys overlap.
	isRare := sc.rare[:0]
	for x, a := range sorted {
		if x == 0 || a.h != sorted[x-1].h {
			isRare = append(isRare, rare(a.h))
		}
	}
	sc.rare = isRare
	keys, start, sites := sc.keys[:0], sc.start[:0], sc.sites[:0]
	for x, g := 0, 0; x < len(sorted); g++ {
		h := sorted[x].h
		e := x + 1
		for e < len(sorted) && sorted[e].h == h {
			e++
		}
		if isRare[g] {
			keys = append(keys, h)
			start = append(start, int32(len(sites)))
			for _, a := range sorted[x:e] {
				sites = append(sites, at[a.p])
			}
		}
		x = e
	}
	start = append(start, int32(len(sites)))
	ks := &keySet{keys: slices.Clone(keys), start: slices.Clone(start), sites: slices.Clone(sites)}
	sc.keys, sc.start, sc.sites = keys, start, sites
	ks.filter = makeBloom(len(ks.keys))
	for _, h := range ks.keys {
		ks.filter.add(h)
	}
	p.keys = ks
}

// match is one key both documents hold: its token and sentence in each.
type match struct{ i, j, si, sj int32 }

// keyScratch is MayShare's working memory, reused across pairs.
type keyScratch struct {
	ms     []match
	as, bs []int32 // sentences of A and of B in sentence pairs with two keys
	// An open-addressing table of the matches by diagonal, so that two on
	// one diagonal are noticed as they come (a pair that shares an exact
	// run ends after a few matches); stamp marks the slots of this pair.
	diag, at []int32
	stamp    []uint32
	cur      uint32
	n        int
}

const diagSlots = 1024 // a power of two; past half full, the sort decides

var keyPool = sync.Pool{New: func() any {
	return &keyScratch{diag: make([]int32, diagSlots), at: make([]int32, diagSlots), stamp: make([]uint32, diagSlots)}
}}

// near records match m and reports whether an earlier one lies on its
// diagonal at most gap tokens away; false also once the table is half
// full and m is not recorded.
func (sc *keyScratch) near(m match, gap int) bool {
	d := m.j - m.i
	h := (uint32(d) * 0x9E3779B1) >> (32 - 10)
	for sc.stamp[h] == sc.cur {
		if sc.diag[h] == d && abs32(sc.at[h]-m.i) <= int32(gap) {
			return true
		}
		h = (h + 1) & (diagSlots - 1)
	}
	if 2*sc.n < diagSlots {
		sc.stamp[h], sc.diag[h], sc.at[h] = sc.cur, d, m.i
		sc.n++
	}
	return false
}

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}

// MayShare reports whether p and q hold their shared rare content keys in
// a shape a passage needs (see above); a pair where either side was not
// keyed (PrepareKeyed) passes. p's options apply (MaxGap, MinSeeds).
func (p *Prepared) MayShare(q *Prepared) bool {
	if p.keys == nil || q.keys == nil {
		return true
	}
	sc := keyPool.Get().(*keyScratch)
	defer keyPool.Put(sc)
	sc.cur++
	if sc.cur == 0 { // wrapped: no slot may look stamped for this pair
		clear(sc.stamp)
		sc.cur = 1
	}
	sc.n = 0
	ms := sc.ms[:0]
	defer func() { sc.ms = ms[:0] }()
	short, long, swap := p.keys, q.keys, false
	if len(short.keys) > len(long.keys) {
		short, long, swap = long, short, true
	}
	from := 0
	for x, h := range short.keys {
		if !long.filter.has(h) {
			continue
		}
		// The first key of long >= h, galloping from the last one found.
		lo, hi := from, from+1
		for hi < len(long.keys) && long.keys[hi] < h {
			lo, hi = hi, hi+2*(hi-lo)
		}
		hi = min(hi, len(long.keys))
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if long.keys[m] < h {
				lo = m + 1
			} else {
				hi = m
			}
		}
		from = lo
		if lo == len(long.keys) || long.keys[lo] != h {
			continue
		}
		for _, s := range short.sites[short.start[x]:short.start[x+1]] {
			for _, l := range long.sites[long.start[lo]:long.start[lo+1]] {
				a, b := s, l
				if swap {
					a, b = l, s
				}
				m := match{a.tok, b.tok, a.sent, b.sent}
				// Two keys on one diagonal, close in A: an exact run starts there.
				if sc.near(m, p.o.MaxGap) {
					return true
				}
				ms = append(ms, m)
			}
		}
	}
	if len(ms) < 2 {
		return false
	}
	if 2*sc.n >= diagSlots { // not every match went into the table
		if sortedNear(ms, p.o.MaxGap) {
			return true
		}
	}
	// Sentence pairs with two keys, next sentences included.
	slices.SortFunc(ms, func(x, y match) int {
		if x.si != y.si {
			return cmp.Compare(x.si, y.si)
		}
		return cmp.Compare(x.sj, y.sj)
	})
	// count is the matches of sentence pair (si, sj) among ms[from:]: the
	// three pairs a group counts with it all come after it in ms.
	count := func(from int, si, sj int32) int {
		rest := ms[from:]
		k, _ := slices.BinarySearchFunc(rest, [2]int32{si, sj}, func(m match, c [2]int32) int {
			if m.si != c[0] {
				return cmp.Compare(m.si, c[0])
			}
			return cmp.Compare(m.sj, c[1])
		})
		n := 0
		for ; k < len(rest) && rest[k].si == si && rest[k].sj == sj; k++ {
			n++
		}
		return n
	}
	as, bs := sc.as[:0], sc.bs[:0]
	defer func() { sc.as, sc.bs = as[:0], bs[:0] }()
	for k := 0; k < len(ms); {
		si, sj := ms[k].si, ms[k].sj
		e := k + 1
		for e < len(ms) && ms[e].si == si && ms[e].sj == sj {
			e++
		}
		if n := e - k; n >= 2 || n+count(e, si+1, sj)+count(e, si, sj+1)+count(e, si+1, sj+1) >= 2 {
			as, bs = append(as, si), append(bs, sj)
		}
		k = e
	}
	slices.Sort(as)
	slices.Sort(bs)
	return len(slices.Compact(as)) >= p.o.MinSeeds && len(slices.Compact(bs)) >= p.o.MinSeeds
}

// sortedNear reports whether two of ms lie on one diagonal at most gap
// tokens apart, by sorting them by diagonal.
func sortedNear(ms []match, gap int) bool {
	slices.SortFunc(ms, func(x, y match) int {
		if dx, dy := x.j-x.i, y.j-y.i; dx != dy {
			return cmp.Compare(dx, dy)
		}
		return cmp.Compare(x.i, y.i)
	})
	for k := 1; k < len(ms); k++ {
		if ms[k].j-ms[k].i == ms[k-1].j-ms[k-1].i && int(ms[k].i-ms[k-1].i) <= gap {
			return true
		}
	}
	return false
}
