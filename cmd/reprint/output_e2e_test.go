package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// An output is never one of the inputs, nor inside an input folder, and
// what is refused is left as it was.
func TestOutputsNeverOverwriteInputs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "v.jsonl")
	body := `{"id":"a","text":"one two three four five six seven"}` + "\n" + `{"id":"b","text":"one two three four five six seven"}` + "\n"
	os.WriteFile(in, []byte(body), 0o644)
	for _, args := range [][]string{
		{"pairs", in, "-o", in},
		{"reuse", in, "-o", in},
		{"report", in, "-o", in},
		{"dedup", in, "-o", filepath.Join(dir, "kept.jsonl"), "--clusters", in},
	} {
		r := reprintCmd(t, "", args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "that is an input") {
			t.Errorf("%v: exit %d, %q", args, r.code, r.stderr)
		}
		if b, _ := os.ReadFile(in); string(b) != body {
			t.Fatalf("%v: the input changed", args)
		}
	}
	folder := filepath.Join(dir, "docs")
	os.Mkdir(folder, 0o755)
	os.WriteFile(filepath.Join(folder, "a.txt"), []byte("some words of a document here"), 0o644)
	r := reprintCmd(t, "", "pairs", folder, "-o", filepath.Join(folder, "pairs.jsonl"))
	if r.code != exitUsage || !strings.Contains(r.stderr, "inside the input folder") {
		t.Errorf("output inside the input folder: exit %d, %q", r.code, r.stderr)
	}
	// A good run leaves its output and no temporary file.
	out := filepath.Join(dir, "out", "pairs.jsonl")
	os.Mkdir(filepath.Dir(out), 0o755)
	if r := reprintCmd(t, "", "pairs", in, "-o", out); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	ents, _ := os.ReadDir(filepath.Dir(out))
	if len(ents) != 1 || ents[0].Name() != "pairs.jsonl" {
		t.Errorf("output folder holds %v", ents)
	}
	if b, _ := os.ReadFile(out); !strings.Contains(string(b), `"a":"a","b":"b"`) {
		t.Errorf("output %q", b)
	}
}

// A run that can use no document at all fails, and says what it saw.
func TestNoUsableDocumentFails(t *testing.T) {
	r := reprintCmd(t, `{"id":"a","body":"hello world"}`+"\n", "pairs", "-")
	if r.code != exitInput || !strings.Contains(r.stderr, `missing "text" field (the record has "body", "id")`) ||
		!strings.Contains(r.stderr, "no document could be used") {
		t.Errorf("wrong text field: exit %d, %q", r.code, r.stderr)
	}
	r = reprintCmd(t, "plain text, not JSON\n", "reuse", "-q", "-")
	if r.code != exitInput || !strings.Contains(r.stderr, "read as JSONL") {
		t.Errorf("plain text on stdin: exit %d, %q", r.code, r.stderr)
	}
}

// dedup refuses, before reading anything, an output whose name says
// another format than the inputs', and inputs of mixed formats; and a flood
// of one kind of problem is shown a few times, then counted.
func TestDedupChecksItsOutputFirst(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "x.jsonl")
	var b strings.Builder
	for i := range 200 {
		b.WriteString("not json " + strings.Repeat("x", i%7) + "\n")
	}
	b.WriteString(`{"id":"a","text":"one two three four five six"}` + "\n")
	os.WriteFile(in, []byte(b.String()), 0o644)
	r := reprintCmd(t, "", "dedup", in, "-o", filepath.Join(dir, "k.parquet"))
	if r.code != exitUsage || !strings.Contains(r.stderr, "name a .jsonl") || strings.Contains(r.stderr, "skipped") {
		t.Errorf("JSONL into .parquet: exit %d, %q", r.code, r.stderr)
	}
	txt := filepath.Join(dir, "a.txt")
	os.WriteFile(txt, []byte("some text of a document"), 0o644)
	r = reprintCmd(t, "", "dedup", in, txt, "-o", filepath.Join(dir, "k.jsonl"))
	if r.code != exitUsage || !strings.Contains(r.stderr, "mixed formats") || strings.Contains(r.stderr, "skipped") {
		t.Errorf("mixed formats: exit %d, %q", r.code, r.stderr)
	}
	r = reprintCmd(t, "", "pairs", in)
	if n := strings.Count(r.stderr, "reprint: skipped:"); n != maxShown || !strings.Contains(r.stderr, "counted in the summary") ||
		!strings.Contains(r.stderr, "skipped: 200 records") {
		t.Errorf("200 bad lines: %d messages shown, stderr %q", n, r.stderr)
	}
	if r := reprintCmd(t, "", "align", "-", txt); r.code != exitUsage || !strings.Contains(r.stderr, "standard input") {
		t.Errorf("align -: exit %d, %q", r.code, r.stderr)
	}
}

// pairs reads standard input once and spools none of it; reuse, which
// reads it twice, spools it to --tmp-dir and removes it at the end.
func TestStdinSpooling(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	in := `{"id":"a","text":"the council approved the new budget for the library on tuesday evening"}` + "\n" +
		`{"id":"b","text":"the council approved the new budget for the library on tuesday evening"}` + "\n"
	if r := reprintCmd(t, in, "pairs", "-"); r.code != 0 || len(parsePairs(t, r.stdout)) != 1 {
		t.Fatalf("pairs -: exit %d, %q %s", r.code, r.stdout, r.stderr)
	}
	spool := t.TempDir()
	r := reprintCmd(t, in, "reuse", "--tmp-dir", spool, "--min-words", "5", "-")
	if r.code != 0 || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("reuse -: exit %d, %q %s", r.code, r.stdout, r.stderr)
	}
	for _, d := range []string{tmp, spool} {
		if ents, _ := os.ReadDir(d); len(ents) != 0 {
			t.Errorf("%s holds %d files after the runs", d, len(ents))
		}
	}
}

// dedup into a folder that holds files is refused before anything is
// read, unless --force replaces it; the replacement is the new copy only.
func TestDedupForce(t *testing.T) {
	news := filepath.Join("..", "..", "testdata", "news")
	out := filepath.Join(t.TempDir(), "kept")
	os.Mkdir(out, 0o755)
	os.WriteFile(filepath.Join(out, "old.txt"), []byte("an older run"), 0o644)
	r := reprintCmd(t, "", "dedup", "-q", "--threshold", "0.25", news, "-o", out)
	if r.code != exitUsage || !strings.Contains(r.stderr, "--force") {
		t.Fatalf("dedup into a folder with files: exit %d, %s", r.code, r.stderr)
	}
	if r := reprintCmd(t, "", "dedup", "-q", "--force", "--threshold", "0.25", news, "-o", out); r.code != 0 {
		t.Fatalf("--force: exit %d, %s", r.code, r.stderr)
	}
	ents, _ := os.ReadDir(out)
	if len(ents) != 4 || slices.ContainsFunc(ents, func(e os.DirEntry) bool { return e.Name() == "old.txt" }) {
		t.Errorf("replaced folder holds %v, want the 4 kept documents", ents)
	}
}

// repeats, like every command, refuses an output that is an input, and an
// output of the wrong format, before reading anything.
func TestRepeatsChecksOutputs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "x.jsonl")
	body := `{"id":"a","text":"one two three"}` + "\n"
	os.WriteFile(in, []byte(body), 0o644)
	for _, args := range [][]string{{"repeats", in, "--spans", in}, {"repeats", in, "-o", in}} {
		if r := reprintCmd(t, "", args...); r.code != exitUsage || !strings.Contains(r.stderr, "that is an input") {
			t.Errorf("%v: exit %d, %s", args, r.code, r.stderr)
		}
	}
	if r := reprintCmd(t, "", "repeats", in, "-o", filepath.Join(dir, "k.parquet")); r.code != exitUsage || !strings.Contains(r.stderr, "name a .jsonl") {
		t.Errorf("JSONL into .parquet: exit %d, %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(in); string(b) != body {
		t.Error("the input changed")
	}
}
