// reprint stories: which documents tell the same story, nested in topics,
// with the copies inside each story from the reuse engine.

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"time"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/internal/pipeline"
	"github.com/reprint/reprint/reuse"
	"github.com/reprint/reprint/stories"
	"github.com/spf13/cobra"
)

const storiesLong = `Group the documents that report the same event into stories, and stories
of the same kind into topics.

A story is the reports of one event: one happening, at one time, with the
same people or places, told by any number of outlets in their own words. A
topic is the wider subject: two earthquakes, or two celebrities entering
rehab five years apart, are one topic and two stories.

Each document becomes a weighted list of its content words (tf-idf; names,
numbers and dates count more); documents are taken in date order and each
joins the most similar story when the cosine reaches --threshold and its
date lies within --window days of the story's dates, or starts a new one.
Undated documents cluster by content alone. Nothing is downloaded: no
model, no word list; any script the tokenizer reads works.

Output, to stdout or -o FILE, one JSON object a story, every document in
exactly one story (a story of one document is a line too):

  {"story": "s1", "topic": "t1", "docs": [IDs in date order, undated last],
   "first": DATE, "last": DATE, "sources": [...], "terms": [defining words],
   "copies": [{"a": ID, "b": ID, "direction": "a->b", "words": N}, ...]}

copies are the passages documents of the story share (as reprint reuse
finds them: a, b, which way the text went by date, and the equal words of
their passages together): "001 had it first, 000 reprinted it".
--no-copies leaves them out and skips that work.

Dates come from the inputs (a date header, a JSONL or Parquet field) or a
--meta sidecar. The same inputs give the same stories whatever --workers and
whatever the order of the records.`

// storiesFlagNames maps the stories engine's option names to the flags
// that set them, for its range errors.
var storiesFlagNames = map[string]string{"threshold": "--threshold", "topic-threshold": "--topic-threshold", "passes": "--passes"}

func newStoriesCmd() *cobra.Command {
	var in inputFlags
	var out string
	var opt stories.Options
	var noCopies bool
	c := &cobra.Command{
		Use:   "stories [flags] INPUT...",
		Short: "Group documents that tell the same story, nested in topics, as JSONL",
		Long:  storiesLong,
		Example: `  reprint stories --meta testdata/news-meta.jsonl testdata/news
  reprint stories --window 7 feeds.jsonl.zst -o stories.jsonl
  reprint stories --no-copies --threshold 0.4 archive.parquet`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutputs(args, map[string]string{"-o": out}); err != nil {
				return err
			}
			if opt.Passes == 0 { // the engine would take 0 for its default
				return usageErr("--passes 0: must be at least 1")
			}
			opt.Workers = in.workers
			run, err := in.stories(cmd, args, opt, !noCopies)
			if err != nil {
				return err
			}
			if err := writeJSONL(cmd, out, run.result.Stories); err != nil {
				return err
			}
			run.summary(cmd.ErrOrStderr(), &in)
			return runExit(run.docs, run.records, run.skips.InputErrors, run.probs)
		},
	}
	in.register(c)
	fs := c.Flags()
	fs.Float64Var(&opt.Threshold, "threshold", stories.DefaultThreshold, "cosine between a document and a story at which the document joins it, in [0, 1]")
	fs.Float64Var(&opt.TopicThreshold, "topic-threshold", stories.DefaultTopicThreshold, "cosine between two stories at which they are one topic, in [0, 1]")
	fs.IntVar(&opt.Window, "window", stories.DefaultWindow, "days a dated document may lie outside a story's dates and still join it; negative: no window")
	fs.IntVar(&opt.Passes, "passes", stories.DefaultPasses, "single passes in date order, in [1, 8]: the first meets each day's documents densest first (most alike to their nearest others), which their texts decide, not IDs or input order; more add passes in orders of a salted hash of the texts, and their majority decides (slower, and no better on the labelled corpora)")
	fs.BoolVar(&noCopies, "no-copies", false, "leave out the copies inside each story (no passage alignment)")
	fs.StringVarP(&out, "output", "o", "", "write stories to this file instead of stdout")
	return c
}

// storiesRun is one run of the story engine over a command's inputs.
type storiesRun struct {
	result         stories.Result
	docs, records  int
	bytes          int64
	skips          pipeline.Skips
	probs          *problems
	wall           time.Duration
	copies, linked int // copy links kept; passages between two stories
}

// stories reads the inputs (through the reuse engine when copies are
// wanted, which also reports the records that cannot be used), clusters
// them, and fills each story's copies from the passages.
func (f *inputFlags) stories(cmd *cobra.Command, inputs []string, opt stories.Options, copies bool) (*storiesRun, error) {
	start := time.Now()
	run := &storiesRun{}
	var c *corpus.Corpus
	var meta map[string]corpus.Meta
	var passages []reuse.Passage
	if copies {
		r, err := f.reuse(cmd, inputs, reuse.Options{})
		if err != nil {
			return nil, err
		}
		c, meta, passages, run.probs = r.corpus, r.meta, r.result.Passages, r.probs
		run.skips = r.result.Stats.Skips
	} else {
		if len(inputs) == 0 {
			return nil, usageErr("no INPUT given; name a folder, a .jsonl/.parquet file, or - for stdin")
		}
		m, _, err := f.readMeta(cmd.ErrOrStderr())
		if err != nil {
			return nil, err
		}
		meta = m
		if c, err = f.open(cmd, inputs); err != nil {
			return nil, err
		}
		run.probs = &problems{w: cmd.ErrOrStderr(), quiet: f.quiet, strict: f.strict}
	}
	defer c.Close()
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	run.probs.cancel = cancel
	// The reuse pass already reported what cannot be used; without it, the
	// first of the story engine's two passes reports and counts.
	report := !copies
	var onProblem func(*corpus.Problem)
	if report {
		onProblem = run.skips.Counter(run.probs.handle)
	}
	scan, count := stories.ScanCorpus(ctx, c, meta, f.workers, onProblem)
	res, err := stories.BuildScan(scan, opt)
	if err := runError(ctx, run.probs, err, storiesFlagNames); err != nil {
		return nil, err
	}
	run.records, run.docs, run.bytes = count.Records, count.Docs, count.Bytes
	run.result = res
	run.copies, run.linked = stories.AddCopies(res.Stories, passages)
	run.wall = time.Since(start)
	return run, nil
}

// summary prints the run's summary on stderr, as text or JSON.
func (run *storiesRun) summary(w io.Writer, f *inputFlags) {
	if f.quiet {
		return
	}
	multi := 0
	for _, s := range run.result.Stories {
		if len(s.Docs) > 1 {
			multi++
		}
	}
	if f.jsonSummary {
		writeJSONSummary(w, map[string]any{"command": "stories", "documents": run.docs, "records": run.records,
			"skipped": run.skips.Skipped, "skipped_reasons": run.skips.SkippedReasons, "input_errors": run.skips.InputErrors,
			"stories": len(run.result.Stories), "stories_of_two_or_more": multi, "topics": len(run.result.Topics),
			"copies": run.copies, "passages_across_stories": run.linked, "wall_seconds": run.wall.Seconds(),
			"warnings": f.warnings.Load()}, nil)
		return
	}
	workers := f.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	summaryHead(w, "stories", run.docs, run.bytes, run.wall, workers, run.skips)
	f.warningsLine(w)
	fmt.Fprintf(w, "  %s (%d of two or more documents) in %s; %s inside stories",
		count(len(run.result.Stories), "story"), multi, count(len(run.result.Topics), "topic"), count(run.copies, "copy"))
	if run.linked > 0 {
		fmt.Fprintf(w, "; %s join documents of different stories", count(run.linked, "passage"))
	}
	fmt.Fprintln(w)
}
