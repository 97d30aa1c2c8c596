package corpus

import (
	"bytes"
	"crypto/sha1"
	"encoding/base32"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/reprint/reprint/token"
)

// The WARC files here are written by the tests: pages are generated
// sentences under generated site templates, so that nothing third-party is
// needed and the expected result is known by construction.

// words is the vocabulary of generated articles.
var articleWords = strings.Fields(`the council said on tuesday that its report on water supply in the
northern districts would be published after a review by independent engineers who examined pumps
pipes and reservoirs across twelve towns where residents had complained of shortages during the dry
summer months while farmers warned that irrigation quotas were cut twice without notice and local
officials blamed ageing infrastructure rising demand and a lack of funding from the national
government which promised new investment last year but has not yet signed contracts for the
repairs that experts say are urgent because leaks lose almost a third of treated water before it
reaches homes schools and hospitals according to figures released by the regional utility`)

// article makes paragraphs of generated sentences, the same for a seed.
func article(seed uint64, paragraphs int) []string {
	r := rand.New(rand.NewPCG(seed, 7))
	var ps []string
	for range paragraphs {
		var p []string
		for range 4 + r.IntN(3) {
			n := 10 + r.IntN(12)
			var s []string
			for range n {
				s = append(s, articleWords[r.IntN(len(articleWords))])
			}
			s[0] = strings.ToUpper(s[0][:1]) + s[0][1:]
			p = append(p, strings.Join(s, " ")+".")
		}
		ps = append(ps, strings.Join(p, " "))
	}
	return ps
}

// headlines are a section page's teasers: short lines, no article.
func headlines(seed uint64) []string {
	var hs []string
	for _, p := range article(seed, 5) {
		f := strings.Fields(p)
		hs = append(hs, strings.Join(f[:6], " "))
	}
	return hs
}

// templateA is a news site's page: a navigation bar, a sidebar of related
// stories, a cookie banner, scripts, styles and a long footer.
func templateA(title string, paras []string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>` + title + ` | Daily Courier</title>
<style>body{font-family:serif} .nav a{margin:4px} .sidebar{float:right;width:30%}</style>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());</script>
</head><body><header><div class="logo">Daily Courier</div><nav class="nav"><ul>`)
	for _, s := range []string{"Home", "World", "Politics", "Business", "Technology", "Science", "Health", "Sport", "Culture", "Opinion", "Weather", "Podcasts"} {
		b.WriteString(`<li><a href="/` + strings.ToLower(s) + `">` + s + `</a></li>`)
	}
	b.WriteString(`</ul></nav></header><div class="cookie">We use cookies to improve your experience on our site. By continuing you accept our cookie policy and terms of use.</div>
<main><article><h1>` + title + `</h1><p class="byline">By Staff Reporter</p>`)
	for _, p := range paras {
		b.WriteString("<p>" + p + "</p>\n")
	}
	b.WriteString(`</article><aside class="sidebar"><h3>Most read</h3><ul>`)
	for i := range 8 {
		fmt.Fprintf(&b, `<li><a href="/story/%d">Celebrity chef opens new restaurant in the old harbour district number %d</a></li>`, i, i)
	}
	b.WriteString(`</ul></aside></main><footer><p>Copyright 2024 Daily Courier Media Group. All rights reserved.</p><ul>`)
	for _, s := range []string{"About us", "Contact", "Careers", "Advertise", "Privacy policy", "Cookie settings", "Terms and conditions", "Accessibility", "Newsletters", "Archive"} {
		b.WriteString(`<li><a href="/` + strings.ReplaceAll(strings.ToLower(s), " ", "-") + `">` + s + `</a></li>`)
	}
	b.WriteString(`</ul></footer><script src="/static/app.js"></script><script>var ads=[1,2,3];for(var i=0;i<ads.length;i++){console.log("slot "+ads[i])}</script></body></html>`)
	return b.String()
}

// templateB is another site's page, built differently: breadcrumbs, share
// buttons, a newsletter form, a comment thread and a tag cloud.
func templateB(title string, paras []string) string {
	var b strings.Builder
	b.WriteString(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>` + title + ` - Regional Gazette</title>
<link rel="stylesheet" href="/css/site.css"><script type="text/javascript">(function(){var s=document.createElement('script');s.async=true;s.src='//tracker.example/t.js';})();</script>
</head><body><div id="topbar"><a href="/login">Sign in</a> <a href="/subscribe">Subscribe today and save 50 percent on your first year</a></div>
<div id="breadcrumbs"><a href="/">Gazette</a> &gt; <a href="/news">News</a> &gt; <a href="/news/local">Local</a></div>
<div id="wrapper"><div class="share"><a href="#">Share on social</a> <a href="#">Email this story</a> <a href="#">Print</a></div>
<div class="story-body"><h2 class="headline">` + title + `</h2><span class="date">Posted 3 hours ago</span>`)
	for _, p := range paras {
		b.WriteString("<div class=\"para\"><p>" + p + "</p></div>\n")
	}
	b.WriteString(`</div><form class="newsletter"><label>Get the morning briefing in your inbox every day</label><input type="email"><button>Sign up</button></form>
<div class="tags">`)
	for _, s := range []string{"water", "council", "infrastructure", "farming", "drought", "budget", "engineering", "towns"} {
		b.WriteString(`<a class="tag" href="/tag/` + s + `">` + s + `</a> `)
	}
	b.WriteString(`</div></div><div id="footer"><div class="col"><h4>Sections</h4><a href="/news">News</a> <a href="/sport">Sport</a> <a href="/life">Life</a> <a href="/jobs">Jobs</a> <a href="/homes">Homes</a> <a href="/motors">Motors</a></div>
<div class="col"><h4>Company</h4><a href="/about">About the Gazette</a> <a href="/contact">Contact the newsroom</a> <a href="/complaints">Complaints</a> <a href="/privacy">Privacy notice</a></div>
<p class="legal">Regional Gazette is part of the Northern Newspapers group. Registered in England and Wales.</p></div>
<style>#footer .col{display:inline-block;width:24%} .tag{padding:2px}</style></body></html>`)
	return b.String()
}

// warcWriter builds a WARC file in memory, one record at a time, and
// remembers where each record starts.
type warcWriter struct {
	buf     bytes.Buffer
	offsets []int64
	gzip    bool // one gzip member per record
	n       int
	extra   string // header lines for the next record only
}

// add appends a record; clDelta is added to the true Content-Length (a
// broken record when not 0).
func (w *warcWriter) add(typ, uri, ctype string, block []byte, clDelta int) {
	w.n++
	var h strings.Builder
	fmt.Fprintf(&h, "WARC/1.1\r\nWARC-Type: %s\r\n", typ)
	if uri != "" {
		fmt.Fprintf(&h, "WARC-Target-URI: %s\r\n", uri)
	}
	fmt.Fprintf(&h, "WARC-Date: 2024-03-%02dT10:00:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\n", 1+w.n%28, w.n)
	if ctype != "" {
		fmt.Fprintf(&h, "Content-Type: %s\r\n", ctype)
	}
	h.WriteString(w.extra)
	w.extra = ""
	fmt.Fprintf(&h, "Content-Length: %d\r\n\r\n", len(block)+clDelta)
	rec := append(append([]byte(h.String()), block...), "\r\n\r\n"...)
	w.offsets = append(w.offsets, int64(w.buf.Len()))
	if !w.gzip {
		w.buf.Write(rec)
		return
	}
	zw := gzip.NewWriter(&w.buf)
	zw.Write(rec)
	zw.Close()
}

// response appends an HTTP response record.
func (w *warcWriter) response(uri, status, ctype string, body []byte, clDelta int) {
	block := fmt.Appendf(nil, "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", status, ctype, len(body))
	w.add("response", uri, "application/http; msgtype=response", append(block, body...), clDelta)
}

// request appends the HTTP request record that precedes a response.
func (w *warcWriter) request(uri string) {
	w.add("request", uri, "application/http; msgtype=request", []byte("GET / HTTP/1.1\r\nHost: example\r\nUser-Agent: test\r\n\r\n"), 0)
}

// crawl is a generated crawl and what reading it must give.
type crawl struct {
	data       []byte
	offsets    []int64
	wantIDs    []string
	wantSkip   map[string]int
	brokenAt   int64 // the record with a wrong Content-Length
	truncateAt int64 // the truncated last record
}

// makeCrawl writes one crawl: a warcinfo record, the same article under two
// templates, another article, two template-only pages, a text resource, a
// repeated URI, an image, a PDF, a redirect, a metadata record, a record
// with a wrong Content-Length and a truncated last record.
func makeCrawl(gz bool) crawl {
	w := &warcWriter{gzip: gz}
	c := crawl{wantSkip: map[string]int{}}
	w.add("warcinfo", "", "application/warc-fields", []byte("software: reprint-test\r\nformat: WARC File Format 1.1\r\n"), 0)
	c.wantSkip["warcinfo"]++
	same := article(1, 8)
	pages := []struct{ uri, html string }{
		{"https://courier.example/2024/water-report", templateA("Water report delayed", same)},
		{"https://gazette.example/news/local/water-report", templateB("Water report delayed", same)},
		{"https://courier.example/2024/other-story", templateA("Harbour works begin", article(2, 8))},
		{"https://courier.example/section/world", templateA("World", headlines(10))},
		{"https://courier.example/section/sport", templateA("Sport", headlines(11))},
	}
	for _, p := range pages {
		w.request(p.uri)
		c.wantSkip["request"]++
		w.response(p.uri, "200 OK", "text/html; charset=utf-8", []byte(p.html), 0)
		c.wantIDs = append(c.wantIDs, p.uri)
	}
	w.add("resource", "file:///notes/readme.txt", "text/plain", []byte(strings.Join(article(3, 2), "\n\n")), 0)
	c.wantIDs = append(c.wantIDs, "file:///notes/readme.txt")
	// The same URI again: its ID carries the record ID.
	w.response(pages[2].uri, "200 OK", "text/html", []byte(templateA("Harbour works begin", article(2, 8))), 0)
	c.wantIDs = append(c.wantIDs, fmt.Sprintf("%s <urn:uuid:00000000-0000-4000-8000-%012d>", pages[2].uri, w.n))
	w.response("https://courier.example/logo.png", "200 OK", "image/png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0)
	c.wantSkip["image"]++
	w.response("https://courier.example/report.pdf", "200 OK", "application/pdf", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), 0)
	c.wantSkip["pdf"]++
	w.response("https://courier.example/old", "301 Moved Permanently", "text/html", []byte("<a href=/new>moved</a>"), 0)
	c.wantSkip["HTTP status 3xx"]++
	w.add("metadata", pages[0].uri, "application/warc-fields", []byte("fetchTimeMs: 120\r\n"), 0)
	c.wantSkip["metadata"]++
	// A wrong Content-Length: longer than the block in a gzip member (the
	// member ends first), shorter in a plain file (the marker is missing).
	delta := -40
	if gz {
		delta = 40
	}
	w.response("https://courier.example/broken", "200 OK", "text/html", []byte(templateA("Broken", article(4, 3))), delta)
	c.brokenAt = w.offsets[len(w.offsets)-1]
	w.response("https://gazette.example/after-broken", "200 OK", "text/html", []byte(templateB("After the broken one", article(5, 6))), 0)
	c.wantIDs = append(c.wantIDs, "https://gazette.example/after-broken")
	w.response("https://gazette.example/truncated", "200 OK", "text/html", []byte(templateB("Cut short", article(6, 6))), 0)
	c.truncateAt = w.offsets[len(w.offsets)-1]
	data := w.buf.Bytes()
	c.data = data[:c.truncateAt+int64(len(data)-int(c.truncateAt))/2]
	c.offsets = w.offsets
	return c
}

// shingles is the 5-word shingle set of a text, as reprint compares them.
func shingles(text string) []uint64 {
	return token.ShingleSet(token.New().Tokens(text, 0, nil), 5, nil)
}

func TestWARC(t *testing.T) {
	for _, gz := range []bool{false, true} {
		name := map[bool]string{false: "plain", true: "gzip-members"}[gz]
		t.Run(name, func(t *testing.T) {
			c := makeCrawl(gz)
			file := "crawl.warc"
			if gz {
				file += ".gz"
			}
			p := filepath.Join(t.TempDir(), file)
			if err := os.WriteFile(p, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			s := scanAll(t, []string{p}, Options{})
			if !equalStrings(s.ids(), c.wantIDs) {
				t.Errorf("ids\n%q\nwant\n%q", s.ids(), c.wantIDs)
			}
			if fmt.Sprint(s.skipped) != fmt.Sprint(c.wantSkip) {
				t.Errorf("skipped %v, want %v", s.skipped, c.wantSkip)
			}
			if len(s.problems) != 2 {
				t.Fatalf("problems %v, want 2", s.problems)
			}
			if p0 := s.problems[0]; !p0.HasOffset() || p0.Offset != c.brokenAt || p0.File != p || p0.Input || !strings.Contains(p0.Reason, "WARC record") {
				t.Errorf("first problem %q (offset %d, input %v), want a broken record at byte %d", p0, p0.Offset, p0.Input, c.brokenAt)
			}
			if p1 := s.problems[1]; !p1.HasOffset() || p1.Offset != c.truncateAt || !strings.Contains(p1.Reason, "truncated") || p1.Input != gz {
				t.Errorf("second problem %q (offset %d), want a truncated record at byte %d", p1, p1.Offset, c.truncateAt)
			}
			if e := s.problems[0].Error(); !strings.HasPrefix(e, fmt.Sprintf("%s: byte %d: ", p, c.brokenAt)) {
				t.Errorf("Error() = %q", e)
			}
			checkCrawlDocs(t, s)
		})
	}
}

// checkCrawlDocs checks what the crawl's documents hold.
func checkCrawlDocs(t *testing.T, s scanned) {
	t.Helper()
	byID := map[string]Doc{}
	for _, d := range s.docs {
		byID[d.ID] = d
	}
	a, b := byID["https://courier.example/2024/water-report"], byID["https://gazette.example/news/local/water-report"]
	if a.Source != "courier.example" || a.URL != "https://courier.example/2024/water-report" || a.Date != "2024-03-04" || a.TextOf != TextExtracted {
		t.Errorf("doc metadata %+v", Doc{ID: a.ID, Date: a.Date, Source: a.Source, URL: a.URL, TextOf: a.TextOf})
	}
	for _, d := range s.docs {
		if strings.Contains(d.Text, "<") || strings.Contains(d.Text, "Privacy policy") || strings.Contains(d.Text, "dataLayer") {
			t.Errorf("%s: markup or template text in the extracted text: %.200q", d.ID, d.Text)
		}
	}
	if j := token.Jaccard(shingles(a.Text), shingles(b.Text)); j < 0.8 {
		t.Errorf("one article under two templates: Jaccard %.3f, want >= 0.8\n%q\n%q", j, a.Text, b.Text)
	}
	other := byID["https://courier.example/2024/other-story"]
	if j := token.Jaccard(shingles(a.Text), shingles(other.Text)); j > 0.2 {
		t.Errorf("two articles under one template: Jaccard %.3f, want about 0", j)
	}
	w, sp := byID["https://courier.example/section/world"], byID["https://courier.example/section/sport"]
	t.Logf("extracted: same article, two templates %.3f; two articles, one template %.3f; two template-only pages %.3f",
		token.Jaccard(shingles(a.Text), shingles(b.Text)), token.Jaccard(shingles(a.Text), shingles(other.Text)), token.Jaccard(shingles(w.Text), shingles(sp.Text)))
	if j := token.Jaccard(shingles(w.Text), shingles(sp.Text)); j >= 0.8 {
		t.Errorf("two template-only pages: Jaccard %.3f, want < 0.8\n%q\n%q", j, w.Text, sp.Text)
	}
	if r := byID["file:///notes/readme.txt"]; r.Text != strings.Join(article(3, 2), "\n\n") || r.TextOf != TextDecoded {
		t.Errorf("text resource: %+v", r)
	}
}

// TestWARCRawHTML: in raw mode the markup is the text, and the templates
// make the same article look different (what extraction is for).
func TestWARCRawHTML(t *testing.T) {
	c := makeCrawl(true)
	p := filepath.Join(t.TempDir(), "crawl.warc.gz")
	os.WriteFile(p, c.data, 0o644)
	s := scanAll(t, []string{p}, Options{HTML: HTMLRaw})
	byID := map[string]Doc{}
	for _, d := range s.docs {
		byID[d.ID] = d
	}
	a, b := byID["https://courier.example/2024/water-report"], byID["https://gazette.example/news/local/water-report"]
	if !strings.HasPrefix(a.Text, "<!DOCTYPE html>") || a.TextOf != TextDecoded {
		t.Errorf("raw text %.60q, TextOf %q", a.Text, a.TextOf)
	}
	if j := token.Jaccard(shingles(a.Text), shingles(b.Text)); j >= 0.8 {
		t.Errorf("raw markup of one article under two templates: Jaccard %.3f; the templates should count", j)
	}
	w, sp := byID["https://courier.example/section/world"], byID["https://courier.example/section/sport"]
	t.Logf("raw: same article, two templates %.3f; two template-only pages %.3f", token.Jaccard(shingles(a.Text), shingles(b.Text)), token.Jaccard(shingles(w.Text), shingles(sp.Text)))
	if j := token.Jaccard(shingles(w.Text), shingles(sp.Text)); j < 0.6 {
		t.Errorf("raw markup of two template-only pages: Jaccard %.3f, want the template to make them alike", j)
	}
}

// TestWARCSingleMember: a .warc.gz that is one gzip member for the whole
// file loses no record, and offsets are offsets in the decompressed stream.
func TestWARCSingleMember(t *testing.T) {
	c := makeCrawl(false)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(c.data[:c.truncateAt]) // without the truncated record
	zw.Close()
	p := filepath.Join(t.TempDir(), "one.warc.gz")
	os.WriteFile(p, buf.Bytes(), 0o644)
	s := scanAll(t, []string{p}, Options{})
	if !equalStrings(s.ids(), c.wantIDs) {
		t.Errorf("ids\n%q\nwant\n%q", s.ids(), c.wantIDs)
	}
	if len(s.problems) != 1 || s.problems[0].Offset != c.brokenAt {
		t.Errorf("problems %v, want one at byte %d", s.problems, c.brokenAt)
	}
	checkCrawlDocs(t, s)
}

// TestWET: a WET file's conversion records are the documents.
func TestWET(t *testing.T) {
	w := &warcWriter{gzip: true}
	w.add("warcinfo", "", "application/warc-fields", []byte("software: test\r\n"), 0)
	texts := []string{strings.Join(article(7, 3), "\n"), "Caf\u00e9 cr\u00e8me, na\u00efve r\u00e9sum\u00e9."}
	w.add("conversion", "https://a.example/one", "text/plain", []byte(texts[0]), 0)
	w.add("conversion", "https://b.example/two", "text/plain; charset=utf-8", []byte(texts[1]), 0)
	p := filepath.Join(t.TempDir(), "CC-MAIN-00000.warc.wet.gz")
	os.WriteFile(p, w.buf.Bytes(), 0o644)
	s := scanAll(t, []string{p}, Options{})
	if len(s.problems) != 0 || len(s.docs) != 2 || s.skipped["warcinfo"] != 1 {
		t.Fatalf("docs %v problems %v skipped %v", s.ids(), s.problems, s.skipped)
	}
	for i, d := range s.docs {
		if d.Text != texts[i] {
			t.Errorf("doc %d text %q, want %q", i, d.Text, texts[i])
		}
	}
	if s.docs[1].Source != "b.example" || s.records[1].Offset != w.offsets[2] {
		t.Errorf("doc 1 source %q offset %d, want b.example at %d", s.docs[1].Source, s.records[1].Offset, w.offsets[2])
	}
}

// TestCopyWARC: dedup's second pass writes the kept records as stored, so
// that the output reads back as the kept documents, gzip or plain.
func TestCopyWARC(t *testing.T) {
	dir := t.TempDir()
	for _, gzIn := range []bool{false, true} {
		c := makeCrawl(gzIn)
		in := filepath.Join(dir, fmt.Sprintf("in-%v.warc", gzIn))
		if gzIn {
			in += ".gz"
		}
		os.WriteFile(in, c.data, 0o644)
		keep := func(seq int) bool { return seq%2 == 0 }
		var want []string
		for i, id := range c.wantIDs {
			if keep(i) {
				want = append(want, id)
			}
		}
		for _, out := range []string{"out.warc", "out.warc.gz"} {
			out = filepath.Join(t.TempDir(), out)
			n, err := copyOut(t, []string{in}, Options{HTML: HTMLRaw}, keep, out)
			if err != nil || n != len(want) {
				t.Fatalf("%s -> %s: %d, %v", in, out, n, err)
			}
			s := scanAll(t, []string{out}, Options{HTML: HTMLRaw})
			// A URI seen twice in the input may be seen once in the copy.
			got := s.ids()
			for i := range got {
				got[i], _, _ = strings.Cut(got[i], " <urn:")
			}
			for i := range want {
				want[i], _, _ = strings.Cut(want[i], " <urn:")
			}
			if !equalStrings(got, want) || len(s.problems) != 0 {
				t.Errorf("%s -> %s: ids %q problems %v, want %q", filepath.Base(in), filepath.Base(out), got, s.problems, want)
			}
			data, _ := os.ReadFile(out)
			if gzOut := strings.HasSuffix(out, ".gz"); bytes.HasPrefix(data, []byte{0x1f, 0x8b}) != gzOut {
				t.Errorf("%s: compressed %v", out, !gzOut)
			}
		}
	}
	// One gzip member for the whole file: refused, nothing written.
	c := makeCrawl(false)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(c.data[:c.truncateAt])
	zw.Close()
	in := filepath.Join(dir, "one.warc.gz")
	os.WriteFile(in, buf.Bytes(), 0o644)
	out := filepath.Join(dir, "one-out.warc.gz")
	if _, err := copyOut(t, []string{in}, Options{}, keepAll, out); err == nil || !strings.Contains(err.Error(), "more than one record") {
		t.Errorf("single-member copy: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("single-member copy left %s", out)
	}
}

// TestWARCDigests: a wrong block digest is a broken record; a right one, or
// a wrong payload digest (crawlers disagree on what it covers), is not.
func TestWARCDigests(t *testing.T) {
	block := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome plain text")
	sum := sha1.Sum(block)
	good := base32.StdEncoding.EncodeToString(sum[:])
	w := &warcWriter{}
	w.extra = "WARC-Block-Digest: sha1:" + good + "\r\nWARC-Payload-Digest: sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n"
	w.add("response", "https://d.example/good", "application/http; msgtype=response", block, 0)
	w.extra = "WARC-Block-Digest: sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n"
	w.add("response", "https://d.example/bad", "application/http; msgtype=response", block, 0)
	w.add("response", "https://d.example/after", "application/http; msgtype=response", block, 0)
	p := filepath.Join(t.TempDir(), "d.warc")
	os.WriteFile(p, w.buf.Bytes(), 0o644)
	s := scanAll(t, []string{p}, Options{})
	if !equalStrings(s.ids(), []string{"https://d.example/good", "https://d.example/after"}) {
		t.Errorf("ids %q", s.ids())
	}
	if len(s.problems) != 1 || s.problems[0].Offset != w.offsets[1] || !strings.Contains(s.problems[0].Reason, "wrong digest") {
		t.Errorf("problems %v, want a wrong block digest at byte %d", s.problems, w.offsets[1])
	}
}

// TestCopyDocs: the kept documents' text as JSONL, in record order for any
// number of workers, reads back as the same documents.
func TestCopyDocs(t *testing.T) {
	c := makeCrawl(true)
	dir := t.TempDir()
	in := filepath.Join(dir, "crawl.warc.gz")
	os.WriteFile(in, c.data, 0o644)
	s := scanAll(t, []string{in}, Options{})
	keep := func(seq int) bool { return seq != 1 }
	var outs [][]byte
	for _, workers := range []int{1, 3} {
		out := filepath.Join(dir, fmt.Sprintf("docs-%d.jsonl.gz", workers))
		cp, err := Open([]string{in}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		scanCorpus(t, cp)
		n, err := cp.CopyDocs(t.Context(), keep, out, workers)
		cp.Close()
		if err != nil || n != len(s.docs)-1 {
			t.Fatalf("CopyDocs(%d workers) = %d, %v; want %d", workers, n, err, len(s.docs)-1)
		}
		data, _ := os.ReadFile(out)
		outs = append(outs, data)
		back := scanAll(t, []string{out}, Options{})
		var want []Doc
		for i, d := range s.docs {
			if keep(s.seqs[i]) {
				d.TextOf = "" // a JSONL text is the text as read
				want = append(want, d)
			}
		}
		if len(back.docs) != len(want) || len(back.problems) != 0 {
			t.Fatalf("read back %d docs, %v; want %d", len(back.docs), back.problems, len(want))
		}
		for i := range want {
			if back.docs[i] != want[i] {
				t.Errorf("doc %d read back %+v, want %+v", i, back.docs[i].ID, want[i].ID)
			}
		}
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Error("CopyDocs output depends on the number of workers")
	}
	zr, _ := gzip.NewReader(bytes.NewReader(outs[0]))
	plain, _ := io.ReadAll(zr)
	if first, _, _ := bytes.Cut(plain, []byte("\n")); !bytes.Contains(first, []byte(`"text_of":"extracted"`)) || !bytes.HasPrefix(first, []byte(`{"id":"https://courier.example/2024/water-report","text":`)) {
		t.Errorf("first line %.200q", first)
	}
}

// TestWARCWget: wget writes WARC-Target-URI in angle brackets (which the
// WARC library's validation blanks) and stores its arguments and log as
// resource records under metadata: URIs.
func TestWARCWget(t *testing.T) {
	for _, gz := range []bool{false, true} {
		w := &warcWriter{gzip: gz}
		w.add("warcinfo", "", "application/warc-fields", []byte("software: Wget/1.21\r\n"), 0)
		w.request("<http://127.0.0.1:8080/news/a.html>")
		w.response("<http://127.0.0.1:8080/news/a.html>", "200 OK", "text/html", []byte(templateA("A", article(20, 6))), 0)
		w.add("metadata", "<metadata://gnu.org/software/wget/warc/MANIFEST.txt>", "text/plain", []byte("<urn:uuid:x>\n"), 0)
		w.add("resource", "<metadata://gnu.org/software/wget/warc/wget.log>", "text/plain", []byte("--2026-12-01-- http://127.0.0.1:8080/\nConnecting... connected.\n"), 0)
		p := filepath.Join(t.TempDir(), "wget.warc")
		if gz {
			p += ".gz"
		}
		os.WriteFile(p, w.buf.Bytes(), 0o644)
		s := scanAll(t, []string{p}, Options{})
		if !equalStrings(s.ids(), []string{"http://127.0.0.1:8080/news/a.html"}) || len(s.problems) != 0 {
			t.Errorf("gzip %v: ids %q problems %v", gz, s.ids(), s.problems)
		} else if d := s.docs[0]; d.Source != "127.0.0.1" || d.URL != d.ID {
			t.Errorf("gzip %v: source %q url %q", gz, d.Source, d.URL)
		}
		if want := map[string]int{"warcinfo": 1, "request": 1, "metadata": 1, "crawler metadata": 1}; fmt.Sprint(s.skipped) != fmt.Sprint(want) {
			t.Errorf("gzip %v: skipped %v, want %v", gz, s.skipped, want)
		}
	}
}

// TestWARCCorruptMember: a corrupt gzip member in the middle costs its own
// record only; reading goes on at the next member.
func TestWARCCorruptMember(t *testing.T) {
	w := &warcWriter{gzip: true}
	var want []string
	for i := range 5 {
		uri := fmt.Sprintf("https://m.example/%d", i)
		w.response(uri, "200 OK", "text/plain", []byte(strings.Join(article(uint64(30+i), 2), "\n")), 0)
		if i != 2 {
			want = append(want, uri)
		}
	}
	data := append([]byte(nil), w.buf.Bytes()...)
	mid := (w.offsets[2] + w.offsets[3]) / 2
	data[mid] ^= 0x55
	p := filepath.Join(t.TempDir(), "corrupt.warc.gz")
	os.WriteFile(p, data, 0o644)
	s := scanAll(t, []string{p}, Options{})
	if !equalStrings(s.ids(), want) {
		t.Errorf("ids %q, want %q", s.ids(), want)
	}
	if len(s.problems) != 1 || s.problems[0].Offset != w.offsets[2] || s.problems[0].Input {
		t.Errorf("problems %v, want one record problem at byte %d", s.problems, w.offsets[2])
	}
}
