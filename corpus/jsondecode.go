// pickFields reads one JSONL line as one JSON object and picks up to five
// top-level members by name, with the streaming tokenizer of
// github.com/go-json-experiment/json/jsontext (the upstream of Go's
// encoding/json/v2, kept by the Go JSON maintainers). The tokenizer
// validates strictly (RFC 8259: grammar, escapes, numbers), limits nesting
// to 10000 levels with an explicit stack rather than recursion, and reports
// a byte offset and a JSON pointer with every syntax error. Members that are
// not picked are validated and skipped (SkipValue) without building
// anything; a picked string costs one copy into the Go string.
//
// One Decoder per goroutine comes from a sync.Pool and is Reset for each
// line over a bytes.Buffer that holds the line: jsontext parses a
// bytes.Buffer in place, so a 200 MB line is not copied into a second
// buffer, and the pooled Decoder keeps no line after it is put back.
//
// Why not encoding/json: with field names chosen at run time it must decode
// into a map[string]json.RawMessage (every key and value allocated) and then
// unmarshal each picked value again. BenchmarkDecodeJSONL (news records of
// ~3 KB, 2-core AMD EPYC, shared and noisy): this file 340-420 MB/s,
// encoding/json with a map 78-97 MB/s, encoding/json into a fixed struct
// (which Options cannot use) 146-162 MB/s. The hand-written parser this
// replaced ran 580-840 MB/s; most of the difference was jsontext's unquoting,
// which checks UTF-8 rune by rune, so strings with escapes are now
// unescaped here (unescape), after the Decoder has validated them. github.com/valyala/fastjson and
// github.com/buger/jsonparser do not validate the whole line (and
// fastjson.Validate recurses without a depth limit).
//
// Semantics follow encoding/json, which FuzzDecodeJSONL checks: the same
// lines are valid, keys match exactly (not case-folded as encoding/json
// does for struct fields), and a lone or broken surrogate escape ("\ud800")
// becomes U+FFFD. For that last one the Decoder runs with AllowInvalidUTF8;
// that option does not let raw invalid UTF-8 through here, because
// decodeJSONL rejects it before decoding, with its byte offset.
//
// Duplicate names are allowed and the last value wins
// (AllowDuplicateNames), as encoding/json and most JSON readers do.
// Rejecting them would be stricter, but a record that every other tool in a
// pipeline reads would then be dropped here, and checking costs a set of
// names for every object on the line, nested ones included.
//
// Deliberately not done: the line must hold exactly one object; another
// value after it is an error, not a second record.

package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/go-json-experiment/json/jsontext"
)

// jsonValue is a picked member's value.
type jsonValue struct {
	kind jsontext.Kind // 0: the member is not in the object
	str  string        // a string's text, or a number's JSON text
}

// kindName names a JSON kind for a problem message.
func kindName(k jsontext.Kind) string {
	switch k {
	case 0:
		return "nothing"
	case 'n':
		return "null"
	case 't', 'f':
		return "boolean"
	case '0':
		return "number"
	case '"':
		return "string"
	case '[':
		return "array"
	case '{':
		return "object"
	}
	return k.String()
}

// syntaxError is invalid JSON at a byte offset of the line.
type syntaxError struct {
	off int64
	msg string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("%s at byte %d", e.msg, e.off) }

// notObjectError is valid JSON that is not an object.
type notObjectError struct{ kind jsontext.Kind }

func (e *notObjectError) Error() string { return "not a JSON object (got " + kindName(e.kind) + ")" }

// lineDecoder is a pooled Decoder and the buffer it reads.
type lineDecoder struct {
	dec     jsontext.Decoder
	buf     bytes.Buffer
	scratch []byte // unquote's buffer
}

// unquote returns the text of a string the Decoder has validated.
// Token.String would copy an escaped string twice (unescaped bytes, then
// the Go string); this unescapes into a reused buffer and copies once.
func (ld *lineDecoder) unquote(raw jsontext.Value) string {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1])
	}
	ld.scratch = unescape(ld.scratch[:0], raw)
	s := string(ld.scratch)
	if cap(ld.scratch) > maxScratch {
		ld.scratch = nil
	}
	return s
}

// lineText returns the text of the validated JSON string raw, a part of a
// record's line, without copying it into a string of its own: it shares
// the line's bytes when there is nothing to unescape, and otherwise a fresh
// buffer it unescapes into. A record's line is a fresh slice that nothing
// writes to (lineReader.next), so the text may keep it alive; only the text
// field is read this way, because the line is little more than the text,
// while short fields such as IDs outlive the text and would pin whole lines.
// On a million 500-byte records this saves the copy and allocation that
// were 3% of "reprint pairs".
func lineText(raw []byte) string {
	if len(raw) <= 2 {
		return ""
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return unsafe.String(&raw[1], len(raw)-2)
	}
	buf := unescape(make([]byte, 0, len(raw)-2), raw)
	return unsafe.String(unsafe.SliceData(buf), len(buf))
}

// unescape appends the text of the JSON string raw (quotes included),
// which the Decoder has validated and whose line is valid UTF-8, to dst.
// jsontext.AppendUnquote does the same but checks UTF-8 rune by rune, and
// was a third of "reprint pairs" on JSONL with a newline escape every
// line; here the runs between escapes are copied whole. As there, a lone
// or broken surrogate escape becomes U+FFFD (TestUnescapeIsAppendUnquote).
func unescape(dst, raw []byte) []byte {
	s := raw[1 : len(raw)-1]
	for len(s) > 0 {
		i := bytes.IndexByte(s, '\\')
		if i < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:i]...)
		s = s[i:]
		switch c := s[1]; c {
		case 'b':
			dst, s = append(dst, '\b'), s[2:]
		case 'f':
			dst, s = append(dst, '\f'), s[2:]
		case 'n':
			dst, s = append(dst, '\n'), s[2:]
		case 'r':
			dst, s = append(dst, '\r'), s[2:]
		case 't':
			dst, s = append(dst, '\t'), s[2:]
		case 'u':
			r := hex4(s[2:6])
			s = s[6:]
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if len(s) >= 6 && s[0] == '\\' && s[1] == 'u' {
					r2 = hex4(s[2:6])
				}
				if r = utf16.DecodeRune(r, r2); r != utf8.RuneError {
					s = s[6:]
				}
			}
			dst = utf8.AppendRune(dst, r)
		default: // '"', '\\', '/'
			dst, s = append(dst, c), s[2:]
		}
	}
	return dst
}

// hex4 reads four hexadecimal digits the Decoder has validated.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// maxScratch is the largest unquote buffer a pooled lineDecoder keeps.
const maxScratch = 1 << 20

var lineDecoders = sync.Pool{New: func() any { return new(lineDecoder) }}

// pickFields parses line as one JSON object and sets out[i] to the value of
// its member named names[i] (kind 0 when there is none).
func pickFields(line []byte, names *[numFields]string, out *[numFields]jsonValue) error {
	*out = [numFields]jsonValue{}
	ld := lineDecoders.Get().(*lineDecoder)
	defer func() {
		// Drop the line so that the pool does not keep it alive.
		ld.buf = bytes.Buffer{}
		ld.dec.Reset(&ld.buf)
		lineDecoders.Put(ld)
	}()
	ld.buf = *bytes.NewBuffer(line)
	d := &ld.dec
	d.Reset(&ld.buf, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))

	if k := d.PeekKind(); k != '{' {
		if err := d.SkipValue(); err != nil {
			return syntaxErr(err)
		}
		if err := end(d, line); err != nil {
			return err
		}
		return &notObjectError{k}
	}
	if _, err := d.ReadToken(); err != nil {
		return syntaxErr(err)
	}
	for d.PeekKind() == '"' {
		// The name as raw JSON: compared without making a string of it
		// (Token.String allocated one a member, for every name compared).
		raw, err := d.ReadValue()
		if err != nil {
			return syntaxErr(err)
		}
		name := raw[1 : len(raw)-1]
		if bytes.IndexByte(name, '\\') >= 0 {
			ld.scratch = unescape(ld.scratch[:0], raw)
			name = ld.scratch
		}
		want := -1
		for i := range names {
			if string(name) == names[i] {
				want = i
				break
			}
		}
		if want < 0 {
			if err := d.SkipValue(); err != nil {
				return syntaxErr(err)
			}
			continue
		}
		v := jsonValue{kind: d.PeekKind()}
		switch v.kind {
		case '"':
			raw, err := d.ReadValue()
			if err != nil {
				return syntaxErr(err)
			}
			if want == fieldText {
				// InputOffset is just past the value (documented), so
				// this is the value's place in the line itself.
				off := d.InputOffset()
				v.str = lineText(line[off-int64(len(raw)) : off])
			} else {
				v.str = ld.unquote(raw)
			}
		case '0':
			tok, err := d.ReadToken()
			if err != nil {
				return syntaxErr(err)
			}
			v.str = tok.String()
		default:
			if err := d.SkipValue(); err != nil {
				return syntaxErr(err)
			}
		}
		// Names may coincide (IDField and URLField both "url"): set every slot.
		for i := want; i < len(names); i++ {
			if names[i] == names[want] {
				out[i] = v
			}
		}
	}
	// The next token must be '}'; anything else is an error ReadToken reports.
	if _, err := d.ReadToken(); err != nil {
		return syntaxErr(err)
	}
	return end(d, line)
}

// end checks that only whitespace follows the top-level value.
func end(d *jsontext.Decoder, line []byte) error {
	off := d.InputOffset()
	rest := line[off:]
	i := bytes.IndexFunc(rest, func(r rune) bool { return r != ' ' && r != '\t' && r != '\r' && r != '\n' })
	if i < 0 {
		return nil
	}
	return &syntaxError{off + int64(i), "invalid character " + quoteRune(rest[i:]) + " after top-level value"}
}

// quoteRune quotes the character that b starts with.
func quoteRune(b []byte) string {
	r, _ := utf8.DecodeRune(b)
	return strconv.QuoteRune(r)
}

// syntaxErr turns a jsontext error into a syntaxError with the offset and,
// when the error is inside a nested value, where in the object it is.
func syntaxErr(err error) error {
	var se *jsontext.SyntacticError
	if !errors.As(err, &se) {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return &syntaxError{0, "unexpected end of JSON input"}
		}
		return err // cannot happen when reading from memory
	}
	msg := "syntax error"
	if se.Err != nil {
		msg = se.Err.Error()
	}
	if errors.Is(se.Err, io.ErrUnexpectedEOF) {
		msg = "unexpected end of JSON input"
	}
	if se.JSONPointer != "" {
		msg += fmt.Sprintf(" within %q", clip(string(se.JSONPointer), 60))
	}
	return &syntaxError{se.ByteOffset, msg}
}
