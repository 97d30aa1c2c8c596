// Rewrite is the second pass of "reprint repeats -o": like Copy it walks the
// inputs again (same record numbers) and writes them in their own format,
// but it lets the caller change each document's text, or drop it:
//
//   - JSONL: only the text field's value changes; the rest of the line
//     (other fields, their order, spacing and escapes) stays byte for
//     byte. The new value is written as the shortest JSON string
//     (jsontext.AppendQuote). gzip or zstd when out ends in .gz or .zst.
//   - text (folders and single text files): out/<ID> holds the new text.
//     An HTML file's text is its extracted main text; a changed one is
//     written as out/<ID>.txt, since it is no longer the page.
//   - Parquet: the row with the text column's value replaced, in the
//     input's schema and compression.
//
// Records that did not decode (the problems Scan reported) and records
// the caller leaves alone are written unchanged. The same checks as Copy
// come first (one format, out not an input), JSONL and Parquet go through a
// temp file renamed over out when complete, and a text output never
// overwrites a file. WARC is refused: a record's payload is HTTP and HTML
// whose text is extracted, so there is no field to put the new text in.
//
// Costs: Copy's, plus one decode of every record (the caller needs the
// text) and, for a changed JSONL line, one pass of the JSON tokenizer to
// find the text field.

package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/parquet-go/parquet-go"
)

// Edit says what becomes of one document in Rewrite: its new text (the
// same string to leave it alone) and whether it is written at all.
type Edit func(seq int, d Doc) (text string, keep bool)

// RewriteStats counts what Rewrite did.
type RewriteStats struct {
	Written int   // records written
	Changed int   // of them, with a new text
	Dropped int   // records left out (keep false)
	Removed int64 // text bytes taken out: of the changed records, and the whole text of the dropped ones
}

// Rewrite re-reads the inputs and writes every record to out, in the
// inputs' format, with the text edit gives it; records edit does not keep
// are left out.
func (c *Corpus) Rewrite(ctx context.Context, edit Edit, out string) (RewriteStats, error) {
	var st RewriteStats
	if c.closed {
		return st, errors.New("corpus: Rewrite after Close")
	}
	if out == "" {
		return st, errors.New("corpus: no output path")
	}
	plan, err := c.plan()
	if err != nil {
		return st, err
	}
	switch plan.kind {
	case kindText:
		return c.rewriteText(ctx, edit, out, plan)
	case kindJSONL, kindParquet:
		return c.rewriteFile(ctx, edit, out, plan)
	case kindWARC:
		return st, errors.New("corpus: WARC input cannot be rewritten with new texts (its records are HTTP payloads); convert it to JSONL first")
	}
	return st, errors.New("corpus: nothing to rewrite: no input could be read")
}

// edited decodes r and asks edit about it: the new text, whether it
// changed, and whether r is written. Records that do not decode are
// written unchanged.
func (c *Corpus) edited(r Record, edit Edit, st *RewriteStats) (text string, changed, keep bool) {
	d, err := c.Decode(r)
	if err != nil {
		st.Written++
		return "", false, true
	}
	text, keep = edit(r.Seq, d)
	if !keep {
		st.Dropped++
		st.Removed += int64(len(d.Text))
		return "", false, false
	}
	st.Written++
	if text == d.Text {
		return "", false, true
	}
	st.Changed++
	st.Removed += int64(len(d.Text) - len(text))
	return text, true, true
}

// rewriteFile writes JSONL or Parquet to the file out.
func (c *Corpus) rewriteFile(ctx context.Context, edit Edit, out string, plan *copyPlan) (RewriteStats, error) {
	var st RewriteStats
	o, err := createOut(out, plan.files, describeKind(plan.kind), plan.kind == kindJSONL)
	if err != nil {
		return st, err
	}
	defer o.abort()
	w := o.W
	flush := func() error { return nil }
	var pw *parquet.Writer
	if plan.kind == kindParquet {
		pw = parquet.NewWriter(w, plan.schema, plan.codec)
		flush = pw.Close
	}
	emit := func(r Record) error {
		text, changed, keep := c.edited(r, edit, &st)
		if !keep {
			return nil
		}
		switch {
		case r.kind == kindJSONL && plan.kind == kindJSONL:
			line := r.raw
			if changed {
				var err error
				if line, err = replaceJSONField(r.raw, c.names[fieldText], text); err != nil {
					return fmt.Errorf("%s:%d: %w", r.File, r.Line, err)
				}
			}
			if _, err := w.Write(line); err != nil {
				return err
			}
			_, err := w.Write([]byte{'\n'})
			return err
		case r.kind == kindParquet && pw != nil:
			row := r.row
			if changed {
				var err error
				if row, err = replaceParquetText(r, text); err != nil {
					return fmt.Errorf("%s: row %d: %w", r.File, r.Line, err)
				}
			}
			return guard(func() error {
				_, err := pw.WriteRows([]parquet.Row{row})
				return err
			})
		}
		return fmt.Errorf("%s: a %v record in a %v rewrite", r.File, r.kind, plan.kind)
	}
	if err := c.copyWalk(ctx, emit); err != nil {
		return st, err
	}
	if err := o.commit(func() error { return guard(flush) }); err != nil {
		return st, err
	}
	return st, nil
}

// replaceJSONField returns line with the value of its top-level member
// name (the last one, as decoding takes the last) replaced by the JSON
// string of text.
func replaceJSONField(line []byte, name, text string) ([]byte, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(line), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return nil, fmt.Errorf("not a JSON object")
	}
	start, end := -1, -1
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, err
		}
		if tok.String() != name {
			if err := dec.SkipValue(); err != nil {
				return nil, err
			}
			continue
		}
		v, err := dec.ReadValue()
		if err != nil {
			return nil, err
		}
		end = int(dec.InputOffset())
		start = end - len(v)
	}
	if start < 0 {
		return nil, fmt.Errorf("no %q field", name)
	}
	q, err := jsontext.AppendQuote(nil, text)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(line)-(end-start)+len(q))
	return append(append(append(out, line[:start]...), q...), line[end:]...), nil
}

// replaceParquetText returns r's row with its text column's value set to
// text.
func replaceParquetText(r Record, text string) (parquet.Row, error) {
	col := r.cols.idx[fieldText]
	row := r.row.Clone()
	for i, v := range row {
		if v.Column() == col {
			if v.Kind() != parquet.ByteArray {
				return nil, fmt.Errorf("text column is %s, not a variable-length string; cannot change its length", v.Kind())
			}
			row[i] = parquet.ByteArrayValue([]byte(text)).Level(v.RepetitionLevel(), v.DefinitionLevel(), col)
			return row, nil
		}
	}
	return nil, errors.New("no text column in the row")
}

// rewriteText writes each kept text document to out/<ID>.
func (c *Corpus) rewriteText(ctx context.Context, edit Edit, out string, plan *copyPlan) (RewriteStats, error) {
	var st RewriteStats
	o, err := c.createOutFolder(out, plan)
	if err != nil {
		return st, err
	}
	defer o.abort()
	emit := func(r Record) error {
		if r.kind != kindText && r.kind != kindHTML {
			return fmt.Errorf("%s: a %v record in a text rewrite", r.File, r.kind)
		}
		text, changed, keep := c.edited(r, edit, &st)
		if !keep {
			return nil
		}
		data, rel := r.raw, r.id
		if changed {
			data = []byte(text)
			if r.kind == kindHTML {
				rel += ".txt"
			}
		}
		return o.write(r.id, rel, data)
	}
	if err := c.copyWalk(ctx, emit); err != nil {
		return st, err
	}
	return st, o.commit()
}
