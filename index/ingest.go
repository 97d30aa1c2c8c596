// Ingesting a corpus: read, decode and commit in batches, with read-ahead
// and cancellation.
//
//	Source.Scan (1 goroutine) ─► decode (Workers, in parallel) ─► in input order:
//	    problems reported, metadata applied ─► batch ─► Writer.Add (analysis on
//	    all cores, one synced commit) ─► next batch
//
// Decoding runs on the shared ordered pipeline (internal/pipeline), so it
// scales with cores and the documents reach the index in input order, which
// makes "the later of two records with one ID wins" hold whatever the
// number of workers. While one batch is analysed and committed, the
// pipeline reads and decodes ahead, at most a few pipeline batches per
// worker. Into an *Index, two batches are in flight (Index.StartAdd): the
// next one is analysed while the last one's story pass and commit run,
// and they still commit in input order (add.go); memory stays bounded by
// three times BatchBytes plus the read-ahead. Into any other Writer the
// batches go one after another.
//
// Cancellation: Ingest checks its context before every commit, so a
// cancelled ingest ends after the commit in progress (a batch in flight
// behind it is not committed); what was committed stays (every commit is
// synced) and the returned stats count exactly that. An error from the
// writer ends the ingest at once and nothing of the failing batch, nor of
// the one behind it, is added.
//
// Not done: retrying a batch after a storage error (a full disk is not
// transient enough to retry blindly).

package index

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/internal/pipeline"
)

// Source is what Ingest reads: *corpus.Corpus is one.
type Source interface {
	Scan(ctx context.Context, fn func(corpus.Record) error, onProblem func(*corpus.Problem)) error
	Decode(r corpus.Record) (corpus.Doc, error)
}

// IngestOptions say how Ingest batches and reports.
type IngestOptions struct {
	BatchDocs  int                    // documents per synced commit; 0 means 2000
	BatchBytes int                    // text bytes per commit at most; 0 means 32 MiB
	Workers    int                    // decoding goroutines; 0 means all cores
	Meta       map[string]corpus.Meta // metadata applied by document ID (a --meta sidecar)
	// OnProblem hears of every record or input that could not be used and
	// of every document the index rejected (too large, bad ID), with its
	// file and line. It may be called from two goroutines at once.
	OnProblem func(*corpus.Problem)
	// Progress, when set, hears of the records read now and then.
	Progress func(pipeline.Progress)
}

// IngestStats count what an ingest did; after an error or a cancellation
// they count what was committed before it.
type IngestStats struct {
	Records  int   `json:"records"`  // records read, good or bad
	Added    int   `json:"added"`    // documents new to the index
	Replaced int   `json:"replaced"` // documents that replaced one with the same ID
	Rejected int   `json:"rejected"` // documents the index refused (see OnProblem)
	Bytes    int64 `json:"bytes"`    // text bytes committed
	Commits  int   `json:"commits"`  // synced commits
	pipeline.Skips
}

// Ingest reads every document of src and adds it to w, in batches of
// opt.BatchDocs documents, each one synced commit. It returns when src is
// exhausted, ctx is cancelled (then with context.Cause(ctx)), or w fails.
func Ingest(ctx context.Context, w Writer, src Source, opt IngestOptions) (IngestStats, error) {
	if opt.BatchDocs <= 0 {
		opt.BatchDocs = 2000
	}
	if opt.BatchBytes <= 0 {
		opt.BatchBytes = 32 << 20
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	var st IngestStats
	report := st.Skips.Counter(opt.OnProblem)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	type item struct {
		doc  corpus.Doc
		rec  corpus.Record
		prob *corpus.Problem
	}
	type pendingDoc struct {
		file string
		line int
	}
	var batch []Doc
	var where []pendingDoc
	batchBytes := 0
	var werr error
	// account counts one batch's results.
	account := func(batch []Doc, where []pendingDoc, res []AddResult) {
		st.Commits++
		for i, r := range res {
			switch r.Status {
			case StatusAdded:
				st.Added++
				st.Bytes += int64(len(batch[i].Text))
			case StatusReplaced:
				st.Replaced++
				st.Bytes += int64(len(batch[i].Text))
			default:
				st.Rejected++
				if opt.OnProblem != nil {
					opt.OnProblem(&corpus.Problem{File: where[i].file, Line: where[i].line,
						Reason: fmt.Sprintf("rejected by the index: %q: %s", r.ID, r.Error)})
				}
			}
		}
	}
	// An *Index takes the next batch while the last one commits (see
	// add.go): at most two are in flight, waited for in order.
	ix, _ := w.(*Index)
	type flight struct {
		p     *PendingAdd
		batch []Doc
		where []pendingDoc
	}
	var inflight []flight
	land := func() {
		f := inflight[0]
		inflight = inflight[1:]
		res, err := f.p.Wait()
		if err != nil {
			if werr == nil {
				werr = err
				cancel(err)
			}
			return
		}
		account(f.batch, f.where, res)
	}
	commit := func() {
		if len(batch) == 0 || werr != nil {
			return
		}
		// A cancelled ingest ends after the commit in progress.
		if ctx.Err() != nil {
			return
		}
		if ix == nil {
			res, err := w.Add(batch)
			if err != nil {
				werr = err
				cancel(err)
				return
			}
			account(batch, where, res)
			batch, where, batchBytes = nil, nil, 0
			return
		}
		var prev *PendingAdd
		if len(inflight) > 0 {
			prev = inflight[len(inflight)-1].p
		}
		// At its commit turn, a batch is not committed when the one before
		// it failed or the ingest was cancelled meanwhile.
		abort := func() error {
			if prev != nil {
				if _, err := prev.Wait(); err != nil {
					return fmt.Errorf("index: an earlier batch failed: %w", err)
				}
			}
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			return nil
		}
		inflight = append(inflight, flight{ix.startAdd(batch, abort), batch, where})
		batch, where, batchBytes = nil, nil, 0
		if len(inflight) == 2 {
			land()
		}
	}
	scan := func(ctx context.Context, emit func(pipeline.Job) error, onProblem func(*corpus.Problem)) error {
		return src.Scan(ctx, func(r corpus.Record) error {
			return emit(pipeline.Job{Seq: r.Seq, Rec: r})
		}, onProblem)
	}
	decode := func() func(pipeline.Job) item {
		return func(j pipeline.Job) item {
			d, err := src.Decode(j.Rec)
			if err != nil {
				return item{prob: pipeline.AsProblem(err, j.Rec)}
			}
			return item{doc: d, rec: j.Rec}
		}
	}
	collect := func(it item) {
		if werr != nil || ctx.Err() != nil {
			return // draining after the end
		}
		if it.prob != nil {
			report(it.prob)
			return
		}
		if m, ok := opt.Meta[it.doc.ID]; ok {
			m.Apply(&it.doc)
		}
		batch = append(batch, it.doc)
		where = append(where, pendingDoc{it.rec.File, it.rec.Line})
		batchBytes += len(it.doc.Text)
		if len(batch) >= opt.BatchDocs || batchBytes >= opt.BatchBytes {
			commit()
		}
	}
	var progress func(int)
	if opt.Progress != nil {
		progress = func(n int) { opt.Progress(pipeline.Progress{Docs: n}) }
	}
	pst, err := pipeline.Ordered(ctx, scan, report, opt.Workers, pipeline.BatchBytes, decode, collect, progress)
	st.Records = pst.Records
	if err == nil {
		commit()
	}
	for len(inflight) > 0 {
		land()
	}
	switch {
	case werr != nil:
		return st, werr
	case ctx.Err() != nil:
		return st, context.Cause(ctx)
	case err != nil && !errors.Is(err, context.Canceled):
		return st, err
	}
	return st, nil
}
