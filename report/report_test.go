package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reprint/reprint/align"
	"github.com/reprint/reprint/reuse"
	"github.com/reprint/reprint/trace"
)

func sample() *reuse.Result {
	return &reuse.Result{
		Docs: []reuse.DocInfo{
			{ID: "a.txt", Date: "2020-01-03", Source: "Later Times", Words: 40},
			{ID: "b.txt", Date: "2020-01-01", Source: "First Wire", Words: 50},
			{ID: "c.txt", Words: 30},
		},
		Passages: []trace.Passage{
			{A: "a.txt", AStart: 0, AEnd: 30, B: "b.txt", BStart: 5, BEnd: 36, Words: 5, Identity: 0.83, Direction: "b->a", Group: "g1"},
			{A: "a.txt", AStart: 0, AEnd: 30, B: "c.txt", BStart: 0, BEnd: 30, Words: 6, Identity: 1, Direction: "unknown", Group: "g1"},
		},
		Excerpts: []align.Excerpt{
			{A: []align.Piece{{Text: "the cat "}, {Text: "<script>", Changed: true}, {Text: " sat on the mat"}},
				B: []align.Piece{{Text: "the cat "}, {Text: "dog", Changed: true}, {Text: " sat on the mat"}}},
			{A: []align.Piece{{Text: "the cat sat on the mat"}}, B: []align.Piece{{Text: "the cat sat on the mat"}}},
		},
		Groups: []trace.Group{{ID: "g1", Docs: 3, Sources: 2, Source: 0, SourceStatus: trace.SourceEarliestDated,
			Occurrences: []trace.Occurrence{
				{Doc: 1, ID: "b.txt", Date: "2020-01-01", Source: "First Wire"},
				{Doc: 0, ID: "a.txt", Date: "2020-01-03", Source: "Later Times"},
				{Doc: 2, ID: "c.txt"},
			}}},
	}
}

func TestWriteEscapesAndDraws(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, Input{Title: "T & <b>", Reuse: sample(), Threshold: 0.8}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{"T &amp; &lt;b&gt;", "&lt;script&gt;", "<mark>dog</mark>", "<polyline", "no date", "2020-01-01", "Earliest dated copy: b.txt (First Wire)"} {
		if !strings.Contains(html, want) {
			t.Errorf("no %q in the page", want)
		}
	}
	if strings.Contains(html, "<script>") {
		t.Error("document text was not escaped")
	}
	// b->a: the earlier document (b.txt) is shown on the left.
	if i, j := strings.Index(html, "<strong>b.txt</strong>"), strings.Index(html, "<strong>a.txt</strong>"); i < 0 || j < i {
		t.Error("the earlier document is not on the left")
	}
	if err := Write(&b, Input{Reuse: &reuse.Result{Passages: sample().Passages}}); err == nil {
		t.Error("a result without excerpts was accepted")
	}
}

func TestTimelineGeometry(t *testing.T) {
	tl := buildTimeline(sample().Groups[0])
	if len(tl.Rows) != 3 || !tl.Rows[0].First || tl.Rows[0].X != tlPlot0 || tl.Rows[1].X != tlPlot1 || !tl.Rows[2].Undated || tl.UndatedX == 0 {
		t.Fatalf("%+v", tl)
	}
	if len(tl.Ticks) != 2 || tl.Ticks[0].Label != "2020-01-01" {
		t.Errorf("ticks %+v", tl.Ticks)
	}
}

func TestSideBySide(t *testing.T) {
	res := sample()
	var b bytes.Buffer
	long := align.Excerpt{A: []align.Piece{{Text: strings.Repeat("word ", 40)}, {Text: "U.S", Changed: true}, {Text: ". end"}},
		B: []align.Piece{{Text: strings.Repeat("word ", 40)}, {Text: "US", Changed: true}, {Text: ". " + strings.Repeat("x", 80)}}}
	if err := SideBySide(&b, 1, 1, res.Passages[0], long, TermOptions{Width: 60}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "[-U.S-].") || !strings.Contains(out, "{+US+}.") {
		t.Errorf("markers wrong:\n%s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if utf8.RuneCountInString(l) > 60 {
			t.Errorf("line wider than 60: %q", l)
		}
	}
	b.Reset()
	SideBySide(&b, 1, 1, res.Passages[0], long, TermOptions{Width: 60, Color: true})
	if !strings.Contains(b.String(), ansiRed+"U.S"+ansiReset+".") || strings.Contains(b.String(), "[-") {
		t.Errorf("colour output wrong:\n%q", b.String())
	}
}
