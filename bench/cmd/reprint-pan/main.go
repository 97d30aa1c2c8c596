// Command reprint-pan measures the passage aligner alone on the PAN 2013
// text alignment training corpus: it reads docs.jsonl and pairs.tsv in
// place, tokenizes every document once with package token, aligns every
// listed (suspicious, source) pair with align.Prepare(susp).Pair(src) on all
// workers, writes the passages as reuse-shaped JSONL (byte offsets), scores
// them with the corpus's own plagdet.py and prints its per-sub-corpus table
// (plagdet, recall, precision, granularity) with the wall time, the pairs
// aligned and the time per pair.
//
// Aligning only the listed pairs isolates the aligner from candidate
// generation: a case the anchors never bring forward is not this command's
// concern, and the end-to-end "reprint reuse" run measures both. Output is
// sorted, so it is the same for any -workers.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/reprint/reprint/bench/pan"
	"github.com/reprint/reprint/internal/atomicfile"
)

const usage = `reprint-pan aligns the listed pairs of the PAN 2013 training corpus and
scores the passages with its plagdet.py.

Usage:
  cd bench && go run ./cmd/reprint-pan -data ../../shared/eval/pan13-train
  cd bench && go run ./cmd/reprint-pan -reprint /tmp/reprint     (end to end: reprint pairs beside reprint reuse)

Flags:
`

func main() {
	data := flag.String("data", "/work/shared/eval/pan13-train", "folder with docs.jsonl, pairs.tsv and plagdet.py")
	out := flag.String("o", "", "write the passages (JSONL) here; default a temporary file")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "alignment workers")
	per := flag.Int("per", 0, "align only the first N pairs of each sub-corpus (0: all)")
	cpuprof := flag.String("cpuprofile", "", "write a CPU profile of the alignment here")
	set := flag.String("set", "", "override align.Options fields: Field=value,Field=value")
	perPair := flag.Bool("per-pair", false, "with -candidates, read each pair's second document anew with PairText (as reuse does) instead of preparing every document once")
	ckeys := flag.Bool("content-keys", false, "with -candidates, add the pairs that share content keys (align.ContentKeys) to the anchor candidates")
	limit := flag.Int("limit", 0, "with -candidates, align only the first N candidate pairs (0: all)")
	cands := flag.Bool("candidates", false, "align every candidate pair of the whole corpus (align.Index over all documents, as reuse does) instead of the listed pairs")
	bin := flag.String("reprint", "", "end to end: run this reprint binary's pairs and reuse on the whole docs.jsonl, side by side, -runs times each, and score reuse's passages")
	runs := flag.Int("runs", 2, "with -reprint, runs of each command (alternating); the fastest is reported")
	extra := flag.String("reuse-flags", "", "with -reprint, extra flags for reprint reuse, space-separated")
	flag.Usage = func() {
		fmt.Fprint(flag.CommandLine.Output(), usage)
		flag.PrintDefaults()
	}
	flag.Parse()
	if *bin != "" {
		if err := endToEnd(*data, *bin, *runs, strings.Fields(*extra)); err != nil {
			fmt.Fprintln(os.Stderr, "reprint-pan:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*data, *out, *workers, *per, *cpuprof, *set, *cands, *limit, *perPair, *ckeys); err != nil {
		fmt.Fprintln(os.Stderr, "reprint-pan:", err)
		os.Exit(1)
	}
}

func run(data, out string, workers, per int, cpuprof, set string, cands bool, limit int, perPair, ckeys bool) error {
	opt, err := pan.Options(set)
	if err != nil {
		return err
	}
	t0 := time.Now()
	var c *pan.Corpus
	if cands {
		c, err = pan.LoadAll(data)
	} else {
		c, err = pan.Load(data, per)
	}
	if err != nil {
		return err
	}
	load := time.Since(t0)
	var pairs [][2]int
	var candTime time.Duration
	if cands {
		t := time.Now()
		pairs = c.Candidates(opt)
		if ckeys {
			byContent := c.ContentCandidates(opt)
			fmt.Printf("anchor candidates %d, content-key candidates %d\n", len(pairs), len(byContent))
			pairs = pan.Union(pairs, byContent)
		}
		candTime = time.Since(t)
		if limit > 0 && limit < len(pairs) {
			pairs = pairs[:limit]
		}
	}
	if cpuprof != "" {
		f, err := os.Create(cpuprof)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	t1 := time.Now()
	var ps []pan.Passage
	n := len(c.Pairs)
	if cands {
		ps = c.AlignCandidates(pairs, workers, opt, perPair)
		n = len(pairs)
	} else {
		ps = c.Align(workers, opt)
	}
	alignTime := time.Since(t1)
	if cpuprof != "" {
		pprof.StopCPUProfile()
	}
	if out == "" {
		dir, err := os.MkdirTemp("", "reprint-pan")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		out = filepath.Join(dir, "run.jsonl")
	}
	var buf bytes.Buffer
	if err := pan.WriteJSONL(&buf, ps); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(out, buf.Bytes()); err != nil {
		return err
	}
	table, err := c.Score(data, out)
	if err != nil {
		return err
	}
	what := "listed"
	if cands {
		what = "candidate"
	}
	fmt.Printf("corpus: %s, %d docs, %d %s pairs aligned, %d passages, %d workers\n",
		data, len(c.Docs), n, what, len(ps), workers)
	if cands {
		fmt.Printf("candidates (align.Index) %.2fs, ", candTime.Seconds())
	}
	fmt.Printf("load+tokenize %.2fs, align %.2fs, %.1f µs/pair\n\n",
		load.Seconds(), alignTime.Seconds(), float64(alignTime.Microseconds())/float64(max(1, n)))
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	writeTable(w, table)
	return nil
}

// writeTable prints plagdet's measures per sub-corpus as a markdown table.
func writeTable(w io.Writer, table map[string]pan.Measures) {
	fmt.Fprintf(w, "| sub-corpus | plagdet | recall | precision | granularity | cases | found | detections |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, name := range pan.Subcorpora {
		m, ok := table[name]
		if !ok {
			continue
		}
		fmt.Fprintf(w, "| %s | %.4f | %.3f | %.3f | %.3f | %d | %d | %d |\n", strings.TrimLeft(name, "0123456789-"),
			m.Plagdet, m.Recall, m.Precision, m.Granularity, m.Cases, m.Found, m.Detections)
	}
}
