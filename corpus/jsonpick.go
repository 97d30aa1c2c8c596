// pickFields is a JSON parser that does one job: validate a line as one JSON
// object and hand back the raw bytes of up to five top-level members, by
// name. Everything else is validated and skipped without building anything.
//
// Why not encoding/json: with field names chosen at run time it must decode
// into a map[string]json.RawMessage (every key and value allocated) and then
// unmarshal each picked value again. BenchmarkDecodeJSONL (news records of
// ~3 KB, 2-core AMD EPYC, shared and noisy): Decode 690-970 MB/s, encoding/json
// with a map 77-85 MB/s, encoding/json into a fixed struct (which Options
// cannot use) 100-140 MB/s.
//
// Why not github.com/valyala/fastjson, measured on the same records in a
// scratch module (not kept, to keep the dependency out): parse plus field
// lookup 1.6-1.9 GB/s, but its Parse does not validate (bad escapes and raw
// control characters pass) and keeps a lone surrogate escape as the six
// characters "\ud800"; with fastjson.Validate added it runs 0.9-1.4 GB/s,
// and Validate recurses without a depth limit, so a long "[[[[..." line can
// overflow the stack, which is fatal, not a panic. pickFields alone ran
// 1.3-1.4 GB/s there, with strict validation, byte offsets in errors, no
// recursion (an explicit stack) and no dependency. github.com/buger/jsonparser
// looks fields up without validating the whole line. A string member costs one scan (eight bytes at a
// time until a quote, backslash or control byte) and one copy into the Go
// string.
//
// Semantics follow encoding/json, which FuzzPickFields checks: the same
// inputs are valid (RFC 8259, nesting up to 10000 levels), a duplicate key's
// last value wins, keys match exactly (not case-folded as encoding/json does
// for struct fields), and a lone or broken surrogate escape becomes U+FFFD.
// The caller checks UTF-8 first; bytes are not re-checked here.

package corpus

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

// jsonKind is the type of a JSON value.
type jsonKind uint8

const (
	jsonAbsent jsonKind = iota // the member is not in the object
	jsonNull
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

func (k jsonKind) String() string {
	return [...]string{"nothing", "null", "boolean", "number", "string", "array", "object"}[k]
}

// jsonValue is a picked member's value, not yet decoded.
type jsonValue struct {
	kind jsonKind
	raw  []byte // string: the bytes between the quotes, escapes undone not yet; otherwise the value's text
	esc  bool   // a string holds a backslash escape
}

// str returns a string value's text.
func (v jsonValue) str() string {
	if !v.esc {
		return string(v.raw)
	}
	return unescape(v.raw)
}

// syntaxError is invalid JSON at a byte offset.
type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("%s at byte %d", e.msg, e.off) }

// notObjectError is valid JSON that is not an object.
type notObjectError struct{ kind jsonKind }

func (e *notObjectError) Error() string { return "not a JSON object (got " + e.kind.String() + ")" }

// pickFields parses line as one JSON object and sets out[i] to the value of
// its member named names[i] (jsonAbsent when there is none).
func pickFields(line []byte, names *[numFields]string, out *[numFields]jsonValue) error {
	*out = [numFields]jsonValue{}
	p := jscan{s: line}
	p.ws()
	if p.i < len(p.s) && p.s[p.i] != '{' {
		v, err := p.value(0)
		if err != nil {
			return err
		}
		if err := p.end(); err != nil {
			return err
		}
		return &notObjectError{v.kind}
	}
	if err := p.expect('{', "looking for beginning of value"); err != nil {
		return err
	}
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return p.end()
	}
	for {
		key, kesc, err := p.key()
		if err != nil {
			return err
		}
		v, err := p.value(1)
		if err != nil {
			return err
		}
		if kesc {
			key = []byte(unescape(key))
		}
		for i := range names {
			if string(key) == names[i] {
				out[i] = v
			}
		}
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if err := p.expect('}', "after object key:value pair"); err != nil {
			return err
		}
		return p.end()
	}
}

// jscan is the parse position in a line.
type jscan struct {
	s []byte
	i int
}

func (p *jscan) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// fail reports the byte at the current position as unexpected.
func (p *jscan) fail(context string) error {
	if p.i >= len(p.s) {
		return &syntaxError{p.i, "unexpected end of JSON input"}
	}
	c := p.s[p.i]
	q := fmt.Sprintf("%q", c)
	if c >= utf8.RuneSelf {
		r, _ := utf8.DecodeRune(p.s[p.i:])
		q = fmt.Sprintf("%q", r)
	}
	return &syntaxError{p.i, "invalid character " + q + " " + context}
}

func (p *jscan) expect(c byte, context string) error {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return nil
	}
	return p.fail(context)
}

// end checks that only whitespace follows the top-level value.
func (p *jscan) end() error {
	p.ws()
	if p.i < len(p.s) {
		return p.fail("after top-level value")
	}
	return nil
}

// key reads `"name" :` and the whitespace after it.
func (p *jscan) key() ([]byte, bool, error) {
	p.ws()
	if p.i >= len(p.s) || p.s[p.i] != '"' {
		return nil, false, p.fail("looking for beginning of object key string")
	}
	k, esc, err := p.str()
	if err != nil {
		return nil, false, err
	}
	p.ws()
	if err := p.expect(':', "after object key"); err != nil {
		return nil, false, err
	}
	p.ws()
	return k, esc, nil
}

// value reads one value at depth (the number of containers around it).
func (p *jscan) value(depth int) (jsonValue, error) {
	p.ws()
	if p.i >= len(p.s) {
		return jsonValue{}, p.fail("")
	}
	start := p.i
	switch c := p.s[p.i]; {
	case c == '"':
		s, esc, err := p.str()
		return jsonValue{kind: jsonString, raw: s, esc: esc}, err
	case c == '{' || c == '[':
		err := p.container(depth)
		k := jsonObject
		if c == '[' {
			k = jsonArray
		}
		return jsonValue{kind: k, raw: p.s[start:p.i]}, err
	default:
		k, err := p.scalar()
		return jsonValue{kind: k, raw: p.s[start:p.i]}, err
	}
}

// scalar reads a number, true, false or null.
func (p *jscan) scalar() (jsonKind, error) {
	for _, lit := range [...]struct {
		text string
		kind jsonKind
	}{{"true", jsonBool}, {"false", jsonBool}, {"null", jsonNull}} {
		if p.s[p.i] != lit.text[0] {
			continue
		}
		for j := 1; j < len(lit.text); j++ {
			p.i++
			if p.i >= len(p.s) || p.s[p.i] != lit.text[j] {
				return 0, p.fail("in literal " + lit.text + " (expecting '" + lit.text[j:j+1] + "')")
			}
		}
		p.i++
		return lit.kind, nil
	}
	return jsonNumber, p.number()
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jscan) number() error {
	neg := p.s[p.i] == '-'
	if neg {
		p.i++
	}
	switch {
	case p.i < len(p.s) && p.s[p.i] == '0':
		p.i++
	case p.i < len(p.s) && p.s[p.i] >= '1' && p.s[p.i] <= '9':
		p.digits()
	case neg:
		return p.fail("in numeric literal")
	default:
		return p.fail("looking for beginning of value")
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			return p.fail("after decimal point in numeric literal")
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return p.fail("in exponent of numeric literal")
		}
	}
	return nil
}

func (p *jscan) digits() int {
	start := p.i
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	return p.i - start
}

// strStop marks the bytes that end a run of plain string bytes.
var strStop = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'] = true
	t['\\'] = true
	return t
}()

// str reads a string whose opening quote is at the position and returns the
// bytes between the quotes.
func (p *jscan) str() ([]byte, bool, error) {
	p.i++
	start := p.i
	esc := false
	for {
		// Eight bytes at a time while none is special, then byte by byte.
		for p.i+8 <= len(p.s) && !hasStop(binary.LittleEndian.Uint64(p.s[p.i:])) {
			p.i += 8
		}
		for p.i < len(p.s) && !strStop[p.s[p.i]] {
			p.i++
		}
		if p.i >= len(p.s) {
			return nil, false, p.fail("")
		}
		switch c := p.s[p.i]; {
		case c == '"':
			p.i++
			return p.s[start : p.i-1], esc, nil
		case c == '\\':
			esc = true
			p.i++
			if p.i >= len(p.s) {
				return nil, false, p.fail("")
			}
			switch p.s[p.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i++
			case 'u':
				p.i++
				for range 4 {
					if p.i >= len(p.s) || !isHex(p.s[p.i]) {
						return nil, false, p.fail("in \\u hexadecimal character escape")
					}
					p.i++
				}
			default:
				return nil, false, p.fail("in string escape code")
			}
		default:
			return nil, false, p.fail("in string literal")
		}
	}
}

// hasStop reports whether any byte of x is '"', '\\' or below 0x20, with the
// zero-byte tricks of "Bit Twiddling Hacks" (exact, no false positives).
func hasStop(x uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	q := x ^ (lo * '"')
	b := x ^ (lo * '\\')
	return ((q-lo)&^q|(b-lo)&^b|(x-lo*0x20)&^x)&hi != 0
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// container skips an object or array starting at the position, inside depth
// others. It keeps its own stack of open brackets rather than recursing.
func (p *jscan) container(depth int) error {
	var open []byte // the closing bracket of each open container
	for {
		// At the start of a value.
		p.ws()
		if p.i >= len(p.s) {
			return p.fail("")
		}
		switch c := p.s[p.i]; c {
		case '{', '[':
			if depth+len(open)+1 > maxDepth {
				return &syntaxError{p.i, "exceeded max depth"}
			}
			p.i++
			p.ws()
			closer := byte(']')
			if c == '{' {
				closer = '}'
			}
			if p.i < len(p.s) && p.s[p.i] == closer {
				p.i++
				break // an empty container is a complete value
			}
			open = append(open, closer)
			if c == '{' {
				if _, _, err := p.key(); err != nil {
					return err
				}
			}
			continue
		case '"':
			if _, _, err := p.str(); err != nil {
				return err
			}
		default:
			if _, err := p.scalar(); err != nil {
				return err
			}
		}
		// A value is complete: close containers, or go on to the next element.
		for {
			if len(open) == 0 {
				return nil
			}
			p.ws()
			top := open[len(open)-1]
			if p.i < len(p.s) && p.s[p.i] == top {
				p.i++
				open = open[:len(open)-1]
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				if top == '}' {
					if _, _, err := p.key(); err != nil {
						return err
					}
				}
				break
			}
			if top == '}' {
				return p.fail("after object key:value pair")
			}
			return p.fail("after array element")
		}
	}
}

// unescape undoes the escapes of a valid JSON string's bytes, as
// encoding/json does: a surrogate escape that is not half of a valid pair
// becomes U+FFFD.
func unescape(s []byte) string {
	var b strings.Builder
	b.Grow(len(s)) // escapes only shrink
	for len(s) > 0 {
		j := bytes.IndexByte(s, '\\')
		if j < 0 {
			b.Write(s)
			break
		}
		b.Write(s[:j])
		s = s[j:]
		if len(s) < 2 {
			break // cannot happen in a validated string
		}
		switch c := s[1]; c {
		case 'u':
			r, ok := hex4(s[2:])
			if !ok {
				return b.String() // cannot happen in a validated string
			}
			s = s[6:]
			if utf16.IsSurrogate(r) {
				if len(s) >= 6 && s[0] == '\\' && s[1] == 'u' {
					if r2, ok := hex4(s[2:]); ok {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							b.WriteRune(dec)
							s = s[6:]
							continue
						}
					}
				}
				r = utf8.RuneError
			}
			b.WriteRune(r)
			continue
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		default: // '"', '\\', '/'
			b.WriteByte(c)
		}
		s = s[2:]
	}
	return b.String()
}

// hex4 reads the four hex digits of a \u escape.
func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
