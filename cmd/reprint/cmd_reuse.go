// reprint reuse: every reused passage across a collection, as JSONL. This
// file also holds what reuse, align and report share: the alignment flags,
// the input flags (pairs' read flags, plus the URL field), the --meta
// sidecar, and the run with its problem reporting and summary.

package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"time"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/reuse"
	"github.com/spf13/cobra"
)

// alignFlags are the knobs of passage alignment.
type alignFlags struct {
	minWords    int
	ngram       int
	maxGap      int
	minIdentity float64
}

func (f *alignFlags) register(c *cobra.Command) {
	fs := c.Flags()
	fs.IntVar(&f.minWords, "min-words", 15, "shortest passage reported, in words")
	fs.IntVar(&f.ngram, "anchor", 4, "anchor length in words: passages are seeded by shared runs of this many words (5 is faster on long reprints, 3 finds more short edited ones)")
	alias(c, "ngram", "anchor")
	fs.IntVar(&f.maxGap, "max-gap", 20, "words of unmatched text allowed inside one passage (an inserted clause, a rewritten sentence)")
	fs.Float64Var(&f.minIdentity, "min-identity", 0.6, "lowest share of a passage's aligned words that are equal, in (0, 1]")
}

func (f *alignFlags) options() (reuse.Options, error) {
	switch {
	case f.minWords < 1:
		return reuse.Options{}, usageErr("--min-words %d: must be at least 1", f.minWords)
	case f.ngram < 1 || f.ngram > 64:
		return reuse.Options{}, usageErr("--anchor %d: must be between 1 and 64", f.ngram)
	case f.maxGap < 0:
		return reuse.Options{}, usageErr("--max-gap %d: must not be negative", f.maxGap)
	case f.minIdentity <= 0 || f.minIdentity > 1:
		return reuse.Options{}, usageErr("--min-identity %v: must be in (0, 1]", f.minIdentity)
	}
	gap := f.maxGap
	if gap == 0 {
		gap = -1 // ReuseOptions: negative means no gaps, zero the default
	}
	return reuse.Options{MinWords: f.minWords, Anchor: f.ngram, MaxGap: gap, MinIdentity: f.minIdentity}, nil
}

// inputFlags say how to read the inputs, as for pairs, plus the URL field
// and --meta.
type inputFlags struct {
	readFlags
	meta string
}

func (f *inputFlags) register(c *cobra.Command) {
	f.readFlags.register(c)
	fs := c.Flags()
	fs.StringVar(&f.urlField, "url-field", "url", "JSONL/Parquet field holding the URL")
	fs.StringVar(&f.meta, "meta", "", `JSONL sidecar of metadata by document ID, one {"id", "date", "source", "url"} a line; its fields replace the documents' own`)
	fs.Lookup("strict").Usage = "stop at the first record, input or --meta line that cannot be used (exit 4 or 3)"
}

// reuseFlagNames maps the reuse engine's option names to flags.
var reuseFlagNames = map[string]string{"min-words": "--min-words", "anchor": "--anchor", "min-identity": "--min-identity", "kinds": "--kinds",
	"max-df": "--max-df", "min-shared": "--min-shared", "mem-limit": "--mem-limit", "keys": "--keys"}

// readMeta reads the --meta sidecar, if one is named, reporting its bad
// lines; it returns the entries and how many lines were skipped.
func (f *inputFlags) readMeta(stderr io.Writer) (map[string]corpus.Meta, int, error) {
	if f.meta == "" {
		return nil, 0, nil
	}
	probs := &problems{w: stderr, quiet: f.quiet, strict: f.strict, what: "--meta"}
	meta, err := corpus.ReadMeta(f.meta, probs.handle)
	if err != nil {
		return nil, 0, &exitError{code: exitInput, err: fmt.Errorf("--meta: %v", err)}
	}
	if err := probs.stopped(); err != nil {
		return nil, 0, err
	}
	return meta, probs.count(), nil
}

// reuseRun is one run of Reuse over a command's inputs.
type reuseRun struct {
	corpus       *corpus.Corpus
	result       *reuse.Result
	wall         time.Duration
	metaProblems int
	meta         map[string]corpus.Meta // the --meta sidecar, by ID
	probs        *problems
}

// reuse opens the inputs and the sidecar and runs Reuse with opt, printing
// problems as they come.
func (f *inputFlags) reuse(cmd *cobra.Command, inputs []string, opt reuse.Options) (*reuseRun, error) {
	if len(inputs) == 0 {
		return nil, usageErr("no INPUT given; name a folder, a .jsonl/.parquet file, or - for stdin")
	}
	stderr := cmd.ErrOrStderr()
	run := &reuseRun{}
	meta, n, err := f.readMeta(stderr)
	if err != nil {
		return nil, err
	}
	opt.Meta, run.metaProblems, run.meta = meta, n, meta
	c, err := f.open(cmd, inputs)
	if err != nil {
		return nil, err
	}
	run.corpus = c
	ctx, bar, probs, stop := f.session(cmd)
	defer stop()
	run.probs = probs
	opt.Workers = f.workers
	opt.OnProblem = probs.handle
	opt.Progress = bar.set
	start := time.Now()
	res, err := reuse.Run(ctx, c, opt)
	bar.finish()
	run.wall = time.Since(start)
	if err := runError(ctx, probs, err, reuseFlagNames); err != nil {
		c.Close()
		return nil, err
	}
	run.result = res
	return run, nil
}

// exitFor turns input errors seen during a run into the exit code the
// command ends with, after its output is written.
func (r *reuseRun) exitFor() error {
	st := r.result.Stats
	return runExit(st.Docs, st.Records, st.InputErrors, r.probs)
}

// summary prints the run's summary on stderr, as text or JSON.
func (f *inputFlags) summary(w io.Writer, cmdName string, r *reuseRun, extra map[string]any) {
	if f.quiet {
		return
	}
	st := r.result.Stats
	mbps := float64(st.Bytes) / 1e6 / r.wall.Seconds()
	if f.jsonSummary {
		writeJSONSummary(w, map[string]any{"command": cmdName, "stats": st, "wall_seconds": r.wall.Seconds(), "mb_per_s": mbps, "meta_problems": r.metaProblems, "warnings": f.warnings.Load(), "not_documents": r.corpus.Skipped()}, extra)
		return
	}
	summaryHead(w, cmdName, st.Docs, st.Bytes, r.wall, st.Workers, st.Skips)
	notDocumentsLine(w, r.corpus)
	f.warningsLine(w)
	if f.meta != "" {
		fmt.Fprintf(w, "  --meta: %d entries, %d documents matched, %d IDs not in the corpus, %d bad lines\n",
			st.MetaEntries, st.MetaMatched, st.MetaUnmatched, r.metaProblems)
	}
	fmt.Fprintf(w, "  candidate pairs: %d (%s), %d aligned; passages: %d between %s, in %s (%d boilerplate",
		st.Candidates, count(st.CandidateDocs, "document"), st.PairsAligned, st.Passages, count(st.PairsWithPassages, "pair"), count(st.Groups, "group"), st.BoilerplateGroups)
	if st.DroppedBoilerplate > 0 {
		fmt.Fprintf(w, "; %d boilerplate passages left out", st.DroppedBoilerplate)
	}
	fmt.Fprintln(w, ")")
	if st.SketchFull {
		fmt.Fprintln(w, "  note: the content keys' frequency sketch did not fit in an eighth of --mem-limit, so every candidate pair was aligned (as with --align-scattered): slower, and a few more passages than with more memory")
	}
	for _, k := range sortedKeys(extra) {
		fmt.Fprintf(w, "  %s: %v\n", k, extra[k])
	}
}

const reuseLong = `Find every passage that two documents of the inputs share, however the
rest of them differs: a statement reprinted inside a longer article, a
paragraph moved, a sentence lightly edited.

Output, to stdout or -o FILE, one JSON object a line, sorted by a, b, a_start:

  {"a": ID, "a_start": byte, "a_end": byte, "b": ID, "b_start": byte, "b_end": byte,
   "words": W, "score": S, "identity": I, "kind": "verbatim"|"edited"|"paraphrase",
   "direction": "a->b"|"b->a"|"unknown", "group": "g1", "boilerplate": false}

a < b byte-wise. Offsets are byte offsets into each document's text exactly
as read (for a text file, the file's bytes), half-open, on word boundaries.
words counts equal words; identity is equal words over aligned words;
score is the alignment score in units of one matching word.

kind says what was done to the text: verbatim (every aligned word equal),
edited (words changed, inserted, deleted or moved, at least half of them
still equal), or paraphrase (reworded, translated and back, or summarised:
found by sentences that share their content words, names and numbers, not
by runs of equal words). One reused stretch is one passage, however many
edits split it; --kinds keeps only the kinds you want.

direction says which way the passage went: from the earlier-dated document
to the later one; "unknown" when a date is missing or the dates are equal.
A passage found in many documents is one group (the same text wherever it
occurs). A passage between two documents of one source that repeats the
text across its own documents (a footer, "Check Also" links: three of its
documents, or two when no other source has it) is boilerplate;
--drop-boilerplate leaves those out. A passage between different sources is
never boilerplate.

Two documents are aligned only when they share --min-shared candidate keys
that are rare in the collection (in at most --max-df documents), so a
passage copied into a long unrelated document is found without comparing
all pairs. The keys (--keys) are content by default: pairs of consecutive
content words, stemmed, with stopwords and numbers left out, which survive
synonyms, reordering and translation; --keys anchors uses runs of --anchor
equal words instead (exact reuse only, as before content keys).

Text folders have no source and often no date: --meta FILE.jsonl supplies
them by document ID, one {"id", "date", "source", "url"} object a line.

A summary (documents, skipped records with reasons, candidate pairs,
passages, groups) goes to stderr; --json prints it as JSON.`

func newReuseCmd() *cobra.Command {
	var in inputFlags
	var al alignFlags
	var out string
	var maxDF, minShared int
	var keys string
	var dropBoilerplate bool
	var memLimit, tmpDir string
	var kinds []string
	var alignScattered bool
	c := &cobra.Command{
		Use:   "reuse [flags] INPUT...",
		Short: "List passages documents share, with direction and groups, as JSONL",
		Long:  reuseLong,
		Example: `  reprint reuse testdata/news
  reprint reuse --meta testdata/news-meta.jsonl testdata/news
  reprint reuse --min-words 30 --drop-boilerplate corpus.jsonl.zst -o passages.jsonl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutputs(args, map[string]string{"-o": out}); err != nil {
				return err
			}
			opt, err := al.options()
			if err != nil {
				return err
			}
			if maxDF < 2 || cmd.Flags().Changed("min-shared") && minShared < 1 {
				return usageErr("--max-df must be at least 2 and --min-shared at least 1")
			}
			opt.MaxDF, opt.MinShared, opt.DropBoilerplate, opt.Kinds, opt.Keys = maxDF, minShared, dropBoilerplate, kinds, keys
			opt.AlignScattered = alignScattered
			if opt.MemLimit, err = parseMemLimit(memLimit); err != nil {
				return err
			}
			opt.TmpDir, in.spoolDir = tmpDir, tmpDir
			// The GC then keeps the heap under the limit too (see detect).
			debug.SetMemoryLimit(opt.MemLimit / 4 * 3)
			r, err := in.reuse(cmd, args, opt)
			if err != nil {
				return err
			}
			defer r.corpus.Close()
			if err := writeJSONL(cmd, out, r.result.Passages); err != nil {
				return err
			}
			in.summary(cmd.ErrOrStderr(), "reuse", r, nil)
			return r.exitFor()
		},
	}
	al.register(c)
	in.register(c)
	fs := c.Flags()
	fs.StringVar(&keys, "keys", reuse.KeysContent, "what makes two documents worth aligning: content (pairs of consecutive content words, stemmed: survives rewording and translation) or anchors (runs of --anchor equal words)")
	fs.IntVar(&maxDF, "max-df", 64, "candidate keys found in more documents than this are too common to make candidates")
	fs.IntVar(&minShared, "min-shared", 0, "rare candidate keys two documents must share to be aligned (default 5 for content keys, 2 for anchors)")
	fs.BoolVar(&dropBoilerplate, "drop-boilerplate", false, "leave out passages of boilerplate groups")
	fs.BoolVar(&alignScattered, "align-scattered", false, "align every candidate pair, also those whose shared rare content keys lie scattered (topic words rather than reused text): slower, and finds the few passages made only of words common across the collection")
	fs.StringSliceVar(&kinds, "kinds", nil, "keep only passages of these kinds of reuse, comma-separated: verbatim, edited, paraphrase (default: all)")
	fs.StringVar(&memLimit, "mem-limit", "", "memory for the anchor index, e.g. 2GiB or 500MB; past it anchor postings spill to --tmp-dir and are merged, with the same passages; below an eighth of it for the sketch of key frequencies every candidate pair is aligned, as with --align-scattered (the summary says so) (default: half of RAM)")
	fs.StringVar(&tmpDir, "tmp-dir", "", "where spilled runs go (default: the system's temporary directory)")
	fs.StringVarP(&out, "output", "o", "", "write passages to this file instead of stdout")
	return c
}
