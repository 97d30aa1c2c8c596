// The edit script inside a passage: runs of equal, substituted, inserted and
// deleted words, as token ranges in both documents, so a renderer can mark
// what differs. Diff realigns the passage with a banded global alignment
// rather than storing the path in every Passage: passages stay small,
// comparable values that survive a round trip through JSON, and the band
// (the passage's length difference plus a margin) holds any path Pair could
// have produced from gaps of at most MaxGap words.

package align

import "github.com/reprint/reprint/token"

// OpKind is the kind of one run of an edit script.
type OpKind uint8

// The kinds of edit runs, read as edits that turn the A side into the B side.
const (
	Equal  OpKind = iota // same words on both sides
	Subst                // words replaced: A0:A1 became B0:B1
	Insert               // words only in B (A0 == A1)
	Delete               // words only in A (B0 == B1)
)

func (k OpKind) String() string {
	switch k {
	case Equal:
		return "equal"
	case Subst:
		return "subst"
	case Insert:
		return "insert"
	case Delete:
		return "delete"
	}
	return "?"
}

// Op is one run of an edit script: token ranges [A0,A1) and [B0,B1).
type Op struct {
	Kind           OpKind
	A0, A1, B0, B1 int
}

// diffMargin is how far, in words, Diff lets the path stray from the
// straight line between the passage's corners.
const diffMargin = 48

// Diff returns the word-level edit script of passage p between a and b, in
// order. It is empty when p does not fit a and b.
func Diff(a, b []token.Token, p Passage) []Op {
	if p.ATok0 < 0 || p.ATok1 > len(a) || p.ATok0 > p.ATok1 ||
		p.BTok0 < 0 || p.BTok1 > len(b) || p.BTok0 > p.BTok1 {
		return nil
	}
	o := DefaultOptions()
	ha, hb := hashes(a[p.ATok0:p.ATok1]), hashes(b[p.BTok0:p.BTok1])
	dl := len(hb) - len(ha)
	var al aligner
	ops := al.global(ha, hb, min(0, dl)-diffMargin, max(0, dl)+diffMargin, &o, nil)
	for i := range ops {
		ops[i].A0 += p.ATok0
		ops[i].A1 += p.ATok0
		ops[i].B0 += p.BTok0
		ops[i].B1 += p.BTok0
	}
	return ops
}

func hashes(toks []token.Token) []uint64 {
	h := make([]uint64, len(toks))
	for i, t := range toks {
		h[i] = t.Hash
	}
	return h
}

// appendOp appends a run of one word pair or gap, joining it to the last run
// when they are of a kind.
func appendOp(ops []Op, k OpKind, a0, a1, b0, b1 int) []Op {
	if n := len(ops); n > 0 {
		l := &ops[n-1]
		if l.Kind == k && l.A1 == a0 && l.B1 == b0 {
			l.A1, l.B1 = a1, b1
			return ops
		}
	}
	return append(ops, Op{k, a0, a1, b0, b1})
}

// appendDiag appends n word pairs on one diagonal, equal or substituted as
// the words say (an anchor hash match is checked word by word).
func appendDiag(ops []Op, ha, hb []uint64, i, j, n int) []Op {
	for k := 0; k < n; k++ {
		kind := Equal
		if ha[i+k] != hb[j+k] {
			kind = Subst
		}
		ops = appendOp(ops, kind, i+k, i+k+1, j+k, j+k+1)
	}
	return ops
}
