// One way to write an output file: checked against the inputs, written to
// a temporary file beside it through a buffer (and a gzip or zstd encoder
// when its name asks for one), and renamed into place only when complete,
// so a failed or interrupted write leaves neither a truncated file nor a
// stray temporary one. Copy, CopyDocs and Rewrite all write this way.

package corpus

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/reprint/reprint/internal/atomicfile"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// outFile is an output being written. W is where the bytes go.
type outFile struct {
	W     io.Writer
	out   string
	tmp   *atomicfile.File
	bw    *bufio.Writer
	flush func() error // closes the encoder, if any
}

// createOut starts writing out, refusing a folder and any of inputs; what
// names the format for the message ("JSONL", "Parquet"). compress follows
// out's .gz or .zst ending.
func createOut(out string, inputs []string, what string, compress bool) (*outFile, error) {
	if st, err := os.Stat(out); err == nil {
		if st.IsDir() {
			return nil, fmt.Errorf("corpus: output %s is a folder, want a file for %s", out, what)
		}
		for _, in := range inputs {
			if ist, err := os.Stat(in); err == nil && os.SameFile(st, ist) {
				return nil, fmt.Errorf("corpus: output %s is input %s; refusing to overwrite it", out, in)
			}
		}
	}
	tmp, err := atomicfile.Create(out)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	o := &outFile{out: out, tmp: tmp, bw: bufio.NewWriterSize(tmp, 1<<20), flush: func() error { return nil }}
	o.W = o.bw
	if compress {
		switch lower := strings.ToLower(out); {
		case strings.HasSuffix(lower, ".gz"):
			zw := gzip.NewWriter(o.bw)
			o.W, o.flush = zw, zw.Close
		case strings.HasSuffix(lower, ".zst"), strings.HasSuffix(lower, ".zstd"):
			zw, err := zstd.NewWriter(o.bw)
			if err != nil {
				o.abort()
				return nil, fmt.Errorf("corpus: %w", err)
			}
			o.W, o.flush = zw, zw.Close
		}
	}
	return o, nil
}

// commit finishes the file and puts it in place; finish is called first
// (to close a Parquet writer, say) and may be nil. After an error the
// temporary file is gone.
func (o *outFile) commit(finish func() error) error {
	err := func() error {
		if finish != nil {
			if err := finish(); err != nil {
				return err
			}
		}
		if err := o.flush(); err != nil {
			return err
		}
		return o.bw.Flush()
	}()
	if err != nil {
		o.abort()
		return fmt.Errorf("corpus: writing %s: %w", o.out, err)
	}
	if err := o.tmp.Commit(); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	return nil
}

// abort removes what was written; it does nothing after commit.
func (o *outFile) abort() { o.tmp.Abort() }

// outFolder is a folder of text documents being written: checked against
// the input folders, filled in a temporary folder beside it, and renamed
// into place only when complete (replacing an existing one only with
// Options.ReplaceOutput, and only then), so a failed or interrupted write
// leaves nothing behind. Copy and Rewrite of text folders write this way.
type outFolder struct {
	final, tmp string
	done       bool
}

// createOutFolder starts writing the folder out for plan's inputs.
func (c *Corpus) createOutFolder(out string, plan *copyPlan) (*outFolder, error) {
	if st, err := os.Stat(out); err == nil && !st.IsDir() {
		return nil, fmt.Errorf("corpus: output %s is a file, want a folder for text documents", out)
	}
	absOut, err := realPath(out)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	for _, in := range plan.folders {
		absIn, err := realPath(in)
		if err != nil {
			return nil, fmt.Errorf("corpus: %w", err)
		}
		if within(absOut, absIn) || within(absIn, absOut) {
			return nil, fmt.Errorf("corpus: output folder %s overlaps input folder %s", out, in)
		}
	}
	if err := c.checkTextOut(out); err != nil {
		return nil, err
	}
	parent := filepath.Dir(filepath.Clean(out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".tmp*")
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	return &outFolder{final: out, tmp: tmp}, nil
}

// write puts data at rel, the document ID as a path, in the folder; two
// documents at one path are an error, not an overwrite.
func (o *outFolder) write(id, rel string, data []byte) error {
	rel = filepath.FromSlash(rel)
	if !filepath.IsLocal(rel) {
		rel = filepath.Base(rel) // a single file given by an absolute or ../ path
	}
	dst := filepath.Join(o.tmp, rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists (two documents with ID %q); not overwriting it", filepath.Join(o.final, rel), id)
	}
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	return werr
}

// commit puts the complete folder in place: an existing one (allowed by
// createOutFolder) goes only once the new one is there.
func (o *outFolder) commit() error {
	if err := os.Chmod(o.tmp, 0o755); err != nil { // MkdirTemp made it private
		o.abort()
		return fmt.Errorf("corpus: %w", err)
	}
	if _, err := os.Stat(o.final); err == nil {
		old := o.tmp + ".old"
		if err := os.Rename(o.final, old); err != nil {
			o.abort()
			return fmt.Errorf("corpus: %w", err)
		}
		if err := os.Rename(o.tmp, o.final); err != nil {
			os.Rename(old, o.final)
			o.abort()
			return fmt.Errorf("corpus: %w", err)
		}
		os.RemoveAll(old)
	} else if err := os.Rename(o.tmp, o.final); err != nil {
		o.abort()
		return fmt.Errorf("corpus: %w", err)
	}
	o.done = true
	return nil
}

// abort removes what was written; it does nothing after commit.
func (o *outFolder) abort() {
	if !o.done {
		o.done = true
		os.RemoveAll(o.tmp)
	}
}
