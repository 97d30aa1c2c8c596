// The ASCII fast path: word segmentation, folding and hashing straight on
// the bytes, for the runs of text that hold only ASCII and a few known
// non-ASCII characters (typographic quotes and dashes, Latin-1 letters).
//
// The text is cut into chunks at positions p where text[p-1] is ASCII
// whitespace and text[p] is ASCII and not whitespace. Such a position is
// always a word boundary, and the segmenter (clipperhouse/uax29, which
// restarts its state at every boundary and only looks ahead past a
// mid-word character to the next letter or digit) never looks across it:
// every rule that joins two characters needs neither of them to be
// whitespace, and a look-ahead stops at the first character that is
// neither Extend nor Format nor ZWJ, which ASCII whitespace is not. So the
// tokens of a chunk are the same whether the segmenter sees the chunk alone
// or the whole text, and each chunk can take its own path:
//
//   - a chunk of known characters only is segmented here, by a port of the
//     segmenter's rules restricted to their word-break classes (letters,
//     digits, ':' MidLetter, '.' '‘' '’' MidNumLet, '\'' Single_Quote, ','
//     and ';' MidNum, '_' ExtendNumLet, whitespace, the rest Other). NFKC
//     leaves these characters alone (no combining mark follows: that would
//     not be known), and case folding is lower-casing plus ß to ss, so a
//     word's normalized form is computed byte by byte, and a word of
//     lower-case ASCII, most words, is hashed in place;
//   - a chunk with any other byte >= 0x80 (other scripts, combining marks,
//     invalid UTF-8) goes to the general path, the segmenter and NFKC.
//
// Most words are a run of at most 15 ASCII letters and digits followed by
// whitespace or punctuation. shortWord takes those eight bytes at a time:
// one load, a few word-wide additions and masks (alnum8) classify and
// lower-case all eight, a count of trailing zeros finds the run's end, and
// the word is hashed from the registers (hash8, hash16: xxh3 itself, for
// up to 16 bytes), so each byte is read once and no buffer is written. Any
// other word (joined by '.', '\'' and the like, longer, with a non-ASCII
// letter, or within 16 bytes of the text's end) is scanned a byte at a
// time by the class table, as below.
//
// The fast path scans optimistically: it emits tokens as it goes and, on
// meeting an unknown byte, drops the tokens of the current chunk and hands
// the chunk to the general path. The cost of that is at most one extra
// scan of one chunk (one whitespace-delimited field) per switch.
// FuzzFastMatchesGeneral checks the whole scheme against the general path.

package token

import (
	"math/bits"

	"github.com/zeebo/xxh3"
)

// Word-break classes of the ASCII bytes, as the segmenter assigns them
// (whitespace in one class: it never joins a word), plus bits this file
// needs: upper-case, non-ASCII, and the classes special gives.
const (
	cLetter       = 1 << iota // ALetter
	cDigit                    // Numeric
	cMidLetter                // ':'
	cMidNumLet                // '.'
	cSingleQuote              // '\''
	cMidNum                   // ',' ';'
	cExtendNumLet             // '_'
	cWhite                    // any ASCII whitespace: a chunk may end after it
	cUpper                    // 'A'..'Z'
	cHigh                     // a byte >= 0x80: not for this path, unless special
	cFold                     // a curly single quote or a Latin-1 letter: hashASCII folds it
	cOther                    // a known non-ASCII punctuation mark
	cPunct                    // ASCII of class Other: ends any segment

	cEnds = cWhite | cPunct // a segment ends before it, whatever came before

	cAlnum   = cLetter | cDigit
	cMidL    = cMidLetter | cMidNumLet | cSingleQuote // joins letters (WB6, WB7)
	cMidN    = cMidNum | cMidNumLet | cSingleQuote    // joins digits (WB11, WB12)
	cWordBeg = cAlnum | cExtendNumLet                 // may start a joined segment
)

var class [256]uint16

func init() {
	for c := 0x80; c < 0x100; c++ {
		class[c] = cHigh
	}
	for c := 'a'; c <= 'z'; c++ {
		class[c] = cLetter
	}
	for c := 'A'; c <= 'Z'; c++ {
		class[c] = cLetter | cUpper
	}
	for c := '0'; c <= '9'; c++ {
		class[c] = cDigit
	}
	class[':'] = cMidLetter
	class['.'] = cMidNumLet
	class['\''] = cSingleQuote
	class[','] = cMidNum
	class[';'] = cMidNum
	class['_'] = cExtendNumLet
	// ' ' is WSegSpace, '\t' Other, the rest LF, CR or Newline: none of
	// them ever joins a word, so one class does for all.
	for _, c := range " \t\n\v\f\r" {

		class[c] = cWhite
	}
	for c := 0; c < 0x80; c++ {
		if class[c] == 0 {
			class[c] = cPunct
		}
	}
}

// tokens appends the tokens of text[pos:] to dst, taking the fast path for
// every chunk of known characters and the general path for the others.
func (tz *Tokenizer) tokens(text string, pos int, dst []Token) []Token {
	n := len(text)
	chunk, mark := pos, len(dst) // start of the current chunk, its first token
	white := false               // text[i-1] is ASCII whitespace
	for i := pos; i < n; {
		k := class[text[i]]
		switch {
		case k&cWordBeg != 0:
			if white {
				chunk, mark, white = i, len(dst), false
			}
			inline := k&cAlnum != 0
			run, runAcc := 0, uint16(0)
			if inline && i+16 <= n {
				// The commonest case, a word of up to 15 letters and
				// digits, eight bytes at a time (see shortWord).
				j, h, acc, ok := shortWord(text, i)
				if ok {
					dst = append(dst, Token{Start: i, End: j, Hash: h})
					i = j
					if class[text[j]]&cWhite != 0 {
						white = true
						i++
					}
					continue
				}
				// j > 0: the run ends at j but the word does not (an
				// accent, a quote, a '.' that joins): the inline case
				// below would only find that again.
				inline = j == 0
				run, runAcc = j, acc
			}
			if inline {
				// The common case, inline: a run of letters and digits
				// that ends at whitespace, plain punctuation, the end of
				// the text, or a mid character ('.', ',', ...) that is
				// followed by one of those and so joins nothing.
				acc, j := k, i+1
				for j < n {
					k := class[text[j]]
					if k&cAlnum == 0 {
						break
					}
					acc |= k
					j++
				}
				if j == n || class[text[j]]&cEnds != 0 ||
					class[text[j]]&(cMidL|cMidN) != 0 && (j+1 == n || class[text[j+1]]&cEnds != 0) {
					var h uint64
					if acc&cUpper == 0 { // lower-case already: hash in place
						h = xxh3.HashString(text[i:j])
					} else {
						h = hashASCII(text[i:j], acc)
					}
					dst = append(dst, Token{Start: i, End: j, Hash: h})
					i = j
					continue
				}
			}
			var end int
			var acc uint16
			var ok bool
			if run > 0 { // shortWord scanned text[i:run]: go on from there
				end, acc, ok = scanFrom(text, run, class[text[run-1]], runAcc)
			} else {
				end, acc, ok = scanWord(text, i)
			}
			if !ok {
				goto general
			}
			if acc&cAlnum != 0 {
				dst = append(dst, Token{Start: i, End: end, Hash: hashASCII(text[i:end], acc)})
			}
			i = end
			continue
		case k&cWhite != 0:
			white = true
		case k&cHigh != 0:
			k, w := special(text, i)
			white = false
			switch {
			case k&cHigh != 0:
				goto general
			case k&cLetter != 0: // a Latin-1 letter starts a word
				end, acc, ok := scanWord(text, i)
				if !ok {
					goto general
				}
				dst = append(dst, Token{Start: i, End: end, Hash: hashASCII(text[i:end], acc)})
				i = end
			default:
				// A known punctuation mark is a segment of its own
				// here: a mid character starting a segment joins
				// nothing (WB7 and WB11 need a letter or digit before
				// it in the segment).
				i += w
			}
			continue
		default: // punctuation: a segment of its own, not a word
			if white {
				chunk, mark, white = i, len(dst), false
			}
		}
		i++
		continue
	general:
		// i is inside the chunk that starts at chunk: give the whole
		// chunk to the general path and go on after it.
		end := chunkEnd(text, i)
		dst = tz.general(text[:end], chunk, dst[:mark])
		i, chunk, mark, white = end, end, len(dst), false
	}
	return dst
}

// chunkEnd returns the end of a chunk for the general path: the first
// p > i with text[p-1] ASCII whitespace and text[p] ASCII non-whitespace,
// and text[p-3:p-1] ASCII too, or len(text). The last condition is there
// because the segmenter, given a text that ends inside a multi-byte
// sequence (invalid UTF-8), takes all the rest as one segment: a chunk
// must not end within three bytes of a lead byte, or it would see an end
// of text the whole text does not have.
func chunkEnd(text string, i int) int {
	white := false
	for ; i < len(text); i++ {
		k := class[text[i]]
		switch {
		case k&cWhite != 0:
			white = true
		case white && k&cHigh == 0 && i >= 3 && text[i-2] < 0x80 && text[i-3] < 0x80:
			return i
		default:
			white = false
		}
	}
	return len(text)
}

// scanWord returns the end of the segment that starts at i with a letter,
// digit or '_', and the union of its characters' classes (so whether it
// holds a letter or digit, a capital, a quote to fold); ok is false when
// the segment reaches a byte this path does not know.
//
// It is the segmenter's rules as they fall out on ASCII. There are no
// Extend or Format characters to skip, so the segmenter's "last" is just
// the character before j. Inside a segment that began with a letter, digit
// or '_', the last character is always one of those: a mid character (':',
// '.', '\”, ',', ';', and the curly single quotes) only enters together
// with the letter or digit after it (WB6 then WB7, WB12 then WB11), so
// "last but one" never needs looking at.
func scanWord(text string, i int) (end int, acc uint16, ok bool) {
	last, w := class[text[i]], 1
	if last&cHigh != 0 {
		last, w = special(text, i) // a Latin-1 letter
	}
	return scanFrom(text, i+w, last, last)
}

// scanFrom is scanWord resumed at j, inside a segment that began with a
// letter, digit or '_': last is the class of the character before j, acc
// the union of the classes before j.
func scanFrom(text string, j int, last, acc uint16) (end int, _ uint16, ok bool) {
	n := len(text)
	for {
		if last&cAlnum != 0 { // WB5, WB8, WB9, WB10
			for j < n {
				k := class[text[j]]
				if k&cAlnum == 0 {
					break
				}
				acc |= k
				last = k
				j++
			}
		}
		if j >= n {
			return j, acc, true
		}
		cur, w := class[text[j]], 1
		if cur&cHigh != 0 {
			if cur, w = special(text, j); cur&cHigh != 0 {
				return 0, 0, false
			}
		}
		switch {
		case cur&cMidL != 0 && last&cLetter != 0, cur&cMidN != 0 && last&cDigit != 0:
			// WB6 or WB12: the mid character joins if a letter (after a
			// letter) or a digit (after a digit) follows it.
			if j+w >= n {
				return j, acc, true
			}
			next, nw := class[text[j+w]], 1
			if next&cHigh != 0 {
				if next, nw = special(text, j+w); next&cHigh != 0 {
					return 0, 0, false // maybe an Extend the segmenter would skip
				}
			}
			want := uint16(cDigit)
			if last&cLetter != 0 {
				want = cLetter
			}
			if next&want == 0 {
				return j, acc, true
			}
			acc |= cur | next
			last = next
			j += w + nw
		case cur&cExtendNumLet != 0: // WB13a
			acc |= cur
			last = cur
			j++
		case cur&cAlnum != 0:
			// WB13b after '_'; or WB5/WB9 for a Latin-1 letter, or for an
			// ASCII letter or digit after one, which the run above
			// leaves (last is always a letter, digit or '_' here).
			acc |= cur
			last = cur
			j += w
		default: // WB999
			return j, acc, true
		}
	}
}

// special returns the class and width of the few non-ASCII characters the
// fast path knows: the typographic punctuation of English text, ‘ and ’
// (MidNumLet, folded to '), and “ ” ‐ – — • … (Other: each a segment of its
// own, never a word); and the letters of Latin-1 (U+00C0-U+00FF but × and
// ÷: ALetter, left alone by NFKC when no combining mark follows, which
// would not be special, and case-folded by hashASCII). Anything else is
// cHigh.
func special(text string, j int) (uint16, int) {
	if text[j] == 0xC3 && j+1 < len(text) {
		if b := text[j+1]; 0x80 <= b && b <= 0xBF && b != 0x97 && b != 0xB7 {
			return cLetter | cFold, 2
		}
		return cHigh, 1
	}
	if j+2 < len(text) && text[j] == 0xE2 && text[j+1] == 0x80 {
		switch text[j+2] {
		case 0x98, 0x99: // U+2018, U+2019
			return cMidNumLet | cFold, 3
		case 0x90, 0x93, 0x94, 0x9C, 0x9D, 0xA2, 0xA6: // U+2010 U+2013 U+2014 U+201C U+201D U+2022 U+2026
			return cOther, 3
		}
	}
	return cHigh, 1
}

// hashASCII hashes the normalized form of a fast-path word, whose classes
// are acc: its lower-cased bytes, curly single quotes folded to ', Latin-1
// letters case-folded (À-Þ to à-þ, ß to ss; the form never grows). A word
// without capitals, quotes or accents, most of them, is hashed in place.
func hashASCII(w string, acc uint16) uint64 {
	if acc&(cUpper|cFold) == 0 {
		return xxh3.HashString(w)
	}
	var stack [64]byte
	b := stack[:0]
	if len(w) > len(stack) {
		b = make([]byte, 0, len(w))
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c < 0x80:
			b = append(b, lower[c])
		case c == 0xE2: // ‘ or ’
			b = append(b, '\'')
			i += 2
		default: // 0xC3: a Latin-1 letter
			i++
			switch c2 := w[i]; {
			case c2 == 0x9F: // ß
				b = append(b, 's', 's')
			case c2 < 0x9F: // a capital
				b = append(b, 0xC3, c2+0x20)
			default:
				b = append(b, 0xC3, c2)
			}
		}
	}
	return xxh3.Hash(b)
}

// lower maps ASCII capitals to small letters and every other byte to itself.
var lower = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] += 'a' - 'A'
		}
	}
	return t
}()

// shortWord handles the commonest word at i, where text[i] is a letter or
// digit and i+16 <= len(text): a run of at most 15 ASCII letters and
// digits followed by a byte that ends it (as in tokens' inline case). It
// returns the word's end and hash, or ok false for any other word, which
// the caller then takes the long way; end is then where the run of
// letters and digits ends, or 0 if it runs past 15 bytes, and acc the
// classes of that run (runClasses). The run is
// found, and lower-cased, eight bytes at a time by alnum8, and hashed from
// the registers by hash8 or hash16: the bytes are read once.
func shortWord(text string, i int) (end int, h uint64, acc uint16, ok bool) {
	x := le64(text, i)
	m, lw := alnum8(x)
	if m != 0 {
		l := bits.TrailingZeros64(m) >> 3 // >= 1: text[i] is alnum
		end = i + l
		mask := uint64(1)<<(8*uint(l)&63) - 1
		if !endsRun(text, end) {
			return end, 0, runClasses((lw ^ x) & mask), false
		}
		return end, hash8(lw&mask, l), 0, true
	}
	x2 := le64(text, i+8)
	m2, lw2 := alnum8(x2)
	if m2 == 0 {
		return 0, 0, 0, false
	}
	l := 8 + bits.TrailingZeros64(m2)>>3
	end = i + l
	if !endsRun(text, end) {
		return end, 0, runClasses(lw ^ x | (lw2^x2)&(1<<(8*uint(l-8)&63)-1)), false
	}
	if l == 8 {
		return end, hash8(lw, 8), 0, true
	}
	// The last eight bytes of the word straddle lw and lw2; the bytes of
	// lw2 past the word shift out at the top.
	hi := lw>>(8*uint(l-8)&63) | lw2<<(8*uint(16-l)&63)
	return end, hash16(lw, hi, l), 0, true
}

// runClasses returns, for scanFrom, the classes of a run of letters and
// digits whose lower-casing changed the bits in changed: it may claim a
// letter and a digit it lacks (nothing tests them beyond "a letter or a
// digit"), but it claims a capital exactly when there is one, so that a
// word without capitals is still hashed in place.
func runClasses(changed uint64) uint16 {
	if changed != 0 {
		return cAlnum | cUpper
	}
	return cAlnum
}

// endsRun reports whether the run of letters and digits that ends at j
// (j < len(text)) is a whole segment: text[j] is whitespace or plain
// punctuation, or a mid character ('.', ',', ...) that is followed by the
// end of the text, whitespace or plain punctuation, and so joins nothing.
func endsRun(text string, j int) bool {
	k := class[text[j]]
	if k&cEnds != 0 {
		return true
	}
	return k&(cMidL|cMidN) != 0 && (j+1 == len(text) || class[text[j+1]]&cEnds != 0)
}

// le64 reads text[i:i+8] as a little-endian word; the compiler makes it
// one load.
func le64(text string, i int) uint64 {
	b := text[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// alnum8 classifies the eight bytes of x at once: m has the high bit of
// each byte that is not an ASCII letter or digit, and lw is x with its
// capitals lower-cased. With y = x's low seven bits per byte, y + (0x80-c)
// sets a byte's high bit exactly when the byte is >= c, and no byte
// carries into the next (y <= 0x7F, 0x80-c <= 0x80); y | 0x20 maps A-Z
// onto a-z and no other byte into a-z, so one range test finds letters of
// either case, and a letter whose 0x20 bit is clear is a capital.
func alnum8(x uint64) (m, lw uint64) {
	y := x &^ highs
	f := y | 0x20*ones
	letter := (f + (0x80-'a')*ones) &^ (f + (0x7F-'z')*ones)
	digit := (y + (0x80-'0')*ones) &^ (y + (0x7F-'9')*ones)
	alnum := (letter | digit) &^ x & highs
	upper := letter &^ (y << 2) &^ x & highs // 0x20 bit shifted to 0x80
	return ^alnum & highs, x | upper>>2
}
