// reprint align A B: the passages two documents share, side by side.
//
// Both files are read through package corpus, like any input, so a date
// header is understood, a missing file or a binary one is reported the same
// way, and byte offsets are into the files exactly as read. The two are
// aligned directly (ReuseOptions.AllPairs): the anchor index that picks
// candidates in a collection has nothing to choose between two documents.
// --json prints the passages in exactly reprint reuse's shape, with a < b
// byte-wise; the side-by-side view keeps A on the left as given.

package main

import (
	"fmt"
	"io"
	"os"

	"github.com/reprint/reprint/align"
	"github.com/reprint/reprint/report"
	"github.com/reprint/reprint/reuse"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

const alignLong = `Show the passages two documents share, side by side: A on the left, B on
the right, the words one has and the other does not marked (in colour on a
terminal; as [-A's words-] and {+B's words+} otherwise), with each
passage's byte range in both files and its word count.

A and B are text files (a first line " date YYYY-MM-DD" gives a date).
--json prints one JSON object per passage, in exactly the shape of
"reprint reuse" (a < b byte-wise). A file that is missing or not text is
reported and the command exits with 3.`

func newAlignCmd() *cobra.Command {
	var al alignFlags
	var asJSON bool
	var width int
	var color string
	var meta string
	c := &cobra.Command{
		Use:   "align [flags] A B",
		Short: "Show the passages two documents share, side by side",
		Long:  alignLong,
		Example: `  reprint align testdata/news/000_a2e0a91b0cb3cf6c.txt testdata/news/001_e55fcabe4c6a2c3c.txt
  reprint align --json a.txt b.txt | jq .words`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := al.options()
			if err != nil {
				return err
			}
			if args[0] == args[1] {
				return usageErr("A and B are the same file %q", args[0])
			}
			if args[0] == "-" || args[1] == "-" {
				return usageErr("align compares two files; it does not read standard input (-), which the other commands read as JSONL: save the text to a file first")
			}
			useColor, err := colorMode(color, cmd.OutOrStdout())
			if err != nil {
				return err
			}
			opt.AllPairs, opt.Excerpts = true, !asJSON
			// Either file unusable ends the command: there is nothing to
			// align it with. Problems come back as the error, said once.
			in := inputFlags{readFlags: readFlags{strict: true, quiet: true}, meta: meta}
			r, err := in.reuse(cmd, args, opt)
			if p, ok := strictProblem(err); ok {
				return &exitError{code: exitInput, err: p}
			}
			if err != nil {
				return err
			}
			defer r.corpus.Close()
			res := r.result
			if len(res.Docs) != 2 || res.Docs[0].ID != args[0] || res.Docs[1].ID != args[1] {
				return usageErr("align takes two text files; %s and %s hold %d documents", args[0], args[1], len(res.Docs))
			}
			if asJSON {
				return writeJSONL(cmd, "", res.Passages)
			}
			w := cmd.OutOrStdout()
			if width <= 0 {
				width = termWidth(w)
			}
			if len(res.Passages) == 0 {
				fmt.Fprintf(w, "%s and %s share no passage of %d words or more.\n", args[0], args[1], al.minWords)
				return nil
			}
			for i, p := range res.Passages {
				ex := res.Excerpts[i]
				if p.A != args[0] {
					p, ex = flip(p, ex)
				}
				if err := report.SideBySide(w, i+1, len(res.Passages), p, ex, report.TermOptions{Width: width, Color: useColor}); err != nil {
					return err
				}
			}
			return nil
		},
	}
	al.register(c)
	fs := c.Flags()
	fs.BoolVar(&asJSON, "json", false, "print passages as JSONL, in the shape of reprint reuse")
	fs.IntVar(&width, "width", 0, "line width (default: the terminal's, or 100)")
	fs.StringVar(&color, "color", "auto", "mark differences in colour: auto (on a terminal), always or never")
	fs.StringVar(&meta, "meta", "", "JSONL sidecar of metadata by document ID (dates give the direction)")
	return c
}

// flip swaps the sides of a passage, for showing B's document on the right.
func flip(p reuse.Passage, ex align.Excerpt) (reuse.Passage, align.Excerpt) {
	p.A, p.B = p.B, p.A
	p.AStart, p.BStart = p.BStart, p.AStart
	p.AEnd, p.BEnd = p.BEnd, p.AEnd
	switch p.Direction {
	case "a->b":
		p.Direction = "b->a"
	case "b->a":
		p.Direction = "a->b"
	}
	ex.A, ex.B = ex.B, ex.A
	return p, ex
}

func colorMode(mode string, w io.Writer) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		f, ok := w.(*os.File)
		return ok && term.IsTerminal(int(f.Fd())) && os.Getenv("NO_COLOR") == "", nil
	}
	return false, usageErr("--color %q: want auto, always or never", mode)
}

func termWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return cols
		}
	}
	return 100
}
