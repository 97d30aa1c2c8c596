// JSONL: one JSON object a line, plain or compressed with gzip or zstd.
//
// Lines are cut with bufio.Reader.ReadSlice, not bufio.Scanner, whose token
// limit would turn a long document into an error: a line that does not fit
// the read buffer is gathered fragment by fragment, so a 200 MB line costs
// 200 MB (twice that while it is joined). A line over MaxRecordBytes
// is gathered only up to the limit and then dropped; it is counted,
// skipped, and reported. A record's
// bytes are the line exactly as read, without its "\n" (a "\r" before it is
// kept), so Copy can write it back byte for byte.
//
// A stream that fails midway (corrupt or truncated gzip/zstd, an I/O error)
// is an Input problem naming the line it was reading; the records before it
// have already been passed on and stay. The partial line is dropped.
//
// A line that does not fit the buffer is kept as a list of buffer-sized
// fragments and joined into one slice of its exact size at its end, so a
// line costs at most twice its size while it is gathered, and a line over
// MaxRecordBytes (a decompression bomb) costs at most the limit before it
// is dropped: nothing of its size is ever allocated.
//
// Decoding (decodeJSONL) uses pickFields from jsondecode.go, a thin layer
// over the jsontext tokenizer; see there for the choices.
//
// Deliberately not done: no JSON arrays or multi-line JSON; a line that is
// not one object is a problem. Blank lines are skipped silently.

package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// readBufSize is the read buffer; lines shorter than it are copied once.
const readBufSize = 256 << 10

func (w *walker) jsonlFile(path string, comp compression) error {
	f, err := os.Open(path)
	if err != nil {
		w.problem(inputProblem(path, err))
		return nil
	}
	defer f.Close()
	return w.jsonl(path, f, comp)
}

// decompress wraps r for comp. The closer releases the decoder.
func decompress(r io.Reader, comp compression) (io.Reader, func(), error) {
	switch comp {
	case compGzip:
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, err
		}
		return zr, func() { zr.Close() }, nil
	case compZstd:
		// The window bound keeps a frame that declares a huge window from
		// costing that much memory; 128 MiB is what "zstd --long" writes.
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(1<<27))
		if err != nil {
			return nil, nil, err
		}
		return zr, zr.Close, nil
	}
	return r, func() {}, nil
}

func (comp compression) String() string {
	switch comp {
	case compGzip:
		return "gzip"
	case compZstd:
		return "zstd"
	}
	return "plain"
}

// jsonl cuts the stream r, named name, into line records.
func (w *walker) jsonl(name string, r io.Reader, comp compression) error {
	dr, closeDec, err := decompress(r, comp)
	if errors.Is(err, io.EOF) {
		return nil // an empty file holds no records, compressed or not
	}
	if err != nil {
		w.problem(&Problem{File: name, Input: true, Reason: fmt.Sprintf("not a %s stream: %v", comp, err)})
		return nil
	}
	defer closeDec()
	lr := lineReader{r: bufio.NewReaderSize(dr, readBufSize), max: w.c.max}
	for {
		line, size, err := lr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			reason := "read error: " + err.Error()
			if comp != compNone {
				reason = fmt.Sprintf("corrupt %s stream: %v", comp, err)
			}
			w.problem(&Problem{File: name, Line: lr.line + 1, Input: true, Reason: reason})
			return nil
		}
		if size > w.c.max {
			w.problem(recordProblem(name, lr.line, "record is %d bytes, more than the limit of %d", size, w.c.max))
			continue
		}
		if lr.line == 1 {
			// A byte order mark, which Windows tools and some editors
			// write, is not JSON; without this the first record of such
			// a file would be skipped as invalid.
			line = bytes.TrimPrefix(line, utf8BOM)
		}
		if isBlank(line) {
			continue
		}
		if err := w.record(Record{File: name, Line: lr.line, kind: kindJSONL, raw: line}); err != nil {
			return err
		}
	}
}

// utf8BOM is the UTF-8 encoding of U+FEFF, the byte order mark.
var utf8BOM = []byte("\xef\xbb\xbf")

// lineReader cuts lines of any length.
type lineReader struct {
	r    *bufio.Reader
	max  int64
	line int // number of the last line returned
}

// next returns the next line without its "\n" in a fresh slice, and its
// size. A line longer than max is read through but not kept: next returns a
// nil line and its size. At the end of the stream next returns io.EOF; on
// any other error the partial line is lost.
func (lr *lineReader) next() ([]byte, int64, error) {
	frag, err := lr.r.ReadSlice('\n')
	if err == nil || err == io.EOF && len(frag) > 0 {
		lr.line++
		frag = bytes.TrimSuffix(frag, []byte{'\n'})
		if int64(len(frag)) > lr.max {
			return nil, int64(len(frag)), nil
		}
		// make then copy, which the compiler turns into one allocation
		// that is not zeroed first (append zeroes, then copies).
		line := make([]byte, len(frag))
		copy(line, frag)
		return line, int64(len(frag)), nil
	}
	if err != bufio.ErrBufferFull {
		return nil, 0, err
	}
	// A long line: keep its fragments (each a copy of one read buffer), or
	// only count them past max; join them once the line's end is found.
	size := int64(len(frag))
	var frags [][]byte
	if size <= lr.max {
		frags = append(frags, append([]byte{}, frag...))
	}
	for {
		frag, err = lr.r.ReadSlice('\n')
		switch err {
		case nil:
			frag = frag[:len(frag)-1]
		case bufio.ErrBufferFull, io.EOF:
		default:
			return nil, 0, err
		}
		size += int64(len(frag))
		if size > lr.max {
			frags = nil
		} else {
			frags = append(frags, append([]byte{}, frag...))
		}
		if err != bufio.ErrBufferFull {
			lr.line++
			if size > lr.max {
				return nil, size, nil
			}
			line := make([]byte, 0, size)
			for _, f := range frags {
				line = append(line, f...)
			}
			return line, size, nil
		}
	}
}

// isBlank reports a line holding only JSON whitespace.
func isBlank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// decodeJSONL turns one JSONL line into a Doc.
func (c *Corpus) decodeJSONL(r Record) (Doc, *Problem) {
	bad := func(format string, args ...any) (Doc, *Problem) {
		return Doc{}, recordProblem(r.File, r.Line, format, args...)
	}
	if !utf8.Valid(r.raw) {
		return bad("invalid UTF-8 at byte %d", invalidUTF8At(r.raw))
	}
	var v [numFields]jsonValue
	if err := pickFields(r.raw, &c.names, &v); err != nil {
		var no *notObjectError
		if errors.As(err, &no) {
			return bad("not a JSON object (got %s)", kindName(no.kind))
		}
		return bad("invalid JSON: %v", err)
	}
	var d Doc
	switch t := v[fieldText]; t.kind {
	case 0:
		return bad("missing %q field (the record has %s)", c.names[fieldText], fieldList(r.raw))
	case '"':
		d.Text = t.str
	default:
		return bad("%q is not a string (got %s)", c.names[fieldText], kindName(t.kind))
	}
	switch id := v[fieldID]; id.kind {
	case 0, 'n':
		return bad("missing %q field", c.names[fieldID])
	case '"':
		d.ID = id.str
		if d.ID == "" {
			return bad("empty %q", c.names[fieldID])
		}
	case '0':
		d.ID = id.str // the number's JSON text, as written
	default:
		return bad("%q is not a string or number (got %s)", c.names[fieldID], kindName(id.kind))
	}
	if strings.TrimSpace(d.Text) == "" {
		return bad("empty document")
	}
	for _, f := range [...]struct {
		i   int
		dst *string
	}{{fieldDate, &d.Date}, {fieldSource, &d.Source}, {fieldURL, &d.URL}} {
		switch x := v[f.i]; x.kind {
		case 0, 'n':
		case '"':
			*f.dst = x.str
		default:
			return bad("%q is not a string (got %s)", c.names[f.i], kindName(x.kind))
		}
	}
	if d.Date != "" {
		day, ok := parseDate(d.Date)
		if !ok {
			c.undated(r, d.Date)
		}
		d.Date = day
	}
	return d, nil
}

// undated warns that record r is kept without its date, which does not parse.
func (c *Corpus) undated(r Record, date string) {
	p := recordProblem(r.File, r.Line, "date does not parse, record kept undated: %q (want YYYY-MM-DD, YYYY/MM/DD, RFC 3339 or RFC 1123)", clip(date, 40))
	p.Warning = true
	c.warn(p)
}

// invalidUTF8At returns the offset of the first invalid UTF-8 sequence in b.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// clip shortens s for a message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "..."
}

// fieldList names the top-level fields of a JSON object, for a message
// about a field that is missing: it is what tells a user which
// --text-field they meant.
func fieldList(raw []byte) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || len(m) == 0 {
		return "no fields"
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, strconv.Quote(k))
	}
	slices.Sort(names)
	if len(names) > 12 {
		names = append(names[:12], "...")
	}
	return strings.Join(names, ", ")
}
