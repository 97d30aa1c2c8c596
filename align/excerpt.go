// Excerpts: a passage's text on both sides cut into pieces marked changed
// or not, following Diff's edit script, for a side-by-side view. The text
// between two words is never marked: only words differ. Pieces are copies,
// so an excerpt does not keep a whole document's text alive.

package align

import (
	"strings"

	"github.com/reprint/reprint/token"
)

// Excerpt is a passage's text on both sides, in pieces marked changed or
// not. Concatenated, each side's pieces are exactly text[start:end].
type Excerpt struct {
	A []Piece `json:"a"`
	B []Piece `json:"b"`
}

// Piece is a run of an excerpt's text; Changed marks words the other side
// does not have (substituted, inserted or deleted).
type Piece struct {
	Text    string `json:"text"`
	Changed bool   `json:"changed,omitempty"`
}

// MakeExcerpt cuts both sides of a passage into pieces following its edit
// script ops (from Diff); ta and tb are the texts a and b were cut from.
func MakeExcerpt(ta string, a []token.Token, tb string, b []token.Token, ops []Op) Excerpt {
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
			out = appendPiece(out, text[s:e], op.Kind != Equal)
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
