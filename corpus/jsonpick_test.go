package corpus

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// oracle picks fields with encoding/json, the reference pickFields must
// agree with on valid UTF-8 input.
func oracle(line []byte, names *[numFields]string) (valid, object bool, fields map[string]json.RawMessage) {
	if !json.Valid(line) {
		return false, false, nil
	}
	var v any
	if err := json.Unmarshal(line, &v); err != nil {
		panic(err) // json.Valid said it was valid
	}
	if _, ok := v.(map[string]any); !ok {
		return true, false, nil
	}
	if err := json.Unmarshal(line, &fields); err != nil {
		panic(err)
	}
	return true, true, fields
}

func checkPick(t *testing.T, line []byte) {
	names := &[numFields]string{"id", "text", "date", "source", "url"}
	var got [numFields]jsonValue
	err := pickFields(line, names, &got)
	if !utf8.Valid(line) {
		return // Decode rejects it before parsing
	}
	valid, object, fields := oracle(line, names)
	var no *notObjectError
	switch {
	case !valid:
		if err == nil || errors.As(err, &no) {
			t.Fatalf("%q: encoding/json says invalid, pickFields says %v", line, err)
		}
		return
	case !object:
		if !errors.As(err, &no) {
			t.Fatalf("%q: encoding/json says valid non-object, pickFields says %v", line, err)
		}
		return
	case err != nil:
		t.Fatalf("%q: encoding/json says valid object, pickFields says %v", line, err)
	}
	for i, name := range names {
		raw, ok := fields[name]
		if !ok {
			if got[i].kind != jsonAbsent {
				t.Fatalf("%q: %s absent, pickFields has %v", line, name, got[i].kind)
			}
			continue
		}
		if got[i].kind == jsonString {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatalf("%q: %s: pickFields says string, encoding/json %v", line, name, err)
			}
			if got[i].str() != s {
				t.Fatalf("%q: %s = %q, encoding/json %q", line, name, got[i].str(), s)
			}
			continue
		}
		if string(got[i].raw) != string(raw) {
			t.Fatalf("%q: %s raw %q, encoding/json %q", line, name, got[i].raw, raw)
		}
	}
}

func TestPickFields(t *testing.T) {
	for _, line := range []string{
		`{}`, ` { "id" : 1 , "text" : "x" } `, `{"text":"a\"b\\c\/d\b\f\n\r\t\u00e9"}`,
		`{"text":"\ud83d\ude00 \ud800 \udc00 \ud800\u0041 \ud800\ud800\udc00"}`,
		`{"t\u0065xt":"escaped key"}`, `{"text":"dup1","text":"dup2"}`,
		`{"id":-0.5e+10,"text":[1,{"a":[]},{}],"date":true,"source":false,"url":null}`,
		`{"id":01}`, `{"id":-}`, `{"id":1.}`, `{"id":1e}`, `{"id":.5}`, `{"id":+1}`,
		`{"text":"tab	in string"}`, `{"text":"\x"}`, `{"text":"\u12"}`, `{"a":tru}`, `{"a":nul}`,
		`{"a":[1,]}`, `{"a":{"b":1,}}`, `{"a" 1}`, `{,}`, `{"a":1`, `[`, `"s"`, `12`, `null`, ``, ` `,
		`{"a":1}}`, `{"a":1} x`, `[[[[[]]]]]`, `{"a":[[[{"b":[]}]]]}`, "\xef\xbb\xbf{}",
		`{"a":"` + "\x7f" + `"}`, `{"text":"é"}`,
		`{"a":` + strings.Repeat("[", 9998) + strings.Repeat("]", 9998) + `}`,
		`{"a":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}`,
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
		strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
		strings.Repeat("[", 1_000_000),
	} {
		checkPick(t, []byte(line))
	}
}

func FuzzPickFields(f *testing.F) {
	for _, s := range []string{
		`{"id":1,"text":"x"}`, `{"text":"\ud800\udc00\u0041"}`, `[1,{"a":null}]`, `{"a":[true,false,-1.5e3]}`, `{"text":"a","text":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) { checkPick(t, line) })
}

// FuzzJSONL writes arbitrary bytes as a JSONL file: Scan and Decode must not
// panic, and every line that is not blank yields exactly one Doc or Problem.
func FuzzJSONL(f *testing.F) {
	for _, s := range []string{
		"{\"id\":1,\"text\":\"x\"}\n\n{\"id\":2}\n[1]\nnot json\n",
		"{\"id\":\"a\",\"text\":\"caf\xe9\"}\r\n   \n{\"id\":\"b\",\"text\":\"ok\",\"date\":\"2017-10-30T00:00:00Z\"}",
		"\n\n\n", "{", "{\"text\":\"" + strings.Repeat("z", 300) + "\",\"id\":3}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.jsonl")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		// A small limit so the fuzzer also reaches the too-large path.
		s := scanAll(t, []string{p}, Options{MaxRecordBytes: 256})
		lines := strings.Split(string(data), "\n")
		nonBlank := 0
		for _, l := range lines {
			if !isBlank([]byte(l)) {
				nonBlank++
			}
		}
		if got := len(s.docs) + len(s.problems); got != nonBlank {
			t.Fatalf("%d docs + %d problems for %d non-blank lines", len(s.docs), len(s.problems), nonBlank)
		}
		for _, pr := range s.problems {
			if pr.Input || pr.File != p || pr.Line < 1 || pr.Line > len(lines) || isBlank([]byte(lines[pr.Line-1])) {
				t.Fatalf("problem %+v", pr)
			}
		}
		for i, d := range s.docs {
			if d.ID == "" || strings.TrimSpace(d.Text) == "" || !utf8.ValidString(d.Text) || d.Date != "" && !isDay(d.Date) {
				t.Fatalf("doc %d %+v", i, d)
			}
		}
	})
}

// TestHasStop checks the eight-byte test against the byte table for every
// byte value at every position.
func TestHasStop(t *testing.T) {
	for c := range 256 {
		for pos := range 8 {
			w := []byte("abcdefgh")
			w[pos] = byte(c)
			x := uint64(0)
			for i := 7; i >= 0; i-- {
				x = x<<8 | uint64(w[i])
			}
			if got := hasStop(x); got != strStop[c] {
				t.Fatalf("byte %#x at %d: hasStop %v, table %v", c, pos, got, strStop[c])
			}
		}
	}
}
