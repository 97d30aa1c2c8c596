package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseMeta(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"a.txt","date":"2017-10-30","source":"SANA","url":"https://example.org/a"}`,
		``,
		`{"id":"b.txt","date":"2017-10-31T08:00:00+03:00"}`,
		`not json`,
		`{"date":"2017-10-30"}`,
		`{"id":"c.txt","date":"2017-02-30"}`,
		`{"id":"a.txt","source":"again"}`,
		`{"id":7}`,
		`{"id":"d.txt","source":"TASS"}`,
	}, "\n") // no final newline
	var probs []string
	m, err := ParseMeta(strings.NewReader(in), "meta.jsonl", func(p *Problem) { probs = append(probs, p.Error()) })
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Meta{
		"a.txt": {Date: "2017-10-30", Source: "SANA", URL: "https://example.org/a"},
		"b.txt": {Date: "2017-10-31"},
		"d.txt": {Source: "TASS"},
	}
	if len(m) != len(want) {
		t.Fatalf("got %+v", m)
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s: got %+v, want %+v", k, m[k], v)
		}
	}
	for _, w := range []string{"meta.jsonl:4: not a JSON object", "meta.jsonl:5: no \"id\"", "meta.jsonl:6: bad date", "meta.jsonl:7: duplicate id", "meta.jsonl:8: field \"id\" is not a string"} {
		found := false
		for _, p := range probs {
			found = found || strings.HasPrefix(p, w)
		}
		if !found {
			t.Errorf("no problem %q in %q", w, probs)
		}
	}
	if len(probs) != 5 {
		t.Errorf("%d problems: %q", len(probs), probs)
	}
}

func TestMetaApplyKeepsOwnFields(t *testing.T) {
	d := Doc{ID: "x", Date: "2020-01-01", Source: "own", URL: "u"}
	Meta{Source: "sidecar"}.Apply(&d)
	if d.Date != "2020-01-01" || d.Source != "sidecar" || d.URL != "u" {
		t.Fatalf("%+v", d)
	}
}

func TestReadMetaMissingAndLongLine(t *testing.T) {
	if _, err := ReadMeta(filepath.Join(t.TempDir(), "nope.jsonl"), nil); err == nil || !strings.Contains(err.Error(), "nope.jsonl") {
		t.Fatalf("missing sidecar: %v", err)
	}
	path := filepath.Join(t.TempDir(), "m.jsonl")
	long := `{"id":"big","source":"` + strings.Repeat("x", maxMetaLine) + `"}`
	os.WriteFile(path, []byte(long+"\n"+`{"id":"ok","source":"S"}`+"\n"), 0o644)
	var probs []string
	m, err := ReadMeta(path, func(p *Problem) { probs = append(probs, p.Error()) })
	if err != nil || len(m) != 1 || m["ok"].Source != "S" || len(probs) != 1 || !strings.Contains(probs[0], "m.jsonl:1: line too long") {
		t.Fatalf("%v %+v %q", err, m, probs)
	}
}

func TestNewsMeta(t *testing.T) {
	m, err := ReadMeta("../testdata/news-meta.jsonl", func(p *Problem) { t.Error(p) })
	if err != nil || len(m) != 5 {
		t.Fatalf("%v, %d entries", err, len(m))
	}
	files, _ := filepath.Glob("../testdata/news/*.txt")
	for _, f := range files {
		if _, ok := m[filepath.Base(f)]; !ok {
			t.Errorf("no metadata for %s", filepath.Base(f))
		}
	}
}
