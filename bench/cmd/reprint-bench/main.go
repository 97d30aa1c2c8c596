// Command reprint-bench runs reprint's end-to-end benchmark: it generates
// one deterministic corpus with package gen (or takes a JSONL corpus given
// with -input, such as the real-text corpora of reprint-realtext), then
// measures on it, side by
// side and in one run, the physical reference (read, split on bytes, xxh3,
// shingle-hash: the machine), the raw limit (read, decode, tokenize,
// shingle-hash with package token, nothing else), the exact oracle, the reprint binary and the MinHash-LSH
// peer, scores reprint and the peer against the oracle, and prints a
// markdown table.
//
// Each system runs as its own child process (this binary re-executed with
// -child, or the reprint binary), so wall time is end to end from process
// start and peak RSS is the child's own rusage Maxrss, not the
// benchmark's. Systems run one after another, never concurrently, and the
// corpus file is read once before the first to warm the page cache, so all
// read it from memory.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/reprint/reprint/bench"
	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/internal/atomicfile"
)

const usage = `reprint-bench generates a corpus and measures, in one run and on that
corpus: the physical reference (read + split on bytes + xxh3 + shingle-hash
with all cores, no decoding, no Unicode: bench.Physical), the raw limit (read +
JSON decode + tokenize + shingle-hash with all cores, nothing else), the exact all-pairs Jaccard oracle, the reprint binary
("reprint pairs") and the MinHash-LSH peer (github.com/ekzhu/minhash-lsh with
128 hash functions, candidates verified exactly). Recall and precision are
against the oracle. The markdown table goes to stdout and to -out.

Usage:
  go build -o /tmp/reprint ./cmd/reprint        # in the repository root
  cd bench && go run ./cmd/reprint-bench -reprint /tmp/reprint -out ../BENCHMARKS.md
  go run ./cmd/reprint-bench -reprint /tmp/reprint -input /tmp/realtext/long.jsonl   # a corpus of your own (id and text fields)

Flags:
`

type options struct {
	n         int
	seed      uint64
	threshold float64
	ngram     int
	hashes    int
	reprint   string
	input     string
	out       string
	work      string
	keep      bool
}

func main() {
	var o options
	fs := flag.NewFlagSet("reprint-bench", flag.ExitOnError)
	fs.Usage = func() { fmt.Fprint(fs.Output(), usage); fs.PrintDefaults() }
	fs.IntVar(&o.n, "n", 100000, "documents in the generated corpus")
	fs.Uint64Var(&o.seed, "seed", 1, "corpus seed")
	fs.Float64Var(&o.threshold, "threshold", 0.8, "Jaccard threshold")
	fs.IntVar(&o.ngram, "ngram", 5, "words per shingle")
	fs.IntVar(&o.hashes, "hashes", 128, "MinHash functions for the peer")
	fs.StringVar(&o.reprint, "reprint", "", "path to the built reprint binary (skipped when empty)")
	fs.StringVar(&o.out, "out", "", "also write the markdown report to this file")
	fs.StringVar(&o.input, "input", "", "measure on this JSONL corpus (fields id and text) instead of a generated one; -n and -seed are then unused")
	fs.StringVar(&o.work, "work", "", "folder for the corpus and pair files (default: a temporary folder)")
	fs.BoolVar(&o.keep, "keep", false, "keep the work folder")
	child := fs.String("child", "", "internal: run one system (physical, raw, oracle, peer) on -corpus")
	corpus := fs.String("corpus", "", "internal: the corpus for -child")
	pairsOut := fs.String("pairs", "", "internal: where -child writes its pairs")
	fs.Parse(os.Args[1:])
	var err error
	if *child != "" {
		err = runChild(*child, *corpus, *pairsOut, o)
	} else {
		err = run(o, strings.Join(os.Args, " "))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "reprint-bench:", err)
		os.Exit(1)
	}
}

// childResult is what a child prints on stdout.
type childResult struct {
	Docs       int     `json:"docs"`
	Bytes      int64   `json:"bytes"`
	Pairs      int     `json:"pairs"`
	ReadS      float64 `json:"read_s"`
	DecodeCPU  float64 `json:"decode_cpu_s"`
	TokenCPU   float64 `json:"tokenize_cpu_s"`
	JoinS      float64 `json:"join_s,omitempty"`
	InsertS    float64 `json:"insert_s,omitempty"`
	QueryS     float64 `json:"query_s,omitempty"`
	K          int     `json:"k,omitempty"`
	L          int     `json:"l,omitempty"`
	Candidates int64   `json:"candidates,omitempty"`
}

func runChild(mode, corpus, pairsPath string, o options) error {
	var res childResult
	var ids []string
	var pairs []bench.Pair
	var rs bench.ReadStats
	switch mode {
	case "physical":
		st, err := bench.Physical(corpus, o.ngram, 0)
		if err != nil {
			return err
		}
		rs = bench.ReadStats{Docs: st.Docs, Bytes: st.Bytes, Wall: st.Wall}
	case "raw":
		var err error
		sink := make([]uint64, runtime.GOMAXPROCS(0)*8)
		rs, err = bench.Scan(corpus, o.ngram, 0, func(w, _ int, _ string, sh []uint64) {
			sink[w*8] += uint64(len(sh)) // padded: no false sharing
		})
		if err != nil {
			return err
		}
	case "oracle":
		c, st, err := bench.Load(corpus, o.ngram)
		if err != nil {
			return err
		}
		rs, ids = st, c.IDs
		t0 := time.Now()
		pairs = bench.Oracle(c.Sets, o.threshold)
		res.JoinS = time.Since(t0).Seconds()
	case "peer":
		ps, c, st, err := bench.Peer(corpus, o.ngram, o.threshold, o.hashes)
		if err != nil {
			return err
		}
		rs, ids, pairs = st.Read, c.IDs, ps
		res.InsertS, res.QueryS = st.Insert.Seconds(), st.Query.Seconds()
		res.K, res.L, res.Candidates = st.K, st.L, st.Candidates
	default:
		return fmt.Errorf("unknown -child %q", mode)
	}
	res.Docs, res.Bytes, res.Pairs = rs.Docs, rs.Bytes, len(pairs)
	res.ReadS, res.DecodeCPU, res.TokenCPU = rs.Wall.Seconds(), rs.Decode.Seconds(), rs.Tokenize.Seconds()
	if pairsPath != "" {
		f, err := atomicfile.Create(pairsPath)
		if err != nil {
			return err
		}
		defer f.Abort()
		bw := bufio.NewWriter(f)
		for _, p := range pairs {
			fmt.Fprintf(bw, "%s\t%s\t%.6f\n", ids[p.A], ids[p.B], p.Jaccard)
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		if err := f.Commit(); err != nil {
			return err
		}
	}
	return json.NewEncoder(os.Stdout).Encode(res)
}

// system is one row of the report.
type system struct {
	name     string
	ran      bool
	note     string
	wall     float64
	cpu      float64
	rssMB    float64
	pairs    int
	scored   bool
	recall   float64
	prec     float64
	child    childResult
	summary  map[string]any // reprint's --json summary
	pairsSet map[bench.IDPair]bool
}

// exe runs a command (bench.Run) and returns its stdout, stderr, wall
// time, CPU time and peak RSS.
func exe(name string, args ...string) (stdout, stderr []byte, wall, cpu, rssMB float64, err error) {
	c, err := bench.Run(name, args...)
	return c.Stdout, c.Stderr, c.Wall.Seconds(), c.CPU.Seconds(), float64(c.PeakKiB) / 1024, err
}

func readTSVPairs(path string) (map[bench.IDPair]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[bench.IDPair]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) >= 2 {
			m[bench.MakeIDPair(fs[0], fs[1])] = true
		}
	}
	return m, sc.Err()
}

func readReprintPairs(path string) (map[bench.IDPair]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[bench.IDPair]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var p struct {
			A any `json:"a"`
			B any `json:"b"`
		}
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		m[bench.MakeIDPair(fmt.Sprint(p.A), fmt.Sprint(p.B))] = true
	}
	return m, sc.Err()
}

func run(o options, cmdline string) error {
	work := o.work
	if work == "" {
		d, err := os.MkdirTemp("", "reprint-bench-")
		if err != nil {
			return err
		}
		work = d
		if !o.keep {
			defer os.RemoveAll(work)
		}
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	corpus := filepath.Join(work, "corpus.jsonl")
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Seed = o.n, o.seed
	var truth gen.Truth
	if o.input != "" {
		corpus = o.input
	} else {
		logf("generating %d documents (seed %d) into %s", o.n, o.seed, corpus)
		t0 := time.Now()
		var err error
		if truth, err = gen.WriteFile(corpus, cfg); err != nil {
			return err
		}
		tw, err := gen.Create(filepath.Join(work, "truth.jsonl"))
		if err != nil {
			return err
		}
		if err := gen.WriteTruth(tw, truth); err != nil {
			tw.Abort()
			return err
		}
		if err := tw.Close(); err != nil {
			return err
		}
		logf("generated in %.1fs", time.Since(t0).Seconds())
	}
	fi, err := os.Stat(corpus)
	if err != nil {
		return err
	}
	warm(corpus)

	self, err := os.Executable()
	if err != nil {
		return err
	}
	common := []string{"-threshold", fmt.Sprint(o.threshold), "-ngram", fmt.Sprint(o.ngram), "-hashes", fmt.Sprint(o.hashes), "-corpus", corpus}
	runSelf := func(mode string) (*system, error) {
		s := &system{name: mode}
		pairsPath := filepath.Join(work, mode+".pairs.tsv")
		args := append([]string{"-child", mode, "-pairs", pairsPath}, common...)
		logf("running %s", mode)
		out, _, wall, cpu, rss, err := exe(self, args...)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(out, &s.child); err != nil {
			return nil, fmt.Errorf("%s child: %v: %q", mode, err, out)
		}
		s.ran, s.wall, s.cpu, s.rssMB, s.pairs = true, wall, cpu, rss, s.child.Pairs
		if mode != "raw" && mode != "physical" {
			if s.pairsSet, err = readTSVPairs(pairsPath); err != nil {
				return nil, err
			}
		}
		logf("%s: %.2fs, %.0f MB peak RSS", mode, wall, rss)
		return s, nil
	}
	phys, err := runSelf("physical")
	if err != nil {
		return err
	}
	phys.name = "physical reference"
	raw, err := runSelf("raw")
	if err != nil {
		return err
	}
	raw.name = "raw limit"
	oracle, err := runSelf("oracle")
	if err != nil {
		return err
	}
	oracle.scored, oracle.recall, oracle.prec = true, 1, 1
	peer, err := runSelf("peer")
	if err != nil {
		return err
	}
	peer.name = "peer (ekzhu/minhash-lsh)"
	peer.scored = true
	peer.recall, peer.prec = bench.Score(peer.pairsSet, oracle.pairsSet)

	rp := &system{name: "reprint"}
	if o.reprint == "" {
		rp.note = "not run: no -reprint binary given"
	} else {
		pairsPath := filepath.Join(work, "reprint.pairs.jsonl")
		args := []string{"pairs", "--threshold", fmt.Sprint(o.threshold), "--ngram", fmt.Sprint(o.ngram), "--json", corpus, "-o", pairsPath}
		logf("running %s %s", o.reprint, strings.Join(args, " "))
		_, stderr, wall, cpu, rss, err := exe(o.reprint, args...)
		if err != nil {
			rp.note = "failed: " + firstLine(err.Error())
			logf("reprint failed: %v", err)
		} else {
			rp.ran, rp.wall, rp.cpu, rp.rssMB = true, wall, cpu, rss
			rp.summary = lastJSON(stderr)
			if rp.pairsSet, err = readReprintPairs(pairsPath); err != nil {
				return err
			}
			rp.pairs = len(rp.pairsSet)
			rp.scored = true
			rp.recall, rp.prec = bench.Score(rp.pairsSet, oracle.pairsSet)
			logf("reprint: %.2fs, %.0f MB peak RSS", wall, rss)
		}
	}

	report := render(o, cmdline, cfg, truth, fi.Size(), []*system{phys, raw, rp, peer, oracle}, phys, raw, peer, rp)
	fmt.Print(report)
	if o.out != "" {
		return atomicfile.WriteFile(o.out, []byte(report))
	}
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// lastJSON returns the last line of b that is a JSON object.
func lastJSON(b []byte) map[string]any {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		var m map[string]any
		if json.Unmarshal([]byte(lines[i]), &m) == nil {
			return m
		}
	}
	return nil
}

// number digs a number out of nested maps: number(m, "stats", "seconds", "total").
func number(m map[string]any, path ...string) (float64, bool) {
	var v any = m
	for _, k := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return 0, false
		}
		v = mm[k]
	}
	f, ok := v.(float64)
	return f, ok
}

// warm reads the corpus once so every system finds it in the page cache.
func warm(path string) {
	if f, err := os.Open(path); err == nil {
		io.Copy(io.Discard, f)
		f.Close()
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "reprint-bench: "+format+"\n", args...)
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			if i := strings.IndexByte(l, ':'); i >= 0 {
				return strings.TrimSpace(l[i+1:])
			}
		}
	}
	return "unknown"
}

func render(o options, cmdline string, cfg gen.Config, truth gen.Truth, size int64, rows []*system, phys, raw, peer, rp *system) string {
	var b strings.Builder
	mb := float64(size) / 1e6
	copies := 0
	for _, f := range truth.Families {
		copies += len(f.Copies)
	}
	fmt.Fprintf(&b, "## End-to-end benchmark\n\n")
	fmt.Fprintf(&b, "Command: `%s`\n\n", cmdline)
	docs := cfg.Docs
	if o.input != "" {
		docs = phys.child.Docs
		fmt.Fprintf(&b, "- Corpus: %s, %d documents (with at least one word), %.1f MB JSONL, threshold %.2f, %d-word shingles\n", o.input, docs, mb, o.threshold, o.ngram)
	} else {
		fmt.Fprintf(&b, "- Corpus: %d documents, %.1f MB JSONL, seed %d (package gen: %d families with %d edited copies at edit rates up to %.0f%%, %d exact duplicates, %d inserted passages), threshold %.2f, %d-word shingles\n",
			cfg.Docs, mb, cfg.Seed, len(truth.Families), copies, cfg.EditRate*100, len(truth.Exact), len(truth.Passages), o.threshold, o.ngram)
	}
	fmt.Fprintf(&b, "- Machine: %d cores (GOMAXPROCS %d), %s, %s, %s/%s, %s\n\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), cpuModel(), runtime.Version(), runtime.GOOS, runtime.GOARCH, time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	b.WriteString("| system | wall s | MB/s | docs/s | CPU s | peak RSS MB | pairs | recall | precision | speed vs physical | speed vs raw limit | speed vs peer |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range rows {
		if !s.ran {
			fmt.Fprintf(&b, "| %s | %s | | | | | | | | | | |\n", s.name, s.note)
			continue
		}
		rec, prec := "", ""
		if s.scored {
			rec, prec = fmt.Sprintf("%.4f", s.recall), fmt.Sprintf("%.4f", s.prec)
		}
		pairs := "–"
		if s != raw && s != phys {
			pairs = strconv.Itoa(s.pairs)
		}
		vsPeer := "–"
		if peer.ran && s != raw && s != phys {
			vsPeer = fmt.Sprintf("%.2f×", peer.wall/s.wall)
		}
		fmt.Fprintf(&b, "| %s | %.2f | %.1f | %.0f | %.2f | %.0f | %s | %s | %s | %.2f | %.2f | %s |\n",
			s.name, s.wall, mb/s.wall, float64(docs)/s.wall, s.cpu, s.rssMB, pairs, rec, prec, phys.wall/s.wall, raw.wall/s.wall, vsPeer)
	}
	b.WriteString("\nWall time is each system's own process, end to end (start, read the JSONL, tokenize, index, verify, write pairs). MB/s is JSONL bytes over wall time; CPU s is the process's user and system time, the steadier figure on a shared machine. Speed vs physical is the physical reference's wall time over the system's (1 = as fast as reading the bytes, splitting them on bytes and hashing words and shingles with xxh3; 0.5 = twice its time). Speed vs raw limit is raw-limit wall time over the system's (1 = as fast as reading, decoding, tokenizing and hashing alone); speed vs peer is the peer's wall time over the system's (above 1 = faster than the peer). Recall and precision are against the oracle's exact pairs.\n\n")
	b.WriteString("Notes:\n\n")
	rc := raw.child
	fmt.Fprintf(&b, "- Raw limit: %d docs; JSON decoding (fastjson, id and text only) takes %.0f%% of its worker CPU time, tokenizing and shingle hashing the rest.\n",
		rc.Docs, 100*rc.DecodeCPU/max(rc.DecodeCPU+rc.TokenCPU, 1e-9))
	if rp.summary != nil {
		dec, ok1 := number(rp.summary, "stats", "seconds", "decode_cpu")
		hash, ok2 := number(rp.summary, "stats", "seconds", "tokenize_hash_cpu")
		total, ok3 := number(rp.summary, "stats", "seconds", "total")
		if ok1 && ok2 && ok3 {
			fmt.Fprintf(&b, "- reprint's own stage times (--json summary): JSONL decoding %.2f CPU-s, tokenize+hash %.2f CPU-s, total %.2f s wall: decoding is %.0f%% of its read CPU time, about %.0f%% of its wall time on %d cores.\n",
				dec, hash, total, 100*dec/max(dec+hash, 1e-9), 100*dec/float64(runtime.GOMAXPROCS(0))/max(total, 1e-9), runtime.GOMAXPROCS(0))
		}
		cands, _ := number(rp.summary, "stats", "candidate_pairs")
		bands, _ := number(rp.summary, "stats", "bands")
		rows, _ := number(rp.summary, "stats", "rows")
		fmt.Fprintf(&b, "- reprint: %.0f candidate pairs, %.0f bands × %.0f rows.\n", cands, bands, rows)
	} else if rp.ran {
		b.WriteString("- reprint printed no JSON summary with stage times.\n")
	}
	if peer.ran {
		pc := peer.child
		fmt.Fprintf(&b, "- Peer: %d hash functions, the peer's own k=%d rows × l=%d bands for threshold %.2f; %d candidate pairs, all verified exactly; read+tokenize+sign %.2fs, insert+index %.2fs (one goroutine, as the peer requires), query+verify %.2fs.\n",
			o.hashes, pc.K, pc.L, o.threshold, pc.Candidates, pc.ReadS, pc.InsertS, pc.QueryS)
	}
	oc := rows[len(rows)-1].child
	fmt.Fprintf(&b, "- Oracle: exact prefix-filtered all-pairs join (AllPairs/PPJoin; checked against brute force in tests); read+tokenize+sets %.2fs, join %.2fs.\n", oc.ReadS, oc.JoinS)
	return b.String()
}
