// Package pipeline is the parallel, order-preserving pipeline every batch
// engine (near-duplicates, reuse, stories, repeats) runs its documents
// through, and the one problem counter they share.
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
//
// Costs: one goroutine scanning, N workers, and at most about 3N batches in
// flight (each at most BatchBytes of input); the collector runs on the
// caller's goroutine, so whatever it does is serial and should be cheap.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reprint/reprint/corpus"
)

// Source emits the jobs of a run in input order and reports unusable
// records and inputs. A source can be run more than once (engines that read
// their input twice do).
type Source func(ctx context.Context, emit func(Job) error, onProblem func(*corpus.Problem)) error

// Job is one record to decode, or one document already decoded.
type Job struct {
	Seq int // record number in the input, from 0
	Rec corpus.Record
	Doc *corpus.Doc // set for documents held in memory
}

// size is the job's input bytes.
func (j Job) size() int {
	if j.Doc != nil {
		return len(j.Doc.Text)
	}
	return j.Rec.Size()
}

// FromCorpus is the source of every record of c.
func FromCorpus(c *corpus.Corpus) Source {
	return func(ctx context.Context, emit func(Job) error, onProblem func(*corpus.Problem)) error {
		return c.Scan(ctx, func(r corpus.Record) error {
			return emit(Job{Seq: r.Seq, Rec: r})
		}, onProblem)
	}
}

// FromDocs is the source of documents held in memory.
func FromDocs(docs []corpus.Doc) Source {
	return func(ctx context.Context, emit func(Job) error, _ func(*corpus.Problem)) error {
		for i := range docs {
			if err := emit(Job{Seq: i, Doc: &docs[i]}); err != nil {
				return err
			}
		}
		return nil
	}
}

// Decoder returns the function that turns a job into a document; c may be
// nil when every job holds a document.
func Decoder(c *corpus.Corpus) func(Job) (corpus.Doc, error) {
	return func(j Job) (corpus.Doc, error) {
		if j.Doc != nil {
			return *j.Doc, nil
		}
		return c.Decode(j.Rec)
	}
}

// A batch closes at batchSize jobs or BatchBytes of input, whichever comes
// first (Ordered's maxBatch can lower the byte bound).
const (
	batchSize = 256
	// BatchBytes is the largest batch of input bytes a worker takes at once.
	BatchBytes = 1 << 20
)

// Stats describes the scan.
type Stats struct {
	Records int           // records read, good or bad
	Read    time.Duration // scanning, start to end
}

// Ordered runs the jobs of src through workers goroutines, each with the
// function newWorker gives it, and calls collect with every result in input
// order. progress, when set, hears the number of records read now and then.
func Ordered[T any](ctx context.Context, src Source, onProblem func(*corpus.Problem), workers, maxBatch int,
	newWorker func() func(Job) T, collect func(T), progress func(records int)) (Stats, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type batch struct {
		n    int
		jobs []Job
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

	var st Stats
	var scanErr error
	var records atomic.Int64
	scanDone := make(chan struct{})
	go func() {
		defer close(scanDone)
		t0 := time.Now()
		n, size := 0, 0
		cur := &batch{n: n}
		scanErr = src(ctx, func(j Job) error {
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
		st.Read = time.Since(t0)
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
	st.Records = int(records.Load())
	if scanErr != nil && !errors.Is(scanErr, context.Canceled) {
		return st, scanErr
	}
	if progress != nil {
		progress(st.Records)
	}
	return st, ctx.Err()
}

// Skips counts the records and inputs a run could not use. Every engine's
// Stats embeds it, so its fields appear at their top level in JSON.
type Skips struct {
	Skipped        int            `json:"skipped"`                   // records not used
	SkippedReasons map[string]int `json:"skipped_reasons,omitempty"` // by reason, up to its first colon
	InputErrors    int            `json:"input_errors"`              // inputs that could not be read at all
}

// Counter returns a problem handler, safe for concurrent use, that counts
// each problem in s and passes it on to next (when set).
func (s *Skips) Counter(next func(*corpus.Problem)) func(*corpus.Problem) {
	var mu sync.Mutex
	s.SkippedReasons = map[string]int{}
	return func(p *corpus.Problem) {
		mu.Lock()
		defer mu.Unlock()
		if p.Input {
			s.InputErrors++
		} else {
			s.Skipped++
			s.SkippedReasons[ReasonClass(p.Reason)]++
		}
		if next != nil {
			next(p)
		}
	}
}

// NoWords is the problem of a document without a single word.
func NoWords(j Job, d corpus.Doc) *corpus.Problem {
	return &corpus.Problem{File: j.Rec.File, Line: j.Rec.Line, Reason: fmt.Sprintf("no words: document %q has no letters or digits", d.ID)}
}

// DuplicateID is the problem of a record whose ID an earlier record had.
func DuplicateID(file string, line int, id string, firstSeq int) *corpus.Problem {
	return &corpus.Problem{File: file, Line: line, Reason: fmt.Sprintf("duplicate id: %q was already read as record %d; this record is skipped", id, firstSeq+1)}
}

// AsProblem turns a decoding error into the problem of record r.
func AsProblem(err error, r corpus.Record) *corpus.Problem {
	var p *corpus.Problem
	if errors.As(err, &p) {
		return p
	}
	return &corpus.Problem{File: r.File, Line: r.Line, Reason: err.Error()}
}

// ReasonClass is the kind of problem a reason describes, for counting and
// capping messages: the part before its first colon or parenthesis (where
// the record's own details start), with numbers that start a word (byte
// offsets, sizes) made "N", so that a thousand bad records make one line of the summary.
func ReasonClass(reason string) string {
	if i := strings.IndexAny(reason, ":("); i > 0 {
		reason = reason[:i]
	}
	var b strings.Builder
	digits, start := false, true // in a number; at the start of a word
	for _, r := range strings.TrimSpace(reason) {
		if r >= '0' && r <= '9' && (start || digits) {
			if !digits {
				b.WriteByte('N')
			}
			digits, start = true, false
			continue
		}
		digits, start = false, r == ' '
		b.WriteRune(r)
	}
	out := b.String()
	if len(out) > 48 {
		out = out[:48]
	}
	return out
}

// Progress is the work an engine has done so far.
type Progress struct {
	Docs  int   // records read
	Bytes int64 // input bytes read
}
