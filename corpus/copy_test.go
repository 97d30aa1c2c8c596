package corpus

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func keepAll(int) bool { return true }

// copyOut opens inputs, scans them and copies the records keep picks to out.
func copyOut(t *testing.T, inputs []string, opt Options, keep func(int) bool, out string) (int, error) {
	t.Helper()
	c, err := Open(inputs, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	scanCorpus(t, c)
	return c.Copy(context.Background(), keep, out)
}

func TestCopyJSONL(t *testing.T) {
	dir := t.TempDir()
	// Records as written, including odd bytes Copy must keep: spacing, a
	// "\r", escapes, key order, a bad record (it still has a Seq).
	recs := []string{
		`{"id":"0","text":"zero"}`,
		` {"text" : "one",  "id":"1"}`,
		`{"id":"2","text":"two \u00e9"}` + "\r",
		`{"id":"3","text":`,
		`{"id":"4","text":"four","extra":[1,2]}`,
	}
	in := write(t, dir, "in.jsonl", recs[0]+"\n\n"+recs[1]+"\n"+recs[2]+"\n   \n"+recs[3]+"\n"+recs[4])
	for _, c := range []struct {
		keep []int
	}{{[]int{0, 1, 2, 3, 4}}, {[]int{1, 3, 4}}, {nil}} {
		out := filepath.Join(dir, "out.jsonl")
		keep := map[int]bool{}
		var want bytes.Buffer
		for _, k := range c.keep {
			keep[k] = true
			want.WriteString(recs[k] + "\n")
		}
		n, err := copyOut(t, []string{in}, Options{}, func(seq int) bool { return keep[seq] }, out)
		if err != nil || n != len(c.keep) {
			t.Fatalf("keep %v: Copy = %d, %v", c.keep, n, err)
		}
		got, _ := os.ReadFile(out)
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("keep %v: got\n%q\nwant\n%q", c.keep, got, want.Bytes())
		}
	}
}

func TestCopyJSONLGzipSeveralInputs(t *testing.T) {
	dir := t.TempDir()
	a := jsonlLines(50)
	b := jsonlLines(30)
	pa := filepath.Join(dir, "a.jsonl.gz")
	os.WriteFile(pa, gzipBytes(t, a), 0o644)
	pb := filepath.Join(dir, "b.jsonl.zst")
	os.WriteFile(pb, zstdBytes(t, b), 0o644)
	out := filepath.Join(dir, "out.jsonl.gz")
	odd := func(seq int) bool { return seq%2 == 1 }
	n, err := copyOut(t, []string{pa, pb}, Options{}, odd, out)
	if err != nil || n != 40 {
		t.Fatalf("Copy = %d, %v", n, err)
	}
	var want bytes.Buffer
	all := strings.SplitAfter(string(a)+string(b), "\n")
	for i, l := range all {
		if odd(i) {
			want.WriteString(l)
		}
	}
	f, _ := os.Open(out)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(got, want.Bytes()) {
		t.Errorf("gzip output differs (%v)", err)
	}
	// The output reads back as the same documents.
	s := scanAll(t, []string{out}, Options{})
	if len(s.docs) != 40 || s.docs[0].ID != "1" || s.docs[39].ID != "29" {
		t.Errorf("read back %d docs %q", len(s.docs), s.ids())
	}
}

func TestCopyFolder(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	files := map[string]string{
		"a.txt":     " date 2017-10-30 first\n",
		"sub/b.txt": "second\r\nwith CRLF",
		"sub/c.txt": "third",
		"bin":       "\x00\x01",
		"z.txt":     "last",
	}
	for name, text := range files {
		write(t, in, name, text)
	}
	other := filepath.Join(dir, "other")
	write(t, other, "deep/x/y.txt", "from another folder")
	out := filepath.Join(dir, "out")
	// Seq order: a.txt 0, bin 1, sub/b.txt 2, sub/c.txt 3, z.txt 4, deep/x/y.txt 5.
	keep := map[int]bool{0: true, 2: true, 5: true}
	n, err := copyOut(t, []string{in, other}, Options{}, func(seq int) bool { return keep[seq] }, out)
	if err != nil || n != 3 {
		t.Fatalf("Copy = %d, %v", n, err)
	}
	want := map[string]string{"a.txt": files["a.txt"], "sub/b.txt": files["sub/b.txt"], "deep/x/y.txt": "from another folder"}
	got := map[string]string{}
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			b, _ := os.ReadFile(p)
			got[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	if len(got) != len(want) {
		t.Errorf("out holds %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	// Copying again into the same folder does not overwrite it; with
	// ReplaceOutput the folder is replaced by the new copy whole.
	if _, err := copyOut(t, []string{in}, Options{}, keepAll, out); err == nil || !contains(err.Error(), "not empty") {
		t.Errorf("second copy: %v", err)
	}
	if n, err := copyOut(t, []string{in}, Options{ReplaceOutput: true}, func(seq int) bool { return seq == 0 }, out); err != nil || n != 1 {
		t.Fatalf("replacing copy = %d, %v", n, err)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 1 || ents[0].Name() != "a.txt" {
		t.Errorf("replaced folder holds %v, want only a.txt", ents)
	}
	// A copy that fails (two documents with one ID) leaves nothing behind.
	failed := filepath.Join(filepath.Dir(out), "failed")
	if _, err := copyOut(t, []string{in, in}, Options{}, keepAll, failed); err == nil {
		t.Error("a copy of one folder twice did not fail")
	}
	if _, err := os.Stat(failed); !os.IsNotExist(err) {
		t.Errorf("a failed copy left %s behind", failed)
	}
	ents, _ := os.ReadDir(filepath.Dir(out))
	for _, e := range ents {
		if contains(e.Name(), ".tmp") {
			t.Errorf("temporary folder left beside the output: %s", e.Name())
		}
	}
	// Out inside an input folder, or an input folder itself, is refused.
	for _, bad := range []string{in, filepath.Join(in, "sub", "out")} {
		if _, err := copyOut(t, []string{in}, Options{}, keepAll, bad); err == nil || !contains(err.Error(), "overlaps") {
			t.Errorf("out %s: %v", bad, err)
		}
	}
}

func TestCopyStdin(t *testing.T) {
	dir := t.TempDir()
	data := jsonlLines(1000)
	for _, c := range []struct {
		name  string
		input []byte
	}{{"plain", data}, {"gzip", gzipBytes(t, data)}, {"zstd", zstdBytes(t, data)}} {
		t.Run(c.name, func(t *testing.T) {
			co, err := Open([]string{"-"}, Options{Stdin: bytes.NewReader(c.input)})
			if err != nil {
				t.Fatal(err)
			}
			// A first Scan stopped early must not lose what it did not read.
			stop := errors.New("stop")
			if err := co.Scan(context.Background(), func(r Record) error {
				if r.Seq == 10 {
					return stop
				}
				return nil
			}, nil); err != stop {
				t.Fatalf("Scan = %v", err)
			}
			s := scanCorpus(t, co)
			if len(s.docs) != 1000 || s.records[999].File != "<stdin>" || s.records[999].Line != 1000 {
				t.Fatalf("%d docs, problems %v", len(s.docs), s.problems)
			}
			spool := co.spool.f.Name()
			out := filepath.Join(dir, c.name+".jsonl")
			n, err := co.Copy(context.Background(), func(seq int) bool { return seq >= 500 }, out)
			if err != nil || n != 500 {
				t.Fatalf("Copy = %d, %v", n, err)
			}
			got, _ := os.ReadFile(out)
			lines := strings.SplitAfter(string(data), "\n")
			if string(got) != strings.Join(lines[500:], "") {
				t.Error("stdin copy differs")
			}
			if err := co.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(spool); !os.IsNotExist(err) {
				t.Errorf("spool %s left after Close: %v", spool, err)
			}
		})
	}
}

func TestCopyRefusals(t *testing.T) {
	dir := t.TempDir()
	js := write(t, dir, "a.jsonl", `{"id":"a","text":"x"}`+"\n")
	folder := filepath.Join(dir, "docs")
	write(t, folder, "d.txt", "doc")

	// Mixed formats: nothing is written.
	out := filepath.Join(dir, "mixed.jsonl")
	if _, err := copyOut(t, []string{js, folder}, Options{}, keepAll, out); err == nil || !contains(err.Error(), "-o cannot hold mixed formats") {
		t.Errorf("mixed: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("mixed copy wrote %s", out)
	}
	// The output is an input.
	before, _ := os.ReadFile(js)
	if _, err := copyOut(t, []string{js}, Options{}, func(int) bool { return false }, js); err == nil || !contains(err.Error(), "refusing to overwrite") {
		t.Errorf("out = input: %v", err)
	}
	if after, _ := os.ReadFile(js); !bytes.Equal(before, after) {
		t.Error("input changed")
	}
	// An output folder for JSONL, a file for text.
	if _, err := copyOut(t, []string{js}, Options{}, keepAll, folder); err == nil {
		t.Error("JSONL into a folder")
	}
	if _, err := copyOut(t, []string{folder}, Options{}, keepAll, js); err == nil {
		t.Error("text into a file")
	}
	// Inputs that change between Scan and Copy.
	c, _ := Open([]string{js}, Options{})
	defer c.Close()
	scanCorpus(t, c)
	os.WriteFile(js, append(before, before...), 0o644)
	if _, err := c.Copy(context.Background(), keepAll, filepath.Join(dir, "changed.jsonl")); err == nil || !contains(err.Error(), "changed") {
		t.Errorf("changed inputs: %v", err)
	}
}

func TestOpenUsage(t *testing.T) {
	for _, in := range [][]string{nil, {"-", "-"}, {""}} {
		if _, err := Open(in, Options{}); err == nil {
			t.Errorf("Open(%q) = nil error", in)
		}
	}
}
