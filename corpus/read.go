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
	n, err := c.walk(ctx, fn, onProblem)
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
	seq     int
}

// walk makes one pass and returns the number of records it passed on.
func (c *Corpus) walk(ctx context.Context, emit func(Record) error, problem func(*Problem)) (int, error) {
	w := &walker{c: c, ctx: ctx, emit: emit, problem: problem}
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
	k, comp := kindOfName(path)
	switch k {
	case kindJSONL:
		return w.jsonlFile(path, comp)
	case kindParquet:
		return w.parquetFile(path)
	case kindText:
		return w.textFile(path, path)
	}
	w.problem(&Problem{File: path, Input: true, Reason: "not a supported kind of file (want a folder, text, .jsonl[.gz|.zst] or .parquet)"})
	return nil
}

// compression is how a JSONL stream is compressed.
type compression uint8

const (
	compNone compression = iota
	compGzip
	compZstd
)

// kindOfName says what a file given as an input is, by its name. A
// compressed file that is not JSONL, or an archive, is kindNone: reading it
// as text would only make a "binary file" problem out of a user's mistake.
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
	}
	if comp != compNone {
		name = strings.TrimSuffix(name, filepath.Ext(name))
	}
	switch filepath.Ext(name) {
	case ".jsonl", ".ndjson", ".json":
		return kindJSONL, comp
	}
	if comp != compNone {
		return kindNone, compNone
	}
	return kindText, compNone
}
