// Tokenization in one pass: segment with UAX #29, normalize each word, hash.
//
// Nearly all text in real corpora is ASCII, and ascii.go segments and folds
// ASCII runs directly on the bytes; this file is the general path that
// handles the rest. Within it, too, an ASCII word's normalized form is its
// lower-cased bytes, hashed from a small stack buffer with no allocation;
// only words with non-ASCII bytes go through NFKC and case folding. Normalizing per word rather than the whole text keeps the map
// back to original byte offsets trivial: a token's span is the segmenter's
// span. The cost is that NFKC compositions across a word boundary are not
// seen, which only matters for pathological text.

package token

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/words"
	"github.com/zeebo/xxh3"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Token is one normalized word and where it stands in the original text.
type Token struct {
	Start, End int    // byte span in the original text, half-open
	Hash       uint64 // hash of the normalized word
}

// Tokenizer splits texts into tokens. It holds scratch buffers, so a
// Tokenizer is not safe for concurrent use; make one per goroutine.
type Tokenizer struct {
	fold cases.Caser
	iter *words.Iterator[string]
	buf  []byte
}

// New returns a Tokenizer.
func New() *Tokenizer {
	return &Tokenizer{fold: cases.Fold(), iter: words.FromString("")}
}

// Tokens appends the tokens of text[start:] to dst and returns it. Spans are
// offsets into text itself, so start lets a caller skip a header without
// shifting offsets.
func (tz *Tokenizer) Tokens(text string, start int, dst []Token) []Token {
	if start < 0 || start > len(text) {
		start = 0
	}
	return tz.tokens(text, start, dst)
}

// general appends the tokens of text[start:] as the general path finds
// them: UAX #29 segmentation, then NFKC, case folding and punctuation
// folding of each word. The fast path must agree with it on every input.
func (tz *Tokenizer) general(text string, start int, dst []Token) []Token {
	it := tz.iter
	it.SetText(text[start:])
	for it.Next() {
		w := it.Value()
		h, ok := tz.hashWord(w)
		if !ok {
			continue
		}
		dst = append(dst, Token{Start: start + it.Start(), End: start + it.End(), Hash: h})
	}
	return dst
}

// Normalize returns the normalized form of a word as it is hashed.
func (tz *Tokenizer) Normalize(w string) string {
	if isASCII(w) {
		return strings.ToLower(w)
	}
	return string(tz.normalizeSlow(w))
}

// hashWord reports the hash of the normalized word, and false when w is not
// a word (no letter, digit or mark).
func (tz *Tokenizer) hashWord(w string) (uint64, bool) {
	var stack [64]byte
	if len(w) <= len(stack) {
		n := 0
		word := false
		for i := 0; i < len(w); i++ {
			c := w[i]
			if c >= utf8.RuneSelf {
				goto slow
			}
			switch {
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
				word = true
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				word = true
			}
			stack[n] = c
			n++
		}
		if !word {
			return 0, false
		}
		return xxh3.Hash(stack[:n]), true
	}
slow:
	if !isWord(w) {
		return 0, false
	}
	return xxh3.Hash(tz.normalizeSlow(w)), true
}

// normalizeSlow applies NFKC, case folding and punctuation folding. The
// result aliases tz.buf.
func (tz *Tokenizer) normalizeSlow(w string) []byte {
	b := norm.NFKC.AppendString(tz.buf[:0], w)
	b = tz.fold.Bytes(b)
	out := tz.buf[:0]
	if cap(out) < len(b) {
		out = make([]byte, 0, len(b))
	}
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if f, ok := punctFold[r]; ok {
			out = append(out, f)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	tz.buf = out
	return out
}

// punctFold maps typographic quotes and dashes to ASCII, so that a reprint
// that changed its typography still matches.
var punctFold = map[rune]byte{
	'\u2018': '\'', '\u2019': '\'', '\u201A': '\'', '\u201B': '\'', '\u2032': '\'', '\u02BC': '\'',
	'\u201C': '"', '\u201D': '"', '\u201E': '"', '\u201F': '"', '\u2033': '"', '\u00AB': '"', '\u00BB': '"',
	'\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-', '\uFE58': '-', '\uFE63': '-', '\uFF0D': '-',
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isWord reports whether w holds a letter, digit or number: the segmenter
// also yields runs of spaces, punctuation and emoji, which carry no text.
func isWord(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
	}
	return false
}
