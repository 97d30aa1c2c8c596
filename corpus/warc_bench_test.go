package corpus

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
)

// benchCrawl writes a generated crawl of pages responses (each after its
// request record, every fifth page the article of an earlier one under the
// other template) as a .warc.gz of one gzip member a record, like crawlers
// write, and returns its path.
func benchCrawl(b *testing.B, pages int) string {
	w := &warcWriter{gzip: true}
	w.add("warcinfo", "", "application/warc-fields", []byte("software: reprint-bench\r\n"), 0)
	for i := range pages {
		seed := uint64(i)
		if i%5 == 4 {
			seed = uint64(i - 3)
		}
		uri := fmt.Sprintf("https://site%d.example/story/%d", i%7, i)
		page := templateA(fmt.Sprintf("Story %d", seed), article(seed, 8))
		if i%2 == 1 {
			page = templateB(fmt.Sprintf("Story %d", seed), article(seed, 8))
		}
		w.request(uri)
		w.response(uri, "200 OK", "text/html; charset=utf-8", []byte(page), 0)
	}
	p := filepath.Join(b.TempDir(), "bench.warc.gz")
	if keep := os.Getenv("REPRINT_BENCH_CRAWL"); keep != "" {
		p = keep // to run the command on the same bytes
	}
	if err := os.WriteFile(p, w.buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	if out := os.Getenv("REPRINT_BENCH_TEXT"); out != "" {
		writeExtracted(b, p, out)
	}
	return p
}

// writeExtracted writes the documents of a crawl as JSONL, so that the
// command can be timed on the extracted text alone.
func writeExtracted(b *testing.B, crawl, out string) {
	c, _ := Open([]string{crawl}, Options{})
	var buf bytes.Buffer
	err := c.Scan(context.Background(), func(r Record) error {
		d, err := c.Decode(r)
		if err != nil {
			return err
		}
		line, _ := json.Marshal(map[string]string{"id": d.ID, "text": d.Text, "date": d.Date, "source": d.Source, "url": d.URL})
		buf.Write(append(line, '\n'))
		return nil
	}, nil)
	if err == nil {
		err = os.WriteFile(out, buf.Bytes(), 0o644)
	}
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkWARC reads a generated crawl of 2,000 pages (REPRINT_BENCH_CRAWL
// and REPRINT_BENCH_TEXT keep the crawl, and its extracted documents as
// JSONL, at the paths they name). MB/s is of the
// .warc.gz file's bytes; text-MB/s of the extracted text. Sub-benchmarks:
// gunzip (the physical floor: inflate the members, nothing else), scan
// (framing, HTTP headers, payloads: Scan's sequential share), raw (Scan
// and Decode with HTML kept as markup: everything but extraction),
// extract-1 and extract-2 (Scan and Decode with extraction on one and on
// two decoding goroutines, as the CLI's workers run it), and
// extract-1-nofallback (trafilatura without its readability and DOM
// Distiller fallback).
func BenchmarkWARC(b *testing.B) {
	path := benchCrawl(b, 2000)
	st, _ := os.Stat(path)
	size := st.Size()
	b.Run("gunzip", func(b *testing.B) {
		b.SetBytes(size)
		cpu0 := cpuTime()
		for b.Loop() {
			f, _ := os.Open(path)
			zr, _ := gzip.NewReader(f)
			io.Copy(io.Discard, zr)
			f.Close()
		}
		b.ReportMetric(float64(size)/1e6/((cpuTime()-cpu0).Seconds()/float64(b.N)), "MB/cpu-s")
	})
	b.Run("scan", func(b *testing.B) {
		c, _ := Open([]string{path}, Options{})
		b.SetBytes(size)
		cpu0 := cpuTime()
		for b.Loop() {
			if err := c.Scan(context.Background(), func(Record) error { return nil }, func(p *Problem) { b.Fatal(p) }); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(size)/1e6/((cpuTime()-cpu0).Seconds()/float64(b.N)), "MB/cpu-s")
	})
	decode := func(b *testing.B, opt Options, workers int) {
		c, _ := Open([]string{path}, opt)
		b.SetBytes(size)
		var text int64
		cpu0 := cpuTime()
		for b.Loop() {
			text = 0
			recs := make(chan Record, 64)
			var mu sync.Mutex
			var wg sync.WaitGroup
			for range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n := 0
					for r := range recs {
						d, err := c.Decode(r)
						if err != nil {
							b.Error(err)
						}
						n += len(d.Text)
					}
					mu.Lock()
					text += int64(n)
					mu.Unlock()
				}()
			}
			err := c.Scan(context.Background(), func(r Record) error { recs <- r; return nil }, func(p *Problem) { b.Error(p) })
			close(recs)
			wg.Wait()
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(text)/1e6/(b.Elapsed().Seconds()/float64(b.N)), "text-MB/s")
		// CPU time (all threads, GC included) is what the machine's other
		// load disturbs least: MB of WARC per CPU second.
		if cpu := (cpuTime() - cpu0).Seconds() / float64(b.N); cpu > 0 {
			b.ReportMetric(float64(size)/1e6/cpu, "MB/cpu-s")
			b.ReportMetric(float64(text)/1e6/cpu, "text-MB/cpu-s")
		}
	}
	b.Run("raw", func(b *testing.B) { decode(b, Options{HTML: HTMLRaw}, 1) })
	b.Run("extract-1", func(b *testing.B) { decode(b, Options{}, 1) })
	b.Run("extract-2", func(b *testing.B) { decode(b, Options{}, 2) })
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
