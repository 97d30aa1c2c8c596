package pan

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// The PAN 2013 training corpus is read in place when the folder is there
// (CI has it beside the repository); it is never copied into the repository.
func panDir(t *testing.T) string {
	for _, d := range []string{os.Getenv("REPRINT_PAN13"), "../../../shared/eval/pan13-train", "/work/shared/eval/pan13-train"} {
		if d == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "plagdet.py")); err == nil {
			return d
		}
	}
	t.Skip("PAN 2013 training corpus not found (set REPRINT_PAN13)")
	return ""
}

// TestSubsetPlagdet aligns the first 30 pairs of every sub-corpus and holds
// the aligner to floors well under what it reaches on the whole corpus
// (BENCHMARKS.md), so that a regression, not noise, fails it.
func TestSubsetPlagdet(t *testing.T) {
	dir := panDir(t)
	start := time.Now()
	c, err := Load(dir, 30)
	if err != nil {
		t.Fatal(err)
	}
	opt, err := Options("")
	if err != nil {
		t.Fatal(err)
	}
	ps := c.Align(2, opt)
	if one := c.Align(1, opt); !reflect.DeepEqual(one, ps) {
		t.Errorf("1 worker and 2 workers report different passages (%d and %d)", len(one), len(ps))
	}
	run := filepath.Join(t.TempDir(), "run.jsonl")
	f, err := os.Create(run)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteJSONL(f, ps); err != nil {
		t.Fatal(err)
	}
	f.Close()
	m, err := c.Score(dir, run)
	if err != nil {
		t.Fatal(err)
	}
	floors := map[string]float64{
		"02-no-obfuscation":          0.9,
		"03-random-obfuscation":      0.75,
		"04-translation-obfuscation": 0.75,
		"05-summary-obfuscation":     0.15,
		"entire":                     0.75,
	}
	for _, name := range Subcorpora {
		got := m[name]
		t.Logf("%-27s plagdet %.3f recall %.3f precision %.3f granularity %.3f", name, got.Plagdet, got.Recall, got.Precision, got.Granularity)
		if fl, ok := floors[name]; ok && got.Plagdet < fl {
			t.Errorf("%s: plagdet %.3f, want >= %.2f", name, got.Plagdet, fl)
		}
	}
	if d := m["01-no-plagiarism"].Detections; d > 0 {
		t.Errorf("%d passages reported between pairs with nothing reused", d)
	}
	if el := time.Since(start); el > time.Minute {
		t.Errorf("subset took %v, want well under a minute", el)
	}
}
