// The types every other file shares: Doc, Options, Record and Corpus, and
// Open, Decode and Close. A Corpus holds only the input list and options, no
// open files: Scan and Copy open each input when they reach it and close it
// before the next, so a run over thousands of inputs never holds more than
// one file open. Standard input is the exception, since it cannot be read
// twice: its bytes are spooled to a temp file (stdin.go) that Close removes.
//
// Deliberately not done: no content sniffing of files (the name says what a
// file is, except on stdin where there is no name).

package corpus

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"

	"github.com/parquet-go/parquet-go"
)

// Doc is one document of a corpus.
type Doc struct {
	ID     string
	Text   string // the document's text exactly as read (for a text file: the whole file's bytes)
	Start  int    // byte offset in Text where content begins (after a leading date header), 0 otherwise
	Date   string // "YYYY-MM-DD" or "" when unknown
	Source string
	URL    string
	TextOf string // what Text is when it is not the bytes as read: "" (as read), TextExtracted or TextDecoded
}

// Values of Doc.TextOf. Byte offsets found later refer to Doc.Text, so an
// output that gives offsets should say which text they are offsets into.
const (
	// TextExtracted: Text is the main text extracted from HTML (templates,
	// navigation, scripts and styles removed), not the page's bytes.
	TextExtracted = "extracted"
	// TextDecoded: Text is a web payload decoded to UTF-8 (transfer and
	// content encodings undone, charset converted), markup kept.
	TextDecoded = "decoded"
)

// HTML modes, for Options.HTML.
const (
	HTMLExtract = "extract" // the main text of a page, by go-readability (the default)
	HTMLRaw     = "raw"     // the page's markup as text
)

// Options says how to read inputs.
type Options struct {
	IDField, TextField, DateField, SourceField, URLField string    // JSONL/Parquet field names; "" means id, text, date, source, url
	MaxRecordBytes                                       int64     // records larger than this (as read, and once decompressed) are skipped as problems; 0 means DefaultMaxRecordBytes
	Stdin                                                io.Reader // what "-" reads (JSONL); nil means os.Stdin

	// OnePass says standard input will be read once only (a command that
	// neither copies records out nor scans twice): it is then read as it
	// comes, without spooling it to a temporary file, and a second Scan of
	// it is an input problem.
	OnePass bool
	// ReplaceOutput lets Copy replace an output folder that already holds
	// files (the new one is complete before the old one goes).
	ReplaceOutput bool
	// SpoolDir is where standard input is spooled when it must be read
	// again; "" means the system's temporary directory.
	SpoolDir string

	// HTML is what an HTML document (a .html/.htm file, or an HTML page in
	// a WARC) becomes: HTMLExtract ("" too) or HTMLRaw.
	HTML string
	// OnWarning, when set, hears of records that were kept with something
	// dropped (a date that does not parse: the record is kept undated). It
	// is called from Decode, so from many goroutines at once; the Problem's
	// Warning is true.
	OnWarning func(*Problem)
}

// DefaultMaxRecordBytes is the record size limit when Options.MaxRecordBytes
// is 0. A bigger document is almost always a mistake (a dump in one field, a
// decompression bomb); the limit is what keeps such a record from costing
// gigabytes, so it is modest and the CLI lets a user raise it.
const DefaultMaxRecordBytes = 64 << 20

// stdinName is Record.File and Problem.File for "-".
const stdinName = "<stdin>"

// kind is what an input (and each of its records) is.
type kind uint8

const (
	kindNone    kind = iota
	kindText         // a text file, alone or in a folder
	kindJSONL        // a line of a JSONL file or of stdin
	kindParquet      // a row of a Parquet file
	kindHTML         // an HTML file, alone or in a folder
	kindWARC         // a response, resource or conversion record of a WARC file
)

func (k kind) String() string {
	return [...]string{"unknown", "text", "JSONL", "Parquet", "HTML", "WARC"}[k]
}

// Field positions in Corpus.names and in the values picked from a record.
const (
	fieldID = iota
	fieldText
	fieldDate
	fieldSource
	fieldURL
	numFields
)

// Record is one raw record in read order, before decoding.
type Record struct {
	Seq  int    // 0-based ordinal over all inputs in read order; identical between Scan and Copy
	File string // file path for messages ("<stdin>" for stdin)
	Line int    // 1-based JSONL line or Parquet row number; 0 for a text file
	// Offset is a WARC record's byte offset in File (for a .warc.gz, of the
	// gzip member that holds it); 0 for other kinds.
	Offset int64

	kind kind
	id   string       // text, HTML, WARC: the document ID (path relative to the folder, as given, or the URI)
	raw  []byte       // text, HTML: the file's bytes; JSONL: the line without its "\n"; WARC: the payload as stored
	row  parquet.Row  // Parquet: the row's values
	cols *parquetCols // Parquet: where the fields are in row
	warc *warcMeta    // WARC: the headers Decode needs
	// stored is a WARC record's bytes as stored in its file (its gzip
	// member, for a .warc.gz), set only in Copy's pass, which writes them.
	stored []byte
}

// Size is the record's size in bytes as read, for progress and throughput.
func (r Record) Size() int {
	if r.kind == kindParquet {
		return rowBytes(r.row)
	}
	return len(r.raw)
}

// Corpus is a set of inputs that can be scanned, and scanned again to copy records out.
// Decode is safe for concurrent use; Scan, Copy and Close are not.
type Corpus struct {
	inputs     []string
	stdin      io.Reader
	names      [numFields]string
	max        int64
	spool      *spool // standard input as read so far; nil until "-" is first read
	onePass    bool   // Options.OnePass
	stdinN     int    // passes over standard input without a spool
	tmpDir     string // Options.SpoolDir
	replaceOut bool   // Options.ReplaceOutput
	scanned    int    // records the last complete Scan found; -1 before one
	closed     bool
	rawHTML    bool           // Options.HTML is HTMLRaw
	warn       func(*Problem) // Options.OnWarning, never nil
	skipped    map[string]int // records the last Scan passed over on purpose, by kind
}

// Open checks inputs and options. Its error is only for usage mistakes (no
// inputs, "-" twice); an input that cannot be read is a Problem during Scan.
func Open(inputs []string, opt Options) (*Corpus, error) {
	if len(inputs) == 0 {
		return nil, errors.New("corpus: no inputs")
	}
	stdins := 0
	for _, in := range inputs {
		switch in {
		case "":
			return nil, errors.New("corpus: empty input path")
		case "-":
			stdins++
		}
	}
	if stdins > 1 {
		return nil, errors.New(`corpus: "-" (standard input) given more than once`)
	}
	if opt.MaxRecordBytes < 0 {
		return nil, fmt.Errorf("corpus: negative MaxRecordBytes %d", opt.MaxRecordBytes)
	}
	switch opt.HTML {
	case "", HTMLExtract, HTMLRaw:
	default:
		return nil, fmt.Errorf("corpus: HTML mode %q: want %q or %q", opt.HTML, HTMLExtract, HTMLRaw)
	}
	c := &Corpus{
		inputs:     append([]string(nil), inputs...),
		stdin:      opt.Stdin,
		max:        opt.MaxRecordBytes,
		scanned:    -1,
		rawHTML:    opt.HTML == HTMLRaw,
		warn:       opt.OnWarning,
		skipped:    map[string]int{},
		onePass:    opt.OnePass,
		tmpDir:     opt.SpoolDir,
		replaceOut: opt.ReplaceOutput,
	}
	if c.warn == nil {
		c.warn = func(*Problem) {}
	}
	if c.stdin == nil {
		c.stdin = os.Stdin
	}
	if c.max == 0 {
		c.max = DefaultMaxRecordBytes
	}
	for i, f := range [numFields]struct{ set, def string }{
		{opt.IDField, "id"}, {opt.TextField, "text"}, {opt.DateField, "date"},
		{opt.SourceField, "source"}, {opt.URLField, "url"},
	} {
		c.names[i] = f.def
		if f.set != "" {
			c.names[i] = f.set
		}
	}
	return c, nil
}

// Decode parses one record from Scan into a Doc. It is safe for concurrent
// use from many goroutines. Its error is always a *Problem.
func (c *Corpus) Decode(r Record) (Doc, error) {
	var (
		d Doc
		p *Problem
	)
	switch r.kind {
	case kindText:
		d, p = decodeText(r)
	case kindJSONL:
		d, p = c.decodeJSONL(r)
	case kindParquet:
		d, p = c.decodeParquet(r)
	case kindHTML:
		d, p = c.decodeHTMLFile(r)
	case kindWARC:
		d, p = c.decodeWARC(r)
	default:
		p = recordProblem(r.File, r.Line, "not a record from Scan")
	}
	if p != nil {
		return Doc{}, p
	}
	return d, nil
}

// Skipped returns how many records the last Scan passed over on purpose
// because they are not documents, by kind: WARC records of another type
// ("request", "warcinfo", "metadata", "revisit", ...) and WARC payloads that
// are not text or HTML ("image", "pdf", "audio", "video", "other media
// type", "HTTP status 3xx" for redirects and the like). These are not
// Problems: a crawl is mostly such records, and none of them is an error.
// The map is a copy; it is empty before the first Scan.
func (c *Corpus) Skipped() map[string]int {
	return maps.Clone(c.skipped)
}

// Close removes the spool of standard input, if any. The Corpus cannot be
// scanned again after Close.
func (c *Corpus) Close() error {
	c.closed = true
	if c.spool == nil {
		return nil
	}
	err := c.spool.remove()
	c.spool = nil
	return err
}
