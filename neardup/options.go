package neardup

import (
	"runtime"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/internal/errs"
	"github.com/reprint/reprint/internal/pipeline"
	"github.com/reprint/reprint/minhash"
)

// Options controls near-duplicate detection. The zero value means the
// defaults.
type Options struct {
	Threshold float64 // Jaccard threshold; 0 means 0.8
	NGram     int     // words per shingle; 0 means 5
	Perm      int     // signature length; 0 means minhash.DefaultK(Threshold)
	Seed      uint64  // hash seed
	Workers   int     // 0 means all cores

	// MemLimit bounds the memory for LSH postings and shingle sets; past
	// it they are spilled to temporary files in TmpDir and merged, with
	// the same results. 0 means no limit.
	MemLimit int64
	TmpDir   string // "" means the system's temporary directory

	// OnProblem, when set, hears of every record or input that could not be
	// used; it is called from one goroutine at a time.
	OnProblem func(*corpus.Problem)
	// Progress, when set, is called now and then with the work done so far.
	Progress func(Progress)
}

// Progress is the work done so far.
type Progress = pipeline.Progress

// WithDefaults returns o with the defaults filled in, or an error naming
// the first option out of range. Pipelines built on the same packages (the
// Beam module) call it to get the CLI's exact parameters.
func (o Options) WithDefaults() (Options, error) {
	if o.Threshold == 0 {
		o.Threshold = 0.8
	}
	if o.Threshold <= 0 || o.Threshold > 1 {
		return o, errs.Option("threshold", o.Threshold, "must be in (0, 1]")
	}
	if o.NGram == 0 {
		o.NGram = 5
	}
	if o.NGram < 1 || o.NGram > 64 {
		return o, errs.Option("ngram", o.NGram, "must be between 1 and 64")
	}
	if o.Perm == 0 {
		o.Perm = minhash.DefaultK(o.Threshold)
	}
	if o.Perm < 8 || o.Perm > 4096 {
		return o, errs.Option("perm", o.Perm, "must be between 8 and 4096")
	}
	if o.MemLimit < 0 {
		return o, errs.Option("mem-limit", o.MemLimit, "must not be negative")
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o, nil
}

// Recipe is the signing recipe of options with their defaults filled in
// (WithDefaults): the one the index and the Beam pipeline use for the same
// parameters.
func (o Options) Recipe() *minhash.Recipe {
	return minhash.NewRecipe(o.Threshold, o.NGram, o.Perm, o.Seed, minhash.Banding{})
}
