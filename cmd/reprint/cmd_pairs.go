package main

import (
	"github.com/spf13/cobra"
)

const pairsLong = `Find every pair of near-duplicate documents among the inputs.

Output, to stdout or -o FILE, one JSON object a line, sorted by a then b,
with a < b byte-wise:

  {"a": ID, "b": ID, "jaccard": J, "containment_a": |A∩B|/|A|, "containment_b": |A∩B|/|B|}

jaccard is the exact Jaccard similarity of the two documents' shingle sets;
every pair the index finds at or above --threshold is listed, and none below.
A summary (documents, skipped records with reasons, pairs, MB/s) goes to
stderr; --json prints it as JSON.`

func newPairsCmd() *cobra.Command {
	var f detectFlags
	var out string
	c := &cobra.Command{
		Use:   "pairs [flags] INPUT...",
		Short: "List near-duplicate pairs as JSONL",
		Long:  pairsLong,
		Example: `  reprint pairs testdata/news
  reprint pairs --threshold 0.7 corpus.jsonl.zst -o pairs.jsonl
  zcat docs.jsonl.gz | reprint pairs --text-field content -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutputs(args, map[string]string{"-o": out}); err != nil {
				return err
			}
			f.onePass = true // pairs never reads its input again
			d, err := f.detect(cmd, args)
			if err != nil {
				return err
			}
			defer d.corpus.Close()
			defer d.result.Close()
			if err := writeJSONL(cmd, out, d.result.Pairs()); err != nil {
				return err
			}
			f.summary(cmd.ErrOrStderr(), "pairs", d, nil)
			return d.exitFor()
		},
	}
	f.register(c)
	c.Flags().StringVarP(&out, "output", "o", "", "write pairs to this file instead of stdout")
	return c
}
