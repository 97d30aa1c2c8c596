// Parquet: one row a record. The fields are top-level columns named like
// the JSONL fields (a dotted name such as "meta.date" reaches into a group);
// text, source and url are string (byte array) columns, id a string or
// integer column, date a string, DATE or TIMESTAMP column. Rows are read a
// batch at a time with parquet-go's row API and cloned one by one, so Scan
// holds one row group's read buffers, never the file.
//
// parquet-go trusts a file's metadata more than a reader of untrusted
// input should, and can panic on a corrupt file; every call into it while
// reading is guarded by recover, and a panic becomes an Input problem, like
// a read error. A file without the text or id column is an Input problem
// too: each of its rows would be the same record problem.
//
// Deliberately not done: no column projection (Copy writes whole rows, so
// Scan reads them whole), no Parquet inputs through stdin.

package corpus

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// parquetCols says where a file's fields are.
type parquetCols struct {
	idx  [numFields]int // leaf column index; -1 when the file has no such column
	node [numFields]parquet.Node
}

// guard runs f, turning a panic into an error.
func guard(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parquet-go failed: %v", r)
		}
	}()
	return f()
}

// openParquet opens the Parquet file at path. The caller closes the *os.File.
func openParquet(path string) (*os.File, *parquet.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	var pf *parquet.File
	err = guard(func() (err error) {
		pf, err = parquet.OpenFile(f, st.Size(), parquet.SkipBloomFilters(true))
		return err
	})
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("not a readable Parquet file: %v", err)
	}
	return f, pf, nil
}

// parquetColumns finds the fields named names in schema.
func parquetColumns(schema *parquet.Schema, names *[numFields]string) *parquetCols {
	cols := &parquetCols{}
	for i, name := range names {
		cols.idx[i] = -1
		leaf, ok := schema.Lookup(name)
		if !ok && strings.Contains(name, ".") {
			leaf, ok = schema.Lookup(strings.Split(name, ".")...)
		}
		if ok {
			cols.idx[i], cols.node[i] = leaf.ColumnIndex, leaf.Node
		}
	}
	return cols
}

func (w *walker) parquetFile(path string) error {
	f, pf, err := openParquet(path)
	if err != nil {
		w.problem(inputProblem(path, err))
		return nil
	}
	defer f.Close()
	cols := parquetColumns(pf.Schema(), &w.c.names)
	for _, i := range []int{fieldText, fieldID} {
		if cols.idx[i] < 0 {
			w.problem(&Problem{File: path, Input: true, Reason: fmt.Sprintf("no %q column", w.c.names[i])})
			return nil
		}
	}
	rowNum := 0
	for _, rg := range pf.RowGroups() {
		var rows parquet.Rows
		if err := guard(func() error { rows = rg.Rows(); return nil }); err != nil {
			w.problem(&Problem{File: path, Line: rowNum + 1, Input: true, Reason: err.Error()})
			return nil
		}
		stop, err := w.parquetRows(path, rows, cols, &rowNum, rg.NumRows())
		guard(rows.Close)
		if stop || err != nil {
			return err
		}
	}
	return nil
}

// parquetRows passes on the rows of one row group, which its metadata
// says holds want rows. stop says an Input problem ended the file; err
// ends the walk.
//
// A page header whose value count is corrupt makes parquet-go read more
// (or fewer) values of that column than the row group holds, and so rows
// made of that column alone; the row count in the metadata is what tells
// such a file from a sound one, so a row group that disagrees with it is
// corrupt data, not a run of record problems.
func (w *walker) parquetRows(path string, rows parquet.Rows, cols *parquetCols, rowNum *int, want int64) (stop bool, err error) {
	buf := make([]parquet.Row, 64)
	var got int64
	for {
		var n int
		rerr := guard(func() (err error) {
			n, err = rows.ReadRows(buf)
			return err
		})
		for _, row := range buf[:n] {
			if got++; got > want {
				w.problem(&Problem{File: path, Line: *rowNum + 1, Input: true, Reason: fmt.Sprintf("corrupt Parquet data: a row group holds more rows than the %d its metadata gives", want)})
				return true, nil
			}
			*rowNum++
			if size := int64(rowBytes(row)); size > w.c.max {
				w.problem(recordProblem(path, *rowNum, "row is %d bytes, more than the limit of %d", size, w.c.max))
				continue
			}
			r := Record{File: path, Line: *rowNum, kind: kindParquet, row: row.Clone(), cols: cols}
			if err := w.record(r); err != nil {
				return true, err
			}
		}
		if rerr == io.EOF {
			if got < want {
				w.problem(&Problem{File: path, Line: *rowNum + 1, Input: true, Reason: fmt.Sprintf("corrupt Parquet data: a row group ends after %d of the %d rows its metadata gives", got, want)})
				return true, nil
			}
			return false, nil
		}
		if rerr != nil {
			w.problem(&Problem{File: path, Line: *rowNum + 1, Input: true, Reason: "corrupt Parquet data: " + rerr.Error()})
			return true, nil
		}
	}
}

// rowBytes is a row's size: its byte arrays, and 8 bytes for other values.
func rowBytes(row parquet.Row) int {
	n := 0
	for _, v := range row {
		switch v.Kind() {
		case parquet.ByteArray, parquet.FixedLenByteArray:
			n += len(v.ByteArray())
		default:
			n += 8
		}
	}
	return n
}

// decodeParquet turns one row into a Doc.
func (c *Corpus) decodeParquet(r Record) (Doc, *Problem) {
	bad := func(format string, args ...any) (Doc, *Problem) {
		return Doc{}, recordProblem(r.File, r.Line, format, args...)
	}
	get := func(f int) (parquet.Value, bool) {
		col := r.cols.idx[f]
		if col < 0 {
			return parquet.Value{}, false
		}
		for _, v := range r.row {
			if v.Column() == col {
				return v, !v.IsNull()
			}
		}
		return parquet.Value{}, false
	}
	isBytes := func(v parquet.Value) bool {
		return v.Kind() == parquet.ByteArray || v.Kind() == parquet.FixedLenByteArray
	}
	var d Doc
	v, ok := get(fieldText)
	switch {
	case !ok:
		return bad("missing %q field", c.names[fieldText])
	case !isBytes(v):
		return bad("%q is not a string (got %s)", c.names[fieldText], v.Kind())
	case !utf8.Valid(v.ByteArray()):
		return bad("invalid UTF-8 in %q", c.names[fieldText])
	}
	d.Text = string(v.ByteArray())
	v, ok = get(fieldID)
	switch {
	case !ok:
		return bad("missing %q field", c.names[fieldID])
	case isBytes(v):
		d.ID = string(v.ByteArray())
	case v.Kind() == parquet.Int32 || v.Kind() == parquet.Int64:
		d.ID = strconv.FormatInt(v.Int64(), 10)
	default:
		return bad("%q is not a string or integer (got %s)", c.names[fieldID], v.Kind())
	}
	if d.ID == "" {
		return bad("empty %q", c.names[fieldID])
	}
	if !utf8.ValidString(d.ID) {
		// As in JSONL: an ID that JSON output would have to mangle (invalid
		// bytes become U+FFFD) could no longer be told from another.
		return bad("invalid UTF-8 in %q", c.names[fieldID])
	}
	if strings.TrimSpace(d.Text) == "" {
		return bad("empty document")
	}
	for _, f := range [...]struct {
		i   int
		dst *string
	}{{fieldSource, &d.Source}, {fieldURL, &d.URL}} {
		if v, ok := get(f.i); ok {
			if !isBytes(v) {
				return bad("%q is not a string (got %s)", c.names[f.i], v.Kind())
			}
			if !utf8.Valid(v.ByteArray()) {
				return bad("invalid UTF-8 in %q", c.names[f.i])
			}
			*f.dst = string(v.ByteArray())
		}
	}
	if v, ok := get(fieldDate); ok {
		day, err := parquetDate(v, r.cols.node[fieldDate])
		if err != "" {
			p := recordProblem(r.File, r.Line, "date does not parse, record kept undated: %s", err)
			p.Warning = true
			c.warn(p)
		}
		d.Date = day
	}
	return d, nil
}

// parquetDate reads a date from a string, DATE or TIMESTAMP value. A
// timestamp's day is taken in UTC, which is what Parquet stores.
func parquetDate(v parquet.Value, node parquet.Node) (string, string) {
	var lt *format.LogicalType
	if node != nil {
		lt = node.Type().LogicalType()
	}
	switch v.Kind() {
	case parquet.ByteArray, parquet.FixedLenByteArray:
		s := string(v.ByteArray())
		if s == "" {
			return "", ""
		}
		if day, ok := parseDate(s); ok {
			return day, ""
		}
		return "", fmt.Sprintf("%q (want YYYY-MM-DD, YYYY/MM/DD, RFC 3339 or RFC 1123)", clip(s, 40))
	case parquet.Int32:
		if lt != nil {
			if _, ok := lt.Value.(*format.DateType); ok {
				if day := time.Unix(int64(v.Int32())*86400, 0).UTC().Format(time.DateOnly); isDay(day) {
					return day, ""
				}
				return "", "date out of range"
			}
		}
	case parquet.Int64:
		if lt != nil {
			if ts, ok := lt.Value.(*format.TimestampType); ok {
				var t time.Time
				switch ts.Unit.Value.(type) {
				case *format.MilliSeconds:
					t = time.UnixMilli(v.Int64())
				case *format.MicroSeconds:
					t = time.UnixMicro(v.Int64())
				default:
					t = time.Unix(0, v.Int64())
				}
				if day := t.UTC().Format(time.DateOnly); isDay(day) {
					return day, ""
				}
				return "", "timestamp out of range"
			}
		}
	}
	return "", fmt.Sprintf("cannot parse a %s column as a date", v.Kind())
}
