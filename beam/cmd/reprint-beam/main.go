// Command reprint-beam runs reprint's near-duplicate search as an Apache
// Beam pipeline: locally on the prism runner (the default), against a
// prism job server, or on Flink, Spark or Dataflow through Beam's portable
// runners (see beam/README.md for the flags of each).
//
//	reprint-beam --input corpus.jsonl --output out/
//	reprint-beam --input 'gs://b/crawl-*.jsonl.zst' --output gs://b/dedup \
//	    --runner dataflow --project P --region R --staging_location gs://b/staging
//
// It writes out/pairs.jsonl, out/clusters.jsonl and the kept corpus, in the
// formats of `reprint pairs` and `reprint dedup`, and ends with a summary
// on stderr (documents, skipped records, pairs, clusters, wall time, MB/s)
// from the job's counters; --json prints it as one JSON object.
//
// Every input is checked before the job starts: a missing file, a folder or
// a glob that matches nothing stops it at once, naming the file. Exit
// codes are the CLI's: 0 done; 1 a failed job or output; 2 bad flags; 3 an
// input that cannot be read (before the job, or during it), or a job in
// which no document could be used.
//
// Beam owns the global flag set (--runner, --endpoint, --job_name, ...) and
// workers re-run this binary with --worker, so main parses flags and calls
// beam.Init before anything else; the pipeline is built only in the
// launching process.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx" // registers every runner (prism by default) and the local and gcs filesystems

	"github.com/reprint/reprint/beam/pipeline"
)

var (
	input     = flag.String("input", "", "input files, comma-separated; globs allowed; local or any Beam filesystem (gs://...)")
	output    = flag.String("output", "", "output directory for pairs.jsonl, clusters.jsonl and the kept corpus")
	threshold = flag.Float64("threshold", 0.8, "Jaccard threshold")
	ngram     = flag.Int("ngram", 5, "words per shingle")
	perm      = flag.Int("perm", 0, "signature length (0: the CLI's default for the threshold)")
	seed      = flag.Uint64("seed", 0, "hash seed")
	keep      = flag.String("keep", "earliest", "which document of a cluster stays: earliest, longest or first")
	mode      = flag.String("cluster", "greedy", "greedy (clusters do not chain, as the CLI) or components (transitive)")
	rounds    = flag.Int("rounds", 8, "clustering rounds unrolled in the pipeline; what is left after them finishes on one worker")

	// The CLI's field flags, with its names, defaults and help texts.
	idField     = flag.String("id-field", "id", "JSONL/Parquet field holding the document ID")
	textField   = flag.String("text-field", "text", "JSONL/Parquet field holding the text")
	dateField   = flag.String("date-field", "date", "JSONL/Parquet field holding the date (YYYY-MM-DD or RFC 3339)")
	sourceField = flag.String("source-field", "source", "JSONL/Parquet field holding the source (outlet, site)")

	jsonSummary = flag.Bool("json", false, "print the summary on stderr as one JSON object")
	quiet       = flag.Bool("quiet", false, "print nothing on stderr but errors")
)

// Exit codes, as the CLI's.
const (
	exitFailure = 1 // a failed job, or an output that cannot be written
	exitUsage   = 2 // bad flags
	exitInput   = 3 // an input could not be read, or no document could be used
)

// exitError carries an exit code out of run.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func main() {
	flag.Parse()
	beam.Init()
	if err := run(context.Background(), os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "reprint-beam:", err)
		if e, ok := err.(*exitError); ok {
			os.Exit(e.code)
		}
		os.Exit(exitFailure)
	}
}

// run checks the inputs, builds and runs the job, and prints its summary
// on stderr.
func run(ctx context.Context, stderr io.Writer) error {
	if *input == "" || *output == "" {
		return &exitError{code: exitUsage, err: fmt.Errorf("--input and --output are required")}
	}
	inputs, err := pipeline.ExpandInputs(ctx, strings.Split(*input, ","))
	if err != nil {
		return &exitError{code: exitInput, err: err}
	}
	fields := pipeline.Fields{ID: *idField, Text: *textField, Date: *dateField, Source: *sourceField}
	p, s := beam.NewPipelineWithRoot()
	err = pipeline.Build(s, pipeline.Options{
		Inputs: inputs, Output: *output,
		Threshold: *threshold, NGram: *ngram, Perm: *perm, Seed: *seed,
		Keep: *keep, Cluster: *mode, Rounds: *rounds, Fields: fields,
	})
	if err != nil {
		return &exitError{code: exitUsage, err: err} // an option out of range
	}
	start := time.Now()
	res, err := beamx.RunWithMetrics(ctx, p)
	if err != nil {
		return err
	}
	wall := time.Since(start)
	sum := pipeline.Summarize(res)
	if !*quiet {
		if *jsonSummary {
			sum.WriteJSON(stderr, wall)
		} else {
			sum.WriteText(stderr, wall)
		}
	}
	if err := sum.Err(fields); err != nil {
		return &exitError{code: exitInput, err: err}
	}
	return nil
}
