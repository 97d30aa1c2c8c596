// Cutting spans out of a text so that what is left reads tidily. A span
// runs from its first word's start to its last word's end; the cut also
// takes the punctuation stuck to those words (an opening quote before, a
// full stop after: tokens do not include it, and left alone it would
// dangle) and the whitespace on both sides, which it replaces with one
// separator: a blank line if either side had one, else a newline if
// either side had one, else one space; nothing at the start or end of the
// text (a text that ended with a newline still does). Cuts separated only
// by whitespace and punctuation merge into one.
//
// Costs: one pass over the text, one output string.

package repeats

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Cut returns text without the byte ranges in cuts (sorted, not
// overlapping, each starting and ending on a word), tidied as described in
// the file comment. Nothing before start (a header) is touched.
func Cut(text string, start int, cuts [][2]int) string {
	if len(cuts) == 0 {
		return text
	}
	// Widen each cut over stuck punctuation, then merge cuts with nothing
	// but whitespace and punctuation between them.
	var ws [][2]int
	for _, c := range cuts {
		a, b := c[0], c[1]
		for a > start {
			r, n := utf8.DecodeLastRuneInString(text[:a])
			if unicode.IsSpace(r) || isWordRune(r) {
				break
			}
			a -= n
		}
		for b < len(text) {
			r, n := utf8.DecodeRuneInString(text[b:])
			if unicode.IsSpace(r) || isWordRune(r) {
				break
			}
			b += n
		}
		if k := len(ws) - 1; k >= 0 && a <= ws[k][1] || k >= 0 && onlyGap(text[ws[k][1]:a]) {
			ws[k][1] = max(ws[k][1], b)
			continue
		}
		ws = append(ws, [2]int{a, b})
	}
	var out strings.Builder
	out.Grow(len(text))
	pos := 0      // text[:pos] is decided
	kept := false // any word kept since start
	for _, c := range ws {
		a, b := c[0], c[1]
		l := a
		for l > max(pos, start) {
			r, n := utf8.DecodeLastRuneInString(text[:l])
			if !unicode.IsSpace(r) {
				break
			}
			l -= n
		}
		r := b
		for r < len(text) {
			ch, n := utf8.DecodeRuneInString(text[r:])
			if !unicode.IsSpace(ch) {
				break
			}
			r += n
		}
		out.WriteString(text[pos:l])
		if strings.TrimSpace(text[max(pos, start):l]) != "" {
			kept = true
		}
		gap := text[l:a] + text[b:r]
		switch nl := max(strings.Count(text[l:a], "\n"), strings.Count(text[b:r], "\n")); {
		case r == len(text):
			// At the end: a text that ended with a newline still does.
			if kept && strings.Contains(gap, "\n") {
				out.WriteByte('\n')
			}
		case !kept:
			// At the start of the text: the next words start it.
		case nl >= 2:
			out.WriteString("\n\n")
		case nl == 1:
			out.WriteByte('\n')
		case gap != "":
			out.WriteByte(' ')
		}
		pos = r
	}
	out.WriteString(text[pos:])
	return out.String()
}

// onlyGap reports whether s holds no word character.
func onlyGap(s string) bool {
	for _, r := range s {
		if isWordRune(r) {
			return false
		}
	}
	return true
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }
