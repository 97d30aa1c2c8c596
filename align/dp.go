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
// Scores are small integers so that ties break the same way on every
// machine; ties prefer a diagonal step, then an insertion, then a deletion.
// Deliberately not done: a Hirschberg linear-space traceback; the band makes
// the traceback matrix small enough.

package align

import "sync"

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
}

var alignerPool = sync.Pool{New: func() any { return new(aligner) }}

// global aligns all of ha with all of hb within diagonals [dlo,dhi]
// (d = j-i) and appends the ops, in local coordinates, to dst.
func (al *aligner) global(ha, hb []uint64, dlo, dhi int, o *Options, dst []Op) []Op {
	ops, _, _, _ := al.run(ha, hb, dlo, dhi, o, false, dst)
	return ops
}

// run is the banded Gotoh alignment. With freeEnd it returns the path from
// (0,0) to the best-scoring cell, its end (i,j) and score; otherwise the
// path to (len(ha), len(hb)).
func (al *aligner) run(ha, hb []uint64, dlo, dhi int, o *Options, freeEnd bool, dst []Op) ([]Op, int, int, int) {
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
	best, bi, bj := int32(0), 0, 0
	for i := 1; i <= n; i++ {
		jlo, jhi := max(0, i+dlo), min(m, i+dhi)
		if jlo > jhi {
			break // the band has left the matrix (free end only)
		}
		row := tb[i*w-i-dlo:] // row[j] is cell (i,j)
		if jlo > 0 {
			cur[jlo-1] = neg
		}
		if jhi < m {
			cur[jhi+1], f[jhi+1] = neg, neg
		}
		e := int32(neg)
		j := jlo
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
		if j <= jhi {
			// The cell to the left and the diagonal one are carried in
			// registers, and the row's slices cut to the band once, so the
			// loop reads prev and f once a cell and checks no bounds.
			left, diag := cur[j-1], prev[j-1]
			pr, fr, cr, rr, br := prev[j:jhi+1], f[j:jhi+1], cur[j:jhi+1], row[j:jhi+1], hb[j-1:jhi]
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
			if freeEnd {
				// The best cell, the first of the highest as the scan
				// meets them, looked for after the row so that the
				// cell loop has no branch on it.
				for k, h := range cr {
					if h > best {
						best, bi, bj = h, i, j+k
					}
				}
			}
		}
		prev, cur = cur, prev
	}
	al.prev, al.cur = prev, cur
	if !freeEnd {
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
