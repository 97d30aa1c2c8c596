// One way to write an output file: checked against the inputs, written to
// a temporary file beside it through a buffer (and a gzip or zstd encoder
// when its name asks for one), and renamed into place only when complete,
// so a failed or interrupted write leaves neither a truncated file nor a
// stray temporary one. Copy, CopyDocs and Rewrite all write this way.

package corpus

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// outFile is an output being written. W is where the bytes go.
type outFile struct {
	W     io.Writer
	out   string
	tmp   *os.File
	bw    *bufio.Writer
	flush func() error // closes the encoder, if any
	done  bool
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
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp*")
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
		if err := o.bw.Flush(); err != nil {
			return err
		}
		if err := o.tmp.Chmod(0o644); err != nil { // CreateTemp made it private
			return err
		}
		return o.tmp.Close()
	}()
	if err == nil {
		err = os.Rename(o.tmp.Name(), o.out)
	}
	if err != nil {
		o.abort()
		return fmt.Errorf("corpus: writing %s: %w", o.out, err)
	}
	o.done = true
	return nil
}

// abort removes what was written; it does nothing after commit.
func (o *outFile) abort() {
	if !o.done {
		o.done = true
		o.tmp.Close()
		os.Remove(o.tmp.Name())
	}
}
