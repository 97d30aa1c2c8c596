// Standard input can be read only once, but Copy (and a second Scan) must
// read it again. So the first pass copies every byte it reads from stdin to
// a temp file (the spool) as it goes, and later passes read the spool. If a
// pass stops early (its callback failed, the context ended), the spool holds
// a prefix; the next pass reads that prefix and then carries on from stdin,
// still spooling. The spool holds the bytes as they came, compressed or not,
// so it is never larger than the input.
//
// Stdin is JSONL. It has no name to say whether it is compressed, so its
// first bytes are sniffed for the gzip and zstd magic numbers.
//
// A command that reads its input once (Options.OnePass) reads standard
// input as it comes and spools nothing.
//
// Deliberately not done: no in-memory spool for small inputs (one code path,
// and the OS page cache makes a small temp file cheap).

package corpus

import (
	"bufio"
	"bytes"
	"io"
	"os"
)

// spool is standard input as read so far.
type spool struct {
	f    *os.File
	n    int64 // bytes in f
	done bool  // stdin reached its end; f holds all of it
	src  io.Reader
	err  error // the first error writing f
}

// stdinJSONL reads "-".
func (w *walker) stdinJSONL() error {
	if w.c.onePass {
		w.c.stdinN++
		if w.c.stdinN > 1 {
			w.problem(&Problem{File: stdinName, Input: true, Reason: "standard input was already read (this command reads it once)"})
			return nil
		}
		br := bufio.NewReaderSize(w.c.stdin, readBufSize)
		if err := w.jsonl(stdinName, br, sniff(br)); err != nil {
			return err
		}
		return nil
	}
	if w.c.spool == nil {
		f, err := os.CreateTemp(w.c.tmpDir, "reprint-stdin-*.jsonl")
		if err != nil {
			w.problem(&Problem{File: stdinName, Input: true, Reason: "cannot spool standard input: " + err.Error()})
			return nil
		}
		w.c.spool = &spool{f: f, src: w.c.stdin}
	}
	sp := w.c.spool
	br := bufio.NewReaderSize(sp.reader(), readBufSize)
	if err := w.jsonl(stdinName, br, sniff(br)); err != nil {
		return err
	}
	// Spool what the decoder did not need (a stream's trailing bytes, or
	// everything after a corrupt point), so the next pass sees the same input.
	io.Copy(io.Discard, br)
	if sp.err != nil {
		w.problem(&Problem{File: stdinName, Input: true, Reason: "cannot spool standard input: " + sp.err.Error()})
	}
	return nil
}

// sniff tells a compressed stream by its magic number.
func sniff(br *bufio.Reader) compression {
	magic, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		return compGzip
	case bytes.Equal(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return compZstd
	}
	return compNone
}

// reader reads the spool and then, if stdin has more, stdin while spooling it.
func (s *spool) reader() io.Reader {
	prefix := io.NewSectionReader(s.f, 0, s.n)
	if s.done {
		return prefix
	}
	return io.MultiReader(prefix, &teeReader{s})
}

// teeReader reads stdin and appends what it read to the spool.
type teeReader struct{ s *spool }

func (t *teeReader) Read(p []byte) (int, error) {
	s := t.s
	n, err := s.src.Read(p)
	if n > 0 && s.err == nil {
		if _, werr := s.f.WriteAt(p[:n], s.n); werr != nil {
			s.err = werr
		} else {
			s.n += int64(n)
		}
	}
	if err == io.EOF && s.err == nil {
		s.done = true
	}
	return n, err
}

func (s *spool) remove() error {
	s.f.Close()
	return os.Remove(s.f.Name())
}
