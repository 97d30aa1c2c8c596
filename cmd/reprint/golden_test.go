package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/reprint/reprint/gen"
)

// The golden files pin what users see from pairs, dedup --clusters, reuse
// and index query, so that moving code between packages cannot change a
// byte of it unnoticed. After an intended change of output, regenerate
// them with: go test ./cmd/reprint -run TestGolden -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenCorpus writes a generated corpus with near-duplicate families and
// inserted passages, so every command has something to report.
func goldenCorpus(t *testing.T) string {
	t.Helper()
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Seed, cfg.MeanWords, cfg.Passages, cfg.PassageWords = 1200, 21, 140, 60, 35
	path := filepath.Join(t.TempDir(), "golden.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gen.WriteJSONL(f, cfg); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: output differs from the golden file (%d bytes, want %d); first difference at byte %d",
			name, len(got), len(want), firstDiff(got, want))
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func goldenRun(t *testing.T, args ...string) []byte {
	t.Helper()
	r := reprintCmd(t, "", args...)
	if r.code != 0 {
		t.Fatalf("reprint %v: exit %d: %s", args, r.code, r.stderr)
	}
	return []byte(r.stdout)
}

func goldenFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGolden(t *testing.T) {
	news := filepath.Join("..", "..", "testdata", "news")
	meta := filepath.Join("..", "..", "testdata", "news-meta.jsonl")
	corpus := goldenCorpus(t)
	dir := t.TempDir()

	for _, in := range []struct{ name, path, threshold string }{
		{"news", news, "0.25"},
		{"gen", corpus, "0.8"},
	} {
		t.Run(in.name, func(t *testing.T) {
			checkGolden(t, in.name+"-pairs.jsonl", goldenRun(t, "pairs", "--threshold", in.threshold, in.path))

			clusters := filepath.Join(dir, in.name+"-clusters.jsonl")
			goldenRun(t, "dedup", "--threshold", in.threshold, in.path, "-o", filepath.Join(dir, in.name+"-kept"), "--clusters", clusters)
			checkGolden(t, in.name+"-clusters.jsonl", goldenFile(t, clusters))

			args := []string{"reuse", in.path}
			if in.name == "news" {
				args = append(args, "--meta", meta)
			}
			checkGolden(t, in.name+"-reuse.jsonl", goldenRun(t, args...))

			idx := filepath.Join(dir, in.name+".idx")
			add := []string{"index", "add", "--index", idx, in.path}
			if in.name == "news" {
				add = append(add, "--meta", meta)
			}
			goldenRun(t, add...)
			var q bytes.Buffer
			for _, id := range goldenQueryIDs(in.name) {
				q.Write(goldenRun(t, "index", "query", "--index", idx, "--json", "--id", id))
			}
			checkGolden(t, in.name+"-query.jsonl", q.Bytes())
		})
	}
}

// goldenQueryIDs names the stored documents queried: all five of the news,
// and generated documents that include family members and passage targets.
func goldenQueryIDs(name string) []string {
	if name == "news" {
		return []string{"000_a2e0a91b0cb3cf6c.txt", "001_e55fcabe4c6a2c3c.txt", "002_2e28becdaf01947c.txt",
			"003_42714ab1c9b3c169.txt", "004_cf57f775b497bf58.txt"}
	}
	var ids []string
	for _, n := range []int{0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987} {
		ids = append(ids, fmt.Sprintf("d%07d", n))
	}
	return ids
}
