package main

// End to end: the reprint binary's "pairs" and "reuse" on the whole corpus,
// each a child process, alternating, so that the ratio of their times is
// taken under the same load; then reuse's passages scored by plagdet.py.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/reprint/reprint/bench"
	"github.com/reprint/reprint/bench/pan"
)

// childRun is one child process's wall time, CPU (user + system) and peak
// RSS.
type childRun struct {
	wall, cpu time.Duration
	rssMB     float64
}

func runChild(bin string, args ...string) (childRun, []byte, error) {
	c, err := bench.Run(bin, args...)
	return childRun{wall: c.Wall, cpu: c.CPU, rssMB: float64(c.PeakKiB) / 1024}, c.Stderr, err
}

func better(a, b childRun) childRun {
	if a.wall == 0 || b.wall < a.wall {
		return b
	}
	return a
}

func endToEnd(data, bin string, runs int, extra []string) error {
	docs := filepath.Join(data, "docs.jsonl")
	dir, err := os.MkdirTemp("", "reprint-pan")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	raw, err := os.ReadFile(docs) // warm the page cache for both
	if err != nil {
		return err
	}
	var pairs, reuse childRun
	var summary []byte
	out := filepath.Join(dir, "run.jsonl")
	for range max(1, runs) {
		p, _, err := runChild(bin, "pairs", docs, "-o", filepath.Join(dir, "pairs.jsonl"), "-q")
		if err != nil {
			return err
		}
		pairs = better(pairs, p)
		args := append([]string{"reuse", docs, "-o", out, "--json"}, extra...)
		r, stderr, err := runChild(bin, args...)
		if err != nil {
			return err
		}
		reuse, summary = better(reuse, r), stderr
	}
	var st struct {
		Stats struct {
			Candidates int `json:"candidate_pairs"`
			Aligned    int `json:"pairs_aligned"`
			WithPass   int `json:"pairs_with_passages"`
			Passages   int `json:"passages"`
			Seconds    map[string]float64
		} `json:"stats"`
	}
	if err := json.Unmarshal(summary, &st); err != nil {
		return fmt.Errorf("reading reuse's --json summary: %v", err)
	}
	c := &pan.Corpus{}
	table, err := c.Score(data, out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fmt.Fprintf(w, "corpus: %s (%.1f MB), %s, best of %d runs each, alternating\n\n", docs, float64(len(raw))/1e6, bin, runs)
	fmt.Fprintf(w, "| command | wall | CPU | peak RSS | ratio to pairs (wall / CPU) |\n|---|---:|---:|---:|---:|\n")
	fmt.Fprintf(w, "| reprint pairs | %.2f s | %.2f s | %.0f MB | 1 |\n", pairs.wall.Seconds(), pairs.cpu.Seconds(), pairs.rssMB)
	fmt.Fprintf(w, "| reprint reuse %s | %.2f s | %.2f s | %.0f MB | %.1f× / %.1f× |\n\n", strings.Join(extra, " "), reuse.wall.Seconds(), reuse.cpu.Seconds(), reuse.rssMB,
		reuse.wall.Seconds()/pairs.wall.Seconds(), reuse.cpu.Seconds()/pairs.cpu.Seconds())
	align := st.Stats.Seconds["align"]
	fmt.Fprintf(w, "candidate pairs %d, aligned %d (the others' rare keys lie scattered; 0: a binary without the filter), with passages %d, passages %d; align stage %.2f s wall, %.1f µs wall per candidate pair; stages %v\n\n",
		st.Stats.Candidates, st.Stats.Aligned, st.Stats.WithPass, st.Stats.Passages, align, 1e6*align/float64(max(1, st.Stats.Candidates)), st.Stats.Seconds)
	writeTable(w, table)
	return nil
}
