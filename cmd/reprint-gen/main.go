// Command reprint-gen writes a deterministic synthetic corpus with known
// near-duplicates, exact duplicates and inserted passages, and the ground
// truth describing them. It is a thin wrapper around package gen.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/reprint/reprint/gen"
)

const usage = `reprint-gen writes a deterministic synthetic corpus for testing and
benchmarking reprint: the same seed and options give byte-identical output.

Usage:
  reprint-gen [flags] -o corpus.jsonl [-truth truth.jsonl]
  reprint-gen [flags] -dir folder     [-truth truth.jsonl]

The corpus mixes unrelated documents (text drawn from a synthetic Zipf-like
vocabulary of 50,000 pseudo-words), near-duplicate families (an original and
copies edited at a per-copy rate uniform in [0, -edit]: word substitutions,
insertions, deletions and sentence moves), exact duplicates (identical bytes,
or differing only in case, whitespace or curly quotes) and passages of
-passage-words words copied from one document into another.

JSONL lines are {"id":"d0000123","text":...,"date":"YYYY-MM-DD","source":...};
-o names ending in .gz or .zst are compressed; -o - is standard output.
-dir writes one ID.txt per document, starting with a " date YYYY-MM-DD " header
(so byte offsets there are those of the JSON text plus 17).
The truth file is JSONL: a "config" record, then "family", "exact" and
"passage" records (passage spans are byte offsets into the documents' text).

Flags:
`

func main() {
	cfg := gen.DefaultConfig()
	fs := flag.NewFlagSet("reprint-gen", flag.ExitOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	fs.IntVar(&cfg.Docs, "n", cfg.Docs, "number of documents")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	fs.IntVar(&cfg.MeanWords, "words", cfg.MeanWords, "mean document length in words")
	fs.Float64Var(&cfg.FamilyShare, "family", cfg.FamilyShare, "share of documents in near-duplicate families")
	fs.Float64Var(&cfg.FamilySize, "family-size", cfg.FamilySize, "mean family size, original included (>= 2)")
	fs.Float64Var(&cfg.EditRate, "edit", cfg.EditRate, "largest per-copy edit rate (per-word chance of an edit)")
	fs.Float64Var(&cfg.ExactShare, "exact", cfg.ExactShare, "share of documents that are exact duplicates")
	fs.IntVar(&cfg.Passages, "passages", cfg.Passages, "number of inserted passages")
	fs.IntVar(&cfg.PassageWords, "passage-words", cfg.PassageWords, "words per inserted passage")
	fs.Float64Var(&cfg.PassageEditRate, "passage-edit", cfg.PassageEditRate, "edit rate applied to inserted passages")
	out := fs.String("o", "", "write the corpus as JSONL to this file (.gz, .zst compress; - for stdout)")
	dir := fs.String("dir", "", "write the corpus as a folder of .txt files")
	truthPath := fs.String("truth", "", "write the ground truth as JSONL to this file")
	quiet := fs.Bool("q", false, "print no summary")
	fs.Parse(os.Args[1:])
	if (*out == "") == (*dir == "") || fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "reprint-gen: give exactly one of -o FILE or -dir FOLDER (see -help)")
		os.Exit(2)
	}
	if err := run(cfg, *out, *dir, *truthPath, *quiet); err != nil {
		fmt.Fprintln(os.Stderr, "reprint-gen:", err)
		os.Exit(1)
	}
}

func run(cfg gen.Config, out, dir, truthPath string, quiet bool) error {
	start := time.Now()
	var truth gen.Truth
	var err error
	if dir != "" {
		truth, err = gen.WriteDir(dir, cfg)
	} else {
		truth, err = gen.WriteFile(out, cfg)
	}
	if err != nil {
		return err
	}
	if truthPath != "" {
		w, err := gen.Create(truthPath)
		if err != nil {
			return err
		}
		if err := gen.WriteTruth(w, truth); err != nil {
			w.Abort()
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
	}
	if !quiet {
		copies := 0
		for _, f := range truth.Families {
			copies += len(f.Copies)
		}
		fmt.Fprintf(os.Stderr, "reprint-gen: %d documents (%d families with %d copies, %d exact duplicates, %d passages) in %.1fs\n",
			cfg.Docs, len(truth.Families), copies, len(truth.Exact), len(truth.Passages), time.Since(start).Seconds())
	}
	return nil
}
