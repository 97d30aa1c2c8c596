package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/reprint/reprint/cluster"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/neardup"
)

func TestMain(m *testing.M) { ptest.MainWithDefault(m, "prism") }

// testCorpus writes a small generated corpus with families, exact
// duplicates and passages, split over two files, and returns the paths.
func testCorpus(t *testing.T, docs int) []string {
	t.Helper()
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Seed, cfg.MeanWords, cfg.Passages = docs, 7, 120, 10
	cfg.FamilyShare, cfg.ExactShare = 0.4, 0.1
	var all []gen.Doc
	if _, err := gen.Generate(cfg, func(d gen.Doc) error { all = append(all, d); return nil }); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var paths []string
	for i, part := range [][]gen.Doc{all[:len(all)/2], all[len(all)/2:]} {
		var buf bytes.Buffer
		w := gen.NewJSONLWriter(&buf)
		for j, d := range part {
			if i == 1 && j == 3 {
				d.Date = "" // an undated document
			}
			w.Write(d)
		}
		w.Flush()
		if i == 1 {
			buf.WriteString("{\"id\": \"bad\"}\n\n") // a record that cannot be used, and a blank line
		}
		p := filepath.Join(dir, fmt.Sprintf("part%d.jsonl", i))
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// want runs the CLI's engine on the same inputs and returns the bytes of
// pairs.jsonl, clusters.jsonl and the kept corpus the CLI would write.
func want(t *testing.T, inputs []string, mode cluster.Mode) (pairs, clusters, kept []byte) {
	t.Helper()
	pairs, clusters, kept, _ = wantWith(t, inputs, corpus.Options{}, mode)
	return pairs, clusters, kept
}

// wantWith is want for inputs read with copt; it also returns the CLI
// engine's result.
func wantWith(t *testing.T, inputs []string, copt corpus.Options, mode cluster.Mode) (pairs, clusters, kept []byte, res *neardup.Result) {
	t.Helper()
	c, err := corpus.Open(inputs, copt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	res, err = neardup.Run(context.Background(), c, neardup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pairs()) == 0 {
		t.Fatal("test corpus has no pairs")
	}
	pairs = encode(t, res.Pairs())
	clusters = encode(t, res.Clusters(cluster.KeepEarliest, mode))
	rm := res.RemovedSeqs(cluster.KeepEarliest, mode)
	out := filepath.Join(t.TempDir(), "kept.jsonl")
	if _, err := c.Copy(context.Background(), func(seq int) bool { return !rm[seq] }, out); err != nil {
		t.Fatal(err)
	}
	kept, err = os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return pairs, clusters, kept, res
}

func encode[T any](t *testing.T, xs []T) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, x := range xs {
		if err := enc.Encode(x); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// runPipeline builds the pipeline and runs it with execute.
func runPipeline(t *testing.T, inputs []string, opt Options, execute func(context.Context, *beam.Pipeline) (beam.PipelineResult, error)) string {
	t.Helper()
	out, _ := runPipelineResult(t, inputs, opt, execute)
	return out
}

// runPipelineResult is runPipeline, also returning the job's result.
func runPipelineResult(t *testing.T, inputs []string, opt Options, execute func(context.Context, *beam.Pipeline) (beam.PipelineResult, error)) (string, beam.PipelineResult) {
	t.Helper()
	ctx := context.Background()
	files, err := ExpandInputs(ctx, inputs)
	if err != nil {
		t.Fatal(err)
	}
	opt.Inputs, opt.Output = files, t.TempDir()
	p, s := beam.NewPipelineWithRoot()
	if err := Build(s, opt); err != nil {
		t.Fatal(err)
	}
	res, err := execute(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	return opt.Output, res
}

func check(t *testing.T, out string, inputs []string, mode cluster.Mode) {
	t.Helper()
	wp, wc, wk := want(t, inputs, mode)
	checkFiles(t, out, inputs, wp, wc, wk)
}

// checkFiles compares the pipeline's outputs in out with the CLI's bytes.
func checkFiles(t *testing.T, out string, inputs []string, wp, wc, wk []byte) {
	t.Helper()
	t.Logf("CLI: %d pairs, %d clusters, %d kept records", bytes.Count(wp, []byte("\n")), bytes.Count(wc, []byte("\n")), bytes.Count(wk, []byte("\n")))
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if got := read("pairs.jsonl"); !bytes.Equal(got, wp) {
		t.Errorf("pairs.jsonl differs from reprint pairs: %d bytes, want %d", len(got), len(wp))
	}
	if got := read("clusters.jsonl"); !bytes.Equal(got, wc) {
		t.Errorf("clusters.jsonl differs from reprint dedup: %d bytes, want %d\ngot:\n%s\nwant:\n%s", len(got), len(wc), got, wc)
	}
	// The CLI writes one kept file for all inputs; the pipeline one per
	// input, whose concatenation is the same.
	var kept []byte
	for i := range inputs {
		kept = append(kept, read(fmt.Sprintf("kept-%05d.jsonl", i))...)
	}
	if !bytes.Equal(kept, wk) {
		t.Errorf("kept corpus differs from reprint dedup -o: %d bytes, want %d", len(kept), len(wk))
	}
}

// TestPrismMatchesCLI runs the pipeline on prism, in process, with few
// rounds so that both the rounds and the finishing worker decide some
// nodes, and compares every output with the CLI engine's.
func TestPrismMatchesCLI(t *testing.T) {
	inputs := testCorpus(t, 300)
	out := runPipeline(t, inputs, Options{Rounds: 1}, prism.Execute)
	check(t, out, inputs, cluster.ModeGreedy)
}

func TestPrismComponentsMatchCLI(t *testing.T) {
	inputs := testCorpus(t, 300)
	out := runPipeline(t, inputs, Options{Cluster: "components", Rounds: 2}, prism.Execute)
	check(t, out, inputs, cluster.ModeComponents)
}

// TestUniversalAgainstPrismJobServer starts a prism job server on a
// loopback port and runs the pipeline with --runner=universal
// --endpoint=localhost:PORT --environment_type=LOOPBACK, as a user would
// against a standalone job server.
func TestUniversalAgainstPrismJobServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback port for a job server: %v", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := prism.CreateJobServer(ctx, prism.Options{Port: port}); err != nil {
		t.Skipf("cannot start a prism job server on port %d: %v", port, err)
	}
	old, oldEnv := *jobopts.Endpoint, *jobopts.EnvironmentType
	defer func() { *jobopts.Endpoint, *jobopts.EnvironmentType = old, oldEnv }()
	for k, v := range map[string]string{"endpoint": fmt.Sprintf("localhost:%d", port), "environment_type": "LOOPBACK"} {
		if err := flag.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	inputs := testCorpus(t, 300)
	out := runPipeline(t, inputs, Options{}, func(ctx context.Context, p *beam.Pipeline) (beam.PipelineResult, error) {
		return beam.Run(ctx, "universal", p)
	})
	check(t, out, inputs, cluster.ModeGreedy)
}
