package stories

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/token"
)

// benchStream returns the stream benchmarks' documents: the first
// REPRINT_STREAM_N (default 20,000) lines of the JSONL file
// REPRINT_STREAM_JSONL when it is set (reprint-gen's corpus, whose
// statistics, most documents a story of their own, are the index's
// benchmark's), else generated story documents.
func benchStream(b testing.TB) []corpus.Doc {
	b.Helper()
	n := 20000
	if s := os.Getenv("REPRINT_STREAM_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	path := os.Getenv("REPRINT_STREAM_JSONL")
	if path == "" {
		return streamDocs(b, n, 1)
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<26)
	var docs []corpus.Doc
	for len(docs) < n && sc.Scan() {
		var r struct{ ID, Text, Date, Source string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			b.Fatal(err)
		}
		docs = append(docs, corpus.Doc{ID: r.ID, Text: r.Text, Date: r.Date, Source: r.Source})
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
	return docs
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func extractAll(b *testing.B, docs []corpus.Doc) []*DocTerms {
	b.Helper()
	ts := make([]*DocTerms, len(docs))
	for i := range docs {
		t, err := ExtractTerms(docs[i])
		if err != nil {
			b.Fatal(err)
		}
		ts[i] = t
	}
	return ts
}

// BenchmarkStreamAddTerms is the single pass of the index's add alone
// (terms extracted beforehand): what an add with stories cannot run in
// parallel. REPRINT_STREAM_IDS names a file to write the story IDs to, so
// that two versions can be compared.
func BenchmarkStreamAddTerms(b *testing.B) {
	docs := benchStream(b)
	ts := extractAll(b, docs)
	var ids []string
	cpu := cpuTime()
	for b.Loop() {
		c, _ := NewClusterer(Options{})
		ids = ids[:0]
		for _, t := range ts {
			ids = append(ids, c.AddTerms(t))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(ts)), "us/doc")
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N*len(ts)), "cpu-us/doc")
	if p := os.Getenv("REPRINT_STREAM_IDS"); p != "" {
		if err := os.WriteFile(p, []byte(strings.Join(ids, "\n")+"\n"), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStreamNearest is a query's story lookup after the stream took
// every document: the terms of a text of about 1,000 words (documents
// glued together, as reprint-load's queries are) and Nearest.
// REPRINT_STREAM_IDS, when set, gets the answers written to it with
// ".near" appended.
func BenchmarkStreamNearest(b *testing.B) {
	docs, c := streamed(b)
	qs := queryDocs(docs)
	var out []string
	i := 0
	cpu := cpuTime()
	for b.Loop() {
		q := qs[i%len(qs)]
		t, _ := ExtractTerms(q)
		id, score, joined := c.Nearest(t)
		if i < len(qs) {
			out = append(out, fmt.Sprintf("%s %v %v", id, score, joined))
		}
		i++
	}
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-us/op")
	if p := os.Getenv("REPRINT_STREAM_IDS"); p != "" && len(out) == len(qs) {
		if err := os.WriteFile(p+".near", []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTermsOf is the index's term extraction: from tokens the
// analysis made (termsOf), without the tokenization BenchmarkTerms counts.
func BenchmarkTermsOf(b *testing.B) {
	docs := benchStream(b)
	if len(docs) > 5000 {
		docs = docs[:5000]
	}
	x := newExtractor()
	toks := make([][]token.Token, len(docs))
	var n int64
	for i := range docs {
		toks[i] = x.tz.Tokens(docs[i].Text, docs[i].Start, nil)
		n += int64(len(docs[i].Text))
	}
	b.SetBytes(n)
	cpu := cpuTime()
	for b.Loop() {
		for k := range docs {
			x.termsOf(&docs[k], toks[k])
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/1e3/float64(b.N*len(docs)), "cpu-us/doc")
}

// BenchmarkStreamNearestOnly is BenchmarkStreamNearest without the
// queries' term extraction: Nearest alone.
func BenchmarkStreamNearestOnly(b *testing.B) {
	docs, c := streamed(b)
	var qs []*DocTerms
	for _, q := range queryDocs(docs) {
		t, _ := ExtractTerms(q)
		qs = append(qs, t)
	}
	i := 0
	cpu := cpuTime()
	for b.Loop() {
		c.Nearest(qs[i%len(qs)])
		i++
	}
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-us/op")
}

// streamed returns the stream benchmarks' documents and a clusterer that
// took them all.
func streamed(b *testing.B) ([]corpus.Doc, *Clusterer) {
	docs := benchStream(b)
	ts := extractAll(b, docs)
	c, _ := NewClusterer(Options{})
	for _, t := range ts {
		c.AddTerms(t)
	}
	return docs, c
}

// queryDocs returns 200 texts of 1,000 words glued from docs, as
// reprint-load's queries are.
func queryDocs(docs []corpus.Doc) []corpus.Doc {
	var qs []corpus.Doc
	for i := 0; len(qs) < 200; i++ {
		var words []string
		for k := 0; len(words) < 1000; k++ {
			d := docs[(i*7919+k*104729)%len(docs)]
			words = append(words, strings.Fields(d.Text)...)
		}
		qs = append(qs, corpus.Doc{ID: "query", Text: strings.Join(words[:1000], " ")})
	}
	return qs
}
