// The end-of-run summary, from the job's metrics.
//
// The pipeline's steps count what they read, skip and write in Beam
// counters (namespace "reprint"; skipped records also by reason, in
// "reprint/skipped"). A runner sums each counter over its workers and
// steps; after the job, Summarize adds them up per name into a Summary that
// reads like the CLI's: documents, text bytes, skipped records with their
// reasons, unreadable inputs, warnings, pairs, clusters and removed
// documents, wall time and MB/s. Counters are Beam's committed values where
// the runner reports them (work of retried bundles is then counted once),
// else the attempted ones. Cost: one pass over the job's metrics.

package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/metrics"
)

const (
	counterNamespace = "reprint"
	skipNamespace    = "reprint/skipped"
)

// Summary is what a run read, skipped and wrote, as the CLI's summary
// reports it. Its JSON names are those of the CLI's --json stats.
type Summary struct {
	Documents      int64            `json:"documents"` // documents hashed (records that could be used)
	Bytes          int64            `json:"bytes"`     // text bytes read (those of records skipped for a repeated ID too, as the CLI counts)
	Skipped        int64            `json:"skipped"`   // records not used (bad records, no words, repeated IDs)
	SkippedReasons map[string]int64 `json:"skipped_reasons,omitempty"`
	InputErrors    int64            `json:"input_errors"` // inputs that could not be read at all
	Warnings       int64            `json:"warnings"`     // records kept with something dropped (a date that does not parse)
	Pairs          int64            `json:"pairs"`        // lines of pairs.jsonl
	Clusters       int64            `json:"clusters"`     // lines of clusters.jsonl
	Removed        int64            `json:"removed"`      // documents left out of the kept corpus
	// Metrics is false when the runner returned no metrics; the counts
	// are then zero and unknown.
	Metrics bool `json:"metrics"`
}

// Summarize reads the pipeline's counters from a finished job's result;
// res may be nil (a runner that returns none).
func Summarize(res beam.PipelineResult) Summary {
	s := Summary{SkippedReasons: map[string]int64{}}
	if res == nil {
		return s
	}
	s.Metrics = true
	named := map[string]*int64{
		"documents": &s.Documents, "bytes": &s.Bytes, "skipped_records": &s.Skipped,
		"input_errors": &s.InputErrors, "warnings": &s.Warnings,
		"pairs": &s.Pairs, "clusters": &s.Clusters, "removed": &s.Removed,
	}
	for _, c := range res.Metrics().Query(func(r metrics.SingleResult) bool {
		return r.Namespace() == counterNamespace || r.Namespace() == skipNamespace
	}).Counters() {
		// One counter appears once per step that updates it: sum them.
		if c.Namespace() == skipNamespace {
			s.SkippedReasons[c.Name()] += c.Result()
		} else if p := named[c.Name()]; p != nil {
			*p += c.Result()
		}
	}
	return s
}

// MBPerS is the text read per second of wall time, in MB (10⁶ bytes).
func (s Summary) MBPerS(wall time.Duration) float64 {
	if wall <= 0 {
		return 0
	}
	return float64(s.Bytes) / 1e6 / wall.Seconds()
}

// WriteText prints the summary in the CLI's words, for people.
func (s Summary) WriteText(w io.Writer, wall time.Duration) {
	if !s.Metrics {
		fmt.Fprintf(w, "reprint-beam: done in %.2fs; the runner returned no metrics, so nothing is counted\n", wall.Seconds())
		return
	}
	fmt.Fprintf(w, "reprint-beam: %s (%.1f MB) in %.2fs, %.1f MB/s\n",
		count(s.Documents, "document"), float64(s.Bytes)/1e6, wall.Seconds(), s.MBPerS(wall))
	if s.Skipped == 0 && s.InputErrors == 0 {
		fmt.Fprintln(w, "  skipped: none")
	} else {
		fmt.Fprintf(w, "  skipped: %s", count(s.Skipped, "record"))
		keys := make([]string, 0, len(s.SkippedReasons))
		for k := range s.SkippedReasons {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "; %s: %d", k, s.SkippedReasons[k])
		}
		fmt.Fprintf(w, "; unreadable inputs: %d\n", s.InputErrors)
	}
	if s.Warnings > 0 {
		fmt.Fprintf(w, "  warnings: %s kept with something dropped (a date that does not parse is read as undated)\n", count(s.Warnings, "record"))
	}
	fmt.Fprintf(w, "  near-duplicate pairs: %d; %s (%s removed)\n",
		s.Pairs, count(s.Clusters, "cluster"), count(s.Removed, "document"))
}

// WriteJSON prints the summary as one JSON object on one line, shaped as
// the CLI's --json summary: the counts under "stats", then the wall time
// and speed.
func (s Summary) WriteJSON(w io.Writer, wall time.Duration) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Command  string  `json:"command"`
		Stats    Summary `json:"stats"`
		Wall     float64 `json:"wall_seconds"`
		MBPerS   float64 `json:"mb_per_s"`
		Warnings int64   `json:"warnings"`
	}{"reprint-beam", s, wall.Seconds(), s.MBPerS(wall), s.Warnings})
}

// Err is the error a run ends with after its outputs are written, as the
// CLI's exit rules: no document could be used at all (wrong field names,
// or inputs that are not records), or some inputs could not be read; nil
// otherwise, and nil when there are no metrics to tell.
func (s Summary) Err(f Fields) error {
	if !s.Metrics {
		return nil
	}
	if s.Documents == 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "no document could be used: %s skipped", count(s.Skipped, "record"))
		text := f.Text
		if text == "" {
			text = "text"
		}
		fmt.Fprintf(&b, "; is the text in a field named %q (--text-field)?", text)
		return errors.New(b.String())
	}
	if s.InputErrors > 0 {
		return fmt.Errorf("%s could not be read (the workers' logs name them)", count(s.InputErrors, "input"))
	}
	return nil
}

// count is n and the noun, made plural unless n is 1.
func count(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
