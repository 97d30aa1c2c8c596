// Writing corpora and truth: JSONL (plain, gzip or zstd by file name), a
// folder of .txt files, and the truth as JSONL records.
//
// Compression uses github.com/klauspost/compress. Text files carry their
// date in the leading " date YYYY-MM-DD " header that the corpus package
// reads, so their byte offsets are those of Doc.Text plus the header's 17
// bytes; the truth's spans are always relative to Doc.Text.

package gen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/reprint/reprint/internal/atomicfile"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// DateHeader is the length of the " date YYYY-MM-DD " header WriteDir puts
// before each text.
const DateHeader = len(" date 2006-01-02 ")

// JSONLWriter writes documents as JSON lines
// {"id":..,"text":..,"date":..,"source":..}.
type JSONLWriter struct {
	bw  *bufio.Writer
	enc *json.Encoder
}

// NewJSONLWriter returns a JSONLWriter on w. Call Flush when done.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &JSONLWriter{bw: bw, enc: enc}
}

// Write writes one document.
func (j *JSONLWriter) Write(d Doc) error { return j.enc.Encode(d) }

// Flush flushes buffered output.
func (j *JSONLWriter) Flush() error { return j.bw.Flush() }

// WriteJSONL generates the corpus cfg describes into w as JSONL.
func WriteJSONL(w io.Writer, cfg Config) (Truth, error) {
	jw := NewJSONLWriter(w)
	t, err := Generate(cfg, jw.Write)
	if err != nil {
		return t, err
	}
	return t, jw.Flush()
}

// WriteFile generates the corpus cfg describes into the JSONL file path
// (compressed as Create says), and closes it; on error nothing is left
// at path.
func WriteFile(path string, cfg Config) (Truth, error) {
	f, err := Create(path)
	if err != nil {
		return Truth{}, err
	}
	t, err := WriteJSONL(f, cfg)
	if err != nil {
		f.Abort()
		return t, err
	}
	return t, f.Close()
}

// WriteDir generates the corpus cfg describes into dir, one ID.txt file per
// document, each starting with the " date YYYY-MM-DD " header.
func WriteDir(dir string, cfg Config) (Truth, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Truth{}, err
	}
	return Generate(cfg, func(d Doc) error {
		return atomicfile.WriteFile(filepath.Join(dir, d.ID+".txt"), []byte(" date "+d.Date+" "+d.Text))
	})
}

// Output is a generated file being written: compressed with gzip when its
// name ends in .gz and with zstd when it ends in .zst, put in place whole
// by Close (atomicfile), or dropped by Abort.
type Output struct {
	w    io.Writer
	zw   io.Closer // the compressor, if any
	file *atomicfile.File
}

// Create starts writing the file path; "-" is standard output.
func Create(path string) (*Output, error) {
	o := &Output{w: os.Stdout}
	if path != "-" {
		f, err := atomicfile.Create(path)
		if err != nil {
			return nil, err
		}
		o.w, o.file = f, f
	}
	switch {
	case strings.HasSuffix(path, ".gz"):
		zw := gzip.NewWriter(o.w)
		o.w, o.zw = zw, zw
	case strings.HasSuffix(path, ".zst"):
		zw, err := zstd.NewWriter(o.w)
		if err != nil {
			o.Abort()
			return nil, err
		}
		o.w, o.zw = zw, zw
	}
	return o, nil
}

// Write writes compressed, if the name asks for it.
func (o *Output) Write(p []byte) (int, error) { return o.w.Write(p) }

// Close closes the compressor and puts the file in place.
func (o *Output) Close() error {
	var err error
	if o.zw != nil {
		err = o.zw.Close()
	}
	if o.file == nil {
		return err
	}
	if err != nil {
		o.file.Abort()
		return err
	}
	return o.file.Commit()
}

// Abort drops the file; after Close it does nothing.
func (o *Output) Abort() {
	if o.file != nil {
		o.file.Abort()
	}
}

// WriteTruth writes t as JSONL: one {"kind":"config"} record, then one
// record per family, exact duplicate and passage, each with a "kind" of
// "family", "exact" or "passage".
func WriteTruth(w io.Writer, t Truth) error {
	bw := bufio.NewWriter(w)
	rec := func(kind string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(bw, "{\"kind\":%q,%s\n", kind, b[1:]); err != nil {
			return err
		}
		return nil
	}
	if err := rec("config", t.Config); err != nil {
		return err
	}
	for _, f := range t.Families {
		if err := rec("family", f); err != nil {
			return err
		}
	}
	for _, e := range t.Exact {
		if err := rec("exact", e); err != nil {
			return err
		}
	}
	for _, p := range t.Passages {
		if err := rec("passage", p); err != nil {
			return err
		}
	}
	return bw.Flush()
}
