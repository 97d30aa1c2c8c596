// Word alignment with affine gaps (Gotoh), restricted to a diagonal band.
//
// One routine serves three callers: filling the gap between two chained
// anchors (global: both corners fixed), extending a passage past its first
// and last anchor (free end: start fixed, end wherever the score peaks,
// which is Smith-Waterman anchored on one side), and realigning a whole
// passage for Diff or after a merge. The band keeps the cost linear in the
// passage length; the anchors have already located the diagonal, so a band
// of a few dozen words holds every path worth having.
//
// Within the band, cells that cannot lie on the best path are skipped: a
// cell whose score plus an upper bound of what the rest can add falls
// below a lower bound of the best score (a path already known: the
// diagonal, a narrower band's best, the last alignment of the same words,
// the exact passages a realigned stretch holds along their own paths:
// pathBound; in free-end mode the best cell so far) is on no best path,
// strictly, so the result is the full band's bit for bit (run's comment
// has the argument; TestRunPrunedIsFull and TestGlobalIsFull hold it to
// the unpruned DP, TestPathBoundIsAPath the exact passages' bound). Cost
// on PAN 2013's reuse: 223M cells computed where the bands hold 834M; a
// passage of high identity costs a few cells a row, a paraphrase most of
// its band. The exact passages' bound took the 52,440 pairs reuse aligns
// from 214M cells to 139M.
//
// Scores are small integers so that ties break the same way on every
// machine; ties prefer a diagonal step, then an insertion, then a deletion.
// Deliberately not done: a Hirschberg linear-space traceback; the band makes
// the traceback matrix small enough.

package align

import (
	"slices"
	"sync"
)

const neg = -1 << 29 // minus infinity that survives a few subtractions

// Traceback bits: how a cell's H, E and F values were reached.
const (
	fromDiag = 0
	fromE    = 1 // H came from an insertion run (gap in A)
	fromF    = 2 // H came from a deletion run (gap in B)
	extE     = 4 // E extended an insertion run rather than opening one
	extF     = 8 // F extended a deletion run rather than opening one
)

// aligner holds scratch buffers reused across alignments. Every cell the
// traceback reads is written first, so the buffers need no clearing, and
// pairs take an aligner from alignerPool instead of allocating (and
// zeroing) a traceback matrix each.
type aligner struct {
	prev, cur, f []int32
	tb           []byte
	steps        []OpKind
	rev          []Op     // extendBack's path, reversed
	ra, rb       []uint64 // extendBack's windows, reversed
	narrow       []Op     // global's path in the narrow band, discarded
	scored       []Op     // realign's path, read for its score and dropped
	path         []Op     // a chain's path, or a merge's, cut into passages and dropped
	chain        chainScratch
	ca, cb       []int32  // matchable's counts
	counted      bool     // ca and cb are already those of run's words
	filter       []uint64 // matchable's bit set
	last         lastGlobal

	cells     int64 // cells computed, for tests and measurements
	fallbacks int   // global alignments whose lb was above the best score (a caller's bug)
}

var alignerPool = sync.Pool{New: func() any { return new(aligner) }}

// global aligns all of ha with all of hb within diagonals [dlo,dhi]
// (d = j-i) and appends the ops, in local coordinates, to dst.
//
// The last global alignment is remembered (its words, band, scores, path):
// merging overlapping passages realigns the same stretch once per passage
// merged into it, and a paraphrase group's stretch can be the one an
// earlier group ended with. The same words in the same band give the same
// path; in a band that holds the last one, its score is a bound.
func (al *aligner) global(ha, hb []uint64, dlo, dhi int, o *Options, dst []Op) []Op {
	return al.globalFrom(ha, hb, dlo, dhi, o, neg, dst)
}

// globalFrom is global told lb0, the score of some path from corner to
// corner within the band (neg: none known), as a bound. A bound that no
// path of the band reaches costs a second alignment (run falls back), not
// a wrong one.
func (al *aligner) globalFrom(ha, hb []uint64, dlo, dhi int, o *Options, lb0 int32, dst []Op) []Op {
	n, m := len(ha), len(hb)
	lo, hi := max(min(dlo, 0, m-n), -n), min(max(dhi, 0, m-n), m)
	scoring := [4]int{o.Match, o.Mismatch, o.GapOpen, o.GapExtend}
	diag := diagScore(ha, hb, o)
	lb := max(diag, lb0)
	g := &al.last
	if g.valid && g.scoring == scoring && lo <= g.lo && hi >= g.hi && slices.Equal(g.a, ha) && slices.Equal(g.b, hb) {
		if lo == g.lo && hi == g.hi {
			return append(dst, g.ops...)
		}
		lb = max(lb, g.score)
	} else if l, h := min(0, m-n)-narrowBand, max(0, m-n)+narrowBand; 4*(h-l) <= hi-lo && lb0 <= diag {
		// The best path of a narrower band is a path of this one: its
		// score is a bound that holds the wide band to a few cells a row
		// wherever the narrow one already found the best path. Not when
		// the caller knows a better path: realign's (pathBound) follows
		// the indels that shift an edited passage's diagonal past the
		// narrow band, and on PAN 2013 skipping the narrow alignment
		// then saves more cells than its bound would (all alignments of
		// reuse: 181M cells with both bounds, 148M with the caller's
		// alone, 214M before there was one).
		var s int
		al.narrow, _, _, s = al.run(ha, hb, max(l, dlo), min(h, dhi), o, false, lb, al.narrow[:0])
		lb = max(lb, int32(s))
		al.counted = true // the same words: the same counts
	}
	start := len(dst)
	dst, _, _, s := al.run(ha, hb, dlo, dhi, o, false, lb, dst)
	al.counted = false
	g.valid, g.scoring, g.lo, g.hi, g.score = true, scoring, lo, hi, int32(s)
	g.a, g.b = append(g.a[:0], ha...), append(g.b[:0], hb...)
	g.ops = append(g.ops[:0], dst[start:]...)
	return dst
}

// lastGlobal is global's memory of its last alignment.
type lastGlobal struct {
	valid   bool
	scoring [4]int // Match, Mismatch, GapOpen, GapExtend
	a, b    []uint64
	lo, hi  int // the band, as run widens and clips it
	score   int32
	ops     []Op
}

// narrowBand is how far from the diagonals of its corners global first
// aligns, for a bound on the score of the full band.
const narrowBand = 4

// diagScore is the score of one path from (0,0) to (len(ha), len(hb)):
// the main diagonal, and the difference in length as one gap at whichever
// end scores more. Every band global aligns in holds it, so the best path
// scores at least this much, which is what run needs of a lower bound.
func diagScore(ha, hb []uint64, o *Options) int32 {
	n, m := len(ha), len(hb)
	k := min(n, m)
	head, tail := int32(0), int32(0) // diagonal scores with the gap at the end, at the start
	match, mis := int32(o.Match), int32(o.Mismatch)
	for x := range k {
		if ha[x] == hb[x] {
			head += match
		} else {
			head -= mis
		}
		if ha[n-k+x] == hb[m-k+x] {
			tail += match
		} else {
			tail -= mis
		}
	}
	s := max(head, tail)
	if g := int32(max(n, m) - k); g > 0 {
		s -= int32(o.GapOpen) + g*int32(o.GapExtend)
	}
	return s
}

// matchable returns, for every i, how many words of ha[i:] may occur in hb,
// and for every j the same of hb[j:] in ha: a count at least the true one,
// from a bit set of each side's hashes (a false positive only raises it).
func (al *aligner) matchable(ha, hb []uint64) ([]int32, []int32) {
	set, shift := al.set(hb)
	al.ca = count(al.ca, ha, set, shift)
	set, shift = al.set(ha)
	al.cb = count(al.cb, hb, set, shift)
	return al.ca, al.cb
}

// set fills al.filter with the hashes of hs, 16 bits or more a word, and
// returns it with its shift.
func (al *aligner) set(hs []uint64) ([]uint64, uint) {
	lg := uint(6)
	for 1<<lg < 16*len(hs) {
		lg++
	}
	al.filter = fill(al.filter, 1<<(lg-6), 0)
	shift := 64 - lg
	for _, h := range hs {
		x := h >> shift
		al.filter[x>>6] |= 1 << (x & 63)
	}
	return al.filter, shift
}

// count returns c resized to len(hs)+1, c[i] the words of hs[i:] in the
// set.
func count(c []int32, hs []uint64, set []uint64, shift uint) []int32 {
	c = slices.Grow(c[:0], len(hs)+1)[:len(hs)+1]
	c[len(hs)] = 0
	for i := len(hs) - 1; i >= 0; i-- {
		x := hs[i] >> shift
		c[i] = c[i+1] + int32(set[x>>6]>>(x&63)&1)
	}
	return c
}

// cellRow computes the cells of one row of run from column j on: pr, fr,
// cr and rr are the previous row's H, the F values, this row's H and its
// traceback bytes from column j, br the words of B at those columns, ai
// the row's word of A, left and diag the H values left of and diagonally
// before column j, and e the E value left of it. It returns the last
// cell's H and its E. A function of its own, so that the loop's values
// stay in registers (inside run, among its many live values, the
// compiler kept them on the stack) and, the slices cut to one length, no
// bound is checked.
func cellRow(pr, fr, cr []int32, rr []byte, br []uint64, ai uint64, left, diag, e, match, mis, open, ext int32) (int32, int32) {
	fr, cr, rr, br = fr[:len(pr)], cr[:len(pr)], rr[:len(pr)], br[:len(pr)]
	for k, up := range pr {
		var t byte
		if v := left - open; v >= e-ext {
			e = v
		} else {
			e -= ext
			t |= extE
		}
		fv := up - open
		if v := fr[k] - ext; v > fv {
			fv = v
			t |= extF
		}
		fr[k] = fv
		h := diag
		if ai == br[k] {
			h += match
		} else {
			h -= mis
		}
		diag = up
		if e > h {
			h = e
			t |= fromE
		}
		if fv > h {
			h = fv
			t = t&^3 | fromF
		}
		cr[k] = h
		left = h
		rr[k] = t
	}
	return left, e
}

// run is the banded Gotoh alignment. With freeEnd it returns the path from
// (0,0) to the best-scoring cell, its end (i,j) and score; otherwise the
// path to (len(ha), len(hb)), and lb is a score some path to there
// reaches (neg when none is known).
//
// Cells that cannot lie on the returned path are not computed: a cell
// whose score plus the most the rest of the matrix could add (every
// remaining diagonal step a match, every remaining gap column its
// extension only) is below lb, or in free-end mode below the best score
// so far, is on no best path. Each row keeps the range of cells between
// its first and last live one; the next row starts no further left and
// goes right of it only by an insertion run, which stops at the first cell
// that falls below the bound (along such a run the bound cannot rise
// again). The cutoff is strict, so every cell of every best path, and
// every cell a tie-break compares, is computed as the full band computes
// it: the path, its end and its score are the full band's, bit for bit
// (TestRunPrunedIsFull checks it against the unpruned DP). On a passage of
// high identity this leaves a few cells a row instead of the band's
// width.
func (al *aligner) run(ha, hb []uint64, dlo, dhi int, o *Options, freeEnd bool, lb int32, dst []Op) ([]Op, int, int, int) {
	n, m := len(ha), len(hb)
	if !freeEnd {
		dlo, dhi = min(dlo, 0, m-n), max(dhi, 0, m-n)
	}
	dlo, dhi = max(dlo, -n), min(dhi, m)
	w := dhi - dlo + 1
	if cap(al.prev) < m+2 {
		al.prev, al.cur, al.f = make([]int32, m+2), make([]int32, m+2), make([]int32, m+2)
	}
	prev, cur, f := al.prev[:m+2], al.cur[:m+2], al.f[:m+2]
	if cap(al.tb) < (n+1)*w {
		al.tb = make([]byte, (n+1)*w)
	}
	tb := al.tb[:(n+1)*w]
	match, mis := int32(o.Match), int32(o.Mismatch)
	open, ext := int32(o.GapOpen+o.GapExtend), int32(o.GapExtend)
	n32, m32 := int32(n), int32(m)
	// ub is the most a path from (i,j) can still add: every remaining
	// diagonal step a match if the words allow it, a mismatch otherwise,
	// every remaining gap column its extension only. The matches are
	// bounded by the words of ha[i:] that hb may hold (ca) and those of
	// hb[j:] that ha may hold (cb), by one filter of each side: unrelated
	// text between two passages holds few words of the other side, and the
	// bound falls with them. Along an insertion run (one row, j rising, the
	// score falling by ext a column) score plus bound never rises: ca[i]
	// is fixed, cb[j] and the diagonal steps left fall by at most one a
	// column, and the gap columns left fall by one where the run nears
	// the end's diagonal and rise by one where it leaves it. That is what
	// lets a run stop at its first cell below the bound.
	if !al.counted {
		al.matchable(ha, hb)
	}
	ca, cb := al.ca, al.cb
	ub := func(i, j int32) int32 {
		ra, rb := n32-i, m32-j
		d := min(ra, rb)
		mm := min(d, ca[i], cb[j])
		if freeEnd {
			return match * mm
		}
		if 2*ext > mis {
			// A diagonal step gains against two gap columns: all of them.
			return match*mm - mis*(d-mm) - ext*(ra+rb-2*d)
		}
		return match*mm - ext*(ra+rb-2*mm)
	}
	if freeEnd {
		lb = 0 // the empty path
	}

	for j := range prev {
		prev[j], f[j] = neg, neg
	}
	prev[0] = 0
	for j := 1; j <= min(m, dhi); j++ {
		prev[j] = -(open + int32(j-1)*ext)
		t := byte(fromE)
		if j > 1 {
			t |= extE
		}
		tb[j-dlo] = t
	}
	// [lo,hi] are the previous row's live cells.
	lo, hi := 0, min(m, dhi)
	for hi > 0 && prev[hi]+ub(0, int32(hi)) < lb {
		hi--
	}
	prev[hi+1] = neg
	best, bi, bj := int32(0), 0, 0
	for i := 1; i <= n; i++ {
		jlo, jhi := max(0, i+dlo), min(m, i+dhi)
		if jlo > jhi {
			break // the band has left the matrix (free end only)
		}
		start, end := max(jlo, lo), min(jhi, hi+1)
		if start > end {
			if !freeEnd {
				// lb was above the best path's score: not a bound.
				al.fallbacks++
				return al.run(ha, hb, dlo, dhi, o, false, neg, dst)
			}
			break // no cell of this row or below can beat best
		}
		row := tb[i*w-i-dlo:] // row[j] is cell (i,j)
		if start > 0 {
			cur[start-1] = neg
		}
		e := int32(neg)
		j := start
		if j == 0 {
			cur[0] = -(open + int32(i-1)*ext)
			f[0] = cur[0]
			t := byte(fromF)
			if i > 1 {
				t |= extF
			}
			row[0] = t
			j = 1
		}
		ai := ha[i-1]
		last := end // the row's last computed cell
		if j <= end {
			// The cell to the left and the diagonal one are carried in
			// registers, and the row's slices cut to the band once, so the
			// loop reads prev and f once a cell and checks no bounds.
			var left int32
			left, e = cellRow(prev[j:end+1], f[j:end+1], cur[j:end+1], row[j:end+1], hb[j-1:end], ai, cur[j-1], prev[j-1], e, match, mis, open, ext)
			// Right of the previous row's live cells only an insertion
			// run continues, until it falls below the bound.
			for j := end + 1; j <= jhi; j++ {
				t := byte(fromE)
				if v := left - open; v >= e-ext {
					e = v
				} else {
					e -= ext
					t |= extE
				}
				if e+ub(int32(i), int32(j)) < lb {
					break
				}
				f[j], cur[j], row[j] = neg, e, t
				left = e
				last = j
			}
			if freeEnd {
				// The best cell, the first of the highest as the scan
				// meets them, looked for after the row so that the
				// cell loop has no branch on it.
				for k, h := range cur[j : last+1] {
					if h > best {
						best, bi, bj = h, i, j+k
					}
				}
				lb = best
			}
		}
		al.cells += int64(last - start + 1)
		lo, hi = start, last
		for lo <= hi && cur[lo]+ub(int32(i), int32(lo)) < lb {
			lo++
		}
		for hi >= lo && cur[hi]+ub(int32(i), int32(hi)) < lb {
			hi--
		}
		if lo > hi {
			if !freeEnd {
				al.fallbacks++
				return al.run(ha, hb, dlo, dhi, o, false, neg, dst)
			}
			prev, cur = cur, prev
			break
		}
		if lo > 0 {
			cur[lo-1] = neg
		}
		cur[hi+1], f[hi+1] = neg, neg
		prev, cur = cur, prev
	}
	al.prev, al.cur = prev, cur
	if !freeEnd {
		if hi < m {
			al.fallbacks++
			return al.run(ha, hb, dlo, dhi, o, false, neg, dst)
		}
		bi, bj = n, m
		best = prev[m]
	}

	// Trace back from (bi,bj) to (0,0), then emit the steps in order.
	steps := al.steps[:0]
	i, j, state := bi, bj, 0
	for i > 0 || j > 0 {
		t := tb[i*w+j-i-dlo]
		switch state {
		case 0:
			switch t & 3 {
			case fromDiag:
				if ha[i-1] == hb[j-1] {
					steps = append(steps, Equal)
				} else {
					steps = append(steps, Subst)
				}
				i, j = i-1, j-1
			case fromE:
				state = 1
			default:
				state = 2
			}
		case 1:
			steps = append(steps, Insert)
			j--
			if t&extE == 0 {
				state = 0
			}
		default:
			steps = append(steps, Delete)
			i--
			if t&extF == 0 {
				state = 0
			}
		}
	}
	al.steps = steps
	for k := len(steps) - 1; k >= 0; k-- {
		switch s := steps[k]; s {
		case Equal, Subst:
			dst = appendOp(dst, s, i, i+1, j, j+1)
			i, j = i+1, j+1
		case Insert:
			dst = appendOp(dst, s, i, i, j, j+1)
			j++
		case Delete:
			dst = appendOp(dst, s, i, i+1, j, j)
			i++
		}
	}
	return dst, bi, bj, int(best)
}
