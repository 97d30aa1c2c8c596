// CopyDocs is Copy's companion for inputs whose text is not their bytes: it
// writes the kept documents as Decode gives them (the main text of a web
// page, the decoded payload of a WARC record), one JSON object a line with
// the default field names:
//
//	{"id":"https://…","text":"…","date":"2024-03-04","source":"site.example","url":"https://…","text_of":"extracted"}
//
// so "reprint dedup crawl.warc.gz" can hand over both the kept crawl (Copy)
// and the text that was compared (CopyDocs), and the JSONL reads back into
// reprint with the same IDs and offsets. Any inputs may be mixed, since the
// output is documents, not records.
//
// Decoding a page again costs what Scan's decoding cost (extraction is most
// of a crawl's time), so it runs on several goroutines; lines are written in
// record order whatever their number, through a window of at most 4 records
// a worker. Records that do not decode were reported by Scan and are left
// out. The file is written to a temp file beside out and renamed over it
// when complete, like Copy's; gzip or zstd when out ends in .gz or .zst.

package corpus

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// docLine is one line of CopyDocs' output.
type docLine struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	Date   string `json:"date,omitempty"`
	Source string `json:"source,omitempty"`
	URL    string `json:"url,omitempty"`
	TextOf string `json:"text_of,omitempty"`
}

// CopyDocs re-reads the inputs and writes the Doc of every record with
// keep(seq) true to out as JSONL, decoding on workers goroutines (at least
// one). It returns the number of documents written.
func (c *Corpus) CopyDocs(ctx context.Context, keep func(seq int) bool, out string, workers int) (int, error) {
	if c.closed {
		return 0, errors.New("corpus: CopyDocs after Close")
	}
	if out == "" {
		return 0, errors.New("corpus: no output path")
	}
	workers = max(workers, 1)
	if st, err := os.Stat(out); err == nil {
		if st.IsDir() {
			return 0, fmt.Errorf("corpus: output %s is a folder, want a file for JSONL", out)
		}
		for _, in := range c.inputs {
			if ist, err := os.Stat(in); err == nil && os.SameFile(st, ist) {
				return 0, fmt.Errorf("corpus: output %s is input %s; refusing to overwrite it", out, in)
			}
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp*")
	if err != nil {
		return 0, fmt.Errorf("corpus: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<20)
	var (
		w     io.Writer = bw
		flush           = func() error { return nil }
	)
	switch lower := strings.ToLower(out); {
	case strings.HasSuffix(lower, ".gz"):
		zw := gzip.NewWriter(bw)
		w, flush = zw, zw.Close
	case strings.HasSuffix(lower, ".zst"), strings.HasSuffix(lower, ".zstd"):
		zw, err := zstd.NewWriter(bw)
		if err != nil {
			return 0, fmt.Errorf("corpus: %w", err)
		}
		w, flush = zw, zw.Close
	}

	// Workers decode; the writer takes the slots in record order.
	type slot struct {
		r    Record
		line []byte
		done chan struct{}
	}
	jobs := make(chan *slot, workers)
	order := make(chan *slot, 4*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range jobs {
				if d, err := c.Decode(s.r); err == nil {
					s.line, _ = json.Marshal(docLine{d.ID, d.Text, d.Date, d.Source, d.URL, d.TextOf})
				}
				s.r = Record{} // the record's bytes are no longer needed
				close(s.done)
			}
		}()
	}
	var (
		written  int
		writeErr error
		wdone    = make(chan struct{})
	)
	go func() {
		defer close(wdone)
		for s := range order {
			<-s.done
			if s.line == nil || writeErr != nil {
				continue
			}
			if _, err := w.Write(append(s.line, '\n')); err != nil {
				writeErr = err
				continue
			}
			written++
		}
	}()
	werr := c.rewalk(ctx, func(r Record) error {
		if !keep(r.Seq) {
			return nil
		}
		s := &slot{r: r, done: make(chan struct{})}
		select {
		case order <- s:
		case <-ctx.Done():
			return ctx.Err()
		}
		jobs <- s
		return nil
	}, false)
	close(jobs)
	close(order)
	wg.Wait()
	<-wdone
	if werr != nil {
		return 0, werr
	}
	if writeErr != nil {
		return 0, fmt.Errorf("corpus: writing %s: %w", out, writeErr)
	}
	if err := flush(); err != nil {
		return 0, fmt.Errorf("corpus: writing %s: %w", out, err)
	}
	if err := bw.Flush(); err != nil {
		return 0, fmt.Errorf("corpus: writing %s: %w", out, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return 0, fmt.Errorf("corpus: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return 0, fmt.Errorf("corpus: writing %s: %w", out, err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return 0, fmt.Errorf("corpus: %w", err)
	}
	ok = true
	return written, nil
}
