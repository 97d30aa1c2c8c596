// Command reprint-load is the load benchmark of the persistent index and
// its HTTP service: it builds an index of -docs generated documents (package
// gen: near-duplicate families, exact duplicates, inserted passages), then
// serves it on a loopback port and, for -duration, runs -clients concurrent
// query clients while one writer adds documents over HTTP at -write-rate.
//
// Reported: ingest rate of the build (documents through index.StartAdd in
// synced batches of -batch, two in flight, generation overlapped; -sequential
// for one at a time) and its CPU, bytes on disk per
// document after a flush, and under load: query latency p50, p90, p99 and
// max as the client sees it (HTTP round trip on loopback, JSON included),
// queries per second, the writer's achieved rate, and errors (any non-200
// answer or transport error), the process's CPU (user and system) during
// the query phase and per query (the machine is often shared: CPU is the
// figure to compare between runs, wall time the one a client sees), and
// the mean work of a query (band and anchor candidates, documents
// aligned). Queries are -query-words words: runs of stored documents glued
// together, so each query has near-duplicate candidates and passages to
// align in several documents. The clients pick among -queries distinct
// texts, so a text is sent many times in a long run: the index's cache of
// prepared candidates (-query-cache-mb) is hit more often than with texts
// that never repeat; raise -queries to see the other case. -no-story
// leaves the story lookup out of every query.
//
// An existing index in -dir with at least -docs documents is reused, so
// the query phase can be rerun without rebuilding (-keep keeps the index).
// Nothing leaves 127.0.0.1, and every phase is bounded in time.
//
//	go run ./bench/cmd/reprint-load -docs 1000000 -duration 60s
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/index"
	"github.com/reprint/reprint/server"
	"github.com/reprint/reprint/token"
)

type config struct {
	docs, batch, clients, queryWords, writeRate, samples, cacheMB, recall, compactions int
	duration                                                                           time.Duration
	dir                                                                                string
	keep, asJSON, noStory, noStories, sequential                                       bool
	cpuprofile, buildProfile                                                           string
	seed                                                                               uint64
	queryCacheMB                                                                       int // -1: the index's default
	postingCacheMB                                                                     int // -1: the index's default
}

func main() {
	var c config
	flag.IntVar(&c.docs, "docs", 100000, "documents in the index")
	flag.IntVar(&c.batch, "batch", 2000, "documents per synced commit while building")
	flag.IntVar(&c.clients, "clients", 4, "concurrent query clients (closed loop: each sends its next query when the last is answered)")
	flag.IntVar(&c.queryWords, "query-words", 1000, "words per query")
	flag.IntVar(&c.writeRate, "write-rate", 200, "documents per second the writer adds during the query phase (0: no writer)")
	flag.IntVar(&c.samples, "queries", 500, "distinct query texts")
	flag.IntVar(&c.recall, "recall", 1000, "inserted passages and near-duplicate copies checked against the generator's truth (0: skip)")
	flag.IntVar(&c.cacheMB, "cache-mb", 2048, "Pebble block cache, MiB (reprint serve --cache-mb)")
	flag.IntVar(&c.compactions, "compactions", index.ServingCompactions(), "background compactions at once (reprint serve --compactions, whose default this is)")
	flag.DurationVar(&c.duration, "duration", 30*time.Second, "length of the query phase")
	flag.StringVar(&c.dir, "dir", "", "index directory (default: a temporary one, removed unless -keep)")
	flag.BoolVar(&c.keep, "keep", false, "keep the index directory")
	flag.BoolVar(&c.asJSON, "json", false, "print the results as one JSON object")
	flag.Uint64Var(&c.seed, "seed", 1, "corpus seed")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the query phase to this file")
	flag.BoolVar(&c.noStory, "no-story", false, "send no_story with every query (leaves the story lookup out)")
	flag.BoolVar(&c.noStories, "no-stories", false, "create the index without stories (no story assignment on add, none in queries)")
	flag.BoolVar(&c.sequential, "sequential", false, "build with one add at a time (Add), not two in flight (StartAdd)")
	flag.StringVar(&c.buildProfile, "build-cpuprofile", "", "write a CPU profile of the build to this file")
	flag.IntVar(&c.queryCacheMB, "query-cache-mb", -1, "the index's cache of prepared candidate documents, MiB (0: none; -1: the index's default)")
	flag.IntVar(&c.postingCacheMB, "posting-cache-mb", -1, "the index's cache of posting lists, MiB (0: none; -1: the index's default)")
	flag.Parse()
	c.cpuprofile = *cpuprofile
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "reprint-load:", err)
		os.Exit(1)
	}
}

// Result is what one run measured.
type Result struct {
	Docs          uint64  `json:"documents"`
	Built         bool    `json:"built"`
	IngestSeconds float64 `json:"ingest_seconds,omitempty"`
	IngestDocsPS  float64 `json:"ingest_docs_per_s,omitempty"`
	// CPU of the whole process during the build (generation included),
	// user and system seconds.
	IngestCPU    float64 `json:"ingest_cpu_s,omitempty"`
	DiskBytes    uint64  `json:"disk_bytes"`
	BytesPerDoc  float64 `json:"disk_bytes_per_document"`
	TextBytes    uint64  `json:"text_bytes"`
	Cores        int     `json:"cores"`
	Clients      int     `json:"clients"`
	QueryWords   int     `json:"query_words"`
	Seconds      float64 `json:"seconds"`
	Queries      int     `json:"queries"`
	QPS          float64 `json:"queries_per_s"`
	P50ms        float64 `json:"p50_ms"`
	P90ms        float64 `json:"p90_ms"`
	P99ms        float64 `json:"p99_ms"`
	MaxMs        float64 `json:"max_ms"`
	Errors       int64   `json:"errors"`
	WriterDocs   int64   `json:"writer_docs"`
	WriterDocsPS float64 `json:"writer_docs_per_s"`
	AvgNear      float64 `json:"mean_near_duplicates"`
	AvgPassages  float64 `json:"mean_passages"`
	// CPU of the whole process (server, clients, writer, compactions)
	// during the query phase, user and system, and per answered query.
	CPUUser      float64 `json:"cpu_user_s"`
	CPUSys       float64 `json:"cpu_sys_s"`
	CPUPerQuery  float64 `json:"cpu_ms_per_query"`
	AvgBand      float64 `json:"mean_band_candidates"`
	AvgAnchor    float64 `json:"mean_anchor_candidates"`
	AvgAligned   float64 `json:"mean_aligned"`
	QueryCacheMB int     `json:"query_cache_mb"` // -1: the index's default
	// Lookups of the index's cache of prepared candidates during the
	// query phase that found the document, and that did not (0 and 0 for
	// an index package without the cache).
	CacheHits   int64 `json:"query_cache_hits"`
	CacheMisses int64 `json:"query_cache_misses"`
	// The same for the posting cache: lists found in it, lists read from
	// the tables.
	PostingCacheMB     int   `json:"posting_cache_mb"` // -1: the index's default
	PostingCacheHits   int64 `json:"posting_cache_hits"`
	PostingCacheMisses int64 `json:"posting_cache_misses"`

	PassagesChecked int `json:"passages_checked"`
	PassagesFound   int `json:"passages_found"`
	NearChecked     int `json:"near_duplicates_checked"`
	NearFound       int `json:"near_duplicates_found"`
}

func run(c config) error {
	var res Result
	if err := runResult(c, &res); err != nil {
		return err
	}
	if c.asJSON {
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	fmt.Printf("index: %d documents (%.0f MB of text), %.1f MB on disk, %.0f bytes per document\n",
		res.Docs, float64(res.TextBytes)/1e6, float64(res.DiskBytes)/1e6, res.BytesPerDoc)
	if res.Built {
		fmt.Printf("ingest: %.0f docs/s (%.1fs, synced batches of %d; %.1f s CPU, %.0f µs a document)\n",
			res.IngestDocsPS, res.IngestSeconds, c.batch, res.IngestCPU, 1e6*res.IngestCPU/float64(c.docs))
	}
	fmt.Printf("queries: %d in %.1fs on %d cores, %d clients, %d words each: %.0f queries/s\n",
		res.Queries, res.Seconds, res.Cores, res.Clients, res.QueryWords, res.QPS)
	fmt.Printf("latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n", res.P50ms, res.P90ms, res.P99ms, res.MaxMs)
	fmt.Printf("cpu: %.1fs user + %.1fs sys during the query phase, %.2f ms per query\n", res.CPUUser, res.CPUSys, res.CPUPerQuery)
	fmt.Printf("results: %.1f near-duplicates and %.1f passages per query on average\n", res.AvgNear, res.AvgPassages)
	fmt.Printf("work: %.1f band candidates, %.1f anchor candidates, %.1f aligned per query on average\n", res.AvgBand, res.AvgAnchor, res.AvgAligned)
	if n := res.CacheHits + res.CacheMisses; n > 0 {
		fmt.Printf("query cache: %d hits, %d misses (%.0f%% hits)\n", res.CacheHits, res.CacheMisses, 100*float64(res.CacheHits)/float64(n))
	}
	if n := res.PostingCacheHits + res.PostingCacheMisses; n > 0 {
		fmt.Printf("posting cache: %d lists found, %d read from the tables (%.0f%% hits)\n",
			res.PostingCacheHits, res.PostingCacheMisses, 100*float64(res.PostingCacheHits)/float64(n))
	}
	fmt.Printf("writer: %d documents added during the run, %.0f docs/s\n", res.WriterDocs, res.WriterDocsPS)
	fmt.Printf("errors: %d\n", res.Errors)
	if res.PassagesChecked > 0 {
		fmt.Printf("recall: %d of %d inserted passages found by querying their target; %d of %d copies at Jaccard >= threshold list their original\n",
			res.PassagesFound, res.PassagesChecked, res.NearFound, res.NearChecked)
	}
	return nil
}

// runResult builds or reuses the index and runs the load, filling res.
func runResult(c config, res *Result) error {
	if c.docs < 10 || c.clients < 1 || c.queryWords < 10 || c.duration <= 0 || c.duration > time.Hour {
		return fmt.Errorf("bad flags: -docs >= 10, -clients >= 1, -query-words >= 10, 0 < -duration <= 1h")
	}
	dir := c.dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "reprint-load-")
		if err != nil {
			return err
		}
		dir = filepath.Join(tmp, "idx")
		if !c.keep {
			defer os.RemoveAll(tmp)
		}
	}
	ix, err := index.Open(dir, index.Options{Create: true, CacheMB: c.cacheMB, NoStories: c.noStories, Compactions: c.compactions})
	if err != nil {
		return err
	}
	defer ix.Close()
	*res = Result{Cores: runtime.GOMAXPROCS(0), Clients: c.clients, QueryWords: c.queryWords, QueryCacheMB: c.queryCacheMB,
		PostingCacheMB: c.postingCacheMB}
	if c.postingCacheMB >= 0 {
		pc, ok := any(ix).(interface{ SetPostingCache(int64) })
		if !ok {
			return fmt.Errorf("-posting-cache-mb: this index package has no posting cache")
		}
		pc.SetPostingCache(int64(c.postingCacheMB) << 20)
	}
	if c.queryCacheMB >= 0 {
		// Through an interface, so that this file builds against an index
		// package from before the cache (a before/after run).
		qc, ok := any(ix).(interface{ SetQueryCache(int64) })
		if !ok {
			return fmt.Errorf("-query-cache-mb: this index package has no query cache")
		}
		qc.SetQueryCache(int64(c.queryCacheMB) << 20)
	}

	st, err := ix.Stats(context.Background())
	if err != nil {
		return err
	}
	var truth *gen.Truth
	if st.Documents < uint64(c.docs) {
		if st.Documents > 0 {
			return fmt.Errorf("%s holds %d documents, fewer than -docs %d; remove it first", dir, st.Documents, c.docs)
		}
		res.Built = true
		if c.buildProfile != "" {
			f, err := os.Create(c.buildProfile)
			if err != nil {
				return err
			}
			pprof.StartCPUProfile(f)
			defer f.Close()
		}
		cpu0 := cpuTimes()
		secs, t, err := build(ix, c)
		cpu1 := cpuTimes()
		if c.buildProfile != "" {
			pprof.StopCPUProfile()
		}
		res.IngestCPU = cpu1[0] - cpu0[0] + cpu1[1] - cpu0[1]
		if err != nil {
			return err
		}
		truth = &t
		res.IngestSeconds = secs
		res.IngestDocsPS = float64(c.docs) / secs
	}
	if err := ix.Flush(); err != nil {
		return err
	}
	st, _ = ix.Stats(context.Background())
	res.Docs, res.DiskBytes, res.TextBytes = st.Documents, dirSize(dir), st.TextBytes
	res.BytesPerDoc = float64(res.DiskBytes) / float64(st.Documents)
	progress("index: %d documents, %.1f MB on disk, %.0f bytes per document", st.Documents, float64(res.DiskBytes)/1e6, res.BytesPerDoc)

	if c.recall > 0 {
		if truth == nil {
			progress("regenerating the corpus's ground truth")
			t, err := gen.Generate(corpusConfig(c), func(gen.Doc) error { return nil })
			if err != nil {
				return err
			}
			truth = &t
		}
		if err := measureRecall(ix, *truth, c.recall, res); err != nil {
			return err
		}
	}
	queries, err := makeQueries(ix, c)
	if err != nil {
		return err
	}
	// As reprint serve does before it listens: otherwise the first query
	// or add loads the stories state while holding the stories lock, and
	// every query waits for it (a max latency of the load's length).
	if err := ix.LoadStories(); err != nil {
		return err
	}
	return load(ix, c, queries, res)
}

// corpusConfig is the generator configuration of the indexed corpus.
func corpusConfig(c config) gen.Config {
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Seed = c.docs, c.seed
	cfg.Passages = c.docs / 100
	return cfg
}

// measureRecall queries up to n inserted passages' targets and n family
// copies by ID, evenly spread over the truth, and counts what is found: a
// passage whose spans overlap the inserted ones on both sides, and, for a
// copy whose exact Jaccard with its original reaches the threshold, the
// original among the near-duplicates.
func measureRecall(ix *index.Index, truth gen.Truth, n int, res *Result) error {
	ctx := context.Background()
	ps := truth.Passages
	for k := range min(n, len(ps)) {
		p := ps[k*len(ps)/min(n, len(ps))]
		r, err := ix.Query(ctx, index.Query{ID: p.Target})
		if err != nil {
			return fmt.Errorf("recall: %s: %w", p.Target, err)
		}
		res.PassagesChecked++
		for _, got := range r.Passages {
			if p.Overlaps(got.A, got.AStart, got.AEnd, got.B, got.BStart, got.BEnd) {
				res.PassagesFound++
				break
			}
		}
	}
	var copies [][2]string
	for _, f := range truth.Families {
		for _, m := range f.Copies {
			copies = append(copies, [2]string{m.ID, f.Original})
		}
	}
	st, err := ix.Stats(context.Background())
	if err != nil {
		return err
	}
	tz := token.New()
	set := func(id string) ([]uint64, error) {
		d, err := ix.Get(context.Background(), id)
		if err != nil {
			return nil, err
		}
		return token.ShingleSet(tz.Tokens(d.Text, d.Start, nil), st.NGram, nil), nil
	}
	for k := range min(n, len(copies)) {
		cp := copies[k*len(copies)/min(n, len(copies))]
		a, err := set(cp[0])
		if err != nil {
			return fmt.Errorf("recall: %s: %w", cp[0], err)
		}
		b, err := set(cp[1])
		if err != nil {
			return fmt.Errorf("recall: %s: %w", cp[1], err)
		}
		if token.Jaccard(a, b) < st.Threshold {
			continue
		}
		r, err := ix.Query(ctx, index.Query{ID: cp[0]})
		if err != nil {
			return fmt.Errorf("recall: %s: %w", cp[0], err)
		}
		res.NearChecked++
		for _, nd := range r.NearDuplicates {
			if nd.ID == cp[1] {
				res.NearFound++
				break
			}
		}
	}
	progress("recall: %d of %d passages, %d of %d near-duplicates", res.PassagesFound, res.PassagesChecked, res.NearFound, res.NearChecked)
	return nil
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "reprint-load: "+format+"\n", args...)
}

// build adds the generated corpus in synced batches, generating the next
// batch while the last one is added, with two adds in flight (one being
// analysed while the other commits) unless -sequential.
func build(ix *index.Index, c config) (float64, gen.Truth, error) {
	cfg := corpusConfig(c)
	batches := make(chan []index.Doc, 2)
	genErr := make(chan error, 1)
	var truth gen.Truth
	go func() {
		defer close(batches)
		cur := make([]index.Doc, 0, c.batch)
		var err error
		truth, err = gen.Generate(cfg, func(d gen.Doc) error {
			cur = append(cur, index.Doc{ID: d.ID, Text: d.Text, Date: d.Date, Source: d.Source})
			if len(cur) == c.batch {
				batches <- cur
				cur = make([]index.Doc, 0, c.batch)
			}
			return nil
		})
		if len(cur) > 0 {
			batches <- cur
		}
		genErr <- err
	}()
	start := time.Now()
	n, last := 0, time.Now()
	// Two adds in flight, as index.Ingest does: the next batch is analysed
	// while the last one commits. They commit in the order they started.
	var inflight []*index.PendingAdd
	land := func() error {
		res, err := inflight[0].Wait()
		inflight = inflight[1:]
		if err != nil {
			return err
		}
		for _, r := range res {
			if r.Status == index.StatusError {
				return fmt.Errorf("%s: %s", r.ID, r.Error)
			}
		}
		n += len(res)
		if time.Since(last) > 10*time.Second {
			progress("built %d of %d documents, %.0f docs/s", n, c.docs, float64(n)/time.Since(start).Seconds())
			last = time.Now()
		}
		return nil
	}
	for b := range batches {
		inflight = append(inflight, ix.StartAdd(b))
		if len(inflight) == 2 || c.sequential {
			if err := land(); err != nil {
				return 0, gen.Truth{}, err
			}
		}
	}
	for len(inflight) > 0 {
		if err := land(); err != nil {
			return 0, gen.Truth{}, err
		}
	}
	if err := <-genErr; err != nil {
		return 0, gen.Truth{}, err
	}
	return time.Since(start).Seconds(), truth, nil
}

// makeQueries glues stored documents (random IDs of the generated corpus)
// into texts of queryWords words.
func makeQueries(ix *index.Index, c config) ([]string, error) {
	rng := rand.New(rand.NewPCG(c.seed, 7))
	width := max(7, len(fmt.Sprint(c.docs-1)))
	var out []string
	for len(out) < c.samples {
		var words []string
		for tries := 0; len(words) < c.queryWords && tries < 100; tries++ {
			id := fmt.Sprintf("d%0*d", width, rng.IntN(c.docs))
			d, err := ix.Get(context.Background(), id)
			if err != nil {
				return nil, fmt.Errorf("query sample %s: %v", id, err)
			}
			words = append(words, strings.Fields(d.Text[d.Start:])...)
		}
		if len(words) > c.queryWords {
			words = words[:c.queryWords]
		}
		out = append(out, strings.Join(words, " "))
	}
	return out, nil
}

// load serves the index on loopback and runs the clients and the writer.
func load(ix *index.Index, c config, queries []string, res *Result) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	sctx, stopServer := context.WithCancel(context.Background())
	defer stopServer()
	served := make(chan error, 1)
	go func() { served <- server.New(ix, ix, server.Options{MaxQueries: c.clients}).Serve(sctx, ln) }()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: c.clients + 2}}

	bodies := make([][]byte, len(queries))
	for i, q := range queries {
		bodies[i], _ = json.Marshal(map[string]any{"text": q, "no_story": c.noStory})
	}
	var errs, writerDocs atomic.Int64
	var near, passages, band, anchor, aligned atomic.Int64
	lat := make([][]time.Duration, c.clients)
	ctx, cancel := context.WithTimeout(context.Background(), c.duration)
	defer cancel()
	if c.cpuprofile != "" {
		f, err := os.Create(c.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	cacheStats := func() (int64, int64) {
		if qc, ok := any(ix).(interface{ QueryCacheStats() (int64, int64, int64) }); ok {
			h, m, _ := qc.QueryCacheStats()
			return h, m
		}
		return 0, 0
	}
	postingStats := func() (int64, int64) {
		if pc, ok := any(ix).(interface{ PostingCacheStats() (int64, int64, int64) }); ok {
			h, m, _ := pc.PostingCacheStats()
			return h, m
		}
		return 0, 0
	}
	h0, m0 := cacheStats()
	ph0, pm0 := postingStats()
	var wg sync.WaitGroup
	cpu0 := cpuTimes()
	start := time.Now()
	for w := 0; w < c.clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 11))
			for ctx.Err() == nil {
				body := bodies[rng.IntN(len(bodies))]
				t0 := time.Now()
				resp, err := client.Post(base+"/v1/query", "application/json", bytes.NewReader(body))
				if err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
					}
					continue
				}
				var r struct {
					Near     []json.RawMessage `json:"near_duplicates"`
					Passages []json.RawMessage `json:"passages"`
					Stats    index.QueryStats  `json:"stats"`
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				d := time.Since(t0)
				if err != nil || resp.StatusCode != 200 || json.Unmarshal(b, &r) != nil {
					errs.Add(1)
					continue
				}
				near.Add(int64(len(r.Near)))
				passages.Add(int64(len(r.Passages)))
				band.Add(int64(r.Stats.BandCandidates))
				anchor.Add(int64(r.Stats.AnchorCandidates))
				aligned.Add(int64(r.Stats.Aligned))
				lat[w] = append(lat[w], d)
			}
		}()
	}
	if c.writeRate > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			writer(ctx, client, base, c, &writerDocs, &errs)
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu1 := cpuTimes()
	res.CPUUser, res.CPUSys = cpu1[0]-cpu0[0], cpu1[1]-cpu0[1]
	h1, m1 := cacheStats()
	res.CacheHits, res.CacheMisses = h1-h0, m1-m0
	ph1, pm1 := postingStats()
	res.PostingCacheHits, res.PostingCacheMisses = ph1-ph0, pm1-pm0
	// A connection dialed for a request the deadline cancelled would hold
	// the server's graceful shutdown for five seconds.
	client.CloseIdleConnections()
	stopServer()
	if err := <-served; err != nil {
		return err
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	pct := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[min(len(all)-1, int(p*float64(len(all))))].Microseconds()) / 1000
	}
	res.Seconds = elapsed.Seconds()
	res.Queries = len(all)
	res.QPS = float64(len(all)) / elapsed.Seconds()
	res.P50ms, res.P90ms, res.P99ms = pct(0.50), pct(0.90), pct(0.99)
	if len(all) > 0 {
		res.MaxMs = float64(all[len(all)-1].Microseconds()) / 1000
		res.AvgNear = float64(near.Load()) / float64(len(all))
		res.AvgPassages = float64(passages.Load()) / float64(len(all))
		res.AvgBand = float64(band.Load()) / float64(len(all))
		res.AvgAnchor = float64(anchor.Load()) / float64(len(all))
		res.AvgAligned = float64(aligned.Load()) / float64(len(all))
		res.CPUPerQuery = 1000 * (res.CPUUser + res.CPUSys) / float64(len(all))
	}
	res.Errors = errs.Load()
	res.WriterDocs = writerDocs.Load()
	res.WriterDocsPS = float64(res.WriterDocs) / elapsed.Seconds()
	return nil
}

// writer posts new generated documents in batches, ten batches a second,
// at c.writeRate documents per second.
func writer(ctx context.Context, client *http.Client, base string, c config, done, errs *atomic.Int64) {
	cfg := gen.DefaultConfig()
	per := max(1, c.writeRate/10)
	cfg.Docs, cfg.Seed, cfg.Passages = per*10*int(c.duration/time.Second+1), c.seed+1000, 0
	var docs []gen.Doc
	gen.Generate(cfg, func(d gen.Doc) error { docs = append(docs, d); return nil })
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for i := 0; i+per <= len(docs); i += per {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		for _, d := range docs[i : i+per] {
			enc.Encode(map[string]string{"id": "w-" + d.ID, "text": d.Text, "date": d.Date, "source": d.Source})
		}
		resp, err := client.Post(base+"/v1/documents", "application/x-ndjson", &buf)
		if err != nil {
			if ctx.Err() == nil {
				errs.Add(1)
			}
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			errs.Add(1)
			continue
		}
		done.Add(int64(per))
	}
}

func dirSize(dir string) uint64 {
	var n uint64
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += uint64(info.Size())
		}
		return nil
	})
	return n
}

// cpuTimes returns the process's user and system CPU seconds so far.
func cpuTimes() [2]float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return [2]float64{}
	}
	return [2]float64{time.Duration(ru.Utime.Nano()).Seconds(), time.Duration(ru.Stime.Nano()).Seconds()}
}
