package repeats

import (
	"runtime"

	"github.com/reprint/reprint/cluster"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/internal/errs"
	"github.com/reprint/reprint/internal/pipeline"
)

// DefaultMinWords is the shortest repeated span when Options.MinWords is 0:
// the 50 tokens of Lee et al.'s ExactSubstr, long enough that a repeat is
// copied text rather than a stock phrase.
const DefaultMinWords = 50

// Options controls the search for repeated spans. The zero value means the
// defaults.
type Options struct {
	MinWords int          // shortest span, in words; 0 means DefaultMinWords
	Keep     cluster.Keep // which occurrence stays; "" means cluster.KeepEarliest
	Workers  int          // 0 means all cores
	// Top is how many of the most repeated spans Result.Top can show with
	// their text; 0 means 10.
	Top int

	// MemLimit bounds the memory for the sorted windows; past it they are
	// spilled to temporary files in TmpDir and merged, with the same
	// results. 0 means no limit.
	MemLimit int64
	TmpDir   string // "" means the system's temporary directory

	// OnProblem, when set, hears of every record or input that could not be
	// used; it is called from one goroutine at a time.
	OnProblem func(*corpus.Problem)
	// Progress, when set, is called now and then during the first read.
	Progress func(Progress)
}

// Progress is the work done so far.
type Progress = pipeline.Progress

// WithDefaults returns o with the defaults filled in, or an error naming
// the first option out of range.
func (o Options) WithDefaults() (Options, error) {
	if o.MinWords == 0 {
		o.MinWords = DefaultMinWords
	}
	if o.MinWords < 2 || o.MinWords > 100000 {
		return o, errs.Option("min-words", o.MinWords, "must be between 2 and 100000")
	}
	k, err := cluster.ParseKeep(string(o.Keep))
	if err != nil {
		return o, errs.Option("keep", o.Keep, "must be earliest, longest or first")
	}
	o.Keep = k
	if o.MemLimit < 0 {
		return o, errs.Option("mem-limit", o.MemLimit, "must not be negative")
	}
	if o.Top == 0 {
		o.Top = 10
	}
	if o.Top < 0 {
		return o, errs.Option("top", o.Top, "must not be negative")
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o, nil
}
