// The types every other file shares: Doc, Options, Record and Corpus, and
// Open, Decode and Close. A Corpus holds only the input list and options, no
// open files: Scan and Copy open each input when they reach it and close it
// before the next, so a run over thousands of inputs never holds more than
// one file open. Standard input is the exception, since it cannot be read
// twice: its bytes are spooled to a temp file (stdin.go) that Close removes.
//
// Deliberately not done: no content sniffing of files (the name says what a
// file is, except on stdin where there is no name), no WARC yet.

package corpus

import (
	"errors"
	"fmt"
	"io"
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
}

// Options says how to read inputs.
type Options struct {
	IDField, TextField, DateField, SourceField, URLField string    // JSONL/Parquet field names; "" means id, text, date, source, url
	MaxRecordBytes                                       int64     // records larger than this are skipped as problems; 0 means 1 GiB
	Stdin                                                io.Reader // what "-" reads (JSONL); nil means os.Stdin
}

// DefaultMaxRecordBytes is the record size limit when Options.MaxRecordBytes is 0.
const DefaultMaxRecordBytes = 1 << 30

// stdinName is Record.File and Problem.File for "-".
const stdinName = "<stdin>"

// kind is what an input (and each of its records) is.
type kind uint8

const (
	kindNone    kind = iota
	kindText         // a text file, alone or in a folder
	kindJSONL        // a line of a JSONL file or of stdin
	kindParquet      // a row of a Parquet file
)

func (k kind) String() string {
	return [...]string{"unknown", "text", "JSONL", "Parquet"}[k]
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

	kind kind
	id   string       // text: the document ID (path relative to the folder, or as given)
	raw  []byte       // text: the file's bytes; JSONL: the line without its "\n"
	row  parquet.Row  // Parquet: the row's values
	cols *parquetCols // Parquet: where the fields are in row
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
	inputs  []string
	stdin   io.Reader
	names   [numFields]string
	max     int64
	spool   *spool // standard input as read so far; nil until "-" is first read
	scanned int    // records the last complete Scan found; -1 before one
	closed  bool
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
	c := &Corpus{
		inputs:  append([]string(nil), inputs...),
		stdin:   opt.Stdin,
		max:     opt.MaxRecordBytes,
		scanned: -1,
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
	default:
		p = recordProblem(r.File, r.Line, "not a record from Scan")
	}
	if p != nil {
		return Doc{}, p
	}
	return d, nil
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
