package corpus

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// upper is an edit that upper-cases texts holding "x", drops those holding
// "drop", and leaves the rest alone.
func upper(seq int, d Doc) (string, bool) {
	if strings.Contains(d.Text, "drop") {
		return "", false
	}
	if strings.Contains(d.Text, "x") {
		return strings.ToUpper(d.Text), true
	}
	return d.Text, true
}

func rewriteOut(t *testing.T, inputs []string, out string) (RewriteStats, error) {
	t.Helper()
	c, err := Open(inputs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	scanCorpus(t, c)
	return c.Rewrite(context.Background(), upper, out)
}

func TestRewriteJSONL(t *testing.T) {
	dir := t.TempDir()
	in := write(t, dir, "in.jsonl", strings.Join([]string{
		`{"id":"0","text":"keep me"}`,
		` {"text" : "fix \"x\" <b>",  "id":"1", "n": [1, {"text":"inner"}] }`,
		`{"id":"2","text":"drop me"}`,
		`{"id":"3","text":`,
		`{"id":"4","text":"old","text":"last x wins"}`,
	}, "\n"))
	out := filepath.Join(dir, "out.jsonl")
	st, err := rewriteOut(t, []string{in}, out)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	want := strings.Join([]string{
		`{"id":"0","text":"keep me"}`,
		` {"text" : "FIX \"X\" <B>",  "id":"1", "n": [1, {"text":"inner"}] }`,
		`{"id":"3","text":`,
		`{"id":"4","text":"old","text":"LAST X WINS"}`,
	}, "\n") + "\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if st.Written != 4 || st.Changed != 2 || st.Dropped != 1 || st.Removed != int64(len("drop me")) {
		t.Errorf("stats %+v", st)
	}
}

func TestRewriteFolder(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(filepath.Join(in, "sub"), 0o755)
	os.WriteFile(filepath.Join(in, "a.txt"), []byte(" date 2020-01-02\nsome x text\n"), 0o644)
	os.WriteFile(filepath.Join(in, "sub", "b.txt"), []byte("plain words"), 0o644)
	os.WriteFile(filepath.Join(in, "c.txt"), []byte("drop this"), 0o644)
	out := filepath.Join(dir, "out")
	if _, err := rewriteOut(t, []string{in}, out); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(filepath.Join(out, "a.txt"))
	b, _ := os.ReadFile(filepath.Join(out, "sub", "b.txt"))
	if string(a) != " DATE 2020-01-02\nSOME X TEXT\n" || string(b) != "plain words" {
		t.Errorf("a %q, b %q", a, b)
	}
	if _, err := os.Stat(filepath.Join(out, "c.txt")); err == nil {
		t.Error("dropped document written")
	}
	if _, err := rewriteOut(t, []string{in}, filepath.Join(in, "x")); err == nil {
		t.Error("output inside the input folder: no error")
	}
}

func TestRewriteParquet(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "in.parquet")
	writeParquet(t, p, []pqDoc{
		{ID: 1, Text: "a x row", Source: "s", Score: 0.25, Day: 3},
		{ID: 2, Text: "unchanged", Date: ptr("2020-01-01")},
		{ID: 3, Text: "drop it"},
	})
	out := filepath.Join(dir, "out.parquet")
	if _, err := rewriteOut(t, []string{p}, out); err != nil {
		t.Fatal(err)
	}
	rows, err := parquet.ReadFile[pqDoc](out)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Text != "A X ROW" || rows[0].Score != 0.25 || rows[0].Day != 3 || rows[0].Source != "s" ||
		rows[1].Text != "unchanged" || rows[1].Date == nil || *rows[1].Date != "2020-01-01" {
		t.Errorf("rows %+v", rows)
	}
	f, _ := os.Open(p)
	defer f.Close()
	g, _ := os.Open(out)
	defer g.Close()
	fi, _ := f.Stat()
	gi, _ := g.Stat()
	pf, _ := parquet.OpenFile(f, fi.Size())
	pg, _ := parquet.OpenFile(g, gi.Size())
	if !parquet.EqualNodes(pf.Schema(), pg.Schema()) {
		t.Error("schema changed")
	}
}

func TestRewriteRefusesItsInput(t *testing.T) {
	dir := t.TempDir()
	in := write(t, dir, "in.jsonl", `{"id":"1","text":"x"}`)
	if _, err := rewriteOut(t, []string{in}, in); err == nil || !strings.Contains(err.Error(), "refusing") {
		t.Errorf("output is the input: %v", err)
	}
}
