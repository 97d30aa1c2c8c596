// WARC: web crawls (Common Crawl, Heritrix, wget, browsertrix) and their
// plain-text conversions (WET), plain or gzip-compressed, read record by
// record with github.com/nlnwa/gowarc/v3.
//
// Why nlnwa/gowarc and not github.com/internetarchive/gowarc (both are
// maintained, both on the module proxy; v3.1.0 and v0.8.96 compared):
//   - nlnwa/gowarc is a WARC library and nothing else: its dependencies are a
//     UUID package, a URL parser and klauspost/compress (already ours).
//     internetarchive/gowarc is the recording HTTP client of a crawler, and
//     brings a TLS fingerprinting stack, a DNS client, a SOCKS proxy, a cache
//     and xz into the module graph for what reprint needs of it, a reader.
//   - nlnwa gives every record's byte offset and size, plain or compressed;
//     internetarchive gives offsets only for gzip (-1 for a plain .warc), and
//     a broken record must be named by its offset.
//   - nlnwa validates what a broken record shows (Content-Length against the
//     block, the end-of-record marker, digests) under policies a caller
//     chooses, and parses the HTTP message of response records (status,
//     headers, payload). internetarchive's reader is tuned by environment
//     variables, which a library should not read.
//   - Both keep a record's block in memory up to a threshold (1 MB) and
//     spill the rest to a temp file, so neither needs a whole WARC, or a
//     whole large record, in memory.
//
// Both libraries read a .warc.gz as one gzip member per record, the way
// crawlers write it, and both lose records when a file is one gzip member
// holding many (they drain the member after its first record). So this
// file handles gzip itself: it inflates one member at a time with
// klauspost/compress (Multistream off), counting the compressed bytes
// consumed, and hands each member's bytes to gowarc as a plain WARC stream.
// A member may hold one record or all of them. A record's offset is that of
// its gzip member (what CDX indexes and "zcat | dd" need), plus, for records
// after the first in a member, the decompressed offset within it.
//
// Records used: response (an HTTP response with status 2xx and an HTML or
// text payload), resource and conversion (WET). Everything else is skipped
// and counted by kind (Corpus.Skipped), never an error: request, warcinfo,
// metadata, revisit records; images, PDFs, audio, video and other media
// types; redirects and error statuses; a crawler's own files stored as
// resources under a metadata: URI (wget's arguments and log). The payload is kept as stored (still
// transfer- and content-encoded): Decode undoes the encodings, honours the
// charset and extracts the main text of HTML (html.go), on the parallel
// workers, so Scan only frames records.
//
// The document ID is WARC-Target-URI; when a URI comes again in the same
// pass (a page crawled twice), the later record's ID is the URI, a space and
// its WARC-Record-ID. A record with no URI (a resource) is named by its
// WARC-Record-ID, and one with neither by "FILE@OFFSET". wget writes the
// URI in angle brackets, which gowarc's validation rejects and blanks; such
// a URI is read again from the record's bytes (rawField). Seen URIs are kept as 64-bit hashes, 8 bytes each.
// Date is WARC-Date's day (the crawl date), Source the URI's host, URL the
// URI.
//
// A broken record (a Content-Length that does not match the block, a
// missing end-of-record marker, a wrong block digest, a truncated or corrupt
// gzip member) is a Problem naming the file and the record's byte offset; the
// records before it are kept. After a broken record in a gzip member, reading
// goes on with the next member, and in a plain stream at the next "WARC/"
// line gowarc finds, so the records after it are kept too. After a corrupt
// gzip member, reading goes on at the next place the file's bytes could
// start a member (its magic number); when there is none (a truncated last
// member) the problem ends the file and is an Input problem.
//
// Limits: a record's decompressed bytes are counted as they are inflated,
// and a record larger than MaxRecordBytes (plus the 1 MB gowarc reads
// ahead) stops being read at that size: it is a Problem, and the next record
// is read. Memory per record is its payload, at most MaxRecordBytes, plus
// gowarc's 1 MB buffer.
//
// Deliberately not done: no continuation records (segmented records are
// rare and each segment is skipped as "continuation"), no revisit records
// resolved against the records they point to (a revisit means "same as
// before", and the one before is already a document), no zstd WARCs.

package corpus

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"strings"

	"github.com/klauspost/compress/gzip"
	gowarc "github.com/nlnwa/gowarc/v3"
	"github.com/zeebo/xxh3"
)

// warcMeta is what Decode needs of a WARC record's headers.
type warcMeta struct {
	uri, date string
	ctype     string // the payload's media type with its parameters (HTTP Content-Type, or the record's)
	tenc      string // HTTP Transfer-Encoding, lower case
	cenc      string // HTTP Content-Encoding, lower case
	html      bool   // the payload is HTML (else plain text)
}

// warcReadAhead is how far gowarc's buffered reader may read past a record's
// start; a record's budget allows for it.
const warcReadAhead = 1<<20 + 64<<10

// warcOptions are gowarc's reading policies. Spec violations are collected,
// not fatal, so a record with an odd header field is still read; the ones
// that mean the record's bytes are wrong are picked out by brokenRecord.
// Syntax errors are warnings too, which also makes gowarc look for the next
// "WARC/" line after a broken record instead of giving up.
var warcOptions = []gowarc.WarcRecordOption{
	gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn),
	gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
	gowarc.WithUnknownRecordTypePolicy(gowarc.ErrWarn),
	gowarc.WithBlockErrorPolicy(gowarc.ErrIgnore),
}

// warcFile reads one WARC file, plain or gzip-compressed (by its first bytes).
func (w *walker) warcFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		w.problem(inputProblem(path, err))
		return nil
	}
	defer f.Close()
	return w.warc(path, f)
}

// warc reads the WARC stream f, named path.
func (w *walker) warc(path string, f io.Reader) error {
	cr := &countReader{r: f}
	br := bufio.NewReaderSize(cr, readBufSize)
	pos := func() int64 { return cr.n - int64(br.Buffered()) }
	magic, _ := br.Peek(2)
	if len(magic) == 0 {
		return nil // an empty file holds no records
	}
	src, _ := f.(io.ReaderAt)
	var file io.ReaderAt
	if w.copying {
		var ok bool
		if file, ok = f.(io.ReaderAt); !ok {
			return fmt.Errorf("%s: cannot read WARC records back to copy them", path)
		}
	}
	if !bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		s := &warcStream{w: w, path: path, r: &budgetReader{r: br}, file: file, src: src}
		if _, err := s.records(func(off int64) int64 { return off }); err != nil || s.tail == nil {
			return err
		}
		if file != nil {
			var err error
			if s.tail.stored, err = readAt(file, s.tailStart, s.tailEnd-s.tailStart); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
		}
		return w.record(*s.tail)
	}
	// One gzip member at a time; the reader is a *bufio.Reader, which the
	// inflater reads byte by byte without reading past a member's end.
	var zr gzip.Reader
	for {
		at := pos()
		if err := zr.Reset(br); err == io.EOF {
			return nil
		} else if err != nil {
			w.problem(offsetProblem(path, at, true, "corrupt gzip member: %v", err))
			return nil
		}
		zr.Multistream(false)
		er := &errReader{r: &zr}
		s := &warcStream{w: w, path: path, r: &budgetReader{r: er}, gz: true, file: file, src: src, memberAt: at}
		n, err := s.records(func(off int64) int64 { return at + off })
		if err != nil {
			return err
		}
		if er.err == nil {
			// Drain what gowarc did not need (the rest of a member after a
			// broken record, or of a record over the limit) to reach the
			// next member; this also checks the member's CRC.
			_, er.err = io.Copy(io.Discard, er)
		}
		if er.err != nil {
			// Go on at the next gzip member, if the file has one: only this
			// member's records are lost.
			next, ok := nextGzipMember(src, at+1)
			problem := offsetProblem(path, at, !ok, "truncated or corrupt gzip member after %d records in it: %v", n, er.err)
			if s.failed {
				problem = offsetProblem(path, s.failAt, !ok, "%s", s.failMsg)
			}
			w.problem(problem)
			if !ok {
				return nil
			}
			cr = &countReader{r: io.NewSectionReader(src, next, 1<<62), n: next}
			br.Reset(cr)
			continue
		}
		if s.tail == nil {
			continue
		}
		if file != nil {
			if n > 1 {
				return fmt.Errorf("%s: byte %d: a gzip member holding more than one record cannot be copied record by record; recompress the file with one member a record", path, at)
			}
			var err error
			if s.tail.stored, err = readAt(file, at, pos()-at); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
		}
		if err := w.record(*s.tail); err != nil {
			return err
		}
	}
}

// nextGzipMember finds the next offset from off of f where a gzip member
// could start (its magic number and the deflate method), to go on after a
// corrupt one. It reads f in 64 KiB pieces; false when there is none or f
// cannot be read again.
func nextGzipMember(f io.ReaderAt, off int64) (int64, bool) {
	if f == nil {
		return 0, false
	}
	magic := []byte{0x1f, 0x8b, 0x08}
	buf := make([]byte, 64<<10)
	for {
		n, err := f.ReadAt(buf, off)
		if i := bytes.Index(buf[:n], magic); i >= 0 {
			return off + int64(i), true
		}
		if err != nil || n < len(magic) {
			return 0, false
		}
		off += int64(n - len(magic) + 1)
	}
}

// readAt reads n bytes at off of f, for Copy.
func readAt(f io.ReaderAt, off, n int64) ([]byte, error) {
	buf := make([]byte, n)
	if _, err := f.ReadAt(buf, off); err != nil {
		return nil, fmt.Errorf("reading a WARC record back at byte %d: %w", off, err)
	}
	return buf, nil
}

// warcStream is one plain WARC stream: a .warc file or one gzip member.
type warcStream struct {
	w       *walker
	path    string
	r       *budgetReader
	failed  bool   // a record broke because its gzip stream failed, so the stream ends
	failAt  int64  // that record's offset to report
	failMsg string // and what went wrong
	gz      bool   // the stream is a gzip member

	// The stream's last record, which records leaves to the caller: a gzip
	// member's record is used only once the member's CRC checked out.
	tail               *Record
	tailStart, tailEnd int64 // its bytes in the stream

	file io.ReaderAt // Copy: where the records' stored bytes are read back from; nil in Scan

	src      io.ReaderAt // the file, to read a header field gowarc dropped (rawField); nil if not seekable
	memberAt int64       // a gzip stream's member offset in src
}

// records reads the stream's records; at maps an offset in the stream to
// the one to report. It returns how many records it read whole (used or
// not), and only errors that end the walk.
//
// A record is passed on only once the next one is found where it ends (or
// the stream ends there): gowarc does not check the end-of-record marker
// when other bytes stand in its place, and silently looks for the next
// "WARC/" line. A gap between a record's end and the next record means its
// Content-Length was wrong, so the record is reported broken, not used.
func (s *warcStream) records(at func(int64) int64) (int, error) {
	w := s.w
	wf, err := gowarc.NewWarcFileReaderFromStream(s.r, 0, warcOptions...)
	if err != nil {
		w.problem(&Problem{File: s.path, Input: true, Reason: "cannot read WARC: " + err.Error()})
		return 0, nil
	}
	defer wf.Close()
	gz, _ := s.r.r.(*errReader) // nil for a plain .warc
	n := 0
	last := int64(-1)
	broken := false // the last record was broken: what follows, up to the next record, is its rest
	var (
		pending      Record // the last good record, held until the next one confirms where it ended
		hasPending   bool   // pending holds a record to pass on
		pendingOK    bool   // pending was a good record (passed on or skipped by kind)
		pendingStart int64  // where pending starts in the stream
		pendingEnd   int64  // where pending ended in the stream
		pendingAt    int64  // pending's offset to report
	)
	// settle passes pending on if the stream goes on at next, its end; at
	// the end of the stream it leaves it in s.tail.
	settle := func(next int64, end bool) error {
		ok := pendingOK
		pendingOK = false
		if !ok {
			return nil
		}
		if next != pendingEnd {
			n--
			hasPending = false
			gap := "the bytes"
			if next > pendingEnd {
				gap = fmt.Sprintf("%d bytes", next-pendingEnd)
			}
			w.problem(offsetProblem(s.path, pendingAt, false, "broken WARC record: %s after its Content-Length are not the next record (the Content-Length is wrong)", gap))
			return nil
		}
		if !hasPending {
			return nil
		}
		hasPending = false
		if end {
			s.tail, s.tailStart, s.tailEnd = &pending, pendingStart, pendingEnd
			return nil
		}
		if s.file != nil {
			if s.gz {
				return fmt.Errorf("%s: byte %d: a gzip member holding more than one record cannot be copied record by record; recompress the file with one member a record", s.path, pendingAt)
			}
			var err error
			if pending.stored, err = readAt(s.file, pendingStart, pendingEnd-pendingStart); err != nil {
				return fmt.Errorf("%s: %w", s.path, err)
			}
		}
		return w.record(pending)
	}
	for {
		if err := w.ctx.Err(); err != nil {
			return n, err
		}
		s.r.limit, s.r.over = s.r.n+w.c.max+warcReadAhead, false
		rec, err := wf.Next()
		if err == io.EOF {
			return n, settle(pendingEnd, true)
		}
		off := at(rec.Offset)
		if s.r.over {
			rec.Close()
			if err := settle(rec.Offset, false); err != nil {
				return n, err
			}
			if !broken {
				w.problem(offsetProblem(s.path, off, false, "record is more than the limit of %d bytes", w.c.max))
			}
			broken = true
			if gz != nil {
				return n, nil // the rest of the member is the rest of that record
			}
			continue // gowarc looks for the next "WARC/" line
		}
		if err == nil {
			err = brokenRecord(rec.Validation)
		}
		if err != nil {
			rec.Close()
			if errors.Is(err, gowarc.ErrNoRecord) {
				// Bytes that are no record, up to the end: the rest of a
				// broken record, or of one whose Content-Length was short.
				if err := settle(-1, false); err != nil || broken {
					return n, err
				}
			} else if err := settle(rec.Offset, false); err != nil {
				return n, err
			}
			failed := gz != nil && gz.err != nil // the gzip stream itself is broken: nothing more to read
			reason := "broken WARC record"
			var cl *gowarc.ContentLengthError
			switch {
			case failed:
				reason = "truncated or corrupt WARC record"
			case errors.As(err, &cl) && cl.Actual < cl.Expected:
				reason = "truncated WARC record"
			}
			if failed {
				// The caller reports it, once it knows whether reading can
				// go on at a next member.
				s.failed, s.failAt, s.failMsg = true, off, fmt.Sprintf("%s: %v", reason, err)
				return n, nil
			}
			w.problem(offsetProblem(s.path, off, false, "%s: %v", reason, err))
			if rec.Offset <= last {
				return n, nil // no progress: give up on this stream
			}
			last, broken = rec.Offset, true
			continue
		}
		if err := settle(rec.Offset, false); err != nil {
			return n, err
		}
		last, broken = rec.Offset, false
		n++
		pending, hasPending = w.warcRecord(rec.WarcRecord, s.path, off, func(name string) string { return s.rawField(rec.Offset, name) })
		pendingOK, pendingStart, pendingEnd, pendingAt = true, rec.Offset, rec.Offset+rec.Size, off
		rec.Close()
	}
}

// brokenRecord returns the first validation finding that means a record's
// bytes are not what its header says: a Content-Length that does not match,
// a wrong block digest, a bad end-of-record marker. gowarc reports the
// marker as an untyped error and tells block from payload digests only by a
// prefix; the messages are the only way to know them. A wrong payload digest
// is not taken as broken: crawlers disagree on whether it covers the
// payload before or after its transfer encoding, and the block digest (or
// the Content-Length) already covers the same bytes.
func brokenRecord(findings []error) error {
	for _, err := range findings {
		var cl *gowarc.ContentLengthError
		var de *gowarc.DigestError
		switch {
		case errors.As(err, &cl), strings.Contains(err.Error(), "end of record"):
			return err
		case errors.As(err, &de) && strings.HasPrefix(err.Error(), "block:"):
			return err
		}
	}
	return nil
}

// warcRecord turns a well-formed WARC record into a Record, or counts it as
// skipped (ok false). A payload over the limit is a Problem.
func (w *walker) warcRecord(wr gowarc.WarcRecord, path string, off int64, rawField func(string) string) (Record, bool) {
	h := wr.WarcHeader()
	meta := &warcMeta{uri: h.Get(gowarc.WarcTargetURI)}
	if meta.uri == "" && h.Has(gowarc.WarcTargetURI) {
		// gowarc blanks a field whose value does not validate, and wget
		// writes the URI in angle brackets ("<http://...>", as WARC 1.0's
		// grammar once read): read it from the record's own bytes.
		meta.uri = rawField(gowarc.WarcTargetURI)
	}
	if scheme, _, ok := strings.Cut(meta.uri, ":"); ok && strings.EqualFold(scheme, "metadata") && wr.Type() == gowarc.Resource {
		// A crawler's own files (wget's arguments and log) stored as
		// resources: not pages of the crawl.
		w.skip("crawler metadata")
		return Record{}, false
	}
	var payload io.Reader
	switch t := wr.Type(); t {
	case gowarc.Response:
		hb, ok := wr.Block().(gowarc.HttpResponseBlock)
		if !ok {
			w.skip("response without an HTTP message")
			return Record{}, false
		}
		if code := hb.HttpStatusCode(); code < 200 || code > 299 {
			w.skip(fmt.Sprintf("HTTP status %dxx", code/100))
			return Record{}, false
		}
		if hh := hb.HttpHeader(); hh != nil {
			meta.ctype = hh.Get("Content-Type")
			meta.cenc = strings.ToLower(strings.TrimSpace(hh.Get("Content-Encoding")))
		}
		meta.tenc = transferEncoding(hb.ProtocolHeaderBytes())
		r, err := hb.PayloadBytes()
		if err != nil {
			w.problem(offsetProblem(path, off, false, "unreadable HTTP payload: %v", err))
			return Record{}, false
		}
		payload = r
	case gowarc.Resource, gowarc.Conversion:
		meta.ctype = h.Get(gowarc.ContentType)
		r, err := wr.Block().RawBytes()
		if err != nil {
			w.problem(offsetProblem(path, off, false, "unreadable WARC block: %v", err))
			return Record{}, false
		}
		payload = r
	default:
		w.skip(strings.ToLower(t.String()))
		return Record{}, false
	}
	// Read one byte past the limit to know it is exceeded, never more, into
	// a buffer sized by the record's Content-Length (which bounds the
	// payload), so the payload costs its size and not append's doubling.
	var buf bytes.Buffer
	if cl, err := wr.ContentLength(); err == nil && cl > 0 {
		buf.Grow(int(min(cl, w.c.max)) + 1)
	}
	if n, err := buf.ReadFrom(io.LimitReader(payload, w.c.max+1)); err != nil {
		w.problem(offsetProblem(path, off, false, "unreadable payload: %v", err))
		return Record{}, false
	} else if n > w.c.max {
		w.problem(offsetProblem(path, off, false, "record is more than the limit of %d bytes", w.c.max))
		return Record{}, false
	}
	raw := buf.Bytes()
	media := mediaType(meta.ctype)
	if media == "" && (meta.cenc == "" || meta.cenc == "identity") && !strings.Contains(meta.tenc, "chunked") {
		meta.ctype = http.DetectContentType(raw)
		media = mediaType(meta.ctype)
	}
	switch kind := payloadKind(media); kind {
	case "html":
		meta.html = true
	case "text":
	default:
		w.skip(kind)
		return Record{}, false
	}
	if day, ok := parseDate(h.Get(gowarc.WarcDate)); ok {
		meta.date = day
	}
	id := meta.uri
	if id == "" {
		id = h.Get(gowarc.WarcRecordID)
	}
	if id == "" {
		// Neither field (a record gowarc took despite the spec): the
		// record's place is the one name it has.
		id = fmt.Sprintf("%s@%d", path, off)
	}
	key := xxh3.HashString(id)
	if _, dup := w.uris[key]; dup {
		id += " " + h.Get(gowarc.WarcRecordID)
	} else {
		w.uris[key] = struct{}{}
	}
	return Record{File: path, Offset: off, kind: kindWARC, id: id, raw: raw, warc: meta}, true
}

// rawField reads a header field of the record at offset off of the stream
// from the file's bytes, with any angle brackets around it removed; "" when
// the file cannot be read again (or the record sits deeper than 1 MiB into
// a gzip member, which would cost inflating all of that again).
func (s *warcStream) rawField(off int64, name string) string {
	if s.src == nil {
		return ""
	}
	var r io.Reader
	if !s.gz {
		r = io.NewSectionReader(s.src, off, 1<<16)
	} else {
		if off > 1<<20 {
			return ""
		}
		zr, err := gzip.NewReader(io.NewSectionReader(s.src, s.memberAt, 1<<62))
		if err != nil {
			return ""
		}
		zr.Multistream(false)
		if _, err := io.CopyN(io.Discard, zr, off); err != nil {
			return ""
		}
		r = io.LimitReader(zr, 1<<16)
	}
	tr := textproto.NewReader(bufio.NewReader(r))
	if _, err := tr.ReadLine(); err != nil { // "WARC/1.0"
		return ""
	}
	h, _ := tr.ReadMIMEHeader()
	return strings.Trim(strings.TrimSpace(h.Get(name)), "<>")
}

// transferEncoding is the Transfer-Encoding of a raw HTTP header, lower
// case. gowarc parses headers with net/http, which takes that field out of
// the header map, so it is read here from the bytes.
func transferEncoding(header []byte) string {
	tr := textproto.NewReader(bufio.NewReader(bytes.NewReader(header)))
	if _, err := tr.ReadLine(); err != nil { // the status line
		return ""
	}
	h, _ := tr.ReadMIMEHeader() // what parsed, even if something after did not
	return strings.ToLower(strings.Join(h.Values("Transfer-Encoding"), ","))
}

// mediaType is the lower-case media type of a Content-Type value, or "".
func mediaType(ctype string) string {
	if ctype == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ctype)
	if err != nil {
		mt, _, _ = strings.Cut(ctype, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
	}
	return mt
}

// payloadKind is "html", "text", or the kind a skipped payload is counted as.
func payloadKind(media string) string {
	switch {
	case media == "text/html", media == "application/xhtml+xml":
		return "html"
	case media == "text/plain":
		return "text"
	case strings.HasPrefix(media, "image/"):
		return "image"
	case media == "application/pdf":
		return "pdf"
	case strings.HasPrefix(media, "audio/"):
		return "audio"
	case strings.HasPrefix(media, "video/"):
		return "video"
	}
	return "other media type"
}

// decodeWARC turns a WARC record's payload into a Doc.
func (c *Corpus) decodeWARC(r Record) (Doc, *Problem) {
	m := r.warc
	bad := func(format string, args ...any) (Doc, *Problem) {
		// The reason's fixed phrase comes before its first colon, for
		// summaries that count by it; the URI follows.
		msg := fmt.Sprintf(format, args...)
		if strings.Contains(msg, ":") {
			msg += " (" + clip(r.id, 200) + ")"
		} else {
			msg += ": " + clip(r.id, 200)
		}
		return Doc{}, offsetProblem(r.File, r.Offset, false, "%s", msg)
	}
	body, err := c.unencode(r.raw, m.tenc, m.cenc)
	if err != nil {
		return bad("%v", err)
	}
	var (
		text   string
		textOf = TextDecoded
	)
	if m.html {
		text, textOf, err = c.htmlText(body, m.ctype, m.uri)
		if err != nil {
			return bad("%v", err)
		}
	} else {
		text = toUTF8(body, m.ctype)
	}
	if strings.TrimSpace(text) == "" {
		if m.html && textOf == TextExtracted {
			return bad("no main text in the page")
		}
		return bad("empty document")
	}
	d := Doc{ID: r.id, Text: text, Date: m.date, URL: m.uri, TextOf: textOf}
	if u, err := url.Parse(m.uri); err == nil {
		d.Source = u.Hostname()
	}
	return d, nil
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// errReader remembers the first error other than io.EOF of the reader it
// wraps, so that a failed gzip stream can be told from a broken record.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

// budgetReader stops a stream at limit bytes: past it, Read fails, so that
// no record larger than the limit is inflated or buffered whole.
type budgetReader struct {
	r     io.Reader
	n     int64
	limit int64
	over  bool
}

// errOverBudget is what budgetReader returns past its limit.
var errOverBudget = errors.New("record larger than the limit")

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.n >= b.limit {
		b.over = true
		return 0, errOverBudget
	}
	if rest := b.limit - b.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	return n, err
}
