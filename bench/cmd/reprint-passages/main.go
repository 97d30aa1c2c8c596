// Command reprint-passages is the end-to-end benchmark of "reprint reuse":
// it generates one deterministic corpus with package gen (near-duplicate
// families, exact duplicates, and passages inserted into unrelated
// documents at known byte spans, edited), runs "reprint reuse" and, on the
// same corpus, "reprint pairs" for comparison, each as a child process, and
// scores the passages against the generator's truth.
//
// Scoring: a true passage of at least -min-words words whose edits
// (substitutions, insertions, deletions) are at most 10% of its words is
// eligible; it is found when a reported passage between the same two
// documents overlaps it in both. Its boundary error is the largest of the
// four distances, in words, between a reported boundary and the true one
// (the best reported passage counts). A reported passage between two
// documents that nothing in the truth connects (no family, exact copy or
// inserted passage, directly or through others) is false. Wall time, MB/s
// and peak memory (the child's own Maxrss) are per command, end to end.
//
// Systems run one after another, never at once; the corpus is read once
// before the first to warm the page cache.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"syscall"
	"time"

	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/token"
)

const usage = `reprint-passages generates a corpus with known inserted passages, runs
"reprint reuse" and "reprint pairs" on it, and reports passage recall,
boundary error, false passages, throughput and peak memory.

Usage:
  go build -o /tmp/reprint ./cmd/reprint        # in the repository root
  cd bench && go run ./cmd/reprint-passages -reprint /tmp/reprint

Flags:
`

type passage struct {
	A      string `json:"a"`
	AStart int    `json:"a_start"`
	AEnd   int    `json:"a_end"`
	B      string `json:"b"`
	BStart int    `json:"b_start"`
	BEnd   int    `json:"b_end"`
	Words  int    `json:"words"`
}

func main() {
	var (
		n, passages, words, minWords, workers int
		edit                                  float64
		seed                                  uint64
		bin, work                             string
		keep                                  bool
	)
	flag.IntVar(&n, "docs", 50000, "documents to generate")
	flag.IntVar(&passages, "passages", 2000, "passages inserted into unrelated documents")
	flag.IntVar(&words, "passage-words", 30, "words per inserted passage")
	flag.Float64Var(&edit, "passage-edit", 0.1, "per-word edit rate of inserted passages")
	flag.IntVar(&minWords, "min-words", 30, "shortest true passage scored")
	flag.IntVar(&workers, "workers", 0, "--workers for reprint (0: all cores)")
	flag.Uint64Var(&seed, "seed", 1, "generator seed")
	flag.StringVar(&bin, "reprint", "", "the reprint binary (required)")
	flag.StringVar(&work, "work", "", "working directory (default: a new temp dir)")
	flag.BoolVar(&keep, "keep", false, "keep the working directory")
	flag.Usage = func() { fmt.Fprint(os.Stderr, usage); flag.PrintDefaults() }
	flag.Parse()
	if bin == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(n, passages, words, minWords, workers, edit, seed, bin, work, keep); err != nil {
		fmt.Fprintln(os.Stderr, "reprint-passages:", err)
		os.Exit(1)
	}
}

func run(n, npass, words, minWords, workers int, edit float64, seed uint64, bin, work string, keep bool) error {
	if work == "" {
		d, err := os.MkdirTemp("", "reprint-passages-")
		if err != nil {
			return err
		}
		work = d
	}
	if !keep {
		defer os.RemoveAll(work)
	}
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Seed, cfg.Passages, cfg.PassageWords, cfg.PassageEditRate = n, seed, npass, words, edit
	corpusPath := filepath.Join(work, "corpus.jsonl")
	t0 := time.Now()
	truth, err := gen.WriteFile(corpusPath, cfg)
	if err != nil {
		return err
	}
	fi, _ := os.Stat(corpusPath)
	fmt.Fprintf(os.Stderr, "generated %d documents, %.1f MB, %d passages in %.1fs\n", n, float64(fi.Size())/1e6, len(truth.Passages), time.Since(t0).Seconds())
	warm(corpusPath)

	w := fmt.Sprint(workers)
	reuseOut := filepath.Join(work, "passages.jsonl")
	rs, err := exe(bin, "reuse", "--json", "--workers", w, corpusPath, "-o", reuseOut)
	if err != nil {
		return fmt.Errorf("reuse: %v", err)
	}
	ps, err := exe(bin, "pairs", "--json", "--workers", w, corpusPath, "-o", filepath.Join(work, "pairs.jsonl"))
	if err != nil {
		return fmt.Errorf("pairs: %v", err)
	}
	got, err := readPassages(reuseOut)
	if err != nil {
		return err
	}
	sc, err := score(corpusPath, truth, got, minWords)
	if err != nil {
		return err
	}
	mb := float64(fi.Size()) / 1e6
	fmt.Printf("corpus: %d documents, %.1f MB JSONL (gen seed %d, %d passages of %d words, edit rate %.2f; families and exact duplicates as gen.DefaultConfig)\n\n",
		n, mb, seed, len(truth.Passages), words, edit)
	fmt.Printf("| measure | value |\n|---|---|\n")
	fmt.Printf("| eligible passages (>= %d words, <= 10%% of words edited) | %d |\n", minWords, sc.eligible)
	fmt.Printf("| passage recall | %.4f (%d found) |\n", float64(sc.found)/float64(max(sc.eligible, 1)), sc.found)
	fmt.Printf("| recall, all inserted passages | %.4f (%d of %d) |\n", float64(sc.foundAll)/float64(max(len(truth.Passages), 1)), sc.foundAll, len(truth.Passages))
	fmt.Printf("| median boundary error (words, worst of 4 ends) | %.1f |\n", sc.median)
	fmt.Printf("| 90th percentile boundary error (words) | %.1f |\n", sc.p90)
	fmt.Printf("| passages reported | %d |\n", len(got))
	fmt.Printf("| false passages (documents the truth does not connect) | %d |\n", sc.falses)
	fmt.Printf("\n| command | wall s | MB/s | peak RSS MB |\n|---|---|---|---|\n")
	fmt.Printf("| reprint reuse | %.2f | %.1f | %.0f |\n", rs.wall, mb/rs.wall, rs.rssMB)
	fmt.Printf("| reprint pairs | %.2f | %.1f | %.0f |\n", ps.wall, mb/ps.wall, ps.rssMB)
	fmt.Printf("\nreuse summary: %s\npairs summary: %s\n", bytes.TrimSpace(rs.stderr), bytes.TrimSpace(ps.stderr))
	return nil
}

type result struct {
	stderr      []byte
	wall, rssMB float64
}

func exe(name string, args ...string) (result, error) {
	cmd := exec.Command(name, args...)
	var eb bytes.Buffer
	cmd.Stderr = &eb
	t0 := time.Now()
	err := cmd.Run()
	r := result{stderr: eb.Bytes(), wall: time.Since(t0).Seconds()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && cmd.ProcessState != nil {
		r.rssMB = float64(ru.Maxrss) / 1024 // KiB on Linux
	}
	if err != nil {
		return r, fmt.Errorf("%v: %s", err, eb.String())
	}
	return r, nil
}

func warm(path string) {
	f, err := os.Open(path)
	if err == nil {
		io.Copy(io.Discard, f)
		f.Close()
	}
}

func readPassages(path string) ([]passage, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []passage
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var p passage
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		out = append(out, p)
	}
	return out, sc.Err()
}

type scores struct {
	eligible, found, foundAll, falses int
	median, p90                       float64
}

func score(corpusPath string, truth gen.Truth, got []passage, minWords int) (scores, error) {
	// Texts of the documents in true passages, for word positions.
	need := map[string]string{}
	for _, p := range truth.Passages {
		need[p.Source], need[p.Target] = "", ""
	}
	f, err := os.Open(corpusPath)
	if err != nil {
		return scores{}, err
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var d gen.Doc
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			f.Close()
			return scores{}, err
		}
		if _, ok := need[d.ID]; ok {
			need[d.ID] = d.Text
		}
	}
	f.Close()
	tz := token.New()
	toks := map[string][]token.Token{}
	wordAt := func(id string, off int) int {
		ts, ok := toks[id]
		if !ok {
			ts = tz.Tokens(need[id], 0, nil)
			toks[id] = ts
		}
		return sort.Search(len(ts), func(i int) bool { return ts[i].Start >= off })
	}
	type key struct{ a, b string }
	byPair := map[key][]int{}
	for i, p := range got {
		byPair[key{p.A, p.B}] = append(byPair[key{p.A, p.B}], i)
	}
	var s scores
	var errs []int
	for _, tp := range truth.Passages {
		a, as, ae, b, bs, be := tp.Source, tp.SourceStart, tp.SourceEnd, tp.Target, tp.TargetStart, tp.TargetEnd
		if a > b {
			a, as, ae, b, bs, be = b, bs, be, a, as, ae
		}
		best := -1
		for _, i := range byPair[key{a, b}] {
			p := got[i]
			if p.AStart >= ae || p.AEnd <= as || p.BStart >= be || p.BEnd <= bs {
				continue
			}
			e := max(abs(wordAt(a, p.AStart)-wordAt(a, as)), abs(wordAt(a, p.AEnd)-wordAt(a, ae)),
				abs(wordAt(b, p.BStart)-wordAt(b, bs)), abs(wordAt(b, p.BEnd)-wordAt(b, be)))
			if best < 0 || e < best {
				best = e
			}
		}
		if best >= 0 {
			s.foundAll++
		}
		if tp.Words >= minWords && (tp.Subs+tp.Ins+tp.Dels)*10 <= tp.Words {
			s.eligible++
			if best >= 0 {
				s.found++
				errs = append(errs, best)
			}
		}
	}
	if len(errs) > 0 {
		slices.Sort(errs)
		s.median = float64(errs[len(errs)/2])
		if len(errs)%2 == 0 {
			s.median = float64(errs[len(errs)/2-1]+errs[len(errs)/2]) / 2
		}
		s.p90 = float64(errs[len(errs)*9/10])
	}
	// Documents the truth connects, directly or through others.
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok || p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	union := func(x, y string) { parent[find(x)] = find(y) }
	for _, fam := range truth.Families {
		for _, c := range fam.Copies {
			union(fam.Original, c.ID)
		}
	}
	for _, e := range truth.Exact {
		union(e.ID, e.Of)
	}
	for _, p := range truth.Passages {
		union(p.Source, p.Target)
	}
	for _, p := range got {
		if find(p.A) != find(p.B) {
			s.falses++
		}
	}
	return s, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
