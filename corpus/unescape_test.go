package corpus

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// TestUnescapeIsAppendUnquote checks unescape against jsontext's
// AppendUnquote on valid JSON strings built from every escape, surrogate
// pairs, lone and broken surrogates, and multi-byte UTF-8.
func TestUnescapeIsAppendUnquote(t *testing.T) {
	pieces := []string{
		`a`, `plain text `, `é`, `日本`, `🙂`, `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`,
		`\u0041`, `\u00e9`, `\u65E5`, `\ud83d\ude42`, `\uD83D\uDE42`, `\ud800`, `\udc00`,
		`\ud800\u0041`, `\ud800\ud800`, `\udbff\udfff`, `\u0000`, `\uffff`, `\ud800\n`,
	}
	r := rand.New(rand.NewPCG(11, 12))
	check := func(s string) {
		raw := []byte(`"` + s + `"`)
		want, _ := jsontext.AppendUnquote(nil, raw)
		got := unescape(nil, raw)
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: unescape gives %q, AppendUnquote %q", raw, got, want)
		}
		if !utf8.Valid(got) {
			t.Fatalf("%s: invalid UTF-8 out", raw)
		}
	}
	check(``)
	for _, p := range pieces {
		check(p)
	}
	for range 20000 {
		var b []byte
		for range r.IntN(12) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		check(string(b))
	}
	// Every code point escaped, as an encoder that escapes all would write it.
	for c := rune(0); c < 0x10000; c += 7 {
		check(`\u` + strconv.FormatInt(0x10000+int64(c), 16)[1:])
	}
}
