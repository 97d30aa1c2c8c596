// Pair: from chains to passages.
//
// Each chain becomes one alignment path: its segments as equal runs, the
// gaps between them filled by a global affine-gap alignment, and both ends
// extended by a free-end alignment over a window of MaxGap words, repeated
// while the best end keeps reaching the window's edge. The path is then cut
// into its maximal-scoring pieces (recursively: the best-scoring stretch,
// then the best of what lies left and right of it), which is what a local
// (Smith-Waterman) alignment would keep: a passage starts and ends on equal
// words, and a run of differences costlier than the matches on either side
// of it splits the passage instead of gluing unrelated text together.
//
// A piece is reported when its longer side has at least MinWords words and
// its identity is at least MinIdentity. The length is taken on the longer
// side, not as the count of equal words, so that a 15-word passage with one
// changed word is still a 15-word passage. Passages that overlap in both
// documents (two chains through repeated text) are realigned as one.

package align

import (
	"slices"
	"sync"

	"github.com/reprint/reprint/token"
)

// Passage is a stretch of text two documents share.
type Passage struct {
	AStart, AEnd int     // byte span in A, half-open, on word boundaries
	BStart, BEnd int     // byte span in B
	ATok0, ATok1 int     // token range in A, half-open
	BTok0, BTok1 int     // token range in B
	Words        int     // equal words
	Score        float64 // alignment score, in units of one matching word
	Identity     float64 // equal words over aligned columns (equal, substituted, inserted, deleted)
	Kind         string  // what kind of reuse: KindVerbatim, KindEdited or KindParaphrase
}

// Pair returns the passages a and b share, ordered by AStart then BStart.
func Pair(a, b []token.Token, opt Options) []Passage {
	o := opt.norm()
	segs := segments(a, b, o.Anchor, o.MaxRepeat)
	if len(segs) == 0 {
		return nil
	}
	return classify(pairSegments(a, b, hashes(a), hashes(b), segs, &o), &o)
}

// Prepared is one document made ready to be aligned with many others: its
// n-gram table and word hashes are built once instead of once per pair. A
// query against an index aligns one text with dozens of candidates. It is
// not safe for concurrent use.
type Prepared struct {
	toks   []token.Token
	o      Options
	hs     []uint64
	sorted sortedSide // anchor n-grams sorted by hash; empty when shorter than one anchor
	filter bloom      // of sorted
	text   *textDoc   // the paraphrase level's view, when prepared with its text
	keys   *keySet    // where its rare content keys are (PrepareKeyed)
	// Between PrepareContent and KeyRare: each token's vocab index + 1.
	terms   []int32
	unkeyed bool
}

// Prepare readies a to be aligned with many documents under opt.
func Prepare(a []token.Token, opt Options) *Prepared {
	o := opt.norm()
	p := &Prepared{toks: a, o: o, hs: hashes(a)}
	if len(a) >= o.Anchor {
		sc := prepPool.Get().(*prepScratch)
		sc.sh = token.Shingles(a, o.Anchor, sc.sh[:0])
		sorted := sortedAnchorsIn(sc.sh, &sc.sorted, &sc.tmp)
		p.filter = newBloom(sorted)
		p.sorted = sideOf(sorted)
		prepPool.Put(sc)
	}
	return p
}

// prepScratch is the temporary memory of preparing a document (n-gram
// hashes, the radix sort's second buffer, content keys and their sites),
// pooled: a collection prepares thousands of documents, and these buffers
// were a tenth of its allocations.
type prepScratch struct {
	sh     []uint64
	sorted []anchorPos // sortedAnchorsIn's result, read and copied out
	tmp    []anchorPos
	hs     []uint64
	at     []keySite

	keys  []uint64
	start []int32
	sites []keySite
	rare  []bool // indexKeys: each distinct key's answer
}

var prepPool = sync.Pool{New: func() any { return new(prepScratch) }}

// Pair returns the passages the prepared document (A) shares with b,
// exactly as Pair(a, b, opt) would.
func (p *Prepared) Pair(b []token.Token) []Passage {
	return classify(p.exact(b, hashes(b)), &p.o)
}

// exact returns the anchor level's passages of the prepared document and b.
func (p *Prepared) exact(b []token.Token, hb []uint64) []Passage {
	if len(p.sorted.h) == 0 || len(b) < p.o.Anchor {
		return nil
	}
	sb := sideOf(sortedAnchors(token.Shingles(b, p.o.Anchor, nil)))
	segs := probeSides(sb, p.sorted, p.filter, false, p.o.Anchor, p.o.MaxRepeat)
	if len(segs) == 0 {
		return nil
	}
	return pairSegments(p.toks, b, p.hs, hb, segs, &p.o)
}

// exactPrepared is exact with b prepared too: the shorter side's n-grams
// probe the longer one's filter.
func (p *Prepared) exactPrepared(q *Prepared) []Passage {
	if len(p.sorted.h) == 0 || len(q.sorted.h) == 0 {
		return nil
	}
	var segs []segment
	if len(p.sorted.h) <= len(q.sorted.h) {
		segs = probeSides(p.sorted, q.sorted, q.filter, true, p.o.Anchor, p.o.MaxRepeat)
	} else {
		segs = probeSides(q.sorted, p.sorted, p.filter, false, p.o.Anchor, p.o.MaxRepeat)
	}
	b, hb := q.toks, q.hs
	if len(segs) == 0 {
		return nil
	}
	return pairSegments(p.toks, b, p.hs, hb, segs, &p.o)
}

// pairSegments turns the segments of a and b into passages.
func pairSegments(a, b []token.Token, ha, hb []uint64, segs []segment, o *Options) []Passage {
	al := alignerPool.Get().(*aligner)
	defer alignerPool.Put(al)
	var ps []Passage
	ops := al.path[:0] // a chain's path is cut into passages and dropped
	for _, c := range chains(segs, o.MaxGap, &al.chain) {
		ops = al.chainPath(ha, hb, c, o, ops[:0])
		ps = appendPieces(ps, a, b, ops, o)
	}
	al.path = ops[:0]
	ps = mergeOverlaps(ps, a, b, ha, hb, al, o)
	slices.SortFunc(ps, comparePassages)
	return ps
}

func comparePassages(x, y Passage) int {
	if x.AStart != y.AStart {
		return x.AStart - y.AStart
	}
	if x.BStart != y.BStart {
		return x.BStart - y.BStart
	}
	if x.AEnd != y.AEnd {
		return x.AEnd - y.AEnd
	}
	return x.BEnd - y.BEnd
}

// chainPath builds the alignment path of one chain, ends extended.
func (al *aligner) chainPath(ha, hb []uint64, c []link, o *Options, dst []Op) []Op {
	first := c[0].seg
	dst = al.extendBack(ha, hb, first.i, first.j, o, dst)
	dst = appendDiag(dst, ha, hb, first.i, first.j, first.n)
	pi, pj := first.i+first.n, first.j+first.n
	for _, l := range c[1:] {
		i, j, n := l.seg.i+l.shift, l.seg.j+l.shift, l.seg.n-l.shift
		if i > pi || j > pj {
			start := len(dst)
			dst = al.global(ha[pi:i], hb[pj:j], -o.MaxGap, o.MaxGap, o, dst)
			shiftOps(dst[start:], pi, pj)
		}
		dst = appendDiag(dst, ha, hb, i, j, n)
		pi, pj = i+n, j+n
	}
	return al.extendFwd(ha, hb, pi, pj, o, dst)
}

func shiftOps(ops []Op, di, dj int) {
	for k := range ops {
		ops[k].A0 += di
		ops[k].A1 += di
		ops[k].B0 += dj
		ops[k].B1 += dj
	}
}

// extendFwd appends the best free-end alignment starting at (i,j).
func (al *aligner) extendFwd(ha, hb []uint64, i, j int, o *Options, dst []Op) []Op {
	win := max(o.MaxGap, 2*o.Anchor)
	band := max(o.MaxGap/2, 2)
	for {
		wa, wb := ha[i:min(len(ha), i+win)], hb[j:min(len(hb), j+win)]
		if len(wa) == 0 || len(wb) == 0 {
			return dst
		}
		start := len(dst)
		var bi, bj int
		dst, bi, bj, _ = al.run(wa, wb, -band, band, o, true, 0, dst)
		shiftOps(dst[start:], i, j)
		i, j = i+bi, j+bj
		if bi+o.Anchor < len(wa) && bj+o.Anchor < len(wb) || bi == 0 && bj == 0 {
			return dst
		}
	}
}

// extendBack prepends the best free-end alignment ending at (i,j), running
// the aligner on the reversed windows.
func (al *aligner) extendBack(ha, hb []uint64, i, j int, o *Options, dst []Op) []Op {
	win := max(o.MaxGap, 2*o.Anchor)
	band := max(o.MaxGap/2, 2)
	rev, ra, rb := al.rev[:0], al.ra, al.rb
	for {
		la, lb := min(i, win), min(j, win)
		if la == 0 || lb == 0 {
			break
		}
		ra, rb = ra[:0], rb[:0]
		for k := 1; k <= la; k++ {
			ra = append(ra, ha[i-k])
		}
		for k := 1; k <= lb; k++ {
			rb = append(rb, hb[j-k])
		}
		start := len(rev)
		var bi, bj int
		rev, bi, bj, _ = al.run(ra, rb, -band, band, o, true, 0, rev)
		for k := start; k < len(rev); k++ {
			r := &rev[k]
			r.A0, r.A1 = i-r.A1, i-r.A0
			r.B0, r.B1 = j-r.B1, j-r.B0
		}
		i, j = i-bi, j-bj
		if bi+o.Anchor < la && bj+o.Anchor < lb || bi == 0 && bj == 0 {
			break
		}
	}
	for k := len(rev) - 1; k >= 0; k-- {
		r := rev[k]
		dst = appendOp(dst, r.Kind, r.A0, r.A1, r.B0, r.B1)
	}
	al.rev, al.ra, al.rb = rev, ra, rb
	return dst
}

// opScore is the score of one run.
func opScore(op Op, o *Options) int {
	switch op.Kind {
	case Equal:
		return (op.A1 - op.A0) * o.Match
	case Subst:
		return -(op.A1 - op.A0) * o.Mismatch
	case Insert:
		return -(o.GapOpen + (op.B1-op.B0)*o.GapExtend)
	default:
		return -(o.GapOpen + (op.A1-op.A0)*o.GapExtend)
	}
}

// bestRange returns the maximal-scoring contiguous run range ops[s:e] and
// its score (Kadane); e == s when nothing scores above zero.
func bestRange(ops []Op, o *Options) (int, int, int) {
	bs, be, best := 0, 0, 0
	cs, cur := 0, 0
	for k, op := range ops {
		if cur <= 0 {
			cs, cur = k, 0
		}
		cur += opScore(op, o)
		if cur > best {
			bs, be, best = cs, k+1, cur
		}
	}
	return bs, be, best
}

// appendPieces cuts a path into its maximal-scoring pieces and appends those
// that qualify as passages.
func appendPieces(ps []Passage, a, b []token.Token, ops []Op, o *Options) []Passage {
	s, e, sc := bestRange(ops, o)
	if e == s {
		return ps
	}
	if p, ok := makePassage(a, b, ops[s:e], sc, o); ok {
		ps = append(ps, p)
	}
	ps = appendPieces(ps, a, b, ops[:s], o)
	return appendPieces(ps, a, b, ops[e:], o)
}

// makePassage summarizes a path that starts and ends with equal runs.
func makePassage(a, b []token.Token, ops []Op, score int, o *Options) (Passage, bool) {
	first, last := ops[0], ops[len(ops)-1]
	p := Passage{ATok0: first.A0, ATok1: last.A1, BTok0: first.B0, BTok1: last.B1}
	cols := 0
	for _, op := range ops {
		n := max(op.A1-op.A0, op.B1-op.B0)
		cols += n
		if op.Kind == Equal {
			p.Words += n
		}
	}
	p.Identity = float64(p.Words) / float64(cols)
	p.Score = float64(score) / float64(o.Match)
	if max(p.ATok1-p.ATok0, p.BTok1-p.BTok0) < o.MinWords || p.Identity < o.MinIdentity {
		return p, false
	}
	p.AStart, p.AEnd = a[p.ATok0].Start, a[p.ATok1-1].End
	p.BStart, p.BEnd = b[p.BTok0].Start, b[p.BTok1-1].End
	return p, true
}

// mergeOverlaps realigns, as one, passages that overlap in both documents,
// until no two do. Each merge removes one passage, so it ends.
func mergeOverlaps(ps []Passage, a, b []token.Token, ha, hb []uint64, al *aligner, o *Options) []Passage {
	for {
		// Sorted by start in A, only passages starting before one ends can
		// overlap it.
		slices.SortFunc(ps, func(p, q Passage) int { return p.ATok0 - q.ATok0 })
		x, y := -1, -1
	find:
		for i := range ps {
			for j := i + 1; j < len(ps) && ps[j].ATok0 < ps[i].ATok1; j++ {
				if overlapBoth(ps[i], ps[j]) {
					x, y = i, j
					break find
				}
			}
		}
		if x < 0 {
			return ps
		}
		p, q := ps[x], ps[y]
		a0, a1 := min(p.ATok0, q.ATok0), max(p.ATok1, q.ATok1)
		b0, b1 := min(p.BTok0, q.BTok0), max(p.BTok1, q.BTok1)
		dlo, dhi := 0, 0
		for k, r := range []Passage{p, q} {
			d0, d1 := (r.BTok0-b0)-(r.ATok0-a0), (r.BTok1-b0)-(r.ATok1-a0)
			if k == 0 {
				dlo, dhi = min(d0, d1), max(d0, d1)
			}
			dlo, dhi = min(dlo, d0, d1), max(dhi, d0, d1)
		}
		// Either passage's own path, from the merged span's corners, is a
		// path of its band: the better of the two bounds the alignment.
		f := fragment{a0: a0, a1: a1, b0: b0, b1: b1}
		lo, hi := dlo-o.MaxGap, dhi+o.MaxGap
		lb := max(pathBound(ha, hb, f, []Passage{p}, lo, hi, o), pathBound(ha, hb, f, []Passage{q}, lo, hi, o))
		ops := al.globalFrom(ha[a0:a1], hb[b0:b1], lo, hi, o, lb, al.path[:0])
		al.path = ops[:0] // read for the merged passage only
		shiftOps(ops, a0, b0)
		merged := p
		if q.Score > p.Score {
			merged = q
		}
		if s, e, sc := bestRange(ops, o); e > s {
			if m, ok := makePassage(a, b, ops[s:e], sc, o); ok && m.Score >= merged.Score {
				merged = m
			}
		}
		ps[x] = merged
		ps = slices.Delete(ps, y, y+1)
	}
}

// overlapBoth reports whether p and q share words in A and in B.
func overlapBoth(p, q Passage) bool {
	return p.ATok0 < q.ATok1 && q.ATok0 < p.ATok1 && p.BTok0 < q.BTok1 && q.BTok0 < p.BTok1
}
