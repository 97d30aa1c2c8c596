// Building the whole pipeline from Options.
//
//	inputs ─► hash (per file) ─► first IDs ─┬─► exact groups ─────────────┐
//	                                         ├─► band postings ─► buckets ─► candidates
//	                                         └─► sets ──────────► verify ◄─┘
//	verified edges + groups ─► pairs ─────────────────────► pairs.jsonl
//	                        └─► graph ─► greedy rounds | large/small-star
//	decisions + groups ─► clusters.jsonl, removed records ─► kept corpus
//
// Parameters are the CLI's: the same threshold, n-gram, signature length
// (minhash.DefaultK), banding (minhash.ChooseBanding) and seed, so every
// candidate the CLI finds is found here, and verification is exact in both.

package pipeline

import (
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/reprint/reprint/neardup"
)

// Options configures the pipeline. The zero value of each field but Inputs
// and Output means the CLI's default.
type Options struct {
	Inputs    []FileIn // from ExpandInputs
	Output    string   // output directory, local or on any Beam filesystem
	Threshold float64  // Jaccard threshold; 0 means 0.8
	NGram     int      // words per shingle; 0 means 5
	Perm      int      // signature length; 0 means minhash.DefaultK(Threshold)
	Seed      uint64
	Keep      string // KeepEarliest (default), KeepLongest or KeepFirst
	Cluster   string // "greedy" (default) or "components"
	Rounds    int    // unrolled clustering rounds; 0 means 8
	Fields    Fields // JSONL/Parquet field names, as the CLI's --id-field, --text-field, --date-field, --source-field
}

func (o Options) withDefaults() (Options, error) {
	// Threshold, shingle length and signature length follow the CLI's
	// rules exactly, so both choose the same banding.
	d, err := neardup.Options{Threshold: o.Threshold, NGram: o.NGram, Perm: o.Perm}.WithDefaults()
	if err != nil {
		return o, err
	}
	o.Threshold, o.NGram, o.Perm = d.Threshold, d.NGram, d.Perm
	switch o.Keep {
	case "":
		o.Keep = KeepEarliest
	case KeepEarliest, KeepLongest, KeepFirst:
	default:
		return o, fmt.Errorf("keep %q: want earliest, longest or first", o.Keep)
	}
	switch o.Cluster {
	case "":
		o.Cluster = "greedy"
	case "greedy", "components":
	default:
		return o, fmt.Errorf("cluster %q: want greedy or components", o.Cluster)
	}
	if o.Rounds == 0 {
		o.Rounds = 8
	}
	if o.Rounds < 0 {
		return o, fmt.Errorf("rounds %d: must not be negative", o.Rounds)
	}
	if len(o.Inputs) == 0 {
		return o, fmt.Errorf("no input")
	}
	if o.Output == "" {
		return o, fmt.Errorf("no output directory")
	}
	return o, nil
}

// Build adds the whole pipeline to s.
func Build(s beam.Scope, opt Options) error {
	opt, err := opt.withDefaults()
	if err != nil {
		return err
	}
	files := beam.CreateList(s.Scope("Inputs"), opt.Inputs)
	docs := beam.ParDo(s.Scope("Hash"), newHashFn(opt), beam.Reshuffle(s, files))
	docs = firstIDs(s, docs)

	gs := s.Scope("ExactGroups")
	groups := beam.ParDo(gs, &groupsFn{Keep: opt.Keep}, beam.GroupByKey(gs, beam.ParDo(gs, docMeta, docs)))

	cs := s.Scope("Candidates")
	cands := beam.ParDo(cs, bucketPairs, beam.GroupByKey(cs, beam.ParDo(cs, postings, docs)))
	sets := beam.ParDo(s.Scope("Sets"), docSet, docs)
	edges := verify(s.Scope("Verify"), sets, cands, opt.Threshold, true)

	pairs, graph := unfold(s, groups, edges)

	var decs beam.PCollection
	if opt.Cluster == "components" {
		decs = components(s, graph, sets, opt.Keep, opt.Rounds)
	} else {
		decs = greedy(s, graph, opt.Keep, opt.Rounds)
	}

	ws := s.Scope("Write")
	entries, recs := beam.ParDo2(ws, membersFn, beam.CoGroupByKey(ws, groups, decs))
	beam.ParDo0(ws, &writePairsFn{Dir: opt.Output}, beam.GroupByKey(ws, beam.ParDo(ws, toOnePair, pairs)))
	beam.ParDo0(ws, &writeClustersFn{Dir: opt.Output}, beam.GroupByKey(ws, beam.ParDo(ws, toOneEntry, entries)))
	beam.ParDo0(ws, &writeKeptFn{Dir: opt.Output, Fields: opt.Fields}, beam.CoGroupByKey(ws, beam.ParDo(ws, fileIndex, files), recs))
	return nil
}

// newHashFn is the hashing step for opt (with its defaults filled in): its
// parameters are those of the CLI's signing recipe for the same options.
func newHashFn(opt Options) *hashFn {
	r := neardup.Options{Threshold: opt.Threshold, NGram: opt.NGram, Perm: opt.Perm, Seed: opt.Seed}.Recipe()
	return &hashFn{NGram: r.NGram, Perm: r.Perm, Bands: r.Bands, Rows: r.Rows, Seed: r.Seed, Fields: opt.Fields}
}
