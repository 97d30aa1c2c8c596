// reprint report: one self-contained HTML page of what reuse and pairs
// find. The command is thin: it runs Reuse with excerpts, runs the
// near-duplicate detection at its default threshold for the clusters, and
// hands both to package report. The inputs are read twice (once per
// engine); a report is for reading, at the size of a collection a person
// reads, so the simplicity is worth more than the second read.

package main

import (
	"bufio"
	"fmt"

	"github.com/reprint/reprint/cluster"
	"github.com/reprint/reprint/neardup"
	"github.com/reprint/reprint/repeats"
	"github.com/reprint/reprint/report"
	"github.com/reprint/reprint/stories"
	"github.com/spf13/cobra"
)

const reportLong = `Write one HTML page that shows what the documents of the inputs share:
the shared passages grouped by text and ordered by how widely they spread,
each pair of copies side by side with the differences marked, a timeline
per text (which source had it when), the near-duplicate clusters, and the
list of documents.

The page is a single file with everything inline (styles, charts); it makes
no network request and runs no script, so it can be mailed or archived as
is. Inputs and flags are those of "reprint reuse"; --meta supplies dates
and sources for a folder of text files, which the direction and timelines
need.`

func newReportCmd() *cobra.Command {
	var in inputFlags
	var al alignFlags
	var out, title string
	var threshold float64
	var maxGroups int
	var dropBoilerplate bool
	c := &cobra.Command{
		Use:   "report [flags] INPUT... -o report.html",
		Short: "Write a self-contained HTML page of shared passages, timelines and near-duplicates",
		Long:  reportLong,
		Example: `  reprint report --meta testdata/news-meta.jsonl testdata/news -o news.html
  reprint report --title "Wire copy, October" corpus.jsonl -o report.html`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageErr("no -o FILE given for the report")
			}
			if err := checkOutputs(args, map[string]string{"-o": out}); err != nil {
				return err
			}
			opt, err := al.options()
			if err != nil {
				return err
			}
			if threshold <= 0 || threshold > 1 {
				return usageErr("--threshold %v: must be in (0, 1]", threshold)
			}
			opt.Excerpts, opt.DropBoilerplate = true, dropBoilerplate
			r, err := in.reuse(cmd, args, opt)
			if err != nil {
				return err
			}
			defer r.corpus.Close()
			// The clusters come from the same corpus, read again; its
			// problems were already reported by the reuse pass.
			nd, err := neardup.Run(cmd.Context(), r.corpus, neardup.Options{Threshold: threshold, Workers: in.workers})
			if err != nil {
				return err
			}
			// Stories, from the same corpus read again, with the copies
			// inside each from the passages just found.
			scan, _ := stories.ScanCorpus(cmd.Context(), r.corpus, r.meta, in.workers, nil)
			st, err := stories.BuildScan(scan, stories.Options{Workers: in.workers})
			if err != nil {
				return err
			}
			stories.AddCopies(st.Stories, r.result.Passages)
			// Repeated text, for the section on what dedup-by-span would
			// remove; its problems too were reported already.
			rep, err := repeats.Run(cmd.Context(), r.corpus, repeats.Options{Workers: in.workers})
			if err != nil {
				return err
			}
			if title == "" {
				title = fmt.Sprintf("Reused text in %d documents", len(r.result.Docs))
			}
			w, done, err := openOut(cmd, out)
			if err != nil {
				return err
			}
			bw := bufio.NewWriterSize(w, 1<<20)
			err = report.Write(bw, report.Input{
				Title: title, Inputs: args, Reuse: r.result, MaxGroups: maxGroups,
				Clusters: nd.Clusters(cluster.KeepEarliest, cluster.ModeGreedy), Threshold: threshold,
				Stories: &st, Repeats: rep,
			})
			if err == nil {
				err = bw.Flush()
			}
			if err := done(err); err != nil {
				return err
			}
			in.summary(cmd.ErrOrStderr(), "report", r, map[string]any{"report": out, "near-duplicate clusters": len(nd.Clusters(cluster.KeepEarliest, cluster.ModeGreedy))})
			return r.exitFor()
		},
	}
	al.register(c)
	in.register(c)
	fs := c.Flags()
	fs.StringVarP(&out, "output", "o", "", "write the HTML report to this file (required)")
	fs.StringVar(&title, "title", "", "the page's title (default: \"Reused text in N documents\")")
	fs.Float64Var(&threshold, "threshold", 0.8, "Jaccard threshold of the near-duplicate clusters")
	fs.IntVar(&maxGroups, "max-groups", 300, "shared texts shown in full; the rest are counted")
	fs.BoolVar(&dropBoilerplate, "drop-boilerplate", false, "leave out boilerplate passages")
	return c
}
