// The JSON line of a pair, written without reflection: "reprint pairs" on
// a collection with many near-duplicates writes hundreds of thousands of
// them after the parallel work is done, and encoding/json took most of
// that serial tail (a fifth of the wall time on 913-byte documents).

package neardup

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends p as encoding/json with SetEscapeHTML(false) writes
// it, newline included: the same bytes, which TestPairJSONIsEncodingJSON
// and FuzzPairJSON check. IDs that need escaping and numbers encoding/json
// writes with an exponent take encoding/json itself.
func (p Pair) AppendJSON(b []byte) []byte {
	b = append(b, `{"a":`...)
	b = appendString(b, p.A)
	b = append(b, `,"b":`...)
	b = appendString(b, p.B)
	b = append(b, `,"jaccard":`...)
	b = appendFloat(b, p.Jaccard)
	b = append(b, `,"containment_a":`...)
	b = appendFloat(b, p.ContainmentA)
	b = append(b, `,"containment_b":`...)
	b = appendFloat(b, p.ContainmentB)
	return append(b, "}\n"...)
}

// appendString quotes s, which needs no escape when it is printable ASCII
// without quotes or backslashes, or valid UTF-8 beyond that without the
// two line separators encoding/json escapes (U+2028, U+2029).
func appendString(b []byte, s string) []byte {
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' {
			return appendEncoded(b, s)
		}
		ascii = ascii && c < 0x80
	}
	if !ascii && !plainUTF8(s) {
		return appendEncoded(b, s)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// plainUTF8 reports whether s is valid UTF-8 without U+2028 or U+2029.
func plainUTF8(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// appendEncoded appends v as encoding/json writes it without HTML
// escapes; NaN and infinities, which no pair holds and encoding/json
// refuses, become null.
func appendEncoded(b []byte, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return append(b, "null"...)
	}
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})...)
}

// appendFloat writes f as encoding/json does: the shortest decimal that
// reads back as f, without an exponent between 1e-6 and 1e21.
func appendFloat(b []byte, f float64) []byte {
	if a := max(f, -f); a != 0 && (a < 1e-6 || a >= 1e21) || f != f {
		return appendEncoded(b, f)
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}
