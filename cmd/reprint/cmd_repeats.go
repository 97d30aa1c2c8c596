// reprint repeats: exact repeated spans, every occurrence but one removed.
// Flags and a call into the repeats engine, then corpus.Rewrite for -o.

package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/reprint/reprint/cluster"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/repeats"
	"github.com/spf13/cobra"
)

const repeatsLong = `Find every span of at least --min-words words that occurs more than once in
the inputs, across documents or within one, after the normalization every
command uses (Unicode NFKC, case folding, quote and dash folding;
punctuation and spacing do not count). Spans are maximal: a repeated
paragraph is one span, however long.

With -o OUT, write the corpus with every occurrence but one removed, in the
input's format: JSONL with only the text field changed (other fields byte
for byte; compressed when OUT ends in .gz or .zst), Parquet with the same
schema, a folder of text files as a folder of copies. The occurrence kept is
in the document that comes first by --keep (the same policy as dedup):
  earliest  the earliest dated, then the longest, then the smallest ID (default)
  longest   the longest, then the smallest ID
  first     the one read first
and, within one document, the first. Cuts fall on word boundaries; the
punctuation stuck to the cut words and the whitespace around them go too,
replaced by one space, newline or blank line, so no doubled blank lines are
left. A document whose every word is repeated elsewhere becomes empty: it is
left out of OUT and counted. Records that could not be used (reported on
stderr) are passed through unchanged.

--spans FILE writes one JSON line per removed occurrence, in input order:

  {"id": ID, "start": byte, "end": byte, "words": W,
   "kept": {"id": ID, "start": byte, "end": byte}}

Offsets are bytes of the text as read (for a text file, the file's bytes),
first word to last. Without -o the spans are the output (stdout unless
--spans names a file).

Exact: window hashes find candidates, and every span is confirmed by
comparing its words with the kept copy's on a second read. Within
--mem-limit: the sorted windows spill to --tmp-dir and are merged, with the
same output; the same output for any --workers.`

// repeatsFlagNames maps the repeats engine's option names to flags.
var repeatsFlagNames = map[string]string{"min-words": "--min-words", "keep": "--keep", "mem-limit": "--mem-limit", "top": "--top"}

func newRepeatsCmd() *cobra.Command {
	var f readFlags
	var out, spansOut, keep, memLimit, tmpDir string
	var minWords, top int
	c := &cobra.Command{
		Use:   "repeats [flags] INPUT... [-o OUT] [--spans FILE]",
		Short: "Find exact repeated spans and write the corpus with one copy of each",
		Long:  repeatsLong,
		Example: `  reprint repeats crawl.jsonl.zst -o clean.jsonl.zst --spans removed.jsonl
  reprint repeats testdata/news --min-words 30 > spans.jsonl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErr("no INPUT given; name a folder, a .jsonl/.parquet file, or - for stdin")
			}
			if err := checkOutputs(args, map[string]string{"-o": out, "--spans": spansOut}); err != nil {
				return err
			}
			kp, err := cluster.ParseKeep(keep)
			if err != nil {
				return usageErr("--keep %q: want earliest, longest or first", keep)
			}
			mem, err := parseMemLimit(memLimit)
			if err != nil {
				return err
			}
			debug.SetMemoryLimit(heapLimit(mem))
			corp, err := f.open(cmd, args)
			if err != nil {
				return err
			}
			defer corp.Close()
			if out != "" {
				// Fail on the output's format before an hour of work, as dedup does.
				if err := corp.CheckCopy(out); err != nil {
					return usageErr("-o %v", err)
				}
			}
			ctx, bar, probs, stop := f.session(cmd)
			defer stop()
			start := time.Now()
			res, err := repeats.Run(ctx, corp, repeats.Options{
				MinWords: minWords, Keep: kp, Workers: f.workers, Top: max(top, 1),
				MemLimit: mem, TmpDir: tmpDir, OnProblem: probs.handle, Progress: bar.set,
			})
			bar.finish()
			if err := runError(ctx, probs, err, repeatsFlagNames); err != nil {
				return err
			}
			extra := map[string]any{}
			if spansOut != "" || out == "" {
				if err := writeJSONL(cmd, spansOut, res.Spans()); err != nil {
					return fmt.Errorf("writing the spans: %w", err)
				}
			}
			if out != "" {
				rs, err := corp.Rewrite(ctx, func(seq int, d corpus.Doc) (string, bool) { return res.Edit(seq, d.Text, d.Start) }, out)
				if err != nil {
					return fmt.Errorf("writing %s: %w", out, err)
				}
				extra["output"] = out
				extra["written"] = rs.Written
				extra["bytes_removed"] = rs.Removed
			}
			repeatsSummary(cmd.ErrOrStderr(), &f, res, top, time.Since(start), extra)
			return runExit(res.Stats.Docs, res.Stats.Records, res.Stats.InputErrors, probs)
		},
	}
	f.register(c)
	fs := c.Flags()
	fs.BoolVar(&f.force, "force", false, "replace the output folder (for a folder of text files) when it already holds files; the new one is complete before the old one goes")
	fs.StringVarP(&out, "output", "o", "", "where the corpus without its repeats goes (file for JSONL/Parquet, folder for text folders)")
	fs.StringVar(&spansOut, "spans", "", "write the removed occurrences as JSONL to this file (- for stdout)")
	fs.IntVar(&minWords, "min-words", repeats.DefaultMinWords, "shortest repeated span, in words")
	fs.StringVar(&keep, "keep", "earliest", "which occurrence stays: the one in the earliest, longest or first document")
	fs.IntVar(&top, "top", 5, "how many of the most repeated spans the summary shows (0: none)")
	fs.StringVar(&memLimit, "mem-limit", "", "memory for the sorted windows, e.g. 2GiB or 500MB; past it they spill to --tmp-dir and are merged, with the same results (default: half of RAM)")
	fs.StringVar(&tmpDir, "tmp-dir", "", "where spilled runs go (default: the system's temporary directory)")
	return c
}

// repeatsSummary prints the run's summary on stderr, as text or JSON.
func repeatsSummary(w io.Writer, f *readFlags, res *repeats.Result, top int, wall time.Duration, extra map[string]any) {
	if f.quiet {
		return
	}
	st := res.Stats
	share := 0.0
	if st.Bytes > 0 {
		share = float64(st.SpanBytes) / float64(st.Bytes)
	}
	if f.jsonSummary {
		writeJSONSummary(w, map[string]any{"command": "repeats", "stats": st, "wall_seconds": wall.Seconds(),
			"mb_per_s": float64(st.Bytes) / 1e6 / wall.Seconds(), "share_removed": share, "most_repeated": res.Top()[:min(top, len(res.Top()))], "warnings": f.warnings.Load()}, extra)
		return
	}
	summaryHead(w, "repeats", st.Docs, st.Bytes, wall, st.Workers, st.Skips)
	f.warningsLine(w)
	fmt.Fprintf(w, "  repeated spans (%d+ words, keep %s): %d; occurrences removed: %d (%d words, %d bytes, %.2f%% of the text)\n",
		st.MinWords, st.Keep, st.Spans, st.Occurrences, st.SpanWords, st.SpanBytes, 100*share)
	fmt.Fprintf(w, "  documents touched: %d; emptied (every word repeated elsewhere, left out of -o): %d\n", st.Touched, st.Emptied)
	if st.Unconfirmed > 0 {
		fmt.Fprintf(w, "  hash matches whose words differ (not removed): %d\n", st.Unconfirmed)
	}
	if groups := res.Top(); len(groups) > 0 && top > 0 {
		fmt.Fprintln(w, "  most repeated:")
		for _, g := range groups[:min(top, len(groups))] {
			fmt.Fprintf(w, "    %d× %d words, kept in %s@%d-%d: %s\n", g.Removed, g.Words, g.Kept.ID, g.Kept.Start, g.Kept.End, repeatPreview(g.Text, 90))
		}
	}
	for _, k := range sortedKeys(extra) {
		fmt.Fprintf(w, "  %s: %v\n", k, extra[k])
	}
}

// repeatPreview is s on one line, quoted, cut to about n bytes.
func repeatPreview(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		for n > 0 && s[n]&0xC0 == 0x80 {
			n--
		}
		s = s[:n] + "…"
	}
	return strconv.Quote(s)
}
