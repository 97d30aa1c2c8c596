// Command reprint-repeats measures `reprint repeats` against `reprint pairs`
// on the same corpus in one run, checks it against an exact oracle, and
// checks that a run under a memory limit a tenth of the corpus gives the
// same spans.
//
//   - Speed: each system runs as its own child process, one after another,
//     -runs times after the corpus has been read once to warm the page
//     cache; the median wall and CPU (user+system) seconds and the peak RSS
//     are reported, and repeats' time as a multiple of pairs'. On a shared
//     machine CPU time is the steadier figure.
//   - Memory: `reprint repeats --mem-limit SIZE/10 --tmp-dir` on the same
//     corpus; its --spans file must equal the unlimited run's byte for
//     byte, and its peak RSS is reported beside the limit.
//   - Peak RSS is the children's (getrusage), in MB of 10^6 bytes, the
//     unit of the limit and of the corpus size (getrusage counts KiB; until
//     2026-12-01 the table showed KiB/1024, MiB, as MB). The binary alone,
//     on a one-line corpus with the same limit, takes 30 to 50 MB; the
//     limited run's RSS above that is what the limit governs.
//   - Oracle: the first -oracle-docs documents are written to a small
//     corpus, and the spans of `reprint repeats` on it are compared with
//     the oracle's (oracle.go): every window of --min-words normalized
//     words as a string key in a map to its first place in keep order, no
//     hashing, no sorting, no spilling. Same spans means the same lines.
//
// The corpus is a JSONL file: -corpus (for example long.jsonl, built by
// reprint-realtext -build from the Debian changelogs and copyright files),
// or -gen N for N documents of gen.Repeats (planted repeats).
//
// Google's deduplicate-text-datasets (ExactSubstr) is not run: it is Rust
// (a suffix-array builder) driven by Python scripts with TensorFlow
// Datasets and other dependencies that the registries here do not serve.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/reprint/reprint/bench"
	"github.com/reprint/reprint/cluster"
	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/internal/atomicfile"
)

const usage = `reprint-repeats measures reprint repeats against reprint pairs, an exact oracle and a memory limit.

Usage:
  go build -o /tmp/reprint ./cmd/reprint                     # in the repository root
  cd bench && go run ./cmd/reprint-repeats -reprint /tmp/reprint -corpus /tmp/realtext/long.jsonl -dir /tmp/rr

Flags:
`

func main() {
	fs := flag.NewFlagSet("reprint-repeats", flag.ExitOnError)
	fs.Usage = func() { fmt.Fprint(fs.Output(), usage); fs.PrintDefaults() }
	reprint := fs.String("reprint", "", "reprint binary (required)")
	corpusPath := fs.String("corpus", "", "JSONL corpus to measure on")
	genDocs := fs.Int("gen", 0, "instead of -corpus: generate this many documents with planted repeats (gen.Repeats)")
	dir := fs.String("dir", "", "folder for outputs and generated corpora (required)")
	runs := fs.Int("runs", 3, "runs of each system; the median is reported")
	minWords := fs.Int("min-words", 50, "--min-words for repeats and the oracle")
	oracleDocs := fs.Int("oracle-docs", 1000, "documents of the corpus the oracle checks (0: skip the oracle)")
	childGen := fs.String("child-gen", "", "internal: write the -gen corpus to this file and exit")
	fs.Parse(os.Args[1:])
	if *childGen != "" {
		if err := writeGen(*childGen, *genDocs); err != nil {
			fail(err)
		}
		return
	}
	if *reprint == "" || *dir == "" || (*corpusPath == "") == (*genDocs == 0) {
		fs.Usage()
		os.Exit(2)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fail(err)
	}
	path := *corpusPath
	if *genDocs > 0 {
		path = filepath.Join(*dir, fmt.Sprintf("planted-%d.jsonl", *genDocs))
		// Generated in a child: a child's peak RSS starts from this
		// process's high-water mark (os/exec clones the address space and
		// exec keeps its peak), so this process must stay small.
		self, err := os.Executable()
		if err == nil {
			_, _, _, _, err = exe(self, "-gen", fmt.Sprint(*genDocs), "-child-gen", path)
		}
		if err != nil {
			fail(err)
		}
	}
	if err := measure(*reprint, path, *dir, *runs, *minWords, *oracleDocs, strings.Join(os.Args, " ")); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "reprint-repeats:", err)
	os.Exit(1)
}

// writeGen writes a gen.Repeats corpus of n documents as JSONL.
func writeGen(path string, n int) error {
	docs, _, err := gen.Repeats(gen.RepeatsConfig{Seed: 1, Docs: n, Spans: max(n/10, 1), SpanWords: 120, MaxCopies: 8, SelfRepeats: n / 100, WholeDocs: n / 50})
	if err != nil {
		return err
	}
	f, err := atomicfile.Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, d := range docs {
		if err := enc.Encode(d); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Commit()
}

// exe runs a command (bench.Run) and returns its stdout, wall time, CPU
// time (user and system) and peak RSS.
func exe(name string, args ...string) (stdout []byte, wall, cpu, rssMB float64, err error) {
	c, err := bench.Run(name, args...)
	return c.Stdout, c.Wall.Seconds(), c.CPU.Seconds(), float64(c.PeakKiB) * 1024 / 1e6, err
}

type row struct {
	name        string
	walls, cpus []float64
	rss         float64
}

func median(x []float64) float64 {
	x = slices.Clone(x)
	slices.Sort(x)
	return x[len(x)/2]
}

func measure(reprint, path, dir string, runs, minWords, oracleDocs int, cmdline string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if f, err := os.Open(path); err == nil { // warm the page cache
		io.Copy(io.Discard, f)
		f.Close()
	}
	mw := fmt.Sprint(minWords)
	spans := filepath.Join(dir, "spans.jsonl")
	pairs := &row{name: "reprint pairs"}
	rep := &row{name: "reprint repeats --spans"}
	var summary map[string]any
	for r := 0; r < runs; r++ {
		_, wall, cpu, rss, err := exe(reprint, "pairs", "-q", path, "-o", filepath.Join(dir, "pairs.jsonl"))
		if err != nil {
			return err
		}
		pairs.walls, pairs.cpus, pairs.rss = append(pairs.walls, wall), append(pairs.cpus, cpu), max(pairs.rss, rss)
		cmd := exec.Command(reprint, "repeats", "--json", "--min-words", mw, path, "--spans", spans)
		var se bytes.Buffer
		cmd.Stderr = &se
		t0 := time.Now()
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("repeats: %v\n%s", err, se.String())
		}
		wall = time.Since(t0).Seconds()
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		rep.walls = append(rep.walls, wall)
		rep.cpus = append(rep.cpus, time.Duration(ru.Utime.Nano()+ru.Stime.Nano()).Seconds())
		rep.rss = max(rep.rss, peakMB(ru))
		summary = map[string]any{}
		json.Unmarshal(se.Bytes(), &summary)
	}
	mb := float64(fi.Size()) / 1e6
	var b strings.Builder
	fmt.Fprintf(&b, "Command: `%s`\n\n", cmdline)
	fmt.Fprintf(&b, "Machine: %d cores (GOMAXPROCS %d), %s, %s; %s; median of %d runs each, systems run one after another.\n\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOARCH, time.Now().UTC().Format("2006-01-02 15:04 UTC"), runs)
	fmt.Fprintf(&b, "Corpus: %s, %.1f MB; --min-words %d.\n\n", filepath.Base(path), mb, minWords)
	fmt.Fprintln(&b, "| system | wall s | CPU s | MB/s (wall) | MB per CPU s | peak RSS MB | wall × pairs | CPU × pairs |")
	fmt.Fprintln(&b, "|---|---|---|---|---|---|---|---|")
	for _, r := range []*row{pairs, rep} {
		fmt.Fprintf(&b, "| %s | %.2f | %.2f | %.1f | %.1f | %.0f | %.2f | %.2f |\n", r.name, median(r.walls), median(r.cpus),
			mb/median(r.walls), mb/median(r.cpus), r.rss, median(r.walls)/median(pairs.walls), median(r.cpus)/median(pairs.cpus))
	}
	if st, ok := summary["stats"].(map[string]any); ok {
		fmt.Fprintf(&b, "\nRepeats: %v kept spans, %v occurrences removed, %v of %v words, %v bytes = %.2f%% of the text; %v documents touched, %v emptied; stages (wall s): %v.\n",
			st["spans"], st["occurrences_removed"], st["span_words"], st["words"], st["span_bytes"], 100*summary["share_removed"].(float64),
			st["documents_touched"], st["documents_emptied"], st["seconds"])
	}

	// The same spans within a tenth of the corpus's size.
	limit := fi.Size() / 10
	limited := filepath.Join(dir, "spans-limited.jsonl")
	tmp := filepath.Join(dir, "tmp")
	os.MkdirAll(tmp, 0o755)
	cmd := exec.Command(reprint, "repeats", "--json", "--min-words", mw, "--mem-limit", fmt.Sprint(limit), "--tmp-dir", tmp, path, "--spans", limited)
	var se bytes.Buffer
	cmd.Stderr = &se
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("repeats --mem-limit: %v\n%s", err, se.String())
	}
	wall := time.Since(t0).Seconds()
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	var ls map[string]any
	json.Unmarshal(se.Bytes(), &ls)
	runsSpilled := any("?")
	if st, ok := ls["stats"].(map[string]any); ok {
		runsSpilled = st["spilled_runs"]
	}
	a, _ := os.ReadFile(spans)
	c, _ := os.ReadFile(limited)
	// What the binary holds before any corpus: the same run on one line.
	tiny := filepath.Join(dir, "one-line.jsonl")
	os.WriteFile(tiny, []byte(`{"id":"a","text":"one line"}`+"\n"), 0o644)
	baseRSS := math.Inf(1)
	for range 3 {
		_, _, _, r, err := exe(reprint, "repeats", "-q", "--mem-limit", fmt.Sprint(limit), tiny, "--spans", os.DevNull)
		if err != nil {
			return err
		}
		baseRSS = min(baseRSS, r)
	}
	rss := peakMB(ru)
	fmt.Fprintf(&b, "\n--mem-limit %.1f MB (a tenth of the corpus): %.2f s wall, %.2f s CPU, peak RSS %.1f MB (%.2f× the limit), of which %.0f MB is the binary on a one-line corpus (%.1f MB above it), %v runs spilled; spans identical to the unlimited run: %v.\n",
		float64(limit)/1e6, wall, time.Duration(ru.Utime.Nano()+ru.Stime.Nano()).Seconds(), rss, rss*1e6/float64(limit), baseRSS, rss-baseRSS, runsSpilled, bytes.Equal(a, c))

	if oracleDocs > 0 {
		small := filepath.Join(dir, "oracle-corpus.jsonl")
		n, err := head(path, small, oracleDocs)
		if err != nil {
			return err
		}
		out := filepath.Join(dir, "spans-small.jsonl")
		if _, _, _, _, err := exe(reprint, "repeats", "-q", "--min-words", mw, small, "--spans", out); err != nil {
			return err
		}
		got, _ := os.ReadFile(out)
		t0 := time.Now()
		want, words, err := oracleFile(small, minWords, cluster.KeepEarliest)
		if err != nil {
			return err
		}
		ot := time.Since(t0).Seconds()
		var wantBuf bytes.Buffer
		enc := json.NewEncoder(&wantBuf)
		enc.SetEscapeHTML(false)
		for _, s := range want {
			enc.Encode(s)
		}
		same := bytes.Equal(got, wantBuf.Bytes())
		fmt.Fprintf(&b, "\nOracle (first %d documents, %d words; exact string keys, %.1f s): %d spans; reprint: %d spans; identical lines: %v.\n",
			n, words, ot, len(want), bytes.Count(got, []byte("\n")), same)
		if !same {
			if err := atomicfile.WriteFile(filepath.Join(dir, "spans-oracle.jsonl"), wantBuf.Bytes()); err != nil {
				return err
			}
		}
	}
	fmt.Print(b.String())
	return nil
}

// head copies the first n lines of src to dst and returns how many it
// copied.
func head(src, dst string, n int) (int, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := atomicfile.Create(dst)
	if err != nil {
		return 0, err
	}
	defer out.Abort()
	r := bufio.NewReaderSize(in, 1<<20)
	w := bufio.NewWriter(out)
	k := 0
	for ; k < n; k++ {
		line, err := r.ReadBytes('\n')
		w.Write(line)
		if err != nil {
			break
		}
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	return k, out.Commit()
}

// peakMB is a child's peak RSS in MB (10^6 bytes, as the limits and corpus
// sizes are given); getrusage reports KiB.
func peakMB(ru *syscall.Rusage) float64 { return float64(ru.Maxrss) * 1024 / 1e6 }
