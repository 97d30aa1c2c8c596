// HTML: a page's main text, extracted with codeberg.org/readeck/go-readability
// (the maintained Go port of Mozilla's Readability, the reader view of
// Firefox). It scores the page's blocks (text and link density, known
// boilerplate classes and tags) and keeps the article, so the menus,
// footers, scripts and styles of a site's template do not count as text:
// two pages carrying one article under two templates tokenize alike. The
// text is rendered block by block (paragraphs and headings on lines of
// their own), as a browser's innerText is.
//
// Why not go-trafilatura, the port of the extractor datatrove and FineWeb
// use: it imports a multilingual date parser whose package initialization
// costs every run of every command, HTML or not, about 130 ms of CPU and
// 67 MB of heap (measured with GODEBUG=inittrace=1: 78 MB allocated by
// go-dateparser's data tables at start-up). Readability extracts the same
// article text from the pages the tests write, with no such cost.
//
// A saved .html file has no date but its own: its publish date and address
// are taken from its metadata (Readability's published time; the canonical
// link or og:url), when it has them. A page in a WARC is dated by its
// WARC-Date.
//
// Extraction costs roughly 10 to 30 times the page's size in memory while
// it runs, and runs in Decode, so on the parallel workers. Its time grows
// faster than the page's size, so a page of more than 50,000 elements is a
// Problem instead (golang.org/x/net/html already refuses nesting deeper than
// 512 elements).
//
// Charset: the bytes are decoded to UTF-8 before parsing, by
// golang.org/x/net/html/charset's rules (a byte-order mark, then the HTTP
// Content-Type's charset, then a <meta> declaration, then UTF-8 if the
// start is valid UTF-8, else windows-1252, as browsers do), and the tree
// is handed to the extractor.
//
// Offsets: an extracted document's Text is the extracted text (Doc.TextOf
// "extracted"); offsets found later are offsets into it, not into the page.
// In raw mode (Options.HTML "raw") Text is the page's markup: the file's
// bytes unchanged when they are UTF-8 (TextOf ""), else the page decoded to
// UTF-8 (TextOf "decoded").
//
// Transfer and content encodings of WARC payloads (chunked; gzip, deflate,
// br, zstd) are undone here too, with the output bounded by MaxRecordBytes,
// so a compressed bomb stops at the limit.
//
// Deliberately not done: no language filter, no image or link text.

package corpus

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
)

// decodeHTMLFile turns an HTML file into a Doc.
func (c *Corpus) decodeHTMLFile(r Record) (Doc, *Problem) {
	text, textOf, meta, err := c.htmlPage(r.raw, "", "", true)
	if err != nil {
		return Doc{}, recordProblem(r.File, 0, "%v", err)
	}
	if strings.TrimSpace(text) == "" {
		if textOf == TextExtracted {
			return Doc{}, recordProblem(r.File, 0, "no main text in the page")
		}
		return Doc{}, recordProblem(r.File, 0, "empty document")
	}
	d := Doc{ID: r.id, Text: text, TextOf: textOf}
	if meta != nil {
		// A saved page says where it came from and when it was published
		// only in its metadata; take them when they are there.
		if !meta.Date.IsZero() {
			d.Date = meta.Date.Format(time.DateOnly)
		}
		if u, err := url.Parse(meta.URL); err == nil && u.Hostname() != "" {
			d.URL, d.Source = meta.URL, u.Hostname()
		}
	}
	return d, nil
}

// ExtractHTML returns the main text of an HTML page, as reading a .html
// file would (charset from contentType, which may be "", or the page; then
// go-readability). The text is empty when the page has no main text. It is
// for callers that receive pages one at a time, such as a service.
func ExtractHTML(page []byte, contentType string) (string, error) {
	utf, _ := htmlUTF8(page, contentType)
	res, err := extract(utf, "", false)
	if err != nil {
		return "", err
	}
	return res.text, nil
}

// htmlText is the text of an HTML payload: extracted, or the markup in raw
// mode. ctype is the HTTP Content-Type ("" when there is none), uri the
// page's address ("" when unknown).
func (c *Corpus) htmlText(body []byte, ctype, uri string) (string, string, error) {
	text, textOf, _, err := c.htmlPage(body, ctype, uri, false)
	if textOf == "" {
		textOf = TextDecoded // a payload is never a file's bytes
	}
	return text, textOf, err
}

// htmlPage decodes and, unless in raw mode, extracts one page; findDate
// asks for the page's publish date too.
func (c *Corpus) htmlPage(body []byte, ctype, uri string, findDate bool) (text, textOf string, meta *pageMeta, err error) {
	utf, same := htmlUTF8(body, ctype)
	if c.rawHTML {
		if same {
			return utf, "", nil, nil
		}
		return utf, TextDecoded, nil, nil
	}
	res, err := extract(utf, uri, findDate)
	if err != nil {
		return "", TextExtracted, nil, err
	}
	return res.text, TextExtracted, &res.meta, nil
}

// pageMeta is what a saved page says of itself.
type pageMeta struct {
	Date time.Time // publish date; zero when unknown
	URL  string    // canonical address; "" when unknown
}

// extracted is the main text of a page and its metadata.
type extracted struct {
	text string
	meta pageMeta
}

// extract finds the main text of a UTF-8 page; findDate asks for its
// publish date and address too. A page without a main text gives "".
func extract(page, uri string, findDate bool) (res *extracted, err error) {
	defer func() {
		// A page is input from anywhere; a bug the extractor has on one page
		// must cost that page, not the run.
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("HTML extraction failed: %v", r)
		}
	}()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("HTML does not parse: %v", err)
	}
	if n := countElements(doc, maxElements+1); n > maxElements {
		return nil, fmt.Errorf("page too large to extract: more than %d elements (raw mode reads it)", maxElements)
	}
	res = &extracted{}
	if findDate {
		res.meta.URL = canonicalURL(doc)
	}
	var u *url.URL
	if pu, err := url.Parse(uri); err == nil && uri != "" {
		u = pu
	}
	art, err := readability.FromDocument(doc, u)
	if err != nil || art.Node == nil {
		return res, nil // nothing readable: the page has no main text
	}
	var b strings.Builder
	if err := art.RenderText(&b); err != nil {
		return res, nil
	}
	res.text = strings.TrimSpace(b.String())
	if findDate {
		if t, err := art.PublishedTime(); err == nil {
			res.meta.Date = t
		}
	}
	return res, nil
}

// canonicalURL is the address a page gives itself: its canonical link, or
// its og:url.
func canonicalURL(doc *html.Node) string {
	var found, og string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if found != "" || n == nil {
			return
		}
		if n.Type == html.ElementNode && (n.Data == "link" || n.Data == "meta") {
			var rel, href, prop, content string
			for _, a := range n.Attr {
				switch strings.ToLower(a.Key) {
				case "rel":
					rel = strings.ToLower(a.Val)
				case "href":
					href = a.Val
				case "property":
					prop = strings.ToLower(a.Val)
				case "content":
					content = a.Val
				}
			}
			if n.Data == "link" && rel == "canonical" && href != "" {
				found = href
			}
			if n.Data == "meta" && prop == "og:url" && og == "" {
				og = content
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if found != "" {
		return found
	}
	return og
}

// maxElements bounds the pages given to the extractor. Its time grows
// faster than the page (measured: 10,000 paragraphs 0.5 s, 50,000 3 s,
// 200,000 24 s), so a page of more elements than any real article page has
// is refused rather than allowed to hold a worker for minutes.
const maxElements = 50_000

// countElements counts the element nodes of a tree, up to stop, without
// recursion.
func countElements(root *html.Node, stop int) int {
	n := 0
	stack := []*html.Node{root}
	for len(stack) > 0 && n < stop {
		nd := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if nd.Type == html.ElementNode {
			n++
		}
		for c := nd.FirstChild; c != nil; c = c.NextSibling {
			stack = append(stack, c)
		}
	}
	return n
}

// htmlUTF8 decodes an HTML page to UTF-8; same reports that the result is
// body's bytes unchanged.
func htmlUTF8(body []byte, ctype string) (string, bool) {
	enc, name, _ := charset.DetermineEncoding(body, ctype)
	if name == "utf-8" {
		if utf8.Valid(body) {
			return string(body), true
		}
		return strings.ToValidUTF8(string(body), "\uFFFD"), false
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return strings.ToValidUTF8(string(body), "\uFFFD"), false
	}
	return string(out), false
}

// toUTF8 decodes a plain-text payload by its Content-Type's charset; with
// none, UTF-8 if it is valid, else windows-1252 (what a browser assumes).
func toUTF8(body []byte, ctype string) string {
	if _, params, err := mime.ParseMediaType(ctype); err == nil && params["charset"] != "" {
		if enc, name := charset.Lookup(params["charset"]); enc != nil && name != "utf-8" {
			if out, err := enc.NewDecoder().Bytes(body); err == nil {
				return string(out)
			}
		}
	}
	if utf8.Valid(body) {
		return string(body)
	}
	if out, err := charmap.Windows1252.NewDecoder().Bytes(body); err == nil {
		return string(out)
	}
	return strings.ToValidUTF8(string(body), "\uFFFD")
}

// unencode undoes an HTTP payload's transfer and content encodings. A body
// marked chunked that does not parse as chunks is taken as it is: crawlers
// often store the body de-chunked and keep the header. Likewise a body
// marked gzip that does not start like gzip was already decoded.
func (c *Corpus) unencode(raw []byte, tenc, cenc string) ([]byte, error) {
	body := raw
	if strings.Contains(tenc, "chunked") {
		if out, err := c.readLimited(httputil.NewChunkedReader(bytes.NewReader(raw))); err == nil {
			body = out
		} else if errors.Is(err, errTooLarge) {
			return nil, err
		}
	}
	if cenc == "" || cenc == "identity" {
		return body, nil
	}
	codings := strings.Split(cenc, ",")
	for i := len(codings) - 1; i >= 0; i-- { // applied in order, so undone in reverse
		var (
			r   io.Reader
			err error
		)
		switch coding := strings.TrimSpace(codings[i]); coding {
		case "", "identity":
			continue
		case "gzip", "x-gzip":
			if !bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
				continue
			}
			r, err = gzip.NewReader(bytes.NewReader(body))
		case "deflate":
			// "deflate" is zlib by the RFC and raw deflate by many servers.
			if r, err = zlib.NewReader(bytes.NewReader(body)); err != nil {
				r, err = flate.NewReader(bytes.NewReader(body)), nil
			}
		case "br":
			r = brotli.NewReader(bytes.NewReader(body))
		case "zstd":
			var zr *zstd.Decoder
			zr, err = zstd.NewReader(bytes.NewReader(body), zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(1<<27))
			if err == nil {
				defer zr.Close()
				r = zr
			}
		default:
			return nil, fmt.Errorf("unknown content encoding: %q", clip(coding, 40))
		}
		if err != nil {
			return nil, fmt.Errorf("bad %s content encoding: %v", codings[i], err)
		}
		if body, err = c.readLimited(r); err != nil {
			if errors.Is(err, errTooLarge) {
				return nil, err
			}
			return nil, fmt.Errorf("bad %s content encoding: %v", strings.TrimSpace(codings[i]), err)
		}
	}
	return body, nil
}

// errTooLarge is a decoded payload over MaxRecordBytes.
var errTooLarge = errors.New("decoded payload is more than the record limit")

// readLimited reads r to its end, or fails with errTooLarge past the limit
// without having read more than one byte past it.
func (c *Corpus) readLimited(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, c.max+1))
	if err != nil {
		return nil, err
	}
	if n > c.max {
		return nil, fmt.Errorf("%w of %d bytes", errTooLarge, c.max)
	}
	return buf.Bytes(), nil
}
