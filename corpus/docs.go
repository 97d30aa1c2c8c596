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
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
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
	o, err := createOut(out, c.inputs, "JSONL", true)
	if err != nil {
		return 0, err
	}
	defer o.abort()
	w := o.W

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
	if err := o.commit(nil); err != nil {
		return 0, err
	}
	return written, nil
}
