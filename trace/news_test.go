package trace

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/reprint/reprint/align"
	"github.com/reprint/reprint/token"
)

var dateHeader = regexp.MustCompile(`^ ?date (\d{4}-\d{2}-\d{2})\s*`)

// TestNewsProvenance aligns all pairs of the example news and traces them:
// only the Alwaght reprint of SANA links anything, and its direction is
// unknown until Alwaght's date is known.
func TestNewsProvenance(t *testing.T) {
	files, _ := filepath.Glob("../testdata/news/*.txt")
	if len(files) != 5 {
		t.Fatalf("%d news files", len(files))
	}
	tz := token.New()
	var docs []Doc
	var toks [][]token.Token
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text, start, date := string(data), 0, ""
		if m := dateHeader.FindStringSubmatchIndex(text); m != nil {
			start, date = m[1], text[m[2]:m[3]]
		}
		docs = append(docs, Doc{ID: filepath.Base(f)[:3], Date: date})
		toks = append(toks, tz.Tokens(text, start, nil))
	}
	var links []Link
	for x := range docs {
		for y := x + 1; y < len(docs); y++ {
			for _, p := range align.Pair(toks[x], toks[y], align.DefaultOptions()) {
				links = append(links, Link{A: x, B: y, P: p})
			}
		}
	}
	if len(links) == 0 {
		t.Fatal("no passages in the news")
	}
	res, err := Build(docs, links, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for k, l := range links {
		if docs[l.A].ID != "000" || docs[l.B].ID != "001" {
			t.Errorf("passage between %s and %s", docs[l.A].ID, docs[l.B].ID)
		}
		if res.Links[k].Direction != Unknown {
			t.Errorf("direction %q with Alwaght undated", res.Links[k].Direction)
		}
	}
	for _, g := range res.Groups {
		if g.SourceStatus != SourceEarliestDated || g.Occurrences[g.Source].ID != "001" {
			t.Errorf("group %s: source %d %s, want 001 as earliest dated", g.ID, g.Source, g.SourceStatus)
		}
	}
	docs[0].Date = "2017-10-31" // as a --meta sidecar would supply
	res, _ = Build(docs, links, DefaultOptions())
	for k := range links {
		if res.Links[k].Direction != BtoA {
			t.Errorf("direction %q, want b->a (SANA first)", res.Links[k].Direction)
		}
	}
}
