package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A run stopped early (--strict on a bad record near the end) after it has
// spilled to --tmp-dir leaves nothing there.
func TestStoppedRunLeavesNoTemporaryFiles(t *testing.T) {
	path, _ := genCorpus(t, 3000, 5)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, append(b, []byte("not json\n")...), 0o644)
	for _, cmd := range []string{"pairs", "reuse"} {
		tmp := t.TempDir()
		r := reprintCmd(t, "", cmd, "--strict", "--mem-limit", "200KiB", "--tmp-dir", tmp, "-q", bad)
		if r.code != exitSkipped {
			t.Fatalf("%s: exit %d, want %d: %s", cmd, r.code, exitSkipped, r.stderr)
		}
		if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
			t.Errorf("%s: %d files left in --tmp-dir, e.g. %s", cmd, len(ents), ents[0].Name())
		}
	}
}

func TestVersionAndExitCodesInHelp(t *testing.T) {
	if r := reprintCmd(t, "", "--version"); r.code != 0 || !strings.HasPrefix(r.stdout, "reprint ") {
		t.Errorf("--version: exit %d, %q", r.code, r.stdout)
	}
	for _, args := range [][]string{{"pairs", "--help"}, {"reuse", "--help"}, {"index", "add", "--help"}, {"serve", "--help"}} {
		if r := reprintCmd(t, "", args...); r.code != 0 || !strings.Contains(r.stdout, "Exit codes") {
			t.Errorf("%v: no exit codes in the help", args)
		}
	}
}
