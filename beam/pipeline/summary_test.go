package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/reprint/reprint/cluster"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/neardup"
)

// renamed rewrites JSONL files with the fields id, text and date renamed
// to doc_id, body and published, adds a record whose date does not parse
// and one that repeats an earlier ID, and returns the new paths.
func renamed(t *testing.T, paths []string) []string {
	t.Helper()
	dir := t.TempDir()
	var out []string
	for i, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 1<<24)
		var firstID json.RawMessage
		for sc.Scan() {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				buf.Write(sc.Bytes()) // blank lines stay as they are
				buf.WriteByte('\n')
				continue
			}
			for from, to := range map[string]string{"id": "doc_id", "text": "body", "date": "published"} {
				if v, ok := m[from]; ok {
					m[to] = v
					delete(m, from)
				}
			}
			if firstID == nil {
				firstID = m["doc_id"]
			}
			line, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			buf.Write(line)
			buf.WriteByte('\n')
		}
		if i == 0 {
			fmt.Fprintf(&buf, `{"doc_id":"undated-1","body":"a record with a date in no known form keeps its text and words","published":"the fifth of May"}`+"\n")
			fmt.Fprintf(&buf, `{"doc_id":%s,"body":"a second record under the first record's ID, which is skipped"}`+"\n", firstID)
		}
		np := filepath.Join(dir, fmt.Sprintf("renamed%d.jsonl", i))
		if err := os.WriteFile(np, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, np)
	}
	return out
}

// TestFieldsAndSummary runs the pipeline on records whose fields have other
// names, read through Options.Fields as the CLI reads them through
// --id-field, --text-field and --date-field: the outputs must be the CLI
// engine's, and the summary read from the job's counters must count what
// the CLI counts.
func TestFieldsAndSummary(t *testing.T) {
	inputs := renamed(t, testCorpus(t, 200))
	fields := Fields{ID: "doc_id", Text: "body", Date: "published"}
	wp, wc, wk, res := wantWith(t, inputs, fields.corpusOptions(), cluster.ModeGreedy)

	// The CLI's warnings, counted on a run of their own (wantWith also
	// copies the corpus, which reads it a second time).
	copt := fields.corpusOptions()
	var warnings int64
	copt.OnWarning = func(*corpus.Problem) { warnings++ }
	c, err := corpus.Open(inputs, copt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := neardup.Run(context.Background(), c, neardup.Options{}); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if warnings == 0 {
		t.Fatal("test corpus has no record with a date that does not parse")
	}

	out, pres := runPipelineResult(t, inputs, Options{Fields: fields}, prism.Execute)
	checkFiles(t, out, inputs, wp, wc, wk)

	s := Summarize(pres)
	st := res.Stats
	var removed int64
	clusters := res.Clusters(cluster.KeepEarliest, cluster.ModeGreedy)
	for _, cl := range clusters {
		removed += int64(len(cl.Removed))
	}
	wantReasons := map[string]int64{}
	for k, v := range st.SkippedReasons {
		wantReasons[k] = int64(v)
	}
	if st.SkippedReasons["duplicate id"] == 0 {
		t.Fatalf("test corpus has no repeated ID: %v", st.SkippedReasons)
	}
	for _, c := range []struct {
		name      string
		got, want int64
	}{
		{"documents", s.Documents, int64(st.Docs)},
		{"bytes", s.Bytes, st.Bytes},
		{"skipped", s.Skipped, int64(st.Skipped)},
		{"input errors", s.InputErrors, int64(st.InputErrors)},
		{"warnings", s.Warnings, warnings},
		{"pairs", s.Pairs, int64(st.Pairs)},
		{"clusters", s.Clusters, int64(len(clusters))},
		{"removed", s.Removed, removed},
	} {
		if c.got != c.want {
			t.Errorf("summary %s = %d, the CLI counts %d", c.name, c.got, c.want)
		}
	}
	if !maps.Equal(s.SkippedReasons, wantReasons) {
		t.Errorf("skipped reasons %v, the CLI's %v", s.SkippedReasons, wantReasons)
	}

	var text bytes.Buffer
	s.WriteText(&text, 2*time.Second)
	for _, w := range []string{fmt.Sprintf("%d documents", st.Docs), fmt.Sprintf("near-duplicate pairs: %d", st.Pairs),
		fmt.Sprintf("duplicate id: %d", st.SkippedReasons["duplicate id"]), "in 2.00s"} {
		if !strings.Contains(text.String(), w) {
			t.Errorf("text summary lacks %q:\n%s", w, text.String())
		}
	}
	var js bytes.Buffer
	if err := s.WriteJSON(&js, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(js.Bytes(), []byte("\n")); n != 1 {
		t.Errorf("JSON summary is %d lines, want one", n)
	}
	var got struct {
		Stats  Summary `json:"stats"`
		MBPerS float64 `json:"mb_per_s"`
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatalf("JSON summary: %v\n%s", err, js.String())
	}
	if got.Stats.Documents != s.Documents || got.Stats.Pairs != s.Pairs || got.MBPerS != float64(s.Bytes)/1e6/2 {
		t.Errorf("JSON summary %s does not carry the counts %+v", js.String(), s)
	}
}

// A run that used no document ends with an error that names the text
// field, and one with unreadable inputs with one that counts them.
func TestSummaryErr(t *testing.T) {
	if err := (Summary{Metrics: true, Skipped: 3}).Err(Fields{Text: "body"}); err == nil || !strings.Contains(err.Error(), `"body"`) || !strings.Contains(err.Error(), "3 records") {
		t.Errorf("no documents: %v", err)
	}
	if err := (Summary{Metrics: true, Documents: 5, InputErrors: 1}).Err(Fields{}); err == nil || !strings.Contains(err.Error(), "1 input") {
		t.Errorf("an unreadable input: %v", err)
	}
	if err := (Summary{Metrics: true, Documents: 5}).Err(Fields{}); err != nil {
		t.Errorf("a good run: %v", err)
	}
	if err := (Summary{}).Err(Fields{}); err != nil {
		t.Errorf("no metrics: %v", err)
	}
}

// Every input is checked before a job is built: a missing file (alone or
// next to files a glob matched), a glob that matches nothing, a folder and
// an empty name each fail at once, naming what is wrong.
func TestExpandInputsChecksEveryInput(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	good := filepath.Join(dir, "a.jsonl")
	if err := os.WriteFile(good, []byte(`{"id":"1","text":"x"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.jsonl")
	for _, c := range []struct {
		patterns []string
		want     string
	}{
		{[]string{missing}, missing + ": no such file"},
		{[]string{filepath.Join(dir, "*.jsonl"), missing}, missing + ": no such file"},
		{[]string{good, filepath.Join(dir, "*.parquet")}, filepath.Join(dir, "*.parquet") + ": the pattern matches no file"},
		{[]string{dir}, dir + ": is a folder"},
		{[]string{good, ""}, "empty input name"},
	} {
		_, err := ExpandInputs(ctx, c.patterns)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one saying %q", c.patterns, err, c.want)
		}
	}
	files, err := ExpandInputs(ctx, []string{filepath.Join(dir, "*.jsonl")})
	if err != nil || len(files) != 1 || files[0].Path != good || files[0].Name != "kept.jsonl" {
		t.Errorf("a glob over one good file: %+v, %v", files, err)
	}
}
