// Package pipeline is reprint's near-duplicate search as an Apache Beam
// pipeline, for corpora that one machine cannot hold: the same
// tokenization, shingles, MinHash signatures and banding as the CLI (from
// the core packages token and minhash), exact verification of every
// candidate, and the CLI's keep/remove decisions, computed in rounds
// inside the pipeline rather than with a central union-find.
//
// Outputs, in the output directory: pairs.jsonl and clusters.jsonl,
// byte-identical to `reprint pairs` and `reprint dedup --clusters` on the
// same input, and the kept corpus (kept.jsonl, or kept-NNNNN<ext> per input
// when there are several), the input's records byte for byte minus the
// removed ones.
//
//	inputs, _ := pipeline.ExpandInputs(ctx, []string{"gs://bucket/crawl-*.jsonl.zst"})
//	p, s := beam.NewPipelineWithRoot()
//	err := pipeline.Build(s, pipeline.Options{Inputs: inputs, Output: "gs://bucket/dedup"})
//	start := time.Now()
//	res, err := beamx.RunWithMetrics(ctx, p)
//	pipeline.Summarize(res).WriteText(os.Stderr, time.Since(start))
//
// The stages and their costs are described in each file's opening
// comment: read.go (reading and hashing), candidates.go (exact groups,
// banding, verification), expand.go (pairs), greedy.go and components.go
// (clustering), write.go (outputs), summary.go (the end-of-run summary,
// from the job's counters).
package pipeline
