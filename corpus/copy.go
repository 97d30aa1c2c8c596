// Copy is the second pass of "reprint dedup": it walks the inputs again with
// the same walker as Scan, so record numbers match, and writes the records
// the caller keeps in the inputs' own format:
//
//   - JSONL (files and stdin): each kept line byte for byte plus "\n", into
//     one file; gzip or zstd when out ends in .gz or .zst.
//   - text (folders and single text files): each kept document to
//     out/<ID>, bytes unchanged.
//   - Parquet: the kept rows, with the input's schema and compression.
//   - WARC: each kept record as stored, into one file: a gzip member stays
//     the same member when out ends in .gz (a plain record is compressed
//     into a member of its own), and is decompressed otherwise. A file that
//     is one gzip member for many records cannot be copied record by record
//     and is an error.
//
// Everything is checked before anything is written: the inputs must share
// one format (and Parquet inputs one schema), and out must not be an input,
// nor overlap an input folder. A JSONL or Parquet output is written to a temp
// file beside out and renamed over it only when complete, so a failed Copy
// leaves no half file. A text output never overwrites a file: a document
// whose out/<ID> exists is an error. If the inputs no longer hold as many
// records as the last complete Scan counted, they changed and record numbers
// no longer mean the same records; Copy says so.
//
// Deliberately not done: no format conversion (JSONL in, JSONL out), no
// merging of Parquet files with different schemas.

package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/parquet-go/parquet-go"
)

// copyPlan is what Copy found out about the inputs before writing.
type copyPlan struct {
	kind    kind
	files   []string // inputs that are files (for the overwrite check)
	folders []string // inputs that are folders
	schema  *parquet.Schema
	codec   parquet.WriterOption
}

// Copy re-reads the inputs and writes every record with keep(seq) true to
// out, in the inputs' format. It returns the number of records written.
func (c *Corpus) Copy(ctx context.Context, keep func(seq int) bool, out string) (written int, err error) {
	if c.closed {
		return 0, errors.New("corpus: Copy after Close")
	}
	if out == "" {
		return 0, errors.New("corpus: no output path")
	}
	plan, err := c.plan()
	if err != nil {
		return 0, err
	}
	switch plan.kind {
	case kindText:
		return c.copyText(ctx, keep, out, plan)
	case kindJSONL, kindParquet, kindWARC:
		return c.copyFile(ctx, keep, out, plan)
	}
	return 0, errors.New("corpus: nothing to copy: no input could be read")
}

// plan finds the inputs' common format. Inputs that cannot be read are left
// out, as Scan left them out. A folder's files count one by one, by name, as
// Scan reads them: a folder of JSONL shards is JSONL, a folder of text and
// HTML files is text (both are copied as files, bytes unchanged).
func (c *Corpus) plan() (*copyPlan, error) {
	plan := &copyPlan{}
	var first string // the input that set plan.kind, for messages
	type entry struct {
		path string
		kind kind
	}
	var entries []entry
	for _, in := range c.inputs {
		if in == "-" {
			entries = append(entries, entry{in, kindJSONL})
			continue
		}
		st, err := os.Stat(in)
		switch {
		case err != nil:
		case st.IsDir():
			plan.folders = append(plan.folders, in)
			w := &walker{c: c, ctx: context.Background(), problem: func(*Problem) {}}
			w.visit = func(path, _ string) error {
				k, _ := kindOfName(path)
				if k != kindText && k != kindHTML {
					plan.files = append(plan.files, path)
				}
				entries = append(entries, entry{path, k})
				return nil
			}
			w.folder(in)
		case st.Mode().IsRegular():
			k, _ := kindOfName(in)
			plan.files = append(plan.files, in)
			entries = append(entries, entry{in, k})
		}
	}
	for _, e := range entries {
		in, k := e.path, e.kind
		if k == kindHTML {
			k = kindText
		}
		if k == kindParquet {
			f, pf, err := openParquet(in)
			if err != nil {
				continue
			}
			schema := pf.Schema()
			codec := parquet.Compression(&parquet.Zstd)
			if rgs := pf.Metadata().RowGroups; len(rgs) > 0 && len(rgs[0].Columns) > 0 {
				if cc := parquet.LookupCompressionCodec(rgs[0].Columns[0].MetaData.Codec); cc != nil {
					codec = parquet.Compression(cc)
				}
			}
			f.Close()
			if plan.schema == nil {
				plan.schema, plan.codec = schema, codec
			} else if !parquet.EqualNodes(plan.schema, schema) {
				return nil, fmt.Errorf("corpus: -o cannot hold mixed formats: %s and %s are Parquet files with different schemas", first, in)
			}
		}
		switch {
		case k == kindNone:
		case plan.kind == kindNone:
			plan.kind, first = k, in
		case k != plan.kind:
			return nil, fmt.Errorf("corpus: -o cannot hold mixed formats: %s is %s, %s is %s", first, describeKind(plan.kind), in, describeKind(k))
		}
	}
	return plan, nil
}

// copyFile writes JSONL or Parquet to the file out.
func (c *Corpus) copyFile(ctx context.Context, keep func(int) bool, out string, plan *copyPlan) (int, error) {
	o, err := createOut(out, plan.files, describeKind(plan.kind), plan.kind == kindJSONL)
	if err != nil {
		return 0, err
	}
	defer o.abort()
	w := o.W
	flush := func() error { return nil }
	gzOut := strings.HasSuffix(strings.ToLower(out), ".gz")
	var pw *parquet.Writer
	if plan.kind == kindParquet {
		pw = parquet.NewWriter(w, plan.schema, plan.codec)
		flush = pw.Close
	}
	written := 0
	emit := func(r Record) error {
		if !keep(r.Seq) {
			return nil
		}
		written++
		switch {
		case r.kind == kindJSONL && plan.kind == kindJSONL:
			if _, err := w.Write(r.raw); err != nil {
				return err
			}
			_, err := w.Write([]byte{'\n'})
			return err
		case r.kind == kindWARC && plan.kind == kindWARC:
			return writeWARCRecord(w, r.stored, gzOut)
		case r.kind == kindParquet && pw != nil:
			return guard(func() error {
				_, err := pw.WriteRows([]parquet.Row{r.row})
				return err
			})
		}
		return fmt.Errorf("%s: a %v record in a %v copy", r.File, r.kind, plan.kind) // the plan saw other inputs
	}
	if err := c.copyWalk(ctx, emit); err != nil {
		return 0, err
	}
	if err := o.commit(func() error { return guard(flush) }); err != nil {
		return 0, err
	}
	return written, nil
}

// copyText writes each kept text document to out/<ID>.
func (c *Corpus) copyText(ctx context.Context, keep func(int) bool, out string, plan *copyPlan) (int, error) {
	o, err := c.createOutFolder(out, plan)
	if err != nil {
		return 0, err
	}
	defer o.abort()
	written := 0
	emit := func(r Record) error {
		if !keep(r.Seq) {
			return nil
		}
		if r.kind != kindText && r.kind != kindHTML {
			return fmt.Errorf("%s: a %v record in a text copy", r.File, r.kind) // the plan saw other inputs
		}
		if err := o.write(r.id, r.id, r.raw); err != nil {
			return err
		}
		written++
		return nil
	}
	if err := c.copyWalk(ctx, emit); err != nil {
		return 0, err
	}
	if err := o.commit(); err != nil {
		return 0, err
	}
	return written, nil
}

// checkTextOut refuses an output folder that already holds something,
// unless Options.ReplaceOutput says to replace it.
func (c *Corpus) checkTextOut(out string) error {
	ents, err := os.ReadDir(out)
	if err == nil && len(ents) > 0 && !c.replaceOut {
		return fmt.Errorf("corpus: output folder %s is not empty; name a new folder, or replace it (--force)", out)
	}
	return nil
}

// copyWalk walks the inputs for Copy. Problems were reported by Scan and are
// not reported again.
func (c *Corpus) copyWalk(ctx context.Context, emit func(Record) error) error {
	return c.rewalk(ctx, emit, true)
}

// rewalk walks the inputs again, as Copy and CopyDocs do; copying makes
// WARC records carry their stored bytes.
func (c *Corpus) rewalk(ctx context.Context, emit func(Record) error, copying bool) error {
	n, err := c.walk(ctx, emit, func(*Problem) {}, false, copying)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		return fmt.Errorf("corpus: copy: %w", err)
	}
	if c.scanned >= 0 && n != c.scanned {
		return fmt.Errorf("corpus: copy: the inputs now hold %d records, Scan found %d; they changed in between", n, c.scanned)
	}
	return nil
}

// realPath is path made absolute, with symbolic links resolved as far as the
// path exists.
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	rest := ""
	for dir := abs; ; dir = filepath.Dir(dir) {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(real, rest), nil
		}
		if filepath.Dir(dir) == dir {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(dir), rest)
	}
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}

// writeWARCRecord writes one WARC record's stored bytes (a gzip member or a
// plain record) to w, as a gzip member when gz is set, else plain.
func writeWARCRecord(w io.Writer, stored []byte, gz bool) error {
	isGz := len(stored) > 1 && stored[0] == 0x1f && stored[1] == 0x8b
	switch {
	case isGz == gz:
		_, err := w.Write(stored)
		return err
	case gz:
		zw := gzip.NewWriter(w)
		if _, err := zw.Write(stored); err != nil {
			return err
		}
		return zw.Close()
	}
	zr, err := gzip.NewReader(bytes.NewReader(stored))
	if err != nil {
		return err
	}
	_, err = io.Copy(w, zr)
	return err
}
