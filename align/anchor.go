// Anchors: word n-grams the two documents share, grown into exact diagonal
// runs ("segments").
//
// Each side's n-gram hashes are sorted once, with their positions (a
// Prepared document sorts its own once and is paired many times); the
// shared n-grams of two documents are then found by one merge of the two
// sorted lists: sequential reads, no hash-table probe per word, and the
// counts of an n-gram on both sides come with it. An n-gram that occurs
// more than MaxRepeat times in either document (a refrain, a list of
// links, "the United States and its allies") is dropped: it would add
// MaxRepeat² hits that locate nothing. Consecutive hits on one diagonal
// merge into one segment, so a copied stretch of L words costs one
// segment, not L hits. Hashes are the tokenizer's 64-bit n-gram hashes;
// equality is checked word by word later, when segments become edit runs.
//
// Cost: sorting a side is O(n log n) once; a pair costs O(nA + nB) for the
// merge plus the hits. A prepared side also keeps a blocked Bloom filter
// of its n-grams (16 bits a word, two bits of one word a hash, so about 2%
// false positives): the other side's distinct n-grams each test one word,
// and only those that pass are
// looked up by binary search, so a pair of a short and a long document
// costs about the short one's length. (A hash table of one side probed by the other, the
// earlier way, cost a random memory access per word of every pair: a
// quarter of reuse's time on PAN 2013.)

package align

import (
	"cmp"
	"slices"
	"sync"

	"github.com/reprint/reprint/internal/radix"
	"github.com/reprint/reprint/token"
)

// segment is an exact diagonal run: words a[i:i+n] equal b[j:j+n].
type segment struct{ i, j, n int }

// anchorPos is one n-gram of a side: its hash and its word position.
type anchorPos struct {
	h uint64
	p int32
}

// sortedAnchors returns hs with their positions, sorted by hash, then
// position.
func sortedAnchors(hs []uint64) []anchorPos {
	return sortedAnchorsTmp(hs, nil)
}

// sortedAnchorsTmp is sortedAnchors with tmp as the radix sort's second
// buffer (grown when short, left to the caller for reuse): the result is
// always a fresh slice, since the sort makes an even number of passes.
func sortedAnchorsTmp(hs []uint64, tmp *[]anchorPos) []anchorPos {
	return sortedAnchorsIn(hs, nil, tmp)
}

// sortedAnchorsIn is sortedAnchorsTmp with the result in *dst (grown when
// short; nil: a fresh slice), for a caller that only reads it before its
// next use: preparing a document copies its sorted n-grams and keys out at
// their size, and the sorted lists made in *dst were 120 MB of garbage
// (and its page faults) on PAN 2013.
func sortedAnchorsIn(hs []uint64, dst, tmp *[]anchorPos) []anchorPos {
	var s []anchorPos
	if dst != nil && cap(*dst) >= len(hs) {
		s = (*dst)[:len(hs)]
	} else {
		s = make([]anchorPos, len(hs))
		if dst != nil {
			*dst = s
		}
	}
	for p, h := range hs {
		s[p] = anchorPos{h, int32(p)}
	}
	if len(s) < 256 {
		slices.SortFunc(s, func(x, y anchorPos) int {
			if x.h != y.h {
				return cmp.Compare(x.h, y.h)
			}
			return cmp.Compare(x.p, y.p)
		})
		return s
	}
	// A least-significant-digit radix sort of the top four bytes, a byte
	// at a time: stable, so positions stay in increasing order within a
	// hash, and without the comparisons that made sorting a fifth of
	// preparing a document. The hashes are uniform, so two of a document's
	// n-grams that differ only below their top 32 bits are rare, and one
	// insertion pass over the nearly sorted result (stable too) finishes
	// the order in about one comparison an element: half the passes of
	// sorting all eight bytes.
	var t []anchorPos
	if tmp != nil && cap(*tmp) >= len(s) {
		t = (*tmp)[:len(s)]
	} else {
		t = make([]anchorPos, len(s))
		if tmp != nil {
			*tmp = t
		}
	}
	var count [256]int
	for shift := uint(32); shift < 64; shift += 8 {
		clear(count[:])
		for _, a := range s {
			count[byte(a.h>>shift)]++
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, a := range s {
			d := byte(a.h >> shift)
			t[count[d]] = a
			count[d]++
		}
		s, t = t, s
	}
	// Four passes: s is the slice made above again. Hashes made to share
	// their top halves would make the insertion pass quadratic, so past a
	// few moves an element it leaves the rest to a comparison sort.
	budget := 4 * len(s)
	for k := 1; k < len(s); k++ {
		if a := s[k]; a.h < s[k-1].h {
			x := k
			for x > 0 && a.h < s[x-1].h {
				s[x] = s[x-1]
				x--
			}
			s[x] = a
			if budget -= k - x; budget < 0 {
				slices.SortStableFunc(s, func(x, y anchorPos) int { return cmp.Compare(x.h, y.h) })
				break
			}
		}
	}
	return s
}

// bloom is a blocked Bloom filter of a side's n-gram hashes: a hash picks
// one 64-bit word by its top bits and sets two bits of it by its low ones
// (the tokenizer's n-gram hashes are uniform). At 16 bits a hash it
// passes about 2% of absent hashes, where one bit a hash passed 6%, for
// the same one memory access: a pair of documents that share topic words
// and no text sends a third as many n-grams to the binary search.
type bloom struct {
	bits  []uint64
	shift uint // 64 - log2(len(bits))
}

// makeBloom returns an empty filter of 16 bits or more for n hashes.
func makeBloom(n int) bloom {
	lg := uint(0)
	for 64<<lg < 16*n {
		lg++
	}
	return bloom{bits: make([]uint64, 1<<lg), shift: 64 - lg}
}

// newBloom returns the filter of every n-gram of s.
func newBloom(s []anchorPos) bloom {
	f := makeBloom(len(s))
	for _, a := range s {
		f.add(a.h)
	}
	return f
}

func bloomMask(h uint64) uint64 { return 1<<(h&63) | 1<<(h>>6&63) }

func (f bloom) add(h uint64) { f.bits[h>>f.shift&(uint64(len(f.bits))-1)] |= bloomMask(h) }

func (f bloom) has(h uint64) bool {
	m := bloomMask(h)
	return f.bits[h>>f.shift&(uint64(len(f.bits))-1)]&m == m
}

// sortedSide is a side's n-grams sorted by hash, then position, as two
// arrays: a pair reads the hashes of both sides, one of them from memory
// that is not in cache, and the positions only of the n-grams they share.
type sortedSide struct {
	h []uint64
	p []int32
}

// sideOf returns s as a sortedSide.
func sideOf(s []anchorPos) sortedSide {
	d := sortedSide{h: make([]uint64, len(s)), p: make([]int32, len(s))}
	for k, a := range s {
		d.h[k], d.p[k] = a.h, a.p
	}
	return d
}

// probeSegments is probeSides on sorted lists of pairs.
func probeSegments(ss, sl []anchorPos, fl bloom, sIsA bool, k, maxRepeat int) []segment {
	return probeSides(sideOf(ss), sideOf(sl), fl, sIsA, k, maxRepeat)
}

// probeSides is mergeSegments for a side sl that has a Bloom filter fl:
// each distinct n-gram of the other side ss tests fl, and only those that
// pass are looked for in sl by galloping. sIsA says whether ss is side a.
func probeSides(ss, sl sortedSide, fl bloom, sIsA bool, k, maxRepeat int) []segment {
	buf := hitPool.Get().(*[]uint64)
	defer hitPool.Put(buf)
	hits := (*buf)[:0]
	defer func() { *buf = hits[:0] }()
	sh, lh := ss.h, sl.h
	from := 0 // ss ascends, so each search starts where the last one ended
	for x := 0; x < len(sh); {
		h := sh[x]
		ex := x + 1
		for ex < len(sh) && sh[ex] == h {
			ex++
		}
		if ex-x <= maxRepeat && fl.has(h) {
			// The first position with lh[y] >= h, by galloping from the
			// last one: the steps are short and stay in cache.
			lo, hi := from, from+1
			for hi < len(lh) && lh[hi] < h {
				lo, hi = hi, hi+2*(hi-lo)
			}
			hi = min(hi, len(lh))
			for lo < hi {
				m := int(uint(lo+hi) >> 1)
				if lh[m] < h {
					lo = m + 1
				} else {
					hi = m
				}
			}
			from = lo
			if y := lo; y < len(lh) && lh[y] == h {
				ey := y + 1
				for ey < len(lh) && lh[ey] == h {
					ey++
				}
				if ey-y <= maxRepeat {
					for _, ps := range ss.p[x:ex] {
						for _, pl := range sl.p[y:ey] {
							i, j := int(ps), int(pl)
							if !sIsA {
								i, j = j, i
							}
							hits = append(hits, hitKey(j-i, i))
						}
					}
				}
			}
		}
		x = ex
	}
	return hitSegments(hits, k)
}

// segments returns the maximal exact diagonal runs built from shared
// k-word anchors, sorted by (i, j).
func segments(a, b []token.Token, k, maxRepeat int) []segment {
	if len(a) < k || len(b) < k || k <= 0 {
		return nil
	}
	return mergeSegments(sortedAnchors(token.Shingles(a, k, nil)), sortedAnchors(token.Shingles(b, k, nil)), k, maxRepeat)
}

// A hit is one shared n-gram occurrence pair, diagonal d = j - i and
// position i, packed in one word that orders as (d, i) does: the hits of a
// pair are sorted by a plain integer sort, and consecutive positions on one
// diagonal are consecutive words. Positions are below 2^31 (a slice of
// tokens that long does not fit in memory).
func hitKey(d, i int) uint64 {
	return uint64(uint32(int32(d))^1<<31)<<32 | uint64(uint32(i))
}

func hitDiag(h uint64) int { return int(int32(uint32(h>>32) ^ 1<<31)) }

// hitPool holds the hit buffers of pairs, and hitTmp sortHits' second
// buffers.
var hitPool, hitTmp = sync.Pool{New: func() any { return new([]uint64) }}, sync.Pool{New: func() any { return new([]uint64) }}

// sortHits sorts hits in increasing order, as slices.Sort does. A pair
// that shares a long passage has thousands of hits, in the hash order the
// probe met them (sorting them was an eighth of the anchor level's time on
// PAN 2013), and most of a hit's bytes are the same in all of them: the
// position's top bytes, and the diagonal's but for its lowest one or two.
// So from radixHits hits on, internal/radix's sort, which skips the bytes
// every hit shares: a few passes of one read and one scattered write each.
func sortHits(hits []uint64) {
	if len(hits) < radixHits {
		slices.Sort(hits)
		return
	}
	buf := hitTmp.Get().(*[]uint64)
	*buf = radix.Sort(hits, *buf)
	hitTmp.Put(buf)
}

// radixHits is where sortHits stops calling slices.Sort: below it,
// pdqsort's few comparisons beat the radix sort's counting pass.
const radixHits = 512

// mergeSegments finds the n-grams sa (side a) and sb (side b) share, by a
// merge of the two sorted lists, and grows their hits into segments.
func mergeSegments(sa, sb []anchorPos, k, maxRepeat int) []segment {
	var hits []uint64
	x, y := 0, 0
	for x < len(sa) && y < len(sb) {
		hx, hy := sa[x].h, sb[y].h
		if hx < hy {
			x++
			continue
		}
		if hx > hy {
			y++
			continue
		}
		ex, ey := x+1, y+1
		for ex < len(sa) && sa[ex].h == hx {
			ex++
		}
		for ey < len(sb) && sb[ey].h == hx {
			ey++
		}
		if ex-x <= maxRepeat && ey-y <= maxRepeat {
			for _, pa := range sa[x:ex] {
				for _, pb := range sb[y:ey] {
					hits = append(hits, hitKey(int(pb.p)-int(pa.p), int(pa.p)))
				}
			}
		}
		x, y = ex, ey
	}
	return hitSegments(hits, k)
}

// hitSegments sorts hits by diagonal and merges consecutive ones into
// segments, sorted by (i, j).
func hitSegments(hits []uint64, k int) []segment {
	sortHits(hits)
	var segs []segment
	for s := 0; s < len(hits); {
		e := s + 1
		for e < len(hits) && hits[e] == hits[e-1]+1 {
			e++
		}
		i, d := int(uint32(hits[s])), hitDiag(hits[s])
		segs = append(segs, segment{i, i + d, int(uint32(hits[e-1])) - i + k})
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
