// Tokenization in one pass: segment with UAX #29, normalize each word, hash.
//
// Nearly all text in real corpora is ASCII, and ascii.go segments and folds
// ASCII runs directly on the bytes; this file is the general path that
// handles the rest. Within it, too, an ASCII word's normalized form is its
// lower-cased bytes, hashed from a small stack buffer with no allocation;
// only words with non-ASCII bytes go through NFKC and case folding.
// Normalizing per word rather than the whole text keeps the map back to
// original byte offsets trivial: a token's span is the segmenter's span. The cost is that NFKC compositions across a word boundary are not
// seen, which only matters for pathological text.

package token

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/words"
	"github.com/zeebo/xxh3"
	"golang.org/x/text/cases"
	"golang.org/x/text/transform"
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
	buf  []byte // punctuation-folded word
	nbuf []byte // NFKC of the word
	fbuf []byte // case-folded word
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
// result aliases the Tokenizer's buffers.
//
// Each step is skipped when it would change nothing, which is the common
// case for words of scripts without case or for words already in lower
// case: NFKC's quick check (QuickSpanString) and the folder's Span say so
// exactly, and punctuation folding needs one of the lead bytes of the
// folded marks. The transforms write into buffers kept from word to word,
// so a word costs no allocation.
func (tz *Tokenizer) normalizeSlow(w string) []byte {
	var b []byte
	if norm.NFKC.QuickSpanString(w) == len(w) {
		b = append(tz.nbuf[:0], w...)
	} else {
		b = norm.NFKC.AppendString(tz.nbuf[:0], w)
	}
	tz.nbuf = b
	tz.fold.Reset()
	if n, err := tz.fold.Span(b, true); n != len(b) || err != nil {
		f, _, _ := transform.Append(tz.fold, tz.fbuf[:0:cap(tz.fbuf)], b)
		tz.fbuf = f
		b = f
	}
	if !hasPunctLead(b) {
		return b
	}
	out := tz.buf[:0]
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

// hasPunctLead reports whether b holds a lead byte of one of the marks in
// punctFold (U+00AB U+00BB: 0xC2; U+02BC: 0xCA; U+2010-U+2212: 0xE2;
// U+FE58 U+FE63 U+FF0D: 0xEF).
func hasPunctLead(b []byte) bool {
	for _, c := range b {
		if c == 0xC2 || c == 0xCA || c == 0xE2 || c == 0xEF {
			return true
		}
	}
	return false
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
