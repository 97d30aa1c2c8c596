package main

import (
	"fmt"

	"github.com/reprint/reprint/cluster"
	"github.com/reprint/reprint/corpus"
	"github.com/spf13/cobra"
)

const dedupLong = `Write the corpus with its near-duplicates removed.

The kept documents go to -o in the input's format: JSONL records byte for
byte as read (compressed when OUT ends in .gz or .zst), Parquet rows with the
input's schema, or, for folders of text files, a folder of copies. Records
that could not be used (reported on stderr) are passed through unchanged:
dedup only ever removes near-duplicates of a kept document.

Which document of a group stays is --keep:
  earliest  the earliest dated, then the longest, then the smallest ID (default)
  longest   the longest, then the smallest ID
  first     the one read first

Clusters do not chain: documents are taken in keep order, and one is kept
unless an already kept document is its near-duplicate; then it is removed
and listed under the most similar kept one. So every removed document is
within the threshold of the document kept for it. --cluster components gives
transitive clusters (connected components) instead.

--clusters FILE writes one JSON line per cluster of two or more documents:

  {"kept": ID, "removed": [{"id": ID, "jaccard": J to the kept one}, ...]}`

func newDedupCmd() *cobra.Command {
	var f detectFlags
	var out, clustersOut, keep, mode, textOut string
	c := &cobra.Command{
		Use:   "dedup [flags] INPUT... -o OUT",
		Short: "Write the corpus without its near-duplicates",
		Long:  dedupLong,
		Example: `  reprint dedup testdata/news -o /tmp/news-dedup --clusters /tmp/clusters.jsonl
  reprint dedup crawl.jsonl.zst -o kept.jsonl.zst --keep longest`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageErr("-o OUT is required: the file or folder for the kept documents")
			}
			if err := checkOutputs(args, map[string]string{"--clusters": clustersOut, "--text-out": textOut}); err != nil {
				return err
			}
			f.check = func(c *corpus.Corpus) error {
				if err := c.CheckCopy(out); err != nil {
					return usageErr("-o %v", err)
				}
				return nil
			}
			kp, err := cluster.ParseKeep(keep)
			if err != nil {
				return usageErr("--keep %q: want earliest, longest or first", keep)
			}
			cm, err := cluster.ParseMode(mode)
			if err != nil {
				return usageErr("--cluster %q: want greedy or components", mode)
			}
			d, err := f.detect(cmd, args)
			if err != nil {
				return err
			}
			defer d.corpus.Close()
			defer d.result.Close()
			removed := d.result.RemovedSeqs(kp, cm)
			written, err := d.corpus.Copy(cmd.Context(), func(seq int) bool { return !removed[seq] }, out)
			if err != nil {
				return fmt.Errorf("writing %s: %w", out, err)
			}
			extra := map[string]any{}
			if textOut != "" {
				n, err := d.corpus.CopyDocs(cmd.Context(), func(seq int) bool { return !removed[seq] }, textOut, max(f.workers, 1))
				if err != nil {
					return fmt.Errorf("writing %s: %w", textOut, err)
				}
				extra["text written"] = n
			}
			clusters := d.result.Clusters(kp, cm)
			if clustersOut != "" {
				if err := writeJSONL(cmd, clustersOut, clusters); err != nil {
					return err
				}
			}
			extra["clusters"], extra["removed"], extra["written"], extra["output"] = len(clusters), len(removed), written, out
			f.summary(cmd.ErrOrStderr(), "dedup", d, extra)
			return d.exitFor()
		},
	}
	f.register(c)
	fs := c.Flags()
	fs.StringVarP(&out, "output", "o", "", "where the kept documents go (file for JSONL/Parquet, folder for text folders)")
	fs.StringVar(&clustersOut, "clusters", "", "write the clusters as JSONL to this file (- for stdout)")
	fs.StringVar(&keep, "keep", "earliest", "which document of a cluster stays: earliest, longest or first")
	fs.StringVar(&mode, "cluster", "greedy", "greedy (no chaining) or components (transitive)")
	fs.BoolVar(&f.force, "force", false, "replace the output folder (for a folder of text files) when it already holds files; the new one is complete before the old one goes")
	fs.StringVar(&textOut, "text-out", "", "also write the text that was compared (for HTML and WARC input: the extracted main text) of every kept document, as JSONL {id, text, date, source, url, text_of}, to this file (.jsonl, .gz or .zst)")
	return c
}
