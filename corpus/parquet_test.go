package corpus

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

type pqDoc struct {
	ID     int64   `parquet:"id"`
	Text   string  `parquet:"text"`
	Date   *string `parquet:"date,optional"`
	Source string  `parquet:"source"`
	Score  float64 `parquet:"score"`
	Day    int32   `parquet:"day,date"`
}

func writeParquet[T any](t *testing.T, path string, rows []T, opts ...parquet.WriterOption) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[T](f, opts...)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func ptr(s string) *string { return &s }

func pqDocs() []pqDoc {
	return []pqDoc{
		{ID: 10, Text: "first row", Date: ptr("2017-10-30"), Source: "SANA", Score: 0.5, Day: 17469},
		{ID: 11, Text: "", Source: "x"},                    // empty document
		{ID: 12, Text: "bad date", Date: ptr("yesterday")}, // unparseable date
		{ID: 13, Text: "caf\xe9"},                          // invalid UTF-8
		{ID: 14, Text: "timestamp date", Date: ptr("2022-04-19T10:00:00Z")},
		{ID: 15, Text: "no date"},
	}
}

func TestParquet(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "docs.parquet")
	writeParquet(t, p, pqDocs(), parquet.MaxRowsPerRowGroup(4)) // two row groups
	s := scanAll(t, []string{p}, Options{})
	want := []Doc{
		{ID: "10", Text: "first row", Date: "2017-10-30", Source: "SANA"},
		{ID: "12", Text: "bad date"}, // kept undated, with a warning
		{ID: "14", Text: "timestamp date", Date: "2022-04-19"},
		{ID: "15", Text: "no date"},
	}
	if len(s.docs) != len(want) {
		t.Fatalf("docs %+v problems %v", s.docs, s.problems)
	}
	for i := range want {
		if s.docs[i] != want[i] {
			t.Errorf("doc %d = %+v, want %+v", i, s.docs[i], want[i])
		}
	}
	s.wantProblem(t, p, 2, false, "empty document")
	if len(s.warnings) != 1 || s.warnings[0].Line != 3 || !s.warnings[0].Warning || !strings.Contains(s.warnings[0].Reason, `record kept undated: "yesterday"`) {
		t.Errorf("warnings %v, want one for row 3", s.warnings)
	}
	s.wantProblem(t, p, 4, false, "invalid UTF-8")
	if len(s.problems) != 2 || len(s.records) != 6 || s.records[5].Line != 6 || s.records[5].Seq != 5 {
		t.Errorf("problems %v, %d records", s.problems, len(s.records))
	}

	// The DATE column as the date field.
	s = scanAll(t, []string{p}, Options{DateField: "day"})
	if s.docs[0].Date != "2017-10-30" || s.docs[1].Date != "1970-01-01" {
		t.Errorf("DATE column: %+v", s.docs[:2])
	}
	// A file without the text column is an Input problem.
	s = scanAll(t, []string{p}, Options{TextField: "body"})
	s.wantProblem(t, p, 0, true, `no "body" column`)
}

func TestParquetCorrupt(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "docs.parquet")
	writeParquet(t, p, pqDocs())
	data, _ := os.ReadFile(p)
	trunc := write(t, dir, "trunc.parquet", string(data[:len(data)/2]))
	garbage := write(t, dir, "garbage.parquet", "PAR1 this is not parquet at all PAR1")
	// Damage the column data but keep the footer.
	bad := append([]byte(nil), data...)
	for i := 8; i < len(bad)/3; i++ {
		bad[i] = 0xff
	}
	damaged := filepath.Join(dir, "damaged.parquet")
	os.WriteFile(damaged, bad, 0o644)
	s := scanAll(t, []string{trunc, garbage, damaged, p}, Options{})
	s.wantProblem(t, trunc, 0, true, "not a readable Parquet file")
	s.wantProblem(t, garbage, 0, true, "not a readable Parquet file")
	found := false
	for _, pr := range s.problems {
		found = found || pr.File == damaged && pr.Input
	}
	if !found {
		t.Errorf("no Input problem for the damaged file: %v", s.problems)
	}
	if n := len(s.docs); n < 3 || s.docs[n-1].ID != "15" {
		t.Errorf("the good file after the bad ones: %d docs", n)
	}
}

func TestParquetCopy(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "docs.parquet")
	rows := pqDocs()
	writeParquet(t, p, rows)
	c, err := Open([]string{p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	scanCorpus(t, c)
	out := filepath.Join(dir, "out.parquet")
	keep := map[int]bool{0: true, 2: true, 5: true}
	n, err := c.Copy(context.Background(), func(seq int) bool { return keep[seq] }, out)
	if err != nil || n != 3 {
		t.Fatalf("Copy = %d, %v", n, err)
	}
	got, err := parquet.ReadFile[pqDoc](out)
	if err != nil {
		t.Fatal(err)
	}
	want := []pqDoc{rows[0], rows[2], rows[5]}
	if len(got) != len(want) {
		t.Fatalf("got %d rows", len(got))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.ID != w.ID || g.Text != w.Text || g.Source != w.Source || g.Score != w.Score || g.Day != w.Day || (g.Date == nil) != (w.Date == nil) || g.Date != nil && *g.Date != *w.Date {
			t.Errorf("row %d = %+v, want %+v", i, g, w)
		}
	}
	in, _ := os.Open(p)
	defer in.Close()
	outF, _ := os.Open(out)
	defer outF.Close()
	st1, _ := in.Stat()
	st2, _ := outF.Stat()
	f1, err1 := parquet.OpenFile(in, st1.Size())
	f2, err2 := parquet.OpenFile(outF, st2.Size())
	if err1 != nil || err2 != nil || !parquet.EqualNodes(f1.Schema(), f2.Schema()) {
		t.Errorf("schema changed: %v %v\n%v\n%v", err1, err2, f1.Schema(), f2.Schema())
	}

	// Two Parquet files with different schemas cannot share one output.
	type other struct {
		ID   string `parquet:"id"`
		Text string `parquet:"text"`
	}
	q := filepath.Join(dir, "other.parquet")
	writeParquet(t, q, []other{{"a", "b"}})
	c2, _ := Open([]string{p, q}, Options{})
	defer c2.Close()
	if _, err := c2.Copy(context.Background(), func(int) bool { return true }, filepath.Join(dir, "mixed.parquet")); err == nil || !contains(err.Error(), "mixed formats") {
		t.Errorf("mixed schemas: %v", err)
	}
}
