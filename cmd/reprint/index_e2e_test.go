package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprint/reprint/index"
)

// TestIndexCommands runs add, query, stats and delete on the example news
// through the command line, and the errors a user meets first.
func TestIndexCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "news.idx")
	q := filepath.Join(newsDir, "001_e55fcabe4c6a2c3c.txt")
	if r := reprintCmd(t, "", "index", "query", "--index", dir, q); r.code != exitInput || !strings.Contains(r.stderr, "no index") {
		t.Fatalf("query before add: exit %d: %s", r.code, r.stderr)
	}
	if r := reprintCmd(t, "", "index", "add", "--index", dir, "--meta", newsMeta, newsDir); r.code != 0 || !strings.Contains(r.stderr, "5 added") {
		t.Fatalf("add: exit %d: %s", r.code, r.stderr)
	}
	// Adding again replaces every document.
	if r := reprintCmd(t, "", "index", "add", "--index", dir, "--meta", newsMeta, newsDir); r.code != 0 || !strings.Contains(r.stderr, "5 replaced") {
		t.Fatalf("add again: exit %d: %s", r.code, r.stderr)
	}
	r := reprintCmd(t, "", "index", "query", "--index", dir, "--json", "--excerpts", q)
	if r.code != 0 {
		t.Fatalf("query: exit %d: %s", r.code, r.stderr)
	}
	var res index.Result
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.NearDuplicates) != 1 || res.NearDuplicates[0].ID != "001_e55fcabe4c6a2c3c.txt" || res.NearDuplicates[0].Jaccard != 1 {
		t.Fatalf("near-duplicates: %+v", res.NearDuplicates)
	}
	others := 0
	for _, p := range res.Passages {
		if p.B != "001_e55fcabe4c6a2c3c.txt" {
			others++
			if p.Date == "" || p.Source == "" || p.Earliest.Status == "" {
				t.Errorf("passage without metadata: %+v", p)
			}
		}
	}
	if others == 0 || len(res.Excerpts) != len(res.Passages) {
		t.Fatalf("passages: %+v", res.Passages)
	}
	// The text view, from standard input.
	r = reprintCmd(t, "Nothing here is copied from anything at all.", "index", "query", "--index", dir, "-")
	if r.code != 0 || !strings.Contains(r.stdout, "near-duplicates: none") {
		t.Fatalf("query stdin: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	r = reprintCmd(t, "", "index", "stats", "--index", dir, "--json")
	var st index.Stats
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || st.Documents != 5 || st.DiskBytes == 0 {
		t.Fatalf("stats: %s %v", r.stdout, err)
	}
	r = reprintCmd(t, "", "index", "delete", "--index", dir, "001_e55fcabe4c6a2c3c.txt", "missing")
	if r.code != exitInput || !strings.Contains(r.stdout, "deleted 001_e55fcabe4c6a2c3c.txt") || !strings.Contains(r.stderr, "missing") {
		t.Fatalf("delete: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	if r := reprintCmd(t, "", "index", "query", "--index", dir, "--id", "001_e55fcabe4c6a2c3c.txt"); r.code != exitInput {
		t.Fatalf("query deleted ID: exit %d: %s", r.code, r.stderr)
	}
	// A bad record is skipped, or ends the run under --strict.
	bad := `{"id": "s1", "text": "one two three"}` + "\nnot json\n" + `{"id": "s2", "text": "four five"}` + "\n"
	if r := reprintCmd(t, bad, "index", "add", "--index", dir, "-"); r.code != 0 || !strings.Contains(r.stderr, "2 added, 0 replaced, 0 rejected, 1 skipped") {
		t.Fatalf("add with a bad record: exit %d: %s", r.code, r.stderr)
	}
	if r := reprintCmd(t, bad, "index", "add", "--strict", "--index", dir, "-"); r.code != exitSkipped {
		t.Fatalf("add --strict with a bad record: exit %d: %s", r.code, r.stderr)
	}
	for _, args := range [][]string{
		{"index", "add", newsDir},
		{"index", "add", "--index", dir},
		{"index", "query", "--index", dir},
		{"index", "add", "--index", dir, "--batch", "0", newsDir},
	} {
		if r := reprintCmd(t, "", args...); r.code != exitUsage {
			t.Errorf("%v: exit %d, want %d: %s", args, r.code, exitUsage, r.stderr)
		}
	}
}
