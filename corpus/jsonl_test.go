package corpus

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

func TestJSONLRecords(t *testing.T) {
	dir := t.TempDir()
	lines := []string{
		`{"id":"a","text":"first","date":"2017-10-30","source":"SANA","url":"http://x/a"}`,
		``,
		`{"id":7,"text":"numeric id","date":"2021-03-04T05:06:07+09:00","extra":{"deep":[1,2,{"x":null}]}}`,
		`{"id":"c","text":"a\u00e9\ud83d\ude00\n\"q\"","date":null}`,
		"   \r",
		`{"id":1.5e3,"text":"float id"}` + "\r",
	}
	p := write(t, dir, "in.jsonl", strings.Join(lines, "\n")) // no final newline
	s := scanAll(t, []string{p}, Options{})
	if len(s.problems) != 0 {
		t.Fatalf("problems %v", s.problems)
	}
	want := []Doc{
		{ID: "a", Text: "first", Date: "2017-10-30", Source: "SANA", URL: "http://x/a"},
		{ID: "7", Text: "numeric id", Date: "2021-03-04"},
		{ID: "c", Text: "a\u00e9\U0001F600\n\"q\""},
		{ID: "1.5e3", Text: "float id"},
	}
	if len(s.docs) != len(want) {
		t.Fatalf("docs %+v", s.docs)
	}
	for i := range want {
		if s.docs[i] != want[i] {
			t.Errorf("doc %d = %+v, want %+v", i, s.docs[i], want[i])
		}
	}
	// Line numbers count blank lines; Seq does not.
	for i, line := range []int{1, 3, 4, 6} {
		if s.records[i].Line != line || s.records[i].Seq != i || s.records[i].File != p {
			t.Errorf("record %d: %s:%d seq %d", i, s.records[i].File, s.records[i].Line, s.records[i].Seq)
		}
	}
}

// TestJSONLByteOrderMark: a file that starts with a UTF-8 byte order mark
// (and has CRLF line ends, as the tools that write one do) loses no record;
// a BOM anywhere else is not skipped over.
func TestJSONLByteOrderMark(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "bom.jsonl", "\xef\xbb\xbf"+`{"id":"a","text":"first"}`+"\r\n"+`{"id":"b","text":"second"}`+"\r\n\xef\xbb\xbf"+`{"id":"c","text":"third"}`+"\r\n")
	s := scanAll(t, []string{p}, Options{})
	if len(s.docs) != 2 || s.docs[0] != (Doc{ID: "a", Text: "first"}) || s.docs[1] != (Doc{ID: "b", Text: "second"}) {
		t.Fatalf("docs %+v", s.docs)
	}
	if len(s.problems) != 1 || s.problems[0].Line != 3 {
		t.Fatalf("problems %v, want line 3's mid-file BOM reported", s.problems)
	}
}

func TestJSONLFieldNames(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "in.ndjson", `{"doc_id":"x","content":"hello","published":"2001-02-03","text":5}`+"\n")
	s := scanAll(t, []string{p}, Options{IDField: "doc_id", TextField: "content", DateField: "published"})
	if len(s.docs) != 1 || s.docs[0] != (Doc{ID: "x", Text: "hello", Date: "2001-02-03"}) {
		t.Fatalf("docs %+v problems %v", s.docs, s.problems)
	}
}

func TestJSONLProblems(t *testing.T) {
	dir := t.TempDir()
	lines := []string{
		`{"id":"ok1","text":"good one"}`,                         // 1
		`{"id":"u","text":"caf` + "\xe9" + `"}`,                  // 2 invalid UTF-8
		`{"id":"j","text":"unterminated}`,                        // 3
		`{"id":"j2" "text":"x"}`,                                 // 4
		`["id","text"]`,                                          // 5
		`{"id":"nt"}`,                                            // 6
		`{"id":"ns","text":42}`,                                  // 7
		`{"text":"no id"}`,                                       // 8
		`{"id":"e","text":"  \n\t "}`,                            // 9
		`{"id":"d","text":"x","date":"30/10/2017"}`,              // 10
		`{"id":"d2","text":"x","date":"2017-02-30"}`,             // 11
		`{"id":"s","text":"x","source":3}`,                       // 12
		`{"id":{"a":1},"text":"x"}`,                              // 13
		`{"id":"big","text":"` + strings.Repeat("y", 200) + `"}`, // 14
		`{"id":"ok2","text":"good two"} `,                        // 15
		`{"id":"t","text":"x"} {}`,                               // 16
	}
	p := write(t, dir, "bad.jsonl", strings.Join(lines, "\n")+"\n")
	s := scanAll(t, []string{p}, Options{MaxRecordBytes: 150})
	// Lines 10 and 11 are kept, undated, with a warning each.
	if !equalStrings(s.ids(), []string{"ok1", "d", "d2", "ok2"}) {
		t.Errorf("ids %q", s.ids())
	}
	for _, d := range s.docs {
		if d.Date != "" {
			t.Errorf("%s: date %q, want none", d.ID, d.Date)
		}
	}
	if len(s.warnings) != 2 {
		t.Errorf("warnings %v, want 2", s.warnings)
	}
	for i, w := range []struct {
		line int
		date string
	}{{10, `"30/10/2017"`}, {11, `"2017-02-30"`}} {
		if i < len(s.warnings) {
			p := s.warnings[i]
			if !p.Warning || p.Line != w.line || !strings.Contains(p.Reason, "date does not parse, record kept undated: "+w.date) {
				t.Errorf("warning %d = %+v", i, p)
			}
		}
	}
	for _, w := range []struct {
		line   int
		reason string
	}{
		{2, "invalid UTF-8 at byte 21"},
		{3, `invalid JSON: unexpected end of JSON input within "/text" at byte 31`},
		{4, `invalid JSON: invalid character '"' after object value (expecting ',' or '}') at byte 11`},
		{5, "not a JSON object (got array)"},
		{6, `missing "text" field`},
		{7, `"text" is not a string (got number)`},
		{8, `missing "id" field`},
		{9, "empty document"},
		{12, `"source" is not a string (got number)`},
		{13, `"id" is not a string or number (got object)`},
		{14, "record is 222 bytes, more than the limit of 150"},
		{16, "invalid JSON: invalid character '{' after top-level value at byte 22"},
	} {
		s.wantProblem(t, p, w.line, false, w.reason)
	}
	if len(s.problems) != 12 {
		t.Errorf("%d problems: %v", len(s.problems), s.problems)
	}
	if e := s.problems[1].Error(); !strings.HasPrefix(e, p+":3: invalid JSON") {
		t.Errorf("Error() = %q", e)
	}
}

// TestJSONLLongLine reads a 20 MB line between short ones: far past any
// scanner token limit and the read buffer, the same path a 200 MB line takes.
func TestJSONLLongLine(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("word ", 4<<20)
	var b bytes.Buffer
	b.WriteString(`{"id":"before","text":"short"}` + "\n")
	b.WriteString(`{"id":"long","text":"` + long + `"}` + "\n")
	b.WriteString(`{"id":"after","text":"short"}` + "\n")
	b.WriteString(`{"id":"toolong","text":"` + long + long + `"}` + "\n")
	b.WriteString(`{"id":"last","text":"` + long + `"}`) // long, and no final newline
	p := filepath.Join(dir, "long.jsonl")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	s := scanAll(t, []string{p}, Options{MaxRecordBytes: 30 << 20})
	if !equalStrings(s.ids(), []string{"before", "long", "after", "last"}) {
		t.Fatalf("ids %q problems %v", s.ids(), s.problems)
	}
	if s.docs[1].Text != long || s.docs[3].Text != long {
		t.Error("long text changed")
	}
	s.wantProblem(t, p, 4, false, "more than the limit")
	if len(s.problems) != 1 || s.records[2].Line != 3 || s.records[3].Line != 5 {
		t.Errorf("problems %v; lines %d %d", s.problems, s.records[2].Line, s.records[3].Line)
	}
}

func gzipBytes(t *testing.T, data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zstdBytes(t *testing.T, data []byte) []byte {
	var b bytes.Buffer
	zw, _ := zstd.NewWriter(&b)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// jsonlLines makes n lines with ids 0..n-1 and some text to compress.
func jsonlLines(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		b.WriteString(`{"id":` + itoa(i) + `,"text":"document number ` + itoa(i) + ` ` + strings.Repeat("lorem ipsum ", i%7+1) + `"}` + "\n")
	}
	return b.Bytes()
}

func TestJSONLCompressed(t *testing.T) {
	dir := t.TempDir()
	data := jsonlLines(100)
	gz := filepath.Join(dir, "a.jsonl.gz")
	zs := filepath.Join(dir, "b.jsonl.zst")
	js := filepath.Join(dir, "c.json.gz")
	os.WriteFile(gz, gzipBytes(t, data), 0o644)
	os.WriteFile(zs, zstdBytes(t, data), 0o644)
	os.WriteFile(js, gzipBytes(t, data), 0o644)
	s := scanAll(t, []string{gz, zs, js}, Options{})
	if len(s.docs) != 300 || len(s.problems) != 0 {
		t.Fatalf("%d docs, problems %v", len(s.docs), s.problems)
	}
	if s.docs[299].ID != "99" || s.records[299].Line != 100 || s.records[299].Seq != 299 {
		t.Errorf("last record %+v", s.records[299])
	}
}

func TestJSONLCorruptGzip(t *testing.T) {
	dir := t.TempDir()
	data := jsonlLines(20000)
	z := gzipBytes(t, data)
	// Flip bytes in the middle of the deflate stream.
	bad := append([]byte(nil), z...)
	for i := len(bad) / 2; i < len(bad)/2+64; i++ {
		bad[i] ^= 0x55
	}
	p := filepath.Join(dir, "bad.jsonl.gz")
	os.WriteFile(p, bad, 0o644)
	trunc := filepath.Join(dir, "trunc.jsonl.gz")
	os.WriteFile(trunc, z[:len(z)*3/4], 0o644)
	notgz := filepath.Join(dir, "plain.jsonl.gz")
	os.WriteFile(notgz, data[:1000], 0o644)
	zs := zstdBytes(t, data)
	ztrunc := filepath.Join(dir, "trunc.jsonl.zst")
	os.WriteFile(ztrunc, zs[:len(zs)/2], 0o644)
	after := write(t, dir, "after.jsonl", `{"id":"after","text":"still read"}`)

	s := scanAll(t, []string{p, trunc, ztrunc, notgz, after}, Options{})
	var inputs []*Problem
	for _, pr := range s.problems {
		if pr.Input {
			inputs = append(inputs, pr)
		}
	}
	if len(inputs) != 4 {
		t.Fatalf("input problems %v", inputs)
	}
	count := map[string]int{}
	for _, r := range s.records {
		count[r.File]++
	}
	for _, pr := range inputs[:3] {
		// The problem names the line being read; every line before it came through.
		if !strings.Contains(pr.Reason, "corrupt gzip stream") && !strings.Contains(pr.Reason, "corrupt zstd stream") || pr.Line < 2 || pr.Line > 20000 {
			t.Errorf("problem %v", pr)
		}
		if count[pr.File] != pr.Line-1 {
			t.Errorf("%s: %d records before the problem at line %d", pr.File, count[pr.File], pr.Line)
		}
	}
	if inputs[0].File != p || inputs[1].File != trunc || inputs[2].File != ztrunc {
		t.Errorf("problems %v", inputs)
	}
	s.wantProblem(t, notgz, 0, true, "not a gzip stream")
	if s.ids()[len(s.ids())-1] != "after" {
		t.Error("the input after the corrupt ones was not read")
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// stdPick is what encoding/json makes of a line, the reference decodeJSONL
// must agree with on valid UTF-8: whether the line is JSON, whether it is an
// object, and its top-level members (a duplicate name's last value wins).
func stdPick(line []byte) (valid, object bool, members map[string]json.RawMessage) {
	if !json.Valid(line) {
		return false, false, nil
	}
	var v any
	// UseNumber: a number too large for a float64 is valid JSON, which
	// Unmarshal into any would refuse.
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		panic(err) // json.Valid said it was valid
	}
	if _, ok := v.(map[string]any); !ok {
		return true, false, nil
	}
	if err := json.Unmarshal(line, &members); err != nil {
		panic(err)
	}
	return true, true, members
}

// checkDecode compares decodeJSONL on one line with encoding/json: the same
// lines are JSON, the same are objects, and a Doc has the id, text, source
// and url encoding/json reads. Documented differences: none for valid UTF-8
// (invalid UTF-8 is rejected before decoding; encoding/json would replace it).
func checkDecode(t *testing.T, c *Corpus, line []byte) {
	t.Helper()
	d, p := c.decodeJSONL(Record{File: "f", Line: 1, kind: kindJSONL, raw: line})
	if !utf8.Valid(line) {
		if p == nil || !strings.HasPrefix(p.Reason, "invalid UTF-8 at byte ") {
			t.Fatalf("%q: invalid UTF-8, decodeJSONL %v", line, p)
		}
		return
	}
	if p != nil && (p.File != "f" || p.Line != 1 || p.Input) {
		t.Fatalf("%q: problem %+v", line, p)
	}
	reason := ""
	if p != nil {
		reason = p.Reason
	}
	valid, object, m := stdPick(line)
	switch {
	case !valid:
		if !strings.HasPrefix(reason, "invalid JSON: ") || !strings.Contains(reason, " at byte ") {
			t.Fatalf("%q: encoding/json says invalid, decodeJSONL %q", line, reason)
		}
		return
	case !object:
		if !strings.HasPrefix(reason, "not a JSON object (got ") {
			t.Fatalf("%q: encoding/json says valid non-object, decodeJSONL %q", line, reason)
		}
		return
	case strings.HasPrefix(reason, "invalid JSON") || strings.HasPrefix(reason, "not a JSON object"):
		t.Fatalf("%q: encoding/json says valid object, decodeJSONL %q", line, reason)
	}
	// The id and text encoding/json reads, or why the record is bad.
	var want Doc
	var text string
	var wantBad string
	if raw, ok := m["text"]; !ok {
		wantBad = `missing "text"`
	} else if string(raw) == "null" || json.Unmarshal(raw, &text) != nil {
		wantBad = `"text" is not a string`
	}
	want.Text = text
	if wantBad == "" {
		var id any
		raw, ok := m["id"]
		if ok {
			json.Unmarshal(raw, &id)
		}
		switch id := id.(type) {
		case nil:
			wantBad = `missing "id"`
		case string:
			want.ID = id
			if id == "" {
				wantBad = `empty "id"`
			}
		case float64:
			want.ID = string(raw)
		default:
			wantBad = `"id" is not a string or number`
		}
	}
	if wantBad != "" {
		if !strings.HasPrefix(reason, wantBad) {
			t.Fatalf("%q: want %s, decodeJSONL %q", line, wantBad, reason)
		}
		return
	}
	if p != nil {
		// Rejected for something past id and text (empty text, date,
		// source, url); encoding/json has no opinion on those.
		if !strings.Contains(reason, "empty document") && !strings.Contains(reason, "date") &&
			!strings.Contains(reason, `"source"`) && !strings.Contains(reason, `"url"`) {
			t.Fatalf("%q: decodeJSONL %q, encoding/json has id %q text %q", line, reason, want.ID, want.Text)
		}
		return
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"source", &want.Source}, {"url", &want.URL}} {
		json.Unmarshal(m[f.name], f.dst) // null and absent leave ""
	}
	if d.ID != want.ID || d.Text != want.Text || d.Source != want.Source || d.URL != want.URL {
		t.Fatalf("%q: decodeJSONL %+v, encoding/json %+v", line, d, want)
	}
}

func TestDecodeJSONLAgainstEncodingJSON(t *testing.T) {
	c, err := Open([]string{"-"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		`{}`, ` { "id" : 1 , "text" : "x" } `, `{"id":"a","text":"a\"b\\c\/d\b\f\n\r\t\u00e9"}`,
		`{"id":"s","text":"\ud83d\ude00 \ud800 \udc00 \ud800\u0041 \ud800\ud800\udc00 \udc00\ud800"}`,
		`{"id":"k","t\u0065xt":"escaped key"}`, `{"id":"d","text":"dup1","text":"dup2"}`,
		`{"id":"d","text":1,"text":"dup2"}`, `{"id":"d","text":"dup1","text":null}`, `{"id":1,"id":null,"text":"x"}`,
		`{"id":-0.5e+10,"text":[1,{"a":[]},{}],"date":true,"source":false,"url":null}`,
		`{"id":-0.5E-10,"text":"n"}`, `{"id":0,"text":"n","source":"s","url":"u"}`,
		`{"id":01}`, `{"id":-}`, `{"id":1.}`, `{"id":1e}`, `{"id":.5}`, `{"id":+1}`, `{"id":NaN}`,
		`{"text":"tab	in string"}`, `{"text":"\x"}`, `{"text":"\u12"}`, `{"text":"\U0041"}`, `{"a":tru}`, `{"a":nul}`,
		`{"a":[1,]}`, `{"a":{"b":1,}}`, `{"a" 1}`, `{,}`, `{"a":1`, `{"a":1,`, `{"a"`, `{"a":`, `[`, `"s"`, `12`, `null`, `true`,
		`{"a":1}}`, `{"a":1} x`, `{"a":1} {}`, `[1] x`, `[[[[[]]]]]`, `{"a":[[[{"b":[]}]]]}`, "\xef\xbb\xbf{}", "{\"a\":1}\x00",
		`{"a":"` + "\x7f" + `"}`, `{"id":"u","text":"é"}`, `{'a':1}`, `{a:1}`, `{"a":1 "b":2}`,
		`{"a":` + strings.Repeat("[", 9998) + strings.Repeat("]", 9998) + `}`,
		`{"a":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}`,
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
		strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
		strings.Repeat("[", 1_000_000),
		`{"id":"x","text":"caf` + "\xe9" + `"}`,
	} {
		checkDecode(t, c, []byte(line))
	}
}

// FuzzDecodeJSONL checks decodeJSONL against encoding/json on one line.
func FuzzDecodeJSONL(f *testing.F) {
	for _, s := range []string{
		`{"id":1,"text":"x"}`, `{"id":"a","text":"\ud800\udc00\u0041"}`, `[1,{"a":null}]`,
		`{"a":[true,false,-1.5e3]}`, `{"text":"a","text":1}`, `{"id":"b","text":"y","source":"s","url":"u","date":"2001-02-03"}`,
	} {
		f.Add([]byte(s))
	}
	c, err := Open([]string{"-"}, Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line []byte) { checkDecode(t, c, line) })
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
