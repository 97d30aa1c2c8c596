// The parallel, order-preserving pipeline that detection and reuse share.
//
//	scan (1 goroutine) ─► batches of jobs (raw records, or documents in memory)
//	workers (N)        ─► one result per job, each worker with its own state
//	collector (caller) ─► results in input order
//
// Decoding runs on the workers, not the scanner, so JSON parsing scales
// with cores instead of capping the pipeline. Batches carry a sequence
// number and the collector restores input order, so whatever the collector
// numbers or builds does not depend on scheduling. A batch closes at
// batchSize jobs or maxBatch bytes, so the work in flight stays bounded
// for long documents as well as short ones.

package reprint

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reprint/reprint/corpus"
)

// source emits the jobs of a run in input order and reports unusable
// records and inputs.
type source func(ctx context.Context, emit func(job) error, onProblem func(*corpus.Problem)) error

// job is one record to decode, or one document already decoded.
type job struct {
	seq int
	rec corpus.Record
	doc *corpus.Doc
}

// size is the job's input bytes.
func (j job) size() int {
	if j.doc != nil {
		return len(j.doc.Text)
	}
	return j.rec.Size()
}

// decoder returns the function that turns a job into a document.
func decoder(c *corpus.Corpus) func(job) (corpus.Doc, error) {
	return func(j job) (corpus.Doc, error) {
		if j.doc != nil {
			return *j.doc, nil
		}
		return c.Decode(j.rec)
	}
}

// A batch closes at batchSize jobs or batchBytes of input, whichever comes
// first (ordered's maxBatch can lower the byte bound).
const (
	batchSize  = 256
	batchBytes = 1 << 20
)

// pipelineStats describes the scan.
type pipelineStats struct {
	records int
	read    time.Duration // scanning, start to end
}

// ordered runs the jobs of src through workers goroutines, each with the
// function newWorker gives it, and calls collect with every result in input
// order. progress, when set, hears the number of records read now and then.
func ordered[T any](ctx context.Context, src source, onProblem func(*corpus.Problem), workers, maxBatch int,
	newWorker func() func(job) T, collect func(T), progress func(records int)) (pipelineStats, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type batch struct {
		n    int
		jobs []job
		res  []T
	}
	work := make(chan *batch, workers)
	done := make(chan *batch, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			do := newWorker()
			for b := range work {
				b.res = make([]T, len(b.jobs))
				for i, j := range b.jobs {
					b.res[i] = do(j)
				}
				b.jobs = nil
				done <- b
			}
		}()
	}

	var st pipelineStats
	var scanErr error
	var records atomic.Int64
	scanDone := make(chan struct{})
	go func() {
		defer close(scanDone)
		t0 := time.Now()
		n, size := 0, 0
		cur := &batch{n: n}
		scanErr = src(ctx, func(j job) error {
			records.Add(1)
			cur.jobs = append(cur.jobs, j)
			size += j.size()
			if len(cur.jobs) == batchSize || size >= maxBatch {
				select {
				case work <- cur:
				case <-ctx.Done():
					return ctx.Err()
				}
				n, size = n+1, 0
				cur = &batch{n: n}
			}
			return nil
		}, onProblem)
		if len(cur.jobs) > 0 {
			select {
			case work <- cur:
			case <-ctx.Done():
			}
		}
		close(work)
		st.read = time.Since(t0)
	}()
	go func() { wg.Wait(); close(done) }()

	pending := map[int]*batch{}
	next := 0
	last := time.Now()
	for b := range done {
		pending[b.n] = b
		for {
			b, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			for _, r := range b.res {
				collect(r)
			}
		}
		if progress != nil && time.Since(last) > 200*time.Millisecond {
			progress(int(records.Load()))
			last = time.Now()
		}
	}
	<-scanDone
	st.records = int(records.Load())
	if scanErr != nil && !errors.Is(scanErr, context.Canceled) {
		return st, scanErr
	}
	if progress != nil {
		progress(st.records)
	}
	return st, ctx.Err()
}

// Skips counts the records and inputs a run could not use. Stats and
// ReuseStats embed it, so its fields appear at their top level in JSON.
type Skips struct {
	Skipped        int            `json:"skipped"`                   // records not used
	SkippedReasons map[string]int `json:"skipped_reasons,omitempty"` // by reason, up to its first colon
	InputErrors    int            `json:"input_errors"`              // inputs that could not be read at all
}

// counter returns a problem handler, safe for concurrent use, that counts
// each problem in s and passes it on to next (when set).
func (s *Skips) counter(next func(*corpus.Problem)) func(*corpus.Problem) {
	var mu sync.Mutex
	s.SkippedReasons = map[string]int{}
	return func(p *corpus.Problem) {
		mu.Lock()
		defer mu.Unlock()
		if p.Input {
			s.InputErrors++
		} else {
			s.Skipped++
			s.SkippedReasons[reasonClass(p.Reason)]++
		}
		if next != nil {
			next(p)
		}
	}
}
