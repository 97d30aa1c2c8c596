package index

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/token"
)

// Queries of 1,000 words glued from stored documents (as reprint-load
// sends them) against 10,000 generated documents, without stories, with
// the cache of prepared candidates off, on with 100 texts sent again and
// again (candidates come back: a warm cache), and on with texts that never
// repeat (a candidate comes back only when two texts share it), the
// posting cache on except in the first case; with every
// document flushed, and with the last 2,000 in the memtable. Run with
// go test ./index -run '^$' -bench QueryWords -benchtime 2000x.
func BenchmarkQueryWords(b *testing.B) {
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Seed, cfg.Passages = 10000, 3, 100
	docs := generatedDocs(b, cfg)
	for _, unflushed := range []bool{false, true} {
		name := map[bool]string{false: "flushed", true: "memtable"}[unflushed]
		b.Run(name, func(b *testing.B) { benchQueryWords(b, docs, unflushed) })
	}
}

// benchQueryWords builds the index of docs, flushed, or with the last
// 2,000 documents added 20 at a time after a flush (as a writer leaves
// them in the memtable), and runs the queries.
func benchQueryWords(b *testing.B, docs []Doc, unflushed bool) {
	ix, err := Open(filepath.Join(b.TempDir(), "idx"), Options{Create: true, NoStories: true, CacheMB: 512})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	for i, n := 0, 2000; i < len(docs); i += n {
		if unflushed && i == len(docs)-2000 {
			if err := ix.Flush(); err != nil {
				b.Fatal(err)
			}
			n = 20
		}
		if _, err := ix.Add(docs[i:min(i+n, len(docs))]); err != nil {
			b.Fatal(err)
		}
	}
	if !unflushed {
		if err := ix.Flush(); err != nil {
			b.Fatal(err)
		}
	}
	// text(i) is query text i: whole stored documents from a fixed
	// pseudo-random sequence, cut at 1,000 words.
	text := func(i int) string {
		var w []string
		for k := 0; len(w) < 1000; k++ {
			w = append(w, strings.Fields(docs[(i*7919+k*104729)%len(docs)].Text)...)
		}
		return strings.Join(w[:1000], " ")
	}
	for _, c := range []struct {
		name     string
		cache    int64
		distinct int  // texts sent in turn; 0: every query a new text
		postings bool // the posting cache (postcache.go) on
	}{
		{"cache=off/postcache=off", 0, 0, false}, {"cache=off", 0, 0, true},
		{"cache=on/repeated", DefaultQueryCache, 100, true}, {"cache=on/fresh", DefaultQueryCache, 0, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			ix.SetQueryCache(c.cache)
			// A new posting cache for each case: "fresh" texts are then
			// fresh to it too, but for the stored documents they share.
			ix.SetPostingCache(map[bool]int64{true: DefaultPostingCache}[c.postings])
			texts := make([]string, b.N)
			for i := range texts {
				if c.distinct > 0 {
					texts[i] = text(i % c.distinct)
				} else {
					texts[i] = text(i + 1000)
				}
			}
			aligned := 0
			b.ResetTimer()
			cpu0 := processCPU()
			for i := 0; i < b.N; i++ {
				r, err := ix.Query(context.Background(), Query{Text: texts[i], NoStory: true})
				if err != nil {
					b.Fatal(err)
				}
				aligned += r.Stats.Aligned
			}
			b.ReportMetric(float64(processCPU()-cpu0)/1e3/float64(b.N), "cpu-µs/op")
			hits, misses, _ := ix.QueryCacheStats()
			b.ReportMetric(float64(aligned)/float64(b.N), "aligned/op")
			if hits+misses > 0 {
				b.ReportMetric(float64(hits)/float64(hits+misses), "hit-rate")
			}
		})
	}
}

// The posting scan alone (no alignment) of 1,000-word texts glued from
// stored documents, 20,000 generated documents in the tables and 4,000
// more added since the last flush (as a writer leaves them): through the
// overlay (the flushed tables plus the overlay's lists), the same with
// the posting cache, and through a snapshot (every memtable searched
// too). Run with
// go test ./index -run '^$' -bench QueryScan -benchtime 3000x.
func BenchmarkQueryScan(b *testing.B) {
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Seed, cfg.Passages = 24000, 3, 200
	docs := generatedDocs(b, cfg)
	ix, err := Open(filepath.Join(b.TempDir(), "idx"), Options{Create: true, NoStories: true, CacheMB: 512})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	// The last 4,000 in adds of 20, as a writer adds them: they stay in
	// the memtable (a batch of 2,000 after the flush would fill a small
	// one and be flushed at once).
	for i, n := 0, 2000; i < len(docs); i += n {
		if i == 20000 {
			if err := ix.Flush(); err != nil {
				b.Fatal(err)
			}
			n = 20
		}
		if _, err := ix.Add(docs[i:min(i+n, len(docs))]); err != nil {
			b.Fatal(err)
		}
	}
	tz := token.New()
	var qas []analysis
	for i := 0; i < 200; i++ {
		var w []string
		for k := 0; len(w) < 1000; k++ {
			w = append(w, strings.Fields(docs[(i*7919+k*104729)%len(docs)].Text)...)
		}
		qas = append(qas, ix.analyze(tz, strings.Join(w[:1000], " "), 0))
	}
	// Compactions after the build would be counted in the process's CPU.
	for t := 0; t < 100 && ix.db.Metrics().Compact.NumInProgress > 0; t++ {
		time.Sleep(100 * time.Millisecond)
	}
	// The posting cache (postcache.go) answers only through the overlay;
	// the 200 texts come back, so with it most lists are found there.
	for _, c := range []struct {
		overlay, cache bool
	}{{false, false}, {true, false}, {true, true}, {false, false}, {true, false}, {true, true}} {
		name := map[bool]string{true: "overlay", false: "snapshot"}[c.overlay]
		if c.cache {
			name += "+postcache"
		}
		overlay := c.overlay
		b.Run(name, func(b *testing.B) {
			ix.SetPostingCache(map[bool]int64{true: DefaultPostingCache}[c.cache])
			cpu0 := processCPU()
			for i := 0; i < b.N; i++ {
				qa := qas[i%len(qas)]
				snap, pv, err := ix.openViews(qa)
				if err != nil {
					b.Fatal(err)
				}
				if !overlay {
					pv.close()
					pv = nil
				} else if pv == nil {
					b.Fatal("the overlay cannot answer")
				}
				var cut Cut
				if _, _, _, err := ix.scan(context.Background(), snap, pv, qa, 0, &cut); err != nil {
					b.Fatal(err)
				}
				pv.close()
				snap.Close()
			}
			// The machine is often shared: CPU is what to compare.
			b.ReportMetric(float64(processCPU()-cpu0)/1e3/float64(b.N), "cpu-µs/op")
		})
	}
}

// processCPU is the process's user and system CPU time so far, in ns.
func processCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
