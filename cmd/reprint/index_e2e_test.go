package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprint/reprint/corpus"
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

// An index copied without its empty files (the manifest marker) is
// refused by add with a message that says what is wrong, and not a file
// of the copy is touched.
func TestIndexAddRefusesCopyWithoutMarker(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "news.idx")
	if r := reprintCmd(t, "", "index", "add", "-q", "--index", dir, "--meta", newsMeta, newsDir); r.code != 0 {
		t.Fatalf("add: exit %d: %s", r.code, r.stderr)
	}
	cp := filepath.Join(t.TempDir(), "copy.idx")
	os.MkdirAll(cp, 0o755)
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		if len(b) > 0 {
			os.WriteFile(filepath.Join(cp, e.Name()), b, 0o644)
		}
	}
	before := listing(t, cp)
	r := reprintCmd(t, "", "index", "add", "--index", cp, newsDir)
	if r.code != exitInput || !strings.Contains(r.stderr, "marker") || !strings.Contains(r.stderr, "Nothing was changed") {
		t.Fatalf("add to a copy without its marker: exit %d: %s", r.code, r.stderr)
	}
	if after := listing(t, cp); after != before {
		t.Fatalf("the copy changed:\nbefore %s\nafter  %s", before, after)
	}
}

// listing is the names and sizes of the files in dir.
func listing(t *testing.T, dir string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range ents {
		fi, _ := e.Info()
		fmt.Fprintf(&b, "%s:%d ", e.Name(), fi.Size())
	}
	return b.String()
}

// index query FILE gives offsets into the file's bytes, date header
// included: the same as a query of the stored copy of that file.
func TestIndexQueryFileOffsets(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "news.idx")
	if r := reprintCmd(t, "", "index", "add", "-q", "--index", dir, "--meta", newsMeta, newsDir); r.code != 0 {
		t.Fatalf("add: exit %d: %s", r.code, r.stderr)
	}
	file := filepath.Join(newsDir, sana)
	raw, _ := os.ReadFile(file)
	if !strings.HasPrefix(string(raw), " date ") {
		t.Fatalf("%s has no date header to test with", sana)
	}
	query := func(args ...string) index.Result {
		t.Helper()
		r := reprintCmd(t, "", append([]string{"index", "query", "--index", dir, "--json"}, args...)...)
		var res index.Result
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil {
			t.Fatalf("query %v: exit %d: %s", args, r.code, r.stderr)
		}
		return res
	}
	byFile, byID := query(file), query("--id", sana)
	spans := func(res index.Result) []string {
		var out []string
		for _, p := range res.Passages {
			if p.B != sana {
				out = append(out, fmt.Sprintf("%s %d:%d", p.B, p.AStart, p.AEnd))
			}
		}
		return out
	}
	if a, b := spans(byFile), spans(byID); len(a) == 0 || strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatalf("offsets of the file query %v, of the stored copy %v", a, b)
	}
	for _, p := range byFile.Passages {
		if p.AEnd > len(raw) || p.AStart < len(" date 2017-10-30") {
			t.Fatalf("passage %d:%d is not in the file's content", p.AStart, p.AEnd)
		}
	}
}

// IDs from the documents reach the terminal escaped; a cut result says so.
func TestIndexQueryEscapesAndCuts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "x.idx")
	text, _ := os.ReadFile(filepath.Join(newsDir, alwaght))
	var in strings.Builder
	for _, id := range []string{"evil\x1b[2J\x1b]0;pwned\a", "plain", "third"} {
		line, _ := json.Marshal(map[string]string{"id": id, "text": string(text), "source": "src\x1b[31m"})
		in.Write(line)
		in.WriteByte('\n')
	}
	if r := reprintCmd(t, in.String(), "index", "add", "-q", "--index", dir, "-"); r.code != 0 {
		t.Fatalf("add: exit %d: %s", r.code, r.stderr)
	}
	r := reprintCmd(t, "", "index", "query", "--index", dir, "--limit", "1", filepath.Join(newsDir, alwaght))
	if r.code != 0 {
		t.Fatalf("query: exit %d: %s", r.code, r.stderr)
	}
	if strings.ContainsAny(r.stdout, "\x1b\a") || !strings.Contains(r.stdout, `\x1b[2J`) {
		t.Fatalf("escape sequences reach the terminal:\n%q", r.stdout)
	}
	if !strings.Contains(r.stdout, "cut: 2 more near-duplicates beyond --limit 1") || !strings.Contains(r.stdout, "cut: passages of 2 more documents") {
		t.Fatalf("a cut result does not say so:\n%s", r.stdout)
	}
	r = reprintCmd(t, "", "index", "query", "--index", dir, "--limit", "1", "--json", filepath.Join(newsDir, alwaght))
	var res index.Result
	json.Unmarshal([]byte(r.stdout), &res)
	if res.Cut == nil || res.Cut.NearDuplicates != 2 || res.Cut.Documents != 2 {
		t.Fatalf("cut in JSON: %+v", res.Cut)
	}
}

// An interrupted add says how many documents it committed.
func TestIndexAddInterrupted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "news.idx")
	ix, err := openIndex(dir, index.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	c, err := corpus.Open([]string{newsDir}, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stderr bytes.Buffer
	err = runIndexAdd(ctx, &stderr, dir, ix, c, nil, &inputFlags{}, 2)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != exitCanceled || !strings.Contains(err.Error(), "0 documents were committed") {
		t.Fatalf("interrupted add: %v", err)
	}
}

// The index commands document examples and exit codes; stats and the add
// summary say which size is which.
func TestIndexHelpAndSizes(t *testing.T) {
	for _, sub := range []string{"add", "query", "delete", "stats"} {
		r := reprintCmd(t, "", "index", sub, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "Examples:") || !strings.Contains(r.stdout, "Exit codes:") {
			t.Errorf("index %s --help lacks examples or exit codes:\n%s", sub, r.stdout)
		}
	}
	dir := filepath.Join(t.TempDir(), "news.idx")
	r := reprintCmd(t, "", "index", "add", "--index", dir, newsDir)
	if !strings.Contains(r.stderr, "MB of text") || !strings.Contains(r.stderr, "on disk (Pebble's live files") {
		t.Errorf("add summary sizes: %s", r.stderr)
	}
	r = reprintCmd(t, "", "index", "stats", "--index", dir)
	if !strings.Contains(r.stdout, "text: ") || !strings.Contains(r.stdout, "store: ") || !strings.Contains(r.stdout, "du ") {
		t.Errorf("stats sizes: %s", r.stdout)
	}
}

// index add reads its inputs as every command does: --max-record holds.
func TestIndexAddReadFlags(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "x.idx")
	line, _ := json.Marshal(map[string]string{"id": "big", "text": strings.Repeat("word ", 3000)})
	small, _ := json.Marshal(map[string]string{"id": "small", "text": "a few words of a small document"})
	in := string(line) + "\n" + string(small) + "\n"
	r := reprintCmd(t, in, "index", "add", "--index", dir, "--max-record", "1KiB", "-")
	if r.code != 0 || !strings.Contains(r.stderr, "1 added") || !strings.Contains(r.stderr, "1 skipped") {
		t.Fatalf("add with --max-record 1KiB: exit %d: %s", r.code, r.stderr)
	}
}

// An add that can use no document (a wrong --text-field) exits 3 and says
// what the first record was.
func TestIndexAddNoDocuments(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "x.idx")
	r := reprintCmd(t, `{"id": "a", "body": "some words"}`+"\n", "index", "add", "--index", dir, "-")
	if r.code != exitInput || !strings.Contains(r.stderr, "no document could be used") || !strings.Contains(r.stderr, "body") {
		t.Fatalf("add with the wrong text field: exit %d: %s", r.code, r.stderr)
	}
}
