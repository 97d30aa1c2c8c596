// Side-by-side passages for a terminal: two columns, each side's text
// wrapped to half the width, the words one side has and the other does not
// marked. On a colour terminal they are red on the left and green on the
// right; otherwise they are bracketed the way git's word diff does it,
// [-left-] and {+right+}, so the output survives a pipe, a log file or a
// screen reader.
//
// Whitespace inside a passage (line breaks, paragraph gaps) is folded to
// single spaces: a column cannot show the original layout anyway, and the
// byte range in the header says where to find it. Width is counted in
// runes, not terminal cells; wide (CJK) characters make a column overflow.
// Deliberately not done: cell-width measurement, which would need a
// width table for a rare case.

package report

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reprint/reprint/align"
	"github.com/reprint/reprint/trace"
	"github.com/rivo/uniseg"
)

// TermOptions control SideBySide.
type TermOptions struct {
	Width int  // total line width in columns; below 40 means 40
	Color bool // ANSI colours instead of [- -] and {+ +} markers
}

const (
	ansiRed   = "\x1b[1;31m"
	ansiGreen = "\x1b[1;32m"
	ansiDim   = "\x1b[2m"
	ansiReset = "\x1b[0m"
)

// SideBySide writes passage n of total, A on the left and B on the right.
func SideBySide(w io.Writer, n, total int, p trace.Passage, ex align.Excerpt, opt TermOptions) error {
	width := max(opt.Width, 40)
	col := (width - 3) / 2
	kind := ""
	if p.Kind != "" {
		kind = p.Kind + ", "
	}
	head := fmt.Sprintf("── passage %d of %d: %s%d words equal, identity %.2f, score %.2f, direction %s ",
		n, total, kind, p.Words, p.Identity, p.Score, p.Direction)
	if k := width - uniseg.StringWidth(head); k > 0 {
		head += strings.Repeat("─", k)
	} else {
		head = splitWidth(head, width)[0]
	}
	left := wrap(fmt.Sprintf("%s bytes %d-%d", p.A, p.AStart, p.AEnd), col)
	right := wrap(fmt.Sprintf("%s bytes %d-%d", p.B, p.BStart, p.BEnd), col)
	lt, rt := wrapPieces(ex.A, col, opt.Color, "[-", "-]", ansiRed), wrapPieces(ex.B, col, opt.Color, "{+", "+}", ansiGreen)
	var b strings.Builder
	if opt.Color {
		b.WriteString(ansiDim + head + ansiReset + "\n")
	} else {
		b.WriteString(head + "\n")
	}
	writeColumns(&b, left, right, col)
	writeColumns(&b, []line{{text: strings.Repeat("·", col), width: col}}, []line{{text: strings.Repeat("·", col), width: col}}, col)
	writeColumns(&b, lt, rt, col)
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// line is one wrapped line and its visible width.
type line struct {
	text  string
	width int
}

func writeColumns(b *strings.Builder, l, r []line, col int) {
	for i := range max(len(l), len(r)) {
		var x, y line
		if i < len(l) {
			x = l[i]
		}
		if i < len(r) {
			y = r[i]
		}
		b.WriteString(x.text)
		b.WriteString(strings.Repeat(" ", max(col-x.width, 0)))
		b.WriteString(" │ ")
		b.WriteString(y.text)
		b.WriteString("\n")
	}
}

// seg is a run of non-space text inside one visible word, changed or not.
// A word can hold several: "U.S." becoming "US" marks "U.S" but not the
// full stop after it.
type seg struct {
	text    string
	changed bool
	word    int // index of the visible word it belongs to
}

// wrapPieces folds an excerpt side into visible words, marks the changed
// runs (a run may span several words), and wraps the words.
func wrapPieces(ps []align.Piece, col int, color bool, open, close, ansi string) []line {
	var segs []seg
	word, inWord := 0, false
	for _, p := range ps {
		s := p.Text
		for s != "" {
			i := strings.IndexFunc(s, unicode.IsSpace)
			if i == 0 {
				_, n := utf8.DecodeRuneInString(s)
				s = s[n:]
				if inWord {
					word++
					inWord = false
				}
				continue
			}
			if i < 0 {
				i = len(s)
			}
			segs = append(segs, seg{s[:i], p.Changed, word})
			inWord = true
			s = s[i:]
		}
	}
	var words []string
	var widths []int
	for k, sg := range segs {
		text := sg.text
		if sg.changed {
			if color {
				text = ansi + text + ansiReset
			} else {
				if k == 0 || !segs[k-1].changed {
					text = open + text
				}
				if k == len(segs)-1 || !segs[k+1].changed {
					text += close
				}
			}
		}
		if sg.word == len(words) {
			words, widths = append(words, ""), append(widths, 0)
		}
		words[sg.word] += text
		widths[sg.word] += visible(text, color)
	}
	return wrapWords(words, widths, col)
}

// visible is the width of text on screen, less ANSI escapes: grapheme
// clusters, two columns for East Asian wide ones (CJK), none for combining
// marks, so columns line up in every script.
func visible(text string, color bool) int {
	if color {
		text = strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(text, ansiRed, ""), ansiGreen, ""), ansiReset, "")
	}
	return uniseg.StringWidth(text)
}

// wrap wraps plain text into lines of at most col columns.
func wrap(plain string, col int) []line {
	words := strings.Fields(plain)
	widths := make([]int, len(words))
	for i, w := range words {
		widths[i] = uniseg.StringWidth(w)
	}
	return wrapWords(words, widths, col)
}

// wrapWords fills lines greedily; a word wider than a line is cut (only
// ever plain words are that wide in practice; a cut coloured word loses
// nothing but its colour on the continuation).
func wrapWords(words []string, widths []int, col int) []line {
	var lines []line
	var cur strings.Builder
	curW := 0
	flush := func() {
		if curW > 0 {
			lines = append(lines, line{cur.String(), curW})
		}
		cur.Reset()
		curW = 0
	}
	for i, w := range words {
		chunks, cw := []string{w}, []int{widths[i]}
		if widths[i] > col && !strings.Contains(w, "\x1b") {
			chunks = splitWidth(w, col)
			cw = cw[:0]
			for _, c := range chunks {
				cw = append(cw, uniseg.StringWidth(c))
			}
		}
		for k, chunk := range chunks {
			if curW > 0 && curW+1+cw[k] > col {
				flush()
			}
			if curW > 0 {
				cur.WriteByte(' ')
				curW++
			}
			cur.WriteString(chunk)
			curW += cw[k]
		}
	}
	flush()
	return lines
}

// splitWidth cuts s between grapheme clusters into pieces of at most n
// columns (a cluster wider than n gets a piece of its own).
func splitWidth(s string, n int) []string {
	var out []string
	var cur strings.Builder
	w := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		cw := g.Width()
		if w > 0 && w+cw > n {
			out = append(out, cur.String())
			cur.Reset()
			w = 0
		}
		cur.WriteString(g.Str())
		w += cw
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}
