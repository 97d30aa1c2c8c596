// Scan walks the inputs in the order given and cuts them into raw records;
// it parses nothing, so one goroutine can feed many Decode workers. Copy
// walks the inputs with the very same code (walker), which is what makes
// Record.Seq identical between the two passes: a record's number depends
// only on the bytes read, never on what the callback did with it.
//
// Every record's bytes are a fresh slice handed to the callback; Scan keeps
// no reference to them, so its own memory is one record (plus read buffers).
//
// Deliberately not done: no parallel reading of inputs (order matters and
// the disk is rarely the bottleneck once decoding runs on all cores), no
// de-duplication of inputs given twice.

package corpus

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// Scan reads every input in order and calls fn with each record. Problems
// (an input that cannot be read, a record too large to keep) go to onProblem,
// which may be nil, and Scan carries on. Scan stops and returns the error if
// fn returns one or ctx is done.
func (c *Corpus) Scan(ctx context.Context, fn func(Record) error, onProblem func(*Problem)) error {
	if c.closed {
		return errors.New("corpus: Scan after Close")
	}
	if onProblem == nil {
		onProblem = func(*Problem) {}
	}
	c.skipped = map[string]int{}
	n, err := c.walk(ctx, fn, onProblem, true, false)
	if err == nil {
		c.scanned = n
	}
	return err
}

// walker is one pass over the inputs.
type walker struct {
	c       *Corpus
	ctx     context.Context
	emit    func(Record) error
	problem func(*Problem)
	visit   func(path, id string) error // what a folder does with a file: w.file, unless a plan only looks
	seq     int
	count   bool                // count skipped records in c.skipped (Scan does, Copy does not)
	copying bool                // Copy's pass: WARC records carry their stored bytes (Record.stored)
	uris    map[uint64]struct{} // WARC target URIs seen in this pass, by hash (warc.go)
}

// walk makes one pass and returns the number of records it passed on.
func (c *Corpus) walk(ctx context.Context, emit func(Record) error, problem func(*Problem), count, copying bool) (int, error) {
	w := &walker{c: c, ctx: ctx, emit: emit, problem: problem, count: count, copying: copying, uris: map[uint64]struct{}{}}
	w.visit = w.file
	for _, in := range c.inputs {
		if err := ctx.Err(); err != nil {
			return w.seq, err
		}
		if err := w.input(in); err != nil {
			return w.seq, err
		}
	}
	return w.seq, nil
}

// skip counts a record passed over on purpose (see Corpus.Skipped).
func (w *walker) skip(kind string) {
	if w.count {
		w.c.skipped[kind]++
	}
}

// record numbers r and hands it on. Its error (the callback's, or the
// context's) ends the walk.
func (w *walker) record(r Record) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	r.Seq = w.seq
	w.seq++
	return w.emit(r)
}

// input reads one input. It returns only errors that end the walk; anything
// wrong with the input itself is reported as a Problem.
func (w *walker) input(path string) error {
	if path == "-" {
		return w.stdinJSONL()
	}
	st, err := os.Stat(path)
	if err != nil {
		w.problem(inputProblem(path, err))
		return nil
	}
	if st.IsDir() {
		return w.folder(path)
	}
	if !st.Mode().IsRegular() {
		w.problem(&Problem{File: path, Input: true, Reason: "not a regular file or folder"})
		return nil
	}
	return w.file(path, path)
}

// file reads the regular file path, given as an input or found in a folder
// (where id is its path relative to the folder), by what its name says it is.
func (w *walker) file(path, id string) error {
	k, comp := kindOfName(path)
	switch k {
	case kindJSONL:
		return w.jsonlFile(path, comp)
	case kindParquet:
		return w.parquetFile(path)
	case kindText:
		return w.textFile(path, id, kindText)
	case kindHTML:
		return w.textFile(path, id, kindHTML)
	case kindWARC:
		return w.warcFile(path)
	}
	w.problem(&Problem{File: path, Input: true, Reason: "not a supported kind of file (want a folder, text, .html, .jsonl[.gz|.zst], .parquet or .warc[.gz])"})
	return nil
}

// compression is how a JSONL stream is compressed.
type compression uint8

const (
	compNone compression = iota
	compGzip
	compZstd
)

// kindOfName says what a file is, by its name, whether it was given as an
// input or found in a folder. A compressed file that is not JSONL or WARC,
// or an archive, is kindNone: reading it as text would only make a "binary
// file" problem out of a user's mistake. A WARC's compression is found by
// its first bytes instead (warc.go), so .warc, .warc.gz, .warc.wet.gz and
// .wet.gz are all kindWARC.
func kindOfName(path string) (kind, compression) {
	name := strings.ToLower(filepath.Base(path))
	comp := compNone
	switch ext := filepath.Ext(name); ext {
	case ".gz", ".gzip":
		comp = compGzip
	case ".zst", ".zstd":
		comp = compZstd
	case ".bz2", ".xz", ".lz4", ".zip", ".tar", ".tgz", ".7z":
		return kindNone, compNone
	case ".parquet":
		return kindParquet, compNone
	case ".html", ".htm", ".xhtml":
		return kindHTML, compNone
	}
	if comp != compNone {
		name = strings.TrimSuffix(name, filepath.Ext(name))
	}
	switch filepath.Ext(name) {
	case ".jsonl", ".ndjson", ".json":
		return kindJSONL, comp
	case ".warc", ".wet":
		if comp != compZstd {
			return kindWARC, comp
		}
	}
	if comp != compNone {
		return kindNone, compNone
	}
	return kindText, compNone
}
