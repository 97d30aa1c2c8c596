// Command reprint-ecb measures the stories engine: on ECB+ (the train and
// dev topics, read in place) it runs stories.Build, writes the run files
// and prints what the corpus's own scorer, score.py, says at story and
// topic level; on generated stories (package gen, with known events and
// kinds) it prints ARI and pairwise F1 against the generator's truth, and
// with -scale N the time and peak memory of a batch of N documents.
//
// -sweep runs a list of story thresholds on both corpora side by side, the
// way the default threshold was chosen: a threshold must hold on real news
// and on generated look-alike events, not on ECB+ alone.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/internal/atomicfile"
	"github.com/reprint/reprint/stories"
	"github.com/reprint/reprint/token"
	"github.com/zeebo/xxh3"
)

const usage = `reprint-ecb scores reprint's stories on ECB+ and on generated stories.

Usage:
  cd bench && go run ./cmd/reprint-ecb                      # ECB+ and generated, default options
  cd bench && go run ./cmd/reprint-ecb -sweep 0.15,0.2,0.25,0.3
  cd bench && go run ./cmd/reprint-ecb -scale 1000000       # time and peak RSS, no ECB+

Flags:
`

func main() {
	eval := flag.String("eval", "../../shared/eval/ecbplus-dev", "the ECB+ folder (docs.jsonl, truth.tsv, score.py)")
	out := flag.String("out", "", "folder for the run files (default: a temporary folder)")
	threshold := flag.Float64("threshold", 0, "story threshold (0: the default)")
	topic := flag.Float64("topic-threshold", 0, "topic threshold (0: the default)")
	terms := flag.Int("terms", 0, "terms per document vector (0: the default)")
	centroid := flag.Int("centroid-terms", 0, "terms per story centroid (0: the default)")
	name := flag.Float64("name-weight", 0, "weight of names (0: the default)")
	number := flag.Float64("number-weight", 0, "weight of numbers (0: the default)")
	date := flag.Float64("date-weight", 0, "weight of dates (0: the default)")
	workers := flag.Int("workers", 0, "workers (0: all cores)")
	passes := flag.Int("passes", 0, "single passes of the batch, each in another order (0: the default)")
	genDocs := flag.Int("gen", 20000, "generated documents for the accuracy check (0: none)")
	undated := flag.Float64("undated", 0.1, "share of generated documents without a date")
	sweep := flag.String("sweep", "", "comma-separated story thresholds to compare")
	orders := flag.Int("orders", 8, "also score ECB+ in this many other document orders (IDs renamed and texts padded with white space by a seeded hash): mean, min and max (0: none)")
	subsets := flag.Int("subsets", 0, "also score ECB+ on this many random sets of its topics, each clustered alone: mean, min and max (0: none)")
	subsetTopics := flag.Int("subset-topics", 0, "topics in each of -subsets (0: half of them)")
	scale := flag.Int("scale", 0, "only measure a batch of this many generated documents: time, docs/s, peak RSS")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the -scale run to this file")
	memprofile := flag.String("memprofile", "", "write a heap profile of the -scale run, taken when the heap is largest, to this file")
	flag.Usage = func() { fmt.Fprint(os.Stderr, usage); flag.PrintDefaults() }
	flag.Parse()

	opt := stories.Options{Threshold: *threshold, TopicThreshold: *topic, Terms: *terms, CentroidTerms: *centroid,
		NameWeight: *name, NumberWeight: *number, DateWeight: *date, Workers: *workers, Passes: *passes}
	if *scale > 0 {
		if *cpuprofile != "" {
			f, err := os.Create(*cpuprofile)
			if err != nil {
				fail(err)
			}
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
		if *memprofile != "" {
			go peakHeap(*memprofile)
		}
		if err := runScale(*scale, *undated, opt); err != nil {
			pprof.StopCPUProfile()
			fail(err)
		}
		return
	}
	dir := *out
	if dir == "" {
		d, err := os.MkdirTemp("", "reprint-ecb")
		if err != nil {
			fail(err)
		}
		defer os.RemoveAll(d)
		dir = d
	}
	docs, err := readECB(filepath.Join(*eval, "docs.jsonl"))
	if err != nil {
		fail(err)
	}
	ths := []float64{opt.WithDefaults().Threshold}
	if *sweep != "" {
		ths = ths[:0]
		for _, f := range strings.Split(*sweep, ",") {
			t, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil {
				fail(fmt.Errorf("-sweep: %v", err))
			}
			ths = append(ths, t)
		}
	}
	var gdocs []corpus.Doc
	var gstory, gtopic []string
	if *genDocs > 0 {
		gdocs, gstory, gtopic, err = generate(*genDocs, *undated)
		if err != nil {
			fail(err)
		}
	}
	fmt.Printf("ECB+ %s: %d documents; generated: %d documents (%.0f%% undated)\n", *eval, len(docs), len(gdocs), 100**undated)
	fmt.Printf("%-9s | %-40s | %-31s | %s\n", "threshold", "ECB+ story: ARI  F1  within-topic F1  n", "ECB+ topic: ARI  F1  clusters", "generated: story ARI  F1  topic ARI")
	for _, th := range ths {
		o := opt
		o.Threshold = th
		res, err := stories.Build(docs, o)
		if err != nil {
			fail(err)
		}
		story, topic, err := writeRuns(dir, "", res)
		if err != nil {
			fail(err)
		}
		s, err := score(*eval, story, "story")
		if err != nil {
			fail(err)
		}
		t, err := score(*eval, topic, "topic")
		if err != nil {
			fail(err)
		}
		line := fmt.Sprintf("%-9.3f | ARI %.4f  F1 %.4f  WT-F1 %.4f  %3.0f | ARI %.4f  F1 %.4f  %4.0f", th,
			s["ari"], s["pairwise_f1"], s["within_topic_f1"], s["pred_clusters"], t["ari"], t["pairwise_f1"], t["pred_clusters"])
		if *sweep != "" {
			// Each split apart: choose on train, read dev as held out.
			for _, split := range []string{"train", "dev"} {
				ss, err := scoreSplit(*eval, story, "story", split)
				if err != nil {
					fail(err)
				}
				line += fmt.Sprintf(" | %s ARI %.4f", split, ss["ari"])
			}
		}
		if gdocs != nil {
			gr, err := stories.Build(gdocs, o)
			if err != nil {
				fail(err)
			}
			ps, pt := labels(gr, gdocs)
			line += fmt.Sprintf(" | ARI %.4f  F1 %.4f  topic ARI %.4f", stories.ARI(gstory, ps), stories.PairF1(gstory, ps), stories.ARI(gtopic, pt))
		}
		fmt.Println(line)
	}
	if *sweep == "" {
		// The reference, side by side: spherical K-means on plain tf-idf,
		// told the true number of stories (the published baseline's setup;
		// it is not told which topics there are).
		k, err := trueStories(*eval)
		if err != nil {
			fail(err)
		}
		run := filepath.Join(dir, "kmeans.jsonl")
		if err := writeKMeans(run, docs, k); err != nil {
			fail(err)
		}
		ks, err := score(*eval, run, "story")
		if err != nil {
			fail(err)
		}
		// The canonical run at the default threshold: the run files, and
		// what the splits below score.
		res, _ := stories.Build(docs, opt)
		story, _, _ := writeRuns(dir, "", res)
		s, _ := score(*eval, story, "story")
		// The stream: the same documents one at a time, in ID order (a
		// stream takes them as they come), df learned as they come.
		cl, err := stories.NewClusterer(opt)
		if err != nil {
			fail(err)
		}
		sorted := append([]corpus.Doc(nil), docs...)
		slices.SortFunc(sorted, func(a, b corpus.Doc) int { return strings.Compare(a.ID, b.ID) })
		for _, d := range sorted {
			if _, err := cl.Add(d); err != nil {
				fail(err)
			}
		}
		streamRun, _, err := writeRuns(dir, "-stream", cl.Result())
		if err != nil {
			fail(err)
		}
		ss, err := score(*eval, streamRun, "story")
		if err != nil {
			fail(err)
		}
		fmt.Printf("stream (Clusterer.Add, df learned as it goes): story ARI %.4f  F1 %.4f  within-topic F1 %.4f\n",
			ss["ari"], ss["pairwise_f1"], ss["within_topic_f1"])
		fmt.Printf("reference: K-means on tf-idf told K=%d: story ARI %.4f  F1 %.4f  within-topic F1 %.4f; stories/K-means ARI ratio %.3f\n",
			k, ks["ari"], ks["pairwise_f1"], ks["within_topic_f1"], s["ari"]/ks["ari"])
		for _, split := range []string{"train", "dev"} {
			s, err := scoreSplit(*eval, story, "story", split)
			if err != nil {
				fail(err)
			}
			fmt.Printf("ECB+ %s split: story ARI %.4f  F1 %.4f  within-topic F1 %.4f  (%0.f docs, %0.f stories, %0.f predicted)\n",
				split, s["ari"], s["pairwise_f1"], s["within_topic_f1"], s["docs"], s["gold_clusters"], s["pred_clusters"])
		}
		if *orders > 0 {
			if err := orderSpread(*eval, dir, docs, opt, *orders); err != nil {
				fail(err)
			}
		}
		if *subsets > 0 {
			if err := subsetSpread(*eval, dir, docs, opt, *subsets, *subsetTopics); err != nil {
				fail(err)
			}
		}
		if *out != "" {
			fmt.Printf("run files: %s/stories.jsonl, %s/topics.jsonl\n", dir, dir)
		}
	}
}

// subsetSpread scores ECB+'s stories on n random sets of k of its topics
// (seeds 1..n; k 0 means half), each set's documents clustered alone, with
// its own document frequencies: a change that helps the whole corpus only
// through one lucky order, or through a few of its topics, shows here.
// Each set is scored by score.py against the set's rows of truth.tsv,
// written with a copy of score.py to a folder under dir.
func subsetSpread(eval, dir string, docs []corpus.Doc, opt stories.Options, n, k int) error {
	b, err := os.ReadFile(filepath.Join(eval, "truth.tsv"))
	if err != nil {
		return err
	}
	script, err := os.ReadFile(filepath.Join(eval, "score.py"))
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	topicOf := map[string]string{} // document ID -> topic
	var topics []string
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if len(f) < 3 {
			continue
		}
		if !slices.Contains(topics, f[2]) {
			topics = append(topics, f[2])
		}
		topicOf[f[0]] = f[2]
	}
	slices.Sort(topics)
	if k <= 0 || k > len(topics) {
		k = max(1, len(topics)/2)
	}
	var ari []float64
	for seed := 1; seed <= n; seed++ {
		pick := slices.Clone(topics)
		r := rand.New(rand.NewPCG(uint64(seed), 0))
		r.Shuffle(len(pick), func(i, j int) { pick[i], pick[j] = pick[j], pick[i] })
		pick = pick[:k]
		sub := filepath.Join(dir, fmt.Sprintf("subset%d", seed))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return err
		}
		var tb strings.Builder
		tb.WriteString(lines[0] + "\n")
		for _, l := range lines[1:] {
			if f := strings.Split(l, "\t"); len(f) >= 3 && slices.Contains(pick, f[2]) {
				tb.WriteString(l + "\n")
			}
		}
		if err := os.WriteFile(filepath.Join(sub, "truth.tsv"), []byte(tb.String()), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(sub, "score.py"), script, 0o644); err != nil {
			return err
		}
		var in []corpus.Doc
		for _, d := range docs {
			if slices.Contains(pick, topicOf[d.ID]) {
				in = append(in, d)
			}
		}
		res, err := stories.Build(in, opt)
		if err != nil {
			return err
		}
		story, _, err := writeRuns(sub, "", res)
		if err != nil {
			return err
		}
		s, err := score(sub, story, "story")
		if err != nil {
			return err
		}
		ari = append(ari, s["ari"])
	}
	var sum float64
	for _, v := range ari {
		sum += v
	}
	fmt.Printf("ECB+ on %d random sets of %d topics: story ARI mean %.4f  min %.4f  max %.4f\n", n, k, sum/float64(n), slices.Min(ari), slices.Max(ari))
	return nil
}

// pad returns 17 characters of white space spelling h's low 16 bits:
// appended to a text, it changes the text's hash, and so every order the
// batch makes from it, and none of its words.
func pad(h uint64) string {
	var b [17]byte
	b[0] = '\n'
	for i := 1; i < len(b); i++ {
		b[i] = " \n"[h>>(i-1)&1]
	}
	return string(b[:])
}

// orderSpread scores ECB+ again with the documents in n other orders.
// ECB+ has no dates, so nothing in it fixes the order the single pass
// meets its documents in but what the batch makes of them: their IDs and
// their texts' hashes break its ties. Every document's ID is replaced by
// a seeded hash of it (seeds 1..n) and a seeded run of white space is
// appended to its text (its words unchanged), the batch is run, and the stories are
// written under the original IDs and scored, whole and by split (train,
// dev), and kept as dir/stories-orderN.jsonl. The spread says how much of
// a difference between two versions is the order's luck.
func orderSpread(eval, dir string, docs []corpus.Doc, opt stories.Options, n int) error {
	var ari, wt []float64
	var splitARI [2][]float64 // train, dev
	for seed := 1; seed <= n; seed++ {
		back := make(map[string]string, len(docs))
		renamed := make([]corpus.Doc, len(docs))
		for i, d := range docs {
			id := fmt.Sprintf("%016x", xxh3.HashString(strconv.Itoa(seed)+"\x00"+d.ID))
			back[id] = d.ID
			d.ID = id
			d.Text += pad(xxh3.HashString(strconv.Itoa(seed) + "\x01" + back[id]))
			renamed[i] = d
		}
		res, err := stories.Build(renamed, opt)
		if err != nil {
			return err
		}
		for i := range res.Stories {
			for k, id := range res.Stories[i].Docs {
				res.Stories[i].Docs[k] = back[id]
			}
		}
		// Each order's run is kept beside the canonical one, for error
		// analysis across orders.
		story, _, err := writeRuns(dir, fmt.Sprintf("-order%d", seed), res)
		if err != nil {
			return err
		}
		s, err := score(eval, story, "story")
		if err != nil {
			return err
		}
		ari = append(ari, s["ari"])
		wt = append(wt, s["within_topic_f1"])
		// Each split apart too: a change that helps train topics only is
		// fitted to them.
		for i, split := range []string{"train", "dev"} {
			ss, err := scoreSplit(eval, story, "story", split)
			if err != nil {
				return err
			}
			splitARI[i] = append(splitARI[i], ss["ari"])
		}
	}
	stat := func(x []float64) string {
		var sum float64
		for _, v := range x {
			sum += v
		}
		return fmt.Sprintf("mean %.4f  min %.4f  max %.4f", sum/float64(len(x)), slices.Min(x), slices.Max(x))
	}
	fmt.Printf("ECB+ in %d other orders: story ARI %s; within-topic F1 %s\n", n, stat(ari), stat(wt))
	fmt.Printf("ECB+ in %d other orders, by split: train story ARI %s; dev story ARI %s\n", n, stat(splitARI[0]), stat(splitARI[1]))
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "reprint-ecb:", err)
	os.Exit(1)
}

// readECB reads docs.jsonl: {"id", "text"} a line, no dates.
func readECB(path string) ([]corpus.Doc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var docs []corpus.Doc
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for line := 1; sc.Scan(); line++ {
		var d struct{ ID, Text string }
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, line, err)
		}
		docs = append(docs, corpus.Doc{ID: d.ID, Text: d.Text})
	}
	return docs, sc.Err()
}

// writeRuns writes the stories (one {"story","docs",...} a line, which
// score.py reads as clusters) to dir/stories{suffix}.jsonl and the topics
// (one {"members"} a line) to dir/topics{suffix}.jsonl; the canonical run
// has no suffix, and no other run writes over it.
func writeRuns(dir, suffix string, res stories.Result) (story, topic string, err error) {
	story, topic = filepath.Join(dir, "stories"+suffix+".jsonl"), filepath.Join(dir, "topics"+suffix+".jsonl")
	var sb, tb strings.Builder
	docsOf := map[string][]string{}
	for _, s := range res.Stories {
		b, _ := json.Marshal(s)
		sb.Write(b)
		sb.WriteByte('\n')
		docsOf[s.Story] = s.Docs
	}
	for _, t := range res.Topics {
		var m []string
		for _, s := range t.Stories {
			m = append(m, docsOf[s]...)
		}
		b, _ := json.Marshal(map[string][]string{"members": m})
		tb.Write(b)
		tb.WriteByte('\n')
	}
	if err = atomicfile.WriteFile(story, []byte(sb.String())); err == nil {
		err = atomicfile.WriteFile(topic, []byte(tb.String()))
	}
	return story, topic, err
}

func score(eval, run, level string) (map[string]float64, error) {
	return scoreSplit(eval, run, level, "all")
}

// scoreSplit runs score.py --json and returns its numbers.
func scoreSplit(eval, run, level, split string) (map[string]float64, error) {
	cmd := exec.Command("python3", filepath.Join(eval, "score.py"), run, "--level", level, "--split", split, "--json")
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("score.py: %v", err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("score.py output: %v", err)
	}
	m := map[string]float64{}
	for k, v := range raw {
		if f, ok := v.(float64); ok {
			m[k] = f
		}
	}
	return m, nil
}

// generate makes n generated story documents and their true labels.
func generate(n int, undated float64) ([]corpus.Doc, []string, []string, error) {
	cfg := gen.DefaultStoryConfig()
	cfg.Docs, cfg.Undated = n, undated
	var docs []corpus.Doc
	var story, topic []string
	err := gen.GenerateStories(cfg, func(d gen.StoryDoc) error {
		docs = append(docs, corpus.Doc{ID: d.ID, Text: d.Text, Date: d.Date, Source: d.Source})
		story = append(story, strconv.Itoa(d.Story))
		topic = append(topic, strconv.Itoa(d.Topic))
		return nil
	})
	return docs, story, topic, err
}

// labels returns each document's predicted story and topic, in docs order.
func labels(res stories.Result, docs []corpus.Doc) (story, topic []string) {
	s, t := map[string]string{}, map[string]string{}
	for _, st := range res.Stories {
		for _, id := range st.Docs {
			s[id], t[id] = st.Story, st.Topic
		}
	}
	for _, d := range docs {
		story = append(story, s[d.ID])
		topic = append(topic, t[d.ID])
	}
	return story, topic
}

// runScale clusters n generated documents streamed from the generator
// (twice, as BuildScan reads) and prints time, CPU time, peak RSS and
// accuracy against the truth. The machine is shared, so besides wall time
// it reports CPU time, which other load disturbs less: the engine's share
// is BuildScan's CPU time less two generator passes', and the raw limit is
// the CPU time to split and hash a 20,000-document sample held in memory.
func runScale(n int, undated float64, opt stories.Options) error {
	cfg := gen.DefaultStoryConfig()
	cfg.Docs, cfg.Undated = n, undated
	truth := make([]int32, n)
	var bytes int64
	scan := func(yield func(corpus.Doc) error) error {
		bytes = 0
		return gen.GenerateStories(cfg, func(d gen.StoryDoc) error {
			i, _ := strconv.Atoi(d.ID[1:])
			truth[i] = int32(d.Story)
			bytes += int64(len(d.Text))
			return yield(corpus.Doc{ID: d.ID, Text: d.Text, Date: d.Date, Source: d.Source})
		})
	}
	// The generator alone, and a sample for the raw limit.
	var sample []string
	var sampleBytes int64
	c0 := cpuTime()
	t0 := time.Now()
	if err := scan(func(d corpus.Doc) error {
		if len(sample) < 20000 {
			sample = append(sample, d.Text)
			sampleBytes += int64(len(d.Text))
		}
		return nil
	}); err != nil {
		return err
	}
	genWall, genCPU := time.Since(t0), cpuTime()-c0
	c0 = cpuTime()
	var sink uint64
	for _, text := range sample {
		sink += splitHash(text)
	}
	rawCPU := cpuTime() - c0
	sample = nil

	c0 = cpuTime()
	t1 := time.Now()
	res, err := stories.BuildScan(scan, opt)
	if err != nil {
		return err
	}
	wall, cpu := time.Since(t1), cpuTime()-c0
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	pred := make([]string, n)
	want := make([]string, n)
	for _, st := range res.Stories {
		for _, id := range st.Docs {
			i, _ := strconv.Atoi(id[1:])
			pred[i] = st.Story
		}
	}
	for i, s := range truth {
		want[i] = strconv.Itoa(int(s))
	}
	engineCPU := cpu - 2*genCPU
	mb := float64(bytes) / 1e6
	rawRate := float64(sampleBytes) / 1e6 / rawCPU.Seconds()
	fmt.Printf("docs %d (%.0f MB, %.0f%% undated), stories %d, topics %d\n", n, mb, 100*undated, len(res.Stories), len(res.Topics))
	fmt.Printf("BuildScan wall %.1fs, CPU %.1fs (both include two generator passes: %.1fs wall, %.1fs CPU each)\n",
		wall.Seconds(), cpu.Seconds(), genWall.Seconds(), genCPU.Seconds())
	fmt.Printf("engine CPU %.1fs = %.0f docs per CPU-second, %.1f MB per CPU-second per pass\n",
		engineCPU.Seconds(), float64(n)/engineCPU.Seconds(), 2*mb/engineCPU.Seconds())
	fmt.Printf("raw limit (split on bytes + hash): %.0f MB per CPU-second; engine per pass / raw: %.1fx slower (checksum %x)\n",
		rawRate, rawRate/(2*mb/engineCPU.Seconds()), sink&0xff)
	fmt.Printf("peak RSS %.0f MB (%.0f bytes/doc, generator buffers included)\n", float64(ru.Maxrss)/1024, float64(ru.Maxrss)*1024/float64(n))
	fmt.Printf("story ARI %.4f  pairwise F1 %.4f\n", stories.ARI(want, pred), stories.PairF1(want, pred))
	return nil
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// splitHash splits text into words on bytes (ASCII letters and digits, and
// any non-ASCII byte) and sums their xxh3 hashes.
func splitHash(text string) uint64 {
	var sum uint64
	start := -1
	for i := 0; i <= len(text); i++ {
		word := i < len(text) && (text[i] >= 0x80 || text[i] >= 'a' && text[i] <= 'z' || text[i] >= 'A' && text[i] <= 'Z' || text[i] >= '0' && text[i] <= '9')
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			sum += xxh3.HashString(text[start:i])
			start = -1
		}
	}
	return sum
}

// trueStories counts the stories in truth.tsv.
func trueStories(eval string) (int, error) {
	b, err := os.ReadFile(filepath.Join(eval, "truth.tsv"))
	if err != nil {
		return 0, err
	}
	seen := map[string]bool{}
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, "\t")
		if i == 0 || len(f) < 5 {
			continue
		}
		seen[f[4]] = true
	}
	return len(seen), nil
}

// writeKMeans clusters docs by spherical K-means (cosine) on tf-idf of
// their tokens (sublinear tf, smoothed idf, no stopword list), with a
// deterministic farthest-first start and 30 rounds, and writes one
// {"members"} line per cluster.
func writeKMeans(path string, docs []corpus.Doc, k int) error {
	tz := token.New()
	df := map[uint64]int{}
	tfs := make([]map[uint64]float64, len(docs))
	for i, d := range docs {
		tf := map[uint64]float64{}
		for _, t := range tz.Tokens(d.Text, d.Start, nil) {
			tf[t.Hash]++
		}
		for h := range tf {
			df[h]++
		}
		tfs[i] = tf
	}
	n := float64(len(docs))
	for _, tf := range tfs {
		var ss float64
		for h, c := range tf {
			w := (1 + math.Log(c)) * (math.Log((n+1)/float64(df[h]+1)) + 1)
			tf[h] = w
			ss += w * w
		}
		for h := range tf {
			tf[h] /= math.Sqrt(ss)
		}
	}
	dot := func(a, b map[uint64]float64) float64 {
		if len(a) > len(b) {
			a, b = b, a
		}
		var s float64
		for h, x := range a {
			s += x * b[h]
		}
		return s
	}
	// Farthest-first: start at document 0, then repeatedly the document
	// least similar to its nearest centre.
	centres := []map[uint64]float64{tfs[0]}
	near := make([]float64, len(docs))
	for i := range near {
		near[i] = dot(tfs[i], tfs[0])
	}
	for len(centres) < k {
		j := 0
		for i := range near {
			if near[i] < near[j] {
				j = i
			}
		}
		centres = append(centres, tfs[j])
		for i := range near {
			near[i] = math.Max(near[i], dot(tfs[i], tfs[j]))
		}
	}
	label := make([]int, len(docs))
	for round := 0; round < 30; round++ {
		for i := range docs {
			best, bs := 0, -1.0
			for c := range centres {
				if s := dot(tfs[i], centres[c]); s > bs {
					best, bs = c, s
				}
			}
			label[i] = best
		}
		next := make([]map[uint64]float64, k)
		for c := range next {
			next[c] = map[uint64]float64{}
		}
		for i, l := range label {
			for h, w := range tfs[i] {
				next[l][h] += w
			}
		}
		for c := range next {
			if len(next[c]) == 0 {
				next[c] = centres[c] // an empty cluster keeps its centre
				continue
			}
			var ss float64
			for _, w := range next[c] {
				ss += w * w
			}
			for h := range next[c] {
				next[c][h] /= math.Sqrt(ss)
			}
		}
		centres = next
	}
	members := make([][]string, k)
	for i, l := range label {
		members[l] = append(members[l], docs[i].ID)
	}
	var sb strings.Builder
	for _, m := range members {
		if len(m) == 0 {
			continue
		}
		b, _ := json.Marshal(map[string][]string{"members": m})
		sb.Write(b)
		sb.WriteByte('\n')
	}
	return atomicfile.WriteFile(path, []byte(sb.String()))
}

// peakHeap writes a heap profile to path whenever the heap in use is the
// largest seen so far, checking every second.
func peakHeap(path string) {
	var peak uint64
	for range time.Tick(time.Second) {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapInuse <= peak {
			continue
		}
		peak = m.HeapInuse
		if f, err := os.Create(path); err == nil {
			pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
}
