package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reprint/reprint/align"
	"github.com/reprint/reprint/reuse"
	"github.com/reprint/reprint/stories"
	"github.com/reprint/reprint/trace"
	"github.com/rivo/uniseg"
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
	found := false
	for _, pair := range strings.Split(html, `<div class="pair">`)[1:] {
		if i, j := strings.Index(pair, "<strong>b.txt</strong>"), strings.Index(pair, "<strong>a.txt</strong>"); i >= 0 && j >= 0 {
			found = true
			if j < i {
				t.Error("the earlier document is not on the left")
			}
		}
	}
	if !found {
		t.Error("no pair of b.txt and a.txt on the page")
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

// Columns line up by display width: CJK characters take two columns, so a
// Chinese passage beside an English one keeps the separator in one place
// and no line is wider than asked.
func TestSideBySideCJKWidth(t *testing.T) {
	res := sample()
	zh := strings.Repeat("叙利亚民主力量说拉卡的平民已经撤离了城市。", 6)
	ex := align.Excerpt{A: []align.Piece{{Text: zh}}, B: []align.Piece{{Text: strings.Repeat("the civilians left the city ", 8)}}}
	var b bytes.Buffer
	if err := SideBySide(&b, 1, 1, res.Passages[0], ex, TermOptions{Width: 70}); err != nil {
		t.Fatal(err)
	}
	sep := -1
	for _, l := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n")[1:] {
		if w := uniseg.StringWidth(l); w > 70 {
			t.Errorf("line %d columns wide: %q", w, l)
		}
		i := strings.Index(l, "│")
		if i < 0 {
			continue
		}
		col := uniseg.StringWidth(l[:i])
		if sep >= 0 && col != sep {
			t.Errorf("separator at column %d, before at %d: %q", col, sep, l)
		}
		sep = col
	}
	if !strings.Contains(b.String(), "叙利亚") {
		t.Error("the Chinese text is missing")
	}
}

// A group with many copies shows the longest few and counts the rest; long
// excerpts are cut; a group without any date has no timeline of empty dots;
// the contents link to every group shown.
func TestWriteCapsWhatAGroupShows(t *testing.T) {
	res := &reuse.Result{Groups: []trace.Group{{ID: "g1", Source: -1, SourceStatus: trace.SourceUndated}}}
	long := strings.Repeat("many words of a very long shared passage ", 200)
	for i := range 30 {
		id := string(rune('a'+i%26)) + strings.Repeat("x", i/26) + ".txt"
		res.Docs = append(res.Docs, reuse.DocInfo{ID: id, Words: 100})
		res.Groups[0].Occurrences = append(res.Groups[0].Occurrences, trace.Occurrence{Doc: i, ID: id})
		if i == 0 {
			continue
		}
		res.Passages = append(res.Passages, trace.Passage{A: res.Docs[0].ID, B: id, Words: 10 + i, Identity: 1, Direction: "unknown", Group: "g1"})
		res.Excerpts = append(res.Excerpts, align.Excerpt{A: []align.Piece{{Text: long}}, B: []align.Piece{{Text: long}}})
	}
	res.Groups[0].Docs = 30
	var b bytes.Buffer
	if err := Write(&b, Input{Reuse: res, MaxPassages: 5}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	if n := strings.Count(html, `<div class="pair">`); n != 5 {
		t.Errorf("%d pairs shown, want 5", n)
	}
	if !strings.Contains(html, "24 more pairs of copies are") || !strings.Contains(html, "39 words the same") || strings.Contains(html, ">Copy 1: 11 words") {
		t.Error("the longest copies are not the ones shown, or the rest are not counted")
	}
	if strings.Contains(html, "<svg class=\"timeline\"") || !strings.Contains(html, "there is no timeline") {
		t.Error("an undated group drew a timeline")
	}
	if !strings.Contains(html, "[…]") || len(html) > 60000 {
		t.Errorf("excerpts not cut: page of %d bytes", len(html))
	}
	if !strings.Contains(html, `<a href="#g1">g1</a>`) {
		t.Error("no contents entry for the group")
	}
}

// The stories section lists stories of two or more documents with their
// dated documents, and says who had a copied passage first, linked to the
// shared text that shows it.
func TestWriteStories(t *testing.T) {
	st := &stories.Result{Stories: []stories.Story{
		{Story: "s1", Topic: "t1", Docs: []string{"b.txt", "a.txt"}, First: "2020-01-01", Last: "2020-01-03",
			Sources: []string{"First Wire", "Later Times"}, Terms: []string{"Harbour"},
			Copies: []stories.Copy{{A: "a.txt", B: "b.txt", Direction: "b->a", Words: 5}}},
		{Story: "s2", Topic: "t1", Docs: []string{"c.txt"}},
	}}
	var b bytes.Buffer
	if err := Write(&b, Input{Reuse: sample(), Stories: st}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{`id="story-s1"`, "b.txt had it first; a.txt copied 5 words of it", `<a href="#g1">g1</a>`, "First Wire, Later Times"} {
		if !strings.Contains(html, want) {
			t.Errorf("no %q in the page", want)
		}
	}
	if strings.Contains(html, `id="story-s2"`) {
		t.Error("a story of one document is shown")
	}
}
