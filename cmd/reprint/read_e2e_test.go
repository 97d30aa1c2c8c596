package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// article is a news text long enough for the extractor to take it as the
// page's main content.
func article() string {
	var b strings.Builder
	for i := range 12 {
		fmt.Fprintf(&b, "<p>The harbour authority said on Monday that berth %d would close for repairs after the storm damaged its cranes, and that ships bound for it would be sent to the northern quay until the work is finished in the spring.</p>\n", i+1)
	}
	return b.String()
}

func page(template, body string) string {
	nav := strings.Repeat(fmt.Sprintf(`<li><a href="/%s/section">%s section link</a></li>`, template, template), 25)
	return fmt.Sprintf(`<!DOCTYPE html><html><head><title>%s news</title><style>body{margin:0}</style><script>var x = "%s tracking";</script></head>
<body><nav><ul>%s</ul></nav><main><article><h1>Harbour berths close for repairs</h1>%s</article></main>
<footer>%s footer: about us, contact, privacy policy, terms of use, advertising, careers, newsletter</footer></body></html>`, template, template, nav, body, template)
}

// warcRecord is one WARC/1.0 response record with an HTTP response inside.
func warcRecord(uri, html string) string {
	http := "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + fmt.Sprint(len(html)) + "\r\n\r\n" + html
	return "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + uri + "\r\nWARC-Date: 2024-03-04T10:00:00Z\r\n" +
		"WARC-Record-ID: <urn:uuid:" + fmt.Sprintf("%08d", len(uri)) + "-0000-0000-0000-000000000000>\r\n" +
		"Content-Type: application/http; msgtype=response\r\nContent-Length: " + fmt.Sprint(len(http)) + "\r\n\r\n" + http + "\r\n\r\n"
}

// The same article under two site templates is a near-duplicate once the
// main text is extracted, from a folder of .html pages and from a WARC,
// and not when --html raw keeps the markup.
func TestHTMLAndWARCInputs(t *testing.T) {
	dir := t.TempDir()
	pages := filepath.Join(dir, "pages")
	os.Mkdir(pages, 0o755)
	a, b := page("gazette", article()), page("courier", article())
	os.WriteFile(filepath.Join(pages, "a.html"), []byte(a), 0o644)
	os.WriteFile(filepath.Join(pages, "b.html"), []byte(b), 0o644)
	r := reprintCmd(t, "", "pairs", pages)
	if r.code != 0 || len(parsePairs(t, r.stdout)) != 1 {
		t.Fatalf("extracted pages: exit %d, pairs %q, %s", r.code, r.stdout, r.stderr)
	}
	raw := reprintCmd(t, "", "pairs", "--html", "raw", pages)
	if raw.code != 0 || len(parsePairs(t, raw.stdout)) != 0 {
		t.Fatalf("raw pages: exit %d, pairs %q", raw.code, raw.stdout)
	}
	warc := filepath.Join(dir, "crawl.warc")
	os.WriteFile(warc, []byte(warcRecord("https://gazette.example/a", a)+warcRecord("https://courier.example/b", b)), 0o644)
	w := reprintCmd(t, "", "pairs", warc)
	ps := parsePairs(t, w.stdout)
	if w.code != 0 || len(ps) != 1 || ps[0].A != "https://courier.example/b" || ps[0].B != "https://gazette.example/a" {
		t.Fatalf("warc: exit %d, pairs %+v, %s", w.code, ps, w.stderr)
	}
	// Passages say their offsets are into the extracted text.
	if ru := reprintCmd(t, "", "reuse", pages); ru.code != 0 || !strings.Contains(ru.stdout, `"a_text_of":"extracted","b_text_of":"extracted"`) {
		t.Errorf("reuse of pages: exit %d, %q", ru.code, ru.stdout)
	}
	// A request record is not a document: counted by kind, not skipped.
	req := "WARC/1.0\r\nWARC-Type: request\r\nWARC-Target-URI: https://gazette.example/a\r\nWARC-Date: 2024-03-04T10:00:00Z\r\n" +
		"WARC-Record-ID: <urn:uuid:00000001-0000-0000-0000-000000000000>\r\nContent-Type: application/http; msgtype=request\r\nContent-Length: 4\r\n\r\nGET \r\n\r\n"
	os.WriteFile(warc, []byte(req+warcRecord("https://gazette.example/a", a)+warcRecord("https://courier.example/b", b)), 0o644)
	w = reprintCmd(t, "", "pairs", warc)
	if w.code != 0 || !strings.Contains(w.stderr, "not documents: request 1") || !strings.Contains(w.stderr, "skipped: none") {
		t.Errorf("warc with a request: exit %d, %s", w.code, w.stderr)
	}
	// reuse finds the shared article between the two pages, named by URI.
	if ru := reprintCmd(t, "", "reuse", warc); ru.code != 0 || !strings.Contains(ru.stdout, `"a":"https://courier.example/b"`) ||
		!strings.Contains(ru.stdout, `"b":"https://gazette.example/a"`) || !strings.Contains(ru.stdout, `"a_text_of":"extracted"`) {
		t.Errorf("reuse of the crawl: exit %d, %q", ru.code, ru.stdout)
	}
	// dedup --text-out writes the compared text of the kept page.
	text := filepath.Join(dir, "kept-text.jsonl")
	d := reprintCmd(t, "", "dedup", "-q", warc, "-o", filepath.Join(dir, "kept.warc"), "--text-out", text)
	got, _ := os.ReadFile(text)
	if d.code != 0 || strings.Count(string(got), "\n") != 1 || !strings.Contains(string(got), `"text_of":"extracted"`) || strings.Contains(string(got), "<nav>") {
		t.Errorf("dedup --text-out: exit %d, %s, %q", d.code, d.stderr, got)
	}
	if bad := reprintCmd(t, "", "pairs", "--html", "markup", pages); bad.code != exitUsage {
		t.Errorf("--html markup: exit %d, want %d", bad.code, exitUsage)
	}
}

// --max-record skips a record bigger than the limit, counts it, and keeps
// the others.
func TestMaxRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.jsonl")
	big := strings.Repeat("word ", 1000)
	os.WriteFile(path, []byte(`{"id":"small","text":"a few words here"}`+"\n"+`{"id":"big","text":"`+big+`"}`+"\n"), 0o644)
	r := reprintCmd(t, "", "pairs", "--max-record", "1KB", "--json", path)
	if r.code != 0 || !strings.Contains(r.stderr, `"skipped":1`) || !strings.Contains(r.stderr, `"documents":1`) {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if bad := reprintCmd(t, "", "pairs", "--max-record", "lots", path); bad.code != exitUsage {
		t.Errorf("--max-record lots: exit %d, want %d", bad.code, exitUsage)
	}
}
