// Flags shared by the near-duplicate commands, and the run they share: open
// the inputs, detect, report problems and the summary.

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/internal/errs"
	"github.com/reprint/reprint/internal/pipeline"
	"github.com/reprint/reprint/neardup"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// readFlags say how every corpus command reads its inputs and reports.
type readFlags struct {
	idField, textField, dateField, sourceField string
	urlField                                   string // registered by inputFlags
	html, maxRecord                            string
	workers                                    int
	strict, jsonSummary, quiet                 bool
	warnings                                   atomic.Int64 // records kept with something dropped
	// onePass: the command reads its inputs once, so standard input is
	// not spooled; spoolDir: where it is spooled otherwise (--tmp-dir).
	onePass  bool
	spoolDir string
	force    bool // an output folder that holds files may be replaced (dedup --force)
}

func (f *readFlags) register(c *cobra.Command) {
	fs := c.Flags()
	fs.IntVar(&f.workers, "workers", 0, "parallel workers (default: all cores); results do not depend on it")
	fs.StringVar(&f.idField, "id-field", "id", "JSONL/Parquet field holding the document ID")
	fs.StringVar(&f.textField, "text-field", "text", "JSONL/Parquet field holding the text")
	fs.StringVar(&f.dateField, "date-field", "date", "JSONL/Parquet field holding the date (YYYY-MM-DD or RFC 3339)")
	fs.StringVar(&f.sourceField, "source-field", "source", "JSONL/Parquet field holding the source (outlet, site)")
	fs.StringVar(&f.html, "html", "extract", "what an HTML page (.html/.htm, or a page in a WARC) becomes: extract (its main text; offsets refer to that text) or raw (the markup as text)")
	fs.StringVar(&f.maxRecord, "max-record", "64MiB", "largest record, as read and once decompressed; bigger ones are skipped and counted, before they are held in memory")
	fs.BoolVar(&f.strict, "strict", false, "stop at the first record or input that cannot be used (exit 4 or 3)")
	fs.BoolVar(&f.jsonSummary, "json", false, "print the summary on stderr as one JSON object")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on stderr but errors")
}

type detectFlags struct {
	readFlags
	// check, when set, looks at the opened inputs before anything is read
	// (dedup checks that its output can hold their format).
	check     func(*corpus.Corpus) error
	threshold float64
	ngram     int
	perm      int
	seed      uint64
	memLimit  string
	tmpDir    string
}

func (f *detectFlags) register(c *cobra.Command) {
	f.readFlags.register(c)
	fs := c.Flags()
	fs.Float64Var(&f.threshold, "threshold", 0.8, "Jaccard similarity of shingle sets at or above which two documents are near-duplicates, in (0, 1]")
	fs.IntVar(&f.ngram, "shingle", 5, "words per shingle (the n-grams whose sets are compared)")
	alias(c, "ngram", "shingle")
	fs.IntVar(&f.perm, "perm", 0, "MinHash signature length (default: chosen for the threshold, 128 at 0.8)")
	fs.Uint64Var(&f.seed, "seed", 0, "hash seed")
	fs.StringVar(&f.memLimit, "mem-limit", "", "memory for the index and shingle sets, e.g. 2GiB or 500MB; past it they spill to --tmp-dir and are merged, with the same results (default: half of RAM)")
	fs.StringVar(&f.tmpDir, "tmp-dir", "", "where spilled runs go (default: the system's temporary directory)")
}

// detection is one run of detection over the command's inputs.
type detection struct {
	corpus *corpus.Corpus
	result *neardup.Result
	wall   time.Duration
	probs  *problems
}

func (f *detectFlags) detect(cmd *cobra.Command, inputs []string) (*detection, error) {
	if len(inputs) == 0 {
		return nil, usageErr("no INPUT given; name a folder, a .jsonl/.parquet file, or - for stdin")
	}
	memLimit, err := parseMemLimit(f.memLimit)
	if err != nil {
		return nil, err
	}
	// The GC then works to keep the heap under the limit too, rather than
	// letting it grow to twice what is live; a quarter is left for what the
	// heap does not count (the binary's pages, stacks, runtime metadata).
	debug.SetMemoryLimit(memLimit / 4 * 3)
	f.spoolDir = f.tmpDir
	c, err := f.open(cmd, inputs)
	if err != nil {
		return nil, err
	}
	if f.check != nil {
		if err := f.check(c); err != nil {
			c.Close()
			return nil, err
		}
	}
	ctx, bar, probs, stop := f.session(cmd)
	defer stop()
	d := &detection{corpus: c, probs: probs}
	opt := neardup.Options{
		Threshold: f.threshold, NGram: f.ngram, Perm: f.perm, Seed: f.seed, Workers: f.workers,
		MemLimit: memLimit, TmpDir: f.tmpDir,
		OnProblem: probs.handle,
		Progress:  bar.set,
	}
	start := time.Now()
	res, err := neardup.Run(ctx, c, opt)
	bar.finish()
	d.wall = time.Since(start)
	if err := runError(ctx, probs, err, detectFlagNames); err != nil {
		c.Close()
		return nil, err
	}
	d.result = res
	return d, nil
}

// open opens the inputs as the read flags say. Records kept with something
// dropped (a date that does not parse) are reported as warnings and
// counted; they never stop a run, even under --strict.
func (f *readFlags) open(cmd *cobra.Command, inputs []string) (*corpus.Corpus, error) {
	if f.html != "" && f.html != corpus.HTMLExtract && f.html != corpus.HTMLRaw {
		return nil, usageErr("--html %q: want extract or raw", f.html)
	}
	var maxRecord uint64 // 0: corpus's default, for commands without the flag
	if f.maxRecord != "" {
		var err error
		maxRecord, err = humanize.ParseBytes(f.maxRecord)
		if err != nil || maxRecord == 0 || maxRecord > 1<<40 {
			return nil, usageErr("--max-record %q: want a size such as 64MiB or 500KB", f.maxRecord)
		}
	}
	stderr := cmd.ErrOrStderr()
	var mu sync.Mutex
	c, err := corpus.Open(inputs, corpus.Options{
		IDField: f.idField, TextField: f.textField, DateField: f.dateField, SourceField: f.sourceField, URLField: f.urlField,
		MaxRecordBytes: int64(maxRecord), HTML: f.html, Stdin: cmd.InOrStdin(), OnePass: f.onePass, SpoolDir: f.spoolDir, ReplaceOutput: f.force,
		OnWarning: func(p *corpus.Problem) {
			f.warnings.Add(1)
			if !f.quiet {
				mu.Lock()
				fmt.Fprintln(stderr, "reprint: warning:", p.Error())
				mu.Unlock()
			}
		},
	})
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return c, nil
}

// notDocumentsLine adds to a text summary the records passed over on
// purpose because they are not documents (a WARC's requests, images,
// redirects), by kind; they are neither problems nor skipped documents.
func notDocumentsLine(w io.Writer, c *corpus.Corpus) {
	m := c.Skipped()
	if len(m) == 0 {
		return
	}
	fmt.Fprint(w, "  not documents:")
	for i, k := range sortedKeys(m) {
		if i > 0 {
			fmt.Fprint(w, ",")
		}
		fmt.Fprintf(w, " %s %d", k, m[k])
	}
	fmt.Fprintln(w)
}

// warningsLine adds the count of warnings to a text summary.
func (f *readFlags) warningsLine(w io.Writer) {
	if n := f.warnings.Load(); n > 0 {
		fmt.Fprintf(w, "  warnings: %d records kept with something dropped (see the messages above)\n", n)
	}
}

// detectFlagNames maps the near-duplicate engine's option names to flags.
var detectFlagNames = map[string]string{"threshold": "--threshold", "ngram": "--shingle", "perm": "--perm", "mem-limit": "--mem-limit"}

// runError is the error a command ends with after an engine's run: the
// --strict stop, an interruption, an option out of range (a usage error,
// named by its flag), or err itself.
func runError(ctx context.Context, probs *problems, err error, flags map[string]string) error {
	if serr := probs.stopped(); serr != nil {
		return serr
	}
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return &exitError{code: exitCanceled, err: fmt.Errorf("interrupted")}
	}
	if oe, ok := errs.AsOption(err); ok {
		name := flags[oe.Option]
		if name == "" {
			name = oe.Option
		}
		return usageErr("%s %v: %s", name, oe.Value, oe.Reason)
	}
	return err
}

// alias registers old as a hidden second name of the flag named name, so
// command lines written before a rename keep working.
func alias(c *cobra.Command, old, name string) {
	f := c.Flags().Lookup(name)
	c.Flags().Var(f.Value, old, f.Usage)
	c.Flags().Lookup(old).Hidden = true
	c.Flags().Lookup(old).DefValue = f.DefValue
}

// heapLimit is the Go heap's share of a --mem-limit: what is left once the
// process's fixed footprint (the binary's pages, the runtime, about 26 MB
// measured on a one-document run) is taken off, and at least half of it.
// The GC then keeps the heap under it, so the whole process stays near the
// limit instead of the heap alone.
func heapLimit(mem int64) int64 {
	const fixed = 36 << 20
	return max(mem-fixed, mem/2)
}

// parseMemLimit reads --mem-limit; empty means half of physical memory.
func parseMemLimit(s string) (int64, error) {
	if s == "" {
		var si syscall.Sysinfo_t
		if err := syscall.Sysinfo(&si); err != nil || si.Totalram == 0 {
			return 4 << 30, nil
		}
		return int64(si.Totalram) * int64(si.Unit) / 2, nil
	}
	n, err := humanize.ParseBytes(s)
	if err != nil || n == 0 || n > 1<<62 {
		return 0, usageErr("--mem-limit %q: want a size such as 512MiB, 2GB or 1500000000", s)
	}
	return int64(n), nil
}

// exitFor turns input errors seen during a run into the exit code the
// command ends with, after its output is written.
func (d *detection) exitFor() error {
	st := d.result.Stats
	return runExit(st.Docs, st.Records, st.InputErrors, d.probs)
}

// runExit is the error a command ends with after writing its output: exit
// 3 when no document at all could be used (a wrong --text-field, plain text
// piped as JSONL), saying what the first record was, or when inputs could
// not be read; nil otherwise.
func runExit(docs, records, inputErrors int, probs *problems) error {
	if docs == 0 {
		msg := fmt.Sprintf("no document could be used: %s read", count(records, "record"))
		if p := probs.firstProblem(); p != nil {
			msg += "; the first was skipped: " + p.Error()
			if strings.HasPrefix(p.Reason, "invalid JSON") {
				msg += " (a .jsonl file and standard input are read as JSONL, one JSON object a line; to compare text files, name them or their folder)"
			}
		}
		return &exitError{code: exitInput, err: errors.New(msg)}
	}
	return inputExit(inputErrors)
}

// inputExit is the error that makes a command exit 3 when n inputs could
// not be read, or nil.
func inputExit(n int) error {
	if n > 0 {
		return &exitError{code: exitInput, err: fmt.Errorf("%d input(s) could not be read; see the messages above", n)}
	}
	return nil
}

// summary prints the run's summary on stderr, as text or JSON.
func (f *detectFlags) summary(w io.Writer, cmdName string, d *detection, extra map[string]any) {
	if f.quiet {
		return
	}
	st := d.result.Stats
	mbps := float64(st.Bytes) / 1e6 / d.wall.Seconds()
	if f.jsonSummary {
		writeJSONSummary(w, map[string]any{"command": cmdName, "stats": st, "wall_seconds": d.wall.Seconds(), "mb_per_s": mbps,
			"index_bytes_per_doc": neardup.IndexBytesPerDoc(st.Bands), "warnings": f.warnings.Load(),
			"not_documents": d.corpus.Skipped()}, extra)
		return
	}
	summaryHead(w, cmdName, st.Docs, st.Bytes, d.wall, st.Workers, st.Skips)
	notDocumentsLine(w, d.corpus)
	f.warningsLine(w)
	fmt.Fprintf(w, "  exact duplicates: %d; candidate pairs: %d; near-duplicate pairs: %d (threshold %.2f, %d bands × %d rows)\n",
		st.ExactDocs, st.Candidates, st.Pairs, f.threshold, st.Bands, st.Rows)
	for _, k := range sortedKeys(extra) {
		fmt.Fprintf(w, "  %s: %v\n", k, extra[k])
	}
}

// writeJSONSummary prints m, with extra's keys added, as one JSON line.
func writeJSONSummary(w io.Writer, m, extra map[string]any) {
	for k, v := range extra {
		m[k] = v
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(m)
}

// count is n and the noun, made plural unless n is 1.
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if l := len(noun); l > 1 && noun[l-1] == 'y' && !strings.ContainsRune("aeiou", rune(noun[l-2])) {
		return fmt.Sprintf("%d %sies", n, noun[:l-1])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// summaryHead prints the lines every command's text summary starts with:
// what was read, how fast, and what was skipped.
func summaryHead(w io.Writer, cmdName string, docs int, bytes int64, wall time.Duration, workers int, sk pipeline.Skips) {
	fmt.Fprintf(w, "reprint %s: %s (%.1f MB) in %.2fs, %.1f MB/s, %s\n",
		cmdName, count(docs, "document"), float64(bytes)/1e6, wall.Seconds(), float64(bytes)/1e6/wall.Seconds(), count(workers, "worker"))
	if sk.Skipped == 0 && sk.InputErrors == 0 {
		fmt.Fprintln(w, "  skipped: none")
		return
	}
	fmt.Fprintf(w, "  skipped: %s", count(sk.Skipped, "record"))
	for _, k := range sortedKeys(sk.SkippedReasons) {
		fmt.Fprintf(w, "; %s: %d", k, sk.SkippedReasons[k])
	}
	fmt.Fprintf(w, "; unreadable inputs: %d\n", sk.InputErrors)
}

// progress draws a bar on a terminal and nothing elsewhere.
type progress struct {
	bar *progressbar.ProgressBar
}

// session starts a command's run over its inputs: a context that Ctrl-C
// or a --strict problem cancels, a progress bar on stderr, and the one
// problem handler, which clears the bar before it prints. stop releases
// them.
func (f *readFlags) session(cmd *cobra.Command) (ctx context.Context, bar *progress, probs *problems, stop func()) {
	ctx, stopSignal := signal.NotifyContext(cmd.Context(), os.Interrupt)
	ctx, cancel := context.WithCancelCause(ctx)
	stderr := cmd.ErrOrStderr()
	bar = newProgress(stderr, f.quiet)
	probs = &problems{w: stderr, quiet: f.quiet, strict: f.strict, bar: bar, cancel: cancel}
	return ctx, bar, probs, func() { cancel(nil); stopSignal() }
}

func newProgress(w io.Writer, quiet bool) *progress {
	f, ok := w.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("reading"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

func (p *progress) set(pr pipeline.Progress) {
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("reading: %d docs", pr.Docs))
		p.bar.Set64(pr.Bytes)
	}
}

func (p *progress) clear() {
	if p != nil && p.bar != nil {
		p.bar.Clear()
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
