// Command reprint finds copied text: near-duplicate documents in a corpus,
// and a deduplicated corpus without them.
//
// Each subcommand lives in its own file (cmd_*.go); this file holds the
// root command and the exit codes.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
)

// Exit codes, documented in the root command's help.
const (
	exitOK       = 0
	exitFailure  = 1 // an error not covered below (e.g. cannot write output)
	exitUsage    = 2 // bad flags or arguments
	exitInput    = 3 // an input could not be read (missing file, permission, corrupt archive)
	exitSkipped  = 4 // --strict and a record had to be skipped
	exitCanceled = 130
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

const rootLong = `reprint finds copied text.

  reprint pairs INPUT...            near-duplicate pairs, as JSONL
  reprint dedup INPUT... -o OUT     the corpus without its near-duplicates
  reprint reuse INPUT...            passages documents share, with direction and groups, as JSONL
  reprint stories INPUT...          documents that tell the same story, nested in topics, as JSONL
  reprint repeats INPUT... [-o OUT] exact repeated spans; the corpus with one copy of each
  reprint align A B                 the passages two documents share, side by side
  reprint report INPUT... -o FILE   one self-contained HTML page to read the results
  reprint index add|query|delete|stats --index DIR   a persistent index: is this text a copy?
  reprint serve --index DIR         the index as an HTTP API and a web page

INPUT is a folder of text files (each file one document, its ID the path
relative to the folder; a first line " date YYYY-MM-DD" gives its date), a
.jsonl, .jsonl.gz or .jsonl.zst file (one JSON object a line), a .parquet
file, a web crawl (.warc, .warc.gz, .warc.wet.gz: each HTML or text page a
document, its ID the URL), saved .html pages (their main text), a single
text file, or - for JSONL on standard input.

Two documents are near-duplicates when the Jaccard similarity of their sets
of 5-word shingles (after Unicode normalization and case folding) is at least
--threshold. Candidates come from MinHash-LSH and are verified exactly, so no
reported pair is below the threshold.

Exit codes:
  0  success
  1  failure (e.g. the output could not be written)
  2  usage error (bad flag or argument)
  3  an input could not be read (missing file, permission, corrupt archive);
     the other inputs are still processed unless --strict; or no document
     at all could be used
  4  --strict was given and a record had to be skipped
`

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "reprint",
		Short:         "Find copied text: near-duplicates, reused passages, who had it first",
		Long:          rootLong,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
	})
	root.Version = version()
	root.SetVersionTemplate("reprint {{.Version}}\n")
	var cpuProfile, memProfile string
	root.PersistentFlags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file (read it with go tool pprof)")
	root.PersistentFlags().StringVar(&memProfile, "memprofile", "", "write a heap profile at the end of the run to this file (go tool pprof)")
	var stopProfile func()
	root.PersistentPreRunE = func(c *cobra.Command, _ []string) error {
		if cpuProfile == "" {
			return nil
		}
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
		return nil
	}
	root.PersistentPostRun = func(*cobra.Command, []string) {
		if stopProfile != nil {
			stopProfile()
		}
		if memProfile != "" {
			if f, err := os.Create(memProfile); err == nil {
				pprof.WriteHeapProfile(f)
				f.Close()
			}
		}
	}
	root.AddCommand(newPairsCmd(), newDedupCmd(), newReuseCmd(), newAlignCmd(), newReportCmd(), newIndexCmd(), newServeCmd(), newRepeatsCmd(), newStoriesCmd())
	addExitCodes(root)
	return root
}

func main() {
	// Ctrl-C and SIGTERM cancel the command's context, so every command
	// stops its engine and its deferred clean-up removes spilled runs and
	// half-written outputs before the process exits.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runContext(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns its exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdin, stdout, stderr)
}

func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "reprint:", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if isUsage(err) {
		return exitUsage
	}
	return exitFailure
}

// version is the module version the binary was built from ("devel" with
// the VCS revision for a build from a checkout).
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
		if s.Key == "vcs.modified" && s.Value == "true" {
			v += "+dirty"
		}
	}
	return v + " " + bi.GoVersion
}

// exitCodesHelp closes the help of every subcommand.
const exitCodesHelp = `

Exit codes: 0 success; 1 failure (e.g. the output could not be written);
2 usage error; 3 an input could not be read, or no document could be used;
4 --strict and a record had to be skipped; 130 interrupted.`

// addExitCodes appends the exit codes to the help of every command below
// root that does not state them itself.
func addExitCodes(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if !strings.Contains(sub.Long, "Exit codes") {
				if sub.Long == "" {
					sub.Long = sub.Short + "."
				}
				sub.Long += exitCodesHelp
			}
			walk(sub)
		}
	}
	walk(root)
}
