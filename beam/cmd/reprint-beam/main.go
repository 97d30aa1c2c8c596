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
// formats of `reprint pairs` and `reprint dedup`.
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
	"os"
	"strings"

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
)

func main() {
	flag.Parse()
	beam.Init()
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "reprint-beam:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	if *input == "" || *output == "" {
		return fmt.Errorf("--input and --output are required")
	}
	inputs, err := pipeline.ExpandInputs(ctx, strings.Split(*input, ","))
	if err != nil {
		return err
	}
	p, s := beam.NewPipelineWithRoot()
	err = pipeline.Build(s, pipeline.Options{
		Inputs: inputs, Output: *output,
		Threshold: *threshold, NGram: *ngram, Perm: *perm, Seed: *seed,
		Keep: *keep, Cluster: *mode, Rounds: *rounds,
	})
	if err != nil {
		return err
	}
	err = beamx.Run(ctx, p)
	return err
}
