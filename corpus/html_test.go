package corpus

import (
	"bytes"
	"compress/zlib"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"golang.org/x/text/encoding/charmap"
)

// TestFolderByExtension: in a folder, a file is read by its name as if it
// were given on its own (issue: a folder of JSONL shards read as text).
func TestFolderByExtension(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "part-1.jsonl", `{"id":"j1","text":"first shard"}`+"\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"id":"j2","text":"second shard"}` + "\n"))
	zw.Close()
	write(t, dir, "part-2.jsonl.gz", gz.String())
	writeParquet(t, filepath.Join(dir, "rows.parquet"), []pqDoc{{ID: 7, Text: "a parquet row"}})
	w := &warcWriter{gzip: true}
	w.response("https://site.example/a", "200 OK", "text/html", []byte(templateA("A page", article(9, 6))), 0)
	write(t, dir, "sub/crawl.warc.gz", w.buf.String())
	write(t, dir, "sub/page.html", templateB("Saved page", article(10, 6)))
	write(t, dir, "zz.txt", "plain text file")

	s := scanAll(t, []string{dir}, Options{})
	want := []string{"j1", "j2", "7", "https://site.example/a", "sub/page.html", "zz.txt"}
	if !equalStrings(s.ids(), want) || len(s.problems) != 0 {
		t.Fatalf("ids %q problems %v, want %q", s.ids(), s.problems, want)
	}
	for _, d := range s.docs {
		wantOf := ""
		if d.ID == "https://site.example/a" || d.ID == "sub/page.html" {
			wantOf = TextExtracted
		}
		if d.TextOf != wantOf {
			t.Errorf("%s: TextOf %q, want %q", d.ID, d.TextOf, wantOf)
		}
	}
	if got := s.docs[4].Text; !strings.Contains(got, strings.Join(strings.Fields(article(10, 6)[0])[:8], " ")) || strings.Contains(got, "Subscribe") {
		t.Errorf("page.html text %.120q", got)
	}

	// A folder of JSONL shards is copied as JSONL, not as files.
	shards := filepath.Join(t.TempDir(), "shards")
	write(t, shards, "part-1.jsonl", `{"id":"a","text":"x"}`+"\n")
	write(t, shards, "part-2.jsonl", `{"id":"b","text":"y"}`+"\n")
	out := filepath.Join(t.TempDir(), "kept.jsonl")
	if n, err := copyOut(t, []string{shards}, Options{}, keepAll, out); err != nil || n != 2 {
		t.Fatalf("copy shards: %d, %v", n, err)
	}
	if got, _ := os.ReadFile(out); string(got) != `{"id":"a","text":"x"}`+"\n"+`{"id":"b","text":"y"}`+"\n" {
		t.Errorf("copied shards %q", got)
	}
	// A folder of HTML pages is copied file by file, bytes unchanged.
	kept := filepath.Join(t.TempDir(), "kept")
	pages := filepath.Join(t.TempDir(), "pages")
	page := templateA("Kept", article(11, 6))
	write(t, pages, "a/kept.html", page)
	if n, err := copyOut(t, []string{pages}, Options{}, keepAll, kept); err != nil || n != 1 {
		t.Fatalf("copy pages: %d, %v", n, err)
	}
	if got, _ := os.ReadFile(filepath.Join(kept, "a", "kept.html")); string(got) != page {
		t.Error("copied page differs")
	}
	// A folder that mixes a WARC and HTML pages cannot go to one output.
	if _, err := copyOut(t, []string{filepath.Join(dir, "sub")}, Options{}, keepAll, filepath.Join(t.TempDir(), "x.jsonl")); err == nil || !strings.Contains(err.Error(), "WARC") {
		t.Errorf("copy of a folder with a WARC: %v", err)
	}
}

// TestHTMLFile: charset, metadata, raw mode.
func TestHTMLFile(t *testing.T) {
	dir := t.TempDir()
	body := article(12, 6)
	body[0] = "Caf\u00e9 owners said the na\u00efve plan " + body[0]
	page := templateA("Caf\u00e9", body)
	page = strings.Replace(page, `<meta charset="utf-8">`, `<meta charset="iso-8859-1"><link rel="canonical" href="https://courier.example/cafe"><meta property="article:published_time" content="2020-05-06T08:00:00Z">`, 1)
	latin, err := charmap.ISO8859_1.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	p := write(t, dir, "cafe.htm", latin)
	s := scanAll(t, []string{p}, Options{})
	if len(s.docs) != 1 {
		t.Fatalf("docs %v problems %v", s.ids(), s.problems)
	}
	d := s.docs[0]
	if !strings.Contains(d.Text, "Caf\u00e9 owners said the na\u00efve plan") || d.TextOf != TextExtracted {
		t.Errorf("text %.80q (TextOf %q)", d.Text, d.TextOf)
	}
	if d.Date != "2020-05-06" || d.URL != "https://courier.example/cafe" || d.Source != "courier.example" || d.ID != p {
		t.Errorf("metadata: id %q date %q url %q source %q", d.ID, d.Date, d.URL, d.Source)
	}
	// Raw: the markup decoded to UTF-8, so not the file's bytes.
	s = scanAll(t, []string{p}, Options{HTML: HTMLRaw})
	if len(s.docs) != 1 || s.docs[0].Text != page || s.docs[0].TextOf != TextDecoded {
		t.Errorf("raw latin-1 page: %d docs, TextOf %q", len(s.docs), s.docs[0].TextOf)
	}
	// Raw UTF-8: the file's bytes, offsets are file offsets.
	u := write(t, dir, "u.html", templateB("T", article(13, 2)))
	s = scanAll(t, []string{u}, Options{HTML: "raw"})
	if raw, _ := os.ReadFile(u); len(s.docs) != 1 || s.docs[0].Text != string(raw) || s.docs[0].TextOf != "" {
		t.Errorf("raw UTF-8 page not the file's bytes")
	}
	// A page with nothing to extract is a problem, not an empty document.
	e := write(t, dir, "empty.html", "<html><head><style>p{}</style><script>var x=1</script></head><body><script>document.write('x')</script></body></html>")
	s = scanAll(t, []string{e}, Options{})
	if len(s.docs) != 0 || len(s.problems) != 1 || !strings.Contains(s.problems[0].Reason, "no main text") {
		t.Errorf("empty page: docs %v problems %v", s.ids(), s.problems)
	}
	if _, err := Open([]string{p}, Options{HTML: "markdown"}); err == nil {
		t.Error("unknown HTML mode accepted")
	}
}

// TestWARCEncodings: chunked transfer, gzip/deflate/br content encodings and
// a charset from the HTTP header are undone before extraction.
func TestWARCEncodings(t *testing.T) {
	text := "Na\u00efve caf\u00e9 r\u00e9sum\u00e9 for the council."
	latin, _ := charmap.Windows1252.NewEncoder().String(text)
	w := &warcWriter{}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(latin))
	zw.Close()
	var zl bytes.Buffer
	zlw := zlib.NewWriter(&zl)
	zlw.Write([]byte(text))
	zlw.Close()
	chunked := "7\r\n" + text[:7] + "\r\n" + hexLen(text[7:]) + "\r\n" + text[7:] + "\r\n0\r\n\r\n"
	bodies := []struct {
		uri, headers, body string
	}{
		{"https://e.example/gzip", "Content-Type: text/plain; charset=windows-1252\r\nContent-Encoding: gzip\r\n", gz.String()},
		{"https://e.example/deflate", "Content-Type: text/plain\r\nContent-Encoding: deflate\r\n", zl.String()},
		{"https://e.example/chunked", "Content-Type: text/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\n", chunked},
		{"https://e.example/dechunked", "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n", text}, // stored de-chunked, header kept
		{"https://e.example/latin", "Content-Type: text/plain; charset=iso-8859-1\r\n", latin},
	}
	for _, b := range bodies {
		w.add("response", b.uri, "application/http; msgtype=response", []byte("HTTP/1.1 200 OK\r\n"+b.headers+"\r\n"+b.body), 0)
	}
	p := filepath.Join(t.TempDir(), "enc.warc")
	os.WriteFile(p, w.buf.Bytes(), 0o644)
	s := scanAll(t, []string{p}, Options{})
	if len(s.docs) != len(bodies) {
		t.Fatalf("docs %v problems %v", s.ids(), s.problems)
	}
	for i, d := range s.docs {
		if d.Text != text {
			t.Errorf("%s: %q, want %q", bodies[i].uri, d.Text, text)
		}
	}
}

func hexLen(s string) string {
	const digits = "0123456789abcdef"
	n := len(s)
	out := ""
	for n > 0 {
		out = string(digits[n%16]) + out
		n /= 16
	}
	return out
}

// allocated runs f and returns the bytes it allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestDecompressionBombs: a record over the limit is refused while it is
// decompressed, before anything of its size is allocated, and the records
// after it are read.
func TestDecompressionBombs(t *testing.T) {
	const limit = 1 << 20
	const bomb = 256 << 20 // zeros, a few hundred KB compressed
	dir := t.TempDir()
	zeros := make([]byte, 1<<20)

	// A .jsonl.zst holding one line of 256 MiB, then a good line.
	var zst bytes.Buffer
	ze, _ := zstd.NewWriter(&zst, zstd.WithEncoderLevel(zstd.SpeedFastest))
	for range bomb / len(zeros) {
		ze.Write(zeros)
	}
	ze.Write([]byte("\n" + `{"id":"after","text":"still read"}` + "\n"))
	ze.Close()
	zp := write(t, dir, "bomb.jsonl.zst", zst.String())

	// A .warc.gz: a response of 256 MiB in one gzip member, then a good one.
	w := &warcWriter{gzip: true}
	var member bytes.Buffer
	gw, _ := gzip.NewWriterLevel(&member, gzip.BestSpeed)
	head := "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"
	gw.Write([]byte("WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://bomb.example/\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:bomb>\r\nContent-Type: application/http; msgtype=response\r\n"))
	gw.Write([]byte("Content-Length: " + strconv.Itoa(len(head)+bomb) + "\r\n\r\n" + head))
	for range bomb / len(zeros) {
		gw.Write(zeros)
	}
	gw.Write([]byte("\r\n\r\n"))
	gw.Close()
	w.buf.Write(member.Bytes())
	w.response("https://after.example/", "200 OK", "text/plain", []byte("still read"), 0)
	wp := write(t, dir, "bomb.warc.gz", w.buf.String())

	// A response whose gzip Content-Encoding inflates past the limit.
	var enc bytes.Buffer
	gw, _ = gzip.NewWriterLevel(&enc, gzip.BestSpeed)
	for range 64 {
		gw.Write(zeros)
	}
	gw.Close()
	w2 := &warcWriter{}
	w2.add("response", "https://enc.example/", "application/http; msgtype=response", []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n\r\n"+enc.String()), 0)
	ep := write(t, dir, "enc.warc", w2.buf.String())

	for _, c := range []struct {
		path, reason, after string
	}{
		{zp, "more than the limit", "after"},
		{wp, "more than the limit", "https://after.example/"},
		{ep, "decoded payload is more than the record limit", ""},
	} {
		var s scanned
		n := allocated(func() { s = scanAll(t, []string{c.path}, Options{MaxRecordBytes: limit}) })
		if len(s.problems) != 1 || !strings.Contains(s.problems[0].Reason, c.reason) {
			t.Errorf("%s: problems %v, want one %q", filepath.Base(c.path), s.problems, c.reason)
		}
		if c.after != "" && !equalStrings(s.ids(), []string{c.after}) {
			t.Errorf("%s: ids %q, want the record after the bomb", filepath.Base(c.path), s.ids())
		}
		// 256 MiB went through; what was allocated is a few buffers and
		// records of at most the limit.
		if n > 24*limit {
			t.Errorf("%s: %d MiB allocated for a record limit of %d MiB", filepath.Base(c.path), n>>20, limit>>20)
		}
		t.Logf("%s: %.1f MiB allocated", filepath.Base(c.path), float64(n)/(1<<20))
	}
}

// TestExtractHTML: the exported extractor gives the text reading a file
// gives, every time (reuse reads inputs twice and compares).
func TestExtractHTML(t *testing.T) {
	page := templateB("Same", article(14, 6))
	p := write(t, t.TempDir(), "p.html", page)
	s := scanAll(t, []string{p}, Options{})
	if len(s.docs) != 1 {
		t.Fatalf("problems %v", s.problems)
	}
	for range 5 {
		text, err := ExtractHTML([]byte(page), "text/html; charset=utf-8")
		if err != nil || text != s.docs[0].Text {
			t.Fatalf("ExtractHTML = %.80q, %v; want the file's text %.80q", text, err, s.docs[0].Text)
		}
	}
	if text, err := ExtractHTML([]byte("<script>x()</script>"), ""); err != nil || text != "" {
		t.Errorf("empty page: %q, %v", text, err)
	}
}
