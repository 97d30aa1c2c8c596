// Command reprint-realtext builds corpora of real text from what a Debian
// machine has (and one generated corpus of a million short documents), and
// measures `reprint pairs` on them end to end, beside the physical
// reference (bench.Physical), in one run.
//
//   - short.jsonl: one record per package that `apt-cache dumpavail` lists
//     (id = name_version, text = its Description, first line and any
//     continuation lines). Package lists carry only the one-line synopsis
//     unless the long descriptions were downloaded, so these documents are
//     very short (tens of bytes): the corpus measures per-document costs.
//   - long.jsonl: the Debian changelogs (/usr/share/doc/*/changelog*.gz,
//     gunzipped) and copyright files, each cut at blank lines into
//     documents of about -long-size bytes (6 KB, the size of a web or news
//     page), id = path#part. Packages built from one source share a
//     changelog, so there are real near-duplicates.
//   - long-unique.jsonl: long.jsonl without the records whose text an
//     earlier record has byte for byte (half of them): long documents
//     where reprint cannot skip tokenizing a copy.
//   - medium.jsonl: the same texts cut into documents of about 512 bytes
//     (-medium-size): real text of the size of a short web page or a
//     package's long description.
//   - gen500.jsonl: 1,000,000 generated documents of about 500 bytes (gen,
//     80 words on average, its default near-duplicate families and exact
//     duplicates): the corpus the per-document target is stated for.
//
// Paths are visited in sorted order and symbolic links resolved, so the
// corpora are the same on two machines with the same packages.
//
// Measuring: each system runs as its own child process, one after another,
// -runs times (the median wall time is reported), after the corpus has
// been read once to warm the page cache. Wall time is process start to
// exit; MB/s is JSONL bytes over it. With -baseline, a second reprint
// binary (for example one built from an older commit) is run too and its
// pairs are compared byte for byte with -reprint's.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/reprint/reprint/bench"
	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/internal/atomicfile"
)

const usage = `reprint-realtext builds real-text corpora and measures reprint pairs on them.

Usage:
  go build -o /tmp/reprint ./cmd/reprint                     # in the repository root
  cd bench && go run ./cmd/reprint-realtext -dir /tmp/realtext -build -reprint /tmp/reprint

Flags:
`

func main() {
	fs := flag.NewFlagSet("reprint-realtext", flag.ExitOnError)
	fs.Usage = func() { fmt.Fprint(fs.Output(), usage); fs.PrintDefaults() }
	dir := fs.String("dir", "", "folder for short.jsonl and long.jsonl (required)")
	build := fs.Bool("build", false, "build the corpora into -dir (otherwise use what is there)")
	longSize := fs.Int("long-size", 6144, "target size in bytes of a long document")
	mediumSize := fs.Int("medium-size", 512, "target size in bytes of a medium document")
	corpora := fs.String("corpora", "long,long-unique,medium,short,gen500", "comma-separated corpora to measure, in order")
	reprint := fs.String("reprint", "", "reprint binary to measure (nothing is measured when empty)")
	baseline := fs.String("baseline", "", "a second reprint binary whose pairs must equal -reprint's")
	runs := fs.Int("runs", 3, "runs of each system; the median wall time is reported")
	ngram := fs.Int("ngram", 5, "words per shingle for the physical reference")
	child := fs.String("child", "", "internal: run the physical reference on this corpus")
	fs.Parse(os.Args[1:])
	var err error
	switch {
	case *child != "":
		err = runPhysical(*child, *ngram)
	case *dir == "":
		fs.Usage()
		os.Exit(2)
	default:
		if *build {
			err = buildAll(*dir, *longSize, *mediumSize)
		}
		if err == nil && *reprint != "" {
			err = measure(*dir, strings.Split(*corpora, ","), *reprint, *baseline, *runs, *ngram, strings.Join(os.Args, " "))
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "reprint-realtext:", err)
		os.Exit(1)
	}
}

type record struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

func buildAll(dir string, longSize, mediumSize int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	n, size, err := buildShort(filepath.Join(dir, "short.jsonl"))
	if err != nil {
		return err
	}
	logf("short.jsonl: %d documents, %.1f MB", n, float64(size)/1e6)
	n, size, err = buildLong(filepath.Join(dir, "long.jsonl"), filepath.Join(dir, "long-sample.txt"), longSize)
	if err != nil {
		return err
	}
	logf("long.jsonl: %d documents, %.1f MB; long-sample.txt: every 20th one's text", n, float64(size)/1e6)
	n, size, err = buildUnique(filepath.Join(dir, "long.jsonl"), filepath.Join(dir, "long-unique.jsonl"))
	if err != nil {
		return err
	}
	logf("long-unique.jsonl: %d documents, %.1f MB", n, float64(size)/1e6)
	n, size, err = buildLong(filepath.Join(dir, "medium.jsonl"), "", mediumSize)
	if err != nil {
		return err
	}
	logf("medium.jsonl: %d documents, %.1f MB", n, float64(size)/1e6)
	n, size, err = buildGen(filepath.Join(dir, "gen500.jsonl"))
	if err != nil {
		return err
	}
	logf("gen500.jsonl: %d documents, %.1f MB", n, float64(size)/1e6)
	return nil
}

// buildGen writes a million generated documents of about 500 bytes.
func buildGen(path string) (int, int64, error) {
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.MeanWords = 1000000, 80
	if _, err := gen.WriteFile(path, cfg); err != nil {
		return 0, 0, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0, 0, err
	}
	return cfg.Docs, fi.Size(), nil
}

// writer writes JSONL records and counts them.
type writer struct {
	f    *atomicfile.File
	bw   *bufio.Writer
	enc  *json.Encoder
	docs int
}

func create(path string) (*writer, error) {
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &writer{f: f, bw: bw, enc: enc}, nil
}

func (w *writer) write(id, text string) error {
	w.docs++
	return w.enc.Encode(record{id, text})
}

func (w *writer) close() (int, int64, error) {
	err := w.bw.Flush()
	if err != nil {
		w.f.Abort()
		return 0, 0, err
	}
	err = w.f.Commit()
	fi, serr := os.Stat(w.f.Path())
	if err == nil {
		err = serr
	}
	if err != nil {
		return 0, 0, err
	}
	return w.docs, fi.Size(), nil
}

// buildShort writes one record per package and version that apt-cache
// dumpavail lists, the first time it lists it.
func buildShort(path string) (int, int64, error) {
	cmd := exec.Command("apt-cache", "dumpavail")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, err
	}
	if err := cmd.Start(); err != nil {
		return 0, 0, fmt.Errorf("apt-cache dumpavail: %v", err)
	}
	w, err := create(path)
	if err != nil {
		return 0, 0, err
	}
	if err := descriptions(out, w.write); err != nil {
		return 0, 0, err
	}
	if err := cmd.Wait(); err != nil {
		return 0, 0, fmt.Errorf("apt-cache dumpavail: %v", err)
	}
	return w.close()
}

// descriptions reads apt-cache dumpavail's stanzas from r and calls write
// with name_version and the description of each package and version the
// first time it appears.
func descriptions(r io.Reader, write func(id, text string) error) error {
	seen := map[string]bool{}
	var pkg, version string
	var desc []string
	inDesc := false
	flush := func() error {
		id := pkg + "_" + version
		if pkg != "" && len(desc) > 0 && !seen[id] {
			seen[id] = true
			if err := write(id, strings.Join(desc, "\n")); err != nil {
				return err
			}
		}
		pkg, version, desc, inDesc = "", "", nil, false
		return nil
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if err := flush(); err != nil {
				return err
			}
		case strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t"):
			if inDesc {
				l := strings.TrimSpace(line)
				if l == "." { // a paragraph break in a Debian description
					l = ""
				}
				desc = append(desc, l)
			}
		default:
			inDesc = false
			k, v, _ := strings.Cut(line, ":")
			v = strings.TrimSpace(v)
			switch k {
			case "Package":
				pkg = v
			case "Version":
				version = v
			case "Description":
				desc, inDesc = []string{v}, true
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return flush()
}

// buildLong writes the changelogs and copyright files under /usr/share/doc
// cut into documents of about size bytes, and the text of every 20th
// document to sample (plain text for kernel benchmarks:
// REPRINT_KERNEL_TEXT=sample go test -bench Kernel).
func buildLong(path, sample string, size int) (int, int64, error) {
	var files []string
	for _, pat := range []string{"/usr/share/doc/*/changelog*.gz", "/usr/share/doc/*/copyright"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			return 0, 0, err
		}
		files = append(files, m...)
	}
	seen := map[string]bool{}
	var real []string
	for _, f := range files {
		r, err := filepath.EvalSymlinks(f)
		if err != nil || seen[r] {
			continue // a dangling link, or a folder linked to another package's
		}
		seen[r] = true
		real = append(real, f)
	}
	sort.Strings(real)
	w, err := create(path)
	if err != nil {
		return 0, 0, err
	}
	var sw *bufio.Writer
	var sf *atomicfile.File
	if sample == "" {
		sw = bufio.NewWriter(io.Discard)
	} else {
		if sf, err = atomicfile.Create(sample); err != nil {
			return 0, 0, err
		}
		defer sf.Abort()
		sw = bufio.NewWriter(sf)
	}
	for _, f := range real {
		text, err := readText(f)
		if err != nil {
			logf("skipping %s: %v", f, err)
			continue
		}
		for i, part := range cut(text, size) {
			if w.docs%20 == 0 {
				sw.WriteString(part)
				sw.WriteString("\n")
			}
			if err := w.write(fmt.Sprintf("%s#%d", f, i), part); err != nil {
				return 0, 0, err
			}
		}
	}
	if err := sw.Flush(); err != nil {
		return 0, 0, err
	}
	if sf != nil {
		if err := sf.Commit(); err != nil {
			return 0, 0, err
		}
	}
	return w.close()
}

// buildUnique writes the records of the JSONL file src whose text no
// earlier record has, to dst.
func buildUnique(src, dst string) (int, int64, error) {
	f, err := os.Open(src)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	w, err := create(dst)
	if err != nil {
		return 0, 0, err
	}
	if err := firstCopies(f, w.write); err != nil {
		return 0, 0, fmt.Errorf("%s: %v", src, err)
	}
	return w.close()
}

// firstCopies calls write with the ID and text of each record of r whose
// text is not the text of an earlier record.
func firstCopies(r io.Reader, write func(id, text string) error) error {
	seen := map[string]bool{}
	dec := json.NewDecoder(r)
	for line := 1; ; line++ {
		var rec record
		if err := dec.Decode(&rec); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("record %d: %v", line, err)
		}
		if seen[rec.Text] {
			continue
		}
		seen[rec.Text] = true
		if err := write(rec.ID, rec.Text); err != nil {
			return err
		}
	}
}

func readText(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return "", err
		}
		r = gz
	}
	b, err := io.ReadAll(r)
	return string(b), err
}

// cut splits text at blank lines into parts of at least size bytes (the
// last may be shorter); a text without blank lines stays whole.
func cut(text string, size int) []string {
	var parts []string
	for len(text) > size {
		i := strings.Index(text[size:], "\n\n")
		if i < 0 {
			break
		}
		parts = append(parts, text[:size+i+1])
		text = text[size+i+2:]
	}
	if strings.TrimSpace(text) != "" {
		parts = append(parts, text)
	}
	return parts
}

// physResult is what the physical-reference child prints.
type physResult struct {
	Docs     int     `json:"docs"`
	Bytes    int64   `json:"bytes"`
	Words    int64   `json:"words"`
	Shingles int64   `json:"shingles"`
	Wall     float64 `json:"wall_s"`
}

func runPhysical(corpus string, ngram int) error {
	st, err := bench.Physical(corpus, ngram, 0)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(physResult{st.Docs, st.Bytes, st.Words, st.Shingles, st.Wall.Seconds()})
}

// row is one system on one corpus.
type row struct {
	name  string
	walls []float64
	cpus  []float64 // user+system CPU seconds of each run
	rss   float64
	pairs int
	out   string // pairs file, for reprint
}

func (r *row) wall() float64 { return median(r.walls) }
func (r *row) cpu() float64  { return median(r.cpus) }

func median(x []float64) float64 {
	x = slices.Clone(x)
	slices.Sort(x)
	return x[len(x)/2]
}

// exe runs a command (bench.Run) and returns its stdout, wall time, CPU
// time (user and system) and peak RSS in MiB. On a shared machine CPU time
// is the steadier of the two: it does not count the time the process
// waited for a core.
func exe(name string, args ...string) (stdout []byte, wall, cpu, rssMB float64, err error) {
	c, err := bench.Run(name, args...)
	return c.Stdout, c.Wall.Seconds(), c.CPU.Seconds(), float64(c.PeakKiB) / 1024, err
}

func measure(dir string, corpora []string, reprint, baseline string, runs, ngram int, cmdline string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Command: `%s`\n\n", cmdline)
	fmt.Fprintf(&b, "Machine: %d cores (GOMAXPROCS %d), %s, %s; %s; median of %d runs each, systems run one after another.\n\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOARCH, time.Now().UTC().Format("2006-01-02 15:04 UTC"), runs)
	for _, name := range corpora {
		corpus := filepath.Join(dir, name+".jsonl")
		fi, err := os.Stat(corpus)
		if err != nil {
			return fmt.Errorf("%v (build the corpora with -build)", err)
		}
		if f, err := os.Open(corpus); err == nil { // warm the page cache
			io.Copy(io.Discard, f)
			f.Close()
		}
		phys := &row{name: "physical reference"}
		var docs int
		systems := []*row{phys, {name: "reprint pairs", out: reprint}}
		if baseline != "" {
			systems = append(systems, &row{name: "reprint pairs (baseline)", out: baseline})
		}
		for r := 0; r < runs; r++ {
			for i, s := range systems {
				if s == phys {
					out, wall, cpu, rss, err := exe(self, "-child", corpus, "-ngram", fmt.Sprint(ngram))
					if err != nil {
						return err
					}
					var pr physResult
					if err := json.Unmarshal(out, &pr); err != nil {
						return fmt.Errorf("physical child: %v: %q", err, out)
					}
					docs = pr.Docs
					s.walls, s.cpus, s.rss = append(s.walls, wall), append(s.cpus, cpu), max(s.rss, rss)
					continue
				}
				pairsPath := pairsFile(dir, name, i)
				_, wall, cpu, rss, err := exe(s.out, "pairs", "--json", corpus, "-o", pairsPath)
				if err != nil {
					return err
				}
				s.walls, s.cpus, s.rss = append(s.walls, wall), append(s.cpus, cpu), max(s.rss, rss)
				if r == 0 {
					data, err := os.ReadFile(pairsPath)
					if err != nil {
						return err
					}
					s.pairs = bytes.Count(data, []byte{'\n'})
				}
				logf("%s %s run %d: %.2fs wall, %.2fs CPU", name, s.name, r+1, wall, cpu)
			}
		}
		same := ""
		if baseline != "" {
			a, _ := os.ReadFile(pairsFile(dir, name, 1))
			c, _ := os.ReadFile(pairsFile(dir, name, 2))
			same = fmt.Sprintf(" Pairs of reprint and baseline byte-identical: %v.", bytes.Equal(a, c))
		}
		mb := float64(fi.Size()) / 1e6
		fmt.Fprintf(&b, "**%s.jsonl**: %d documents (with at least one word), %.1f MB, %.0f bytes a document.%s\n\n", name, docs, mb, 1e6*mb/float64(max(docs, 1)), same)
		b.WriteString("| system | wall s | MB/s | docs/s | CPU s | MB per CPU-s | peak RSS MB | pairs | speed vs physical (wall) | (CPU) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, s := range systems {
			pairs := "–"
			if s != phys {
				pairs = fmt.Sprint(s.pairs)
			}
			fmt.Fprintf(&b, "| %s | %.3f | %.1f | %.0f | %.3f | %.1f | %.0f | %s | %.2f | %.2f |\n", s.name, s.wall(), mb/s.wall(), float64(docs)/s.wall(),
				s.cpu(), mb/s.cpu(), s.rss, pairs, phys.wall()/s.wall(), phys.cpu()/s.cpu())
		}
		b.WriteString("\n")
	}
	fmt.Print(b.String())
	return nil
}

// pairsFile is where system i writes its pairs of corpus name.
func pairsFile(dir, name string, i int) string {
	return filepath.Join(dir, fmt.Sprintf("%s.system%d.pairs.jsonl", name, i))
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "reprint-realtext: "+format+"\n", args...)
}
