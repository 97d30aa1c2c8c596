package corpus

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

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
	if !equalStrings(s.ids(), []string{"ok1", "ok2"}) {
		t.Errorf("ids %q", s.ids())
	}
	for _, w := range []struct {
		line   int
		reason string
	}{
		{2, "invalid UTF-8 at byte 21"},
		{3, "invalid JSON: unexpected end of JSON input at byte 31"},
		{4, `invalid JSON: invalid character '"' after object key:value pair at byte 11`},
		{5, "not a JSON object (got array)"},
		{6, `missing "text" field`},
		{7, `"text" is not a string (got number)`},
		{8, `missing "id" field`},
		{9, "empty document"},
		{10, `date: cannot parse "30/10/2017"`},
		{11, `date: cannot parse "2017-02-30"`},
		{12, `"source" is not a string (got number)`},
		{13, `"id" is not a string or number (got object)`},
		{14, "record is 222 bytes, more than the limit of 150"},
		{16, "invalid JSON: invalid character '{' after top-level value at byte 22"},
	} {
		s.wantProblem(t, p, w.line, false, w.reason)
	}
	if len(s.problems) != 14 {
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
