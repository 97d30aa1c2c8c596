// Excerpts: a passage's text on both sides cut into pieces marked changed
// or not, following align.Diff's edit script, for a side-by-side view. The
// text between two words is never marked: only words differ.

package index

import (
	"strings"

	"github.com/reprint/reprint/align"
	"github.com/reprint/reprint/token"
)

func makeExcerpt(ta string, a []token.Token, tb string, b []token.Token, ops []align.Op) Excerpt {
	side := func(text string, toks []token.Token, sideA bool) []Piece {
		out := []Piece{}
		prev := -1
		for _, op := range ops {
			t0, t1 := op.B0, op.B1
			if sideA {
				t0, t1 = op.A0, op.A1
			}
			if t0 >= t1 {
				continue
			}
			s, e := toks[t0].Start, toks[t1-1].End
			if prev >= 0 && s > prev {
				out = appendPiece(out, text[prev:s], false)
			}
			out = appendPiece(out, text[s:e], op.Kind != align.Equal)
			prev = e
		}
		for i := range out {
			out[i].Text = strings.Clone(out[i].Text)
		}
		return out
	}
	return Excerpt{A: side(ta, a, true), B: side(tb, b, false)}
}

func appendPiece(ps []Piece, text string, changed bool) []Piece {
	if n := len(ps); n > 0 && ps[n-1].Changed == changed {
		ps[n-1].Text += text
		return ps
	}
	return append(ps, Piece{Text: text, Changed: changed})
}
