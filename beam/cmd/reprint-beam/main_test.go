package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
)

func TestMain(m *testing.M) { ptest.MainWithDefault(m, "prism") }

// setFlags sets the command's flags for one test and restores them after.
func setFlags(t *testing.T, kv map[string]string) {
	t.Helper()
	for k, v := range kv {
		f := flag.Lookup(k)
		old := f.Value.String()
		if err := flag.Set(k, v); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { flag.Set(k, old) })
	}
}

// A missing input among good ones stops the command before any job runs:
// exit 3, the file named, nothing written.
func TestMissingInputFailsBeforeTheJob(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "a.jsonl")
	if err := os.WriteFile(good, []byte(`{"id":"1","text":"one two three four five six"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "b.jsonl")
	out := filepath.Join(dir, "out")
	setFlags(t, map[string]string{"input": good + "," + missing, "output": out})
	var stderr bytes.Buffer
	err := run(context.Background(), &stderr)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != exitInput || !strings.Contains(err.Error(), missing) {
		t.Fatalf("run: %v, want exit %d naming %s", err, exitInput, missing)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("the job ran: %s exists", out)
	}
}

// A run reads the fields the flags name and ends with one JSON summary
// object on stderr under --json; a wrong --text-field uses no document and
// exits 3 after saying so.
func TestFieldFlagsAndJSONSummary(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	lines := `{"key":"a","body":"the same words in the same order make the same shingles every time"}
{"key":"b","body":"the same words in the same order make the same shingles every time"}
{"key":"c","body":"something else entirely, with words of its own and nothing shared"}
`
	if err := os.WriteFile(in, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	setFlags(t, map[string]string{"input": in, "output": filepath.Join(dir, "out"), "id-field": "key", "text-field": "body", "json": "true"})
	var stderr bytes.Buffer
	if err := run(context.Background(), &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	var sum struct {
		Command string `json:"command"`
		Stats   struct {
			Documents, Pairs, Clusters, Removed int
		} `json:"stats"`
		Wall float64 `json:"wall_seconds"`
	}
	if err := json.Unmarshal(stderr.Bytes(), &sum); err != nil {
		t.Fatalf("summary is not one JSON object: %v\n%s", err, stderr.String())
	}
	if sum.Stats.Documents != 3 || sum.Stats.Pairs != 1 || sum.Stats.Clusters != 1 || sum.Stats.Removed != 1 || sum.Wall <= 0 {
		t.Errorf("summary %+v: want 3 documents, 1 pair, 1 cluster, 1 removed", sum)
	}
	pairs, err := os.ReadFile(filepath.Join(dir, "out", "pairs.jsonl"))
	if err != nil || !bytes.HasPrefix(pairs, []byte(`{"a":"a","b":"b"`)) {
		t.Errorf("pairs.jsonl: %s, %v", pairs, err)
	}

	setFlags(t, map[string]string{"text-field": "content", "json": "false", "output": filepath.Join(dir, "out2")})
	stderr.Reset()
	err = run(context.Background(), &stderr)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != exitInput || !strings.Contains(err.Error(), `"content"`) {
		t.Errorf("wrong --text-field: %v, want exit %d naming the field", err, exitInput)
	}
	if !strings.Contains(stderr.String(), "0 documents") || !strings.Contains(stderr.String(), "3 records") {
		t.Errorf("text summary of an empty run:\n%s", stderr.String())
	}
}
