package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNewsFolder(t *testing.T) {
	s := scanAll(t, []string{"../testdata/news"}, Options{})
	if len(s.problems) != 0 {
		t.Fatalf("problems: %v", s.problems)
	}
	want := []struct {
		id, date string
		start    int
	}{
		{"000_a2e0a91b0cb3cf6c.txt", "", 0},
		{"001_e55fcabe4c6a2c3c.txt", "2017-10-30", len(" date 2017-10-30 ")},
		{"002_2e28becdaf01947c.txt", "", 0},
		{"003_42714ab1c9b3c169.txt", "2022-04-19", len(" date 2022-04-19 ")},
		{"004_cf57f775b497bf58.txt", "", 0},
	}
	if len(s.docs) != len(want) {
		t.Fatalf("got %d docs %v, want %d", len(s.docs), s.ids(), len(want))
	}
	for i, w := range want {
		d := s.docs[i]
		if d.ID != w.id || d.Date != w.date || d.Start != w.start || s.seqs[i] != i {
			t.Errorf("doc %d = %q date %q start %d seq %d, want %q %q %d %d", i, d.ID, d.Date, d.Start, s.seqs[i], w.id, w.date, w.start, i)
		}
		raw, err := os.ReadFile(filepath.Join("../testdata/news", w.id))
		if err != nil {
			t.Fatal(err)
		}
		if d.Text != string(raw) {
			t.Errorf("%s: Text is not the file's bytes", w.id)
		}
	}
	if got := s.docs[1].Text[s.docs[1].Start:]; !strings.HasPrefix(got, "Syria considers the claims") {
		t.Errorf("001 content starts %q", got[:30])
	}
}

func TestFolderOrderAndProblems(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "b.txt", "bee")
	write(t, dir, "a/z.txt", "in a")
	write(t, dir, "a.txt", "a dot txt")
	write(t, dir, "a/b/c.txt", " date 2020-02-29\n\nleap day")
	write(t, dir, "bin.dat", "text\x00more")
	write(t, dir, "latin1.txt", "caf\xe9")
	write(t, dir, "empty.txt", "")
	write(t, dir, "blank.txt", " \n\t\n")
	write(t, dir, "onlydate.txt", " date 2020-01-01\n")
	write(t, dir, "z.txt", "last")
	s := scanAll(t, []string{dir}, Options{})
	// Byte-wise path order: "a.txt" < "a/..." because '.' < '/'.
	want := []string{"a.txt", "a/b/c.txt", "a/z.txt", "b.txt", "z.txt"}
	if !equalStrings(s.ids(), want) {
		t.Errorf("ids %q, want %q", s.ids(), want)
	}
	s.wantProblem(t, filepath.Join(dir, "bin.dat"), 0, false, "binary file (not UTF-8 text)")
	s.wantProblem(t, filepath.Join(dir, "latin1.txt"), 0, false, "binary file (not UTF-8 text)")
	s.wantProblem(t, filepath.Join(dir, "empty.txt"), 0, false, "empty document")
	s.wantProblem(t, filepath.Join(dir, "blank.txt"), 0, false, "empty document")
	s.wantProblem(t, filepath.Join(dir, "onlydate.txt"), 0, false, "empty document")
	if len(s.problems) != 5 {
		t.Errorf("problems %v, want 5", s.problems)
	}
	for _, d := range s.docs {
		if d.ID == "a/b/c.txt" && (d.Date != "2020-02-29" || d.Text[d.Start:] != "leap day") {
			t.Errorf("a/b/c.txt: date %q content %q", d.Date, d.Text[d.Start:])
		}
	}
	// Records are numbered over problems too, in order.
	for i, r := range s.records {
		if r.Seq != i {
			t.Errorf("record %d has Seq %d", i, r.Seq)
		}
	}
}

func TestFolderSymlinks(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "d/x.txt", "x")
	outside := write(t, t.TempDir(), "o.txt", "outside")
	links := map[string]string{
		"d/loop":   "..",      // back to the root: must not loop
		"d/self":   ".",       // to itself
		"f.txt":    outside,   // a file elsewhere: followed
		"dangling": "nowhere", // an entry that cannot be read
		"e":        "d",       // a sibling folder: walked under its own name
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Skip("no symlinks:", err)
		}
	}
	s := scanAll(t, []string{dir}, Options{})
	want := []string{"d/x.txt", "e/x.txt", "f.txt"}
	if !equalStrings(s.ids(), want) {
		t.Errorf("ids %q, want %q", s.ids(), want)
	}
	s.wantProblem(t, filepath.Join(dir, "dangling"), 0, true, "no such file")
	if len(s.problems) != 1 {
		t.Errorf("problems %v", s.problems)
	}
}

func TestSingleTextFileAndMissing(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "one.txt", "date 1999-12-31\tparty")
	missing := filepath.Join(dir, "missing.jsonl")
	s := scanAll(t, []string{missing, p}, Options{})
	if len(s.docs) != 1 || s.docs[0].ID != p || s.docs[0].Date != "1999-12-31" || s.docs[0].Text[s.docs[0].Start:] != "party" {
		t.Fatalf("docs %+v", s.docs)
	}
	s.wantProblem(t, missing, 0, true, "no such file or directory")
	if len(s.problems) != 1 {
		t.Errorf("problems %v", s.problems)
	}
}

func TestUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads everything")
	}
	dir := t.TempDir()
	p := write(t, dir, "secret.txt", "secret")
	os.Chmod(p, 0)
	write(t, dir, "sub/x.txt", "x")
	os.Chmod(filepath.Join(dir, "sub"), 0)
	defer os.Chmod(filepath.Join(dir, "sub"), 0o755)
	write(t, dir, "ok.txt", "fine")
	s := scanAll(t, []string{dir}, Options{})
	s.wantProblem(t, p, 0, true, "permission denied")
	s.wantProblem(t, filepath.Join(dir, "sub"), 0, true, "permission denied")
	if !equalStrings(s.ids(), []string{"ok.txt"}) {
		t.Errorf("ids %q", s.ids())
	}
}

func TestUnsupportedKind(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "notes.txt.gz", "x")
	s := scanAll(t, []string{p}, Options{})
	s.wantProblem(t, p, 0, true, "not a supported kind")
}

func TestTextFileTooLarge(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "big.txt", strings.Repeat("x", 101))
	write(t, dir, "small.txt", strings.Repeat("x", 100))
	s := scanAll(t, []string{dir}, Options{MaxRecordBytes: 100})
	s.wantProblem(t, filepath.Join(dir, "big.txt"), 0, false, "more than the limit of 100")
	if !equalStrings(s.ids(), []string{"small.txt"}) {
		t.Errorf("ids %q", s.ids())
	}
}
