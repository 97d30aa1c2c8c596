package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

// TestNothingBeforeCommit: until Commit, the old file stays as it was and no
// new name appears; after it, the path holds every byte, readable by others.
func TestNothingBeforeCommit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.jsonl")
	if err := os.WriteFile(path, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("new\n")
	if b, _ := os.ReadFile(path); string(b) != "old\n" {
		t.Fatalf("before Commit the path holds %q", b)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new\n" {
		t.Fatalf("after Commit the path holds %q", b)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v, want 0644", st.Mode().Perm())
	}
	f.Abort() // after Commit: must not remove the file
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("Abort after Commit removed the file: %v", err)
	}
	if err := f.Commit(); err == nil {
		t.Fatal("a second Commit succeeded")
	}
	onlyFile(t, dir, "out.jsonl")
}

// TestAbortLeavesNothing: an aborted write leaves neither the name nor a
// temporary file.
func TestAbortLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(filepath.Join(dir, "out.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("partial")
	f.Abort()
	onlyFile(t, dir)
}

// TestWriteFileFolderMissing: a folder that does not exist is an error that
// names the path, not a panic, and nothing is written.
func TestWriteFileFolderMissing(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFile(filepath.Join(dir, "no", "out.txt"), []byte("x")); err == nil {
		t.Fatal("WriteFile into a missing folder succeeded")
	}
	if err := WriteFile(filepath.Join(dir, "ok.txt"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	onlyFile(t, dir, "ok.txt")
}

func onlyFile(t *testing.T, dir string, want ...string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Name())
	}
	if len(got) != len(want) || (len(want) == 1 && got[0] != want[0]) {
		t.Fatalf("folder holds %v, want %v", got, want)
	}
}
