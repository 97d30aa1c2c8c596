package trace

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/reprint/reprint/align"
)

// pass makes a passage from byte spans; tokens are taken as bytes/5.
func pass(as, ae, bs, be int) align.Passage {
	return align.Passage{AStart: as, AEnd: ae, BStart: bs, BEnd: be,
		ATok0: as / 5, ATok1: ae / 5, BTok0: bs / 5, BTok1: be / 5, Words: (ae - as) / 5}
}

func TestDirection(t *testing.T) {
	cases := []struct {
		a, b string
		want string
	}{
		{"2017-10-30", "2017-11-02", AtoB},
		{"2017-11-02", "2017-10-30", BtoA},
		{"2017-10-30", "2017-10-30", Unknown},
		{"", "2017-10-30", Unknown},
		{"2017-10-30", "", Unknown},
		{"", "", Unknown},
		{"30/10/2017", "2017-11-02", Unknown},
		{"2017-13-01", "2017-11-02", Unknown},
	}
	for _, c := range cases {
		if got := Direction(Doc{Date: c.a}, Doc{Date: c.b}); got != c.want {
			t.Errorf("Direction(%q, %q) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}

// threeDocs: SANA publishes, Alwaght reprints a stretch of it, and a third
// outlet reprints part of Alwaght's reprint.
func threeDocs() ([]Doc, []Link) {
	docs := []Doc{
		{ID: "alwaght", Date: "2017-10-31", Source: "alwaght.com"},
		{ID: "sana", Date: "2017-10-30", Source: "sana.sy"},
		{ID: "third", Date: "2017-11-05", Source: "example.org"},
	}
	links := []Link{
		{A: 0, B: 1, P: pass(100, 600, 200, 700)}, // alwaght[100:600] = sana[200:700]
		{A: 2, B: 0, P: pass(0, 300, 250, 550)},   // third[0:300] = alwaght[250:550]
		{A: 0, B: 1, P: pass(900, 1000, 50, 150)}, // another, unrelated stretch
	}
	return docs, links
}

func TestGroupAcrossThreeDocs(t *testing.T) {
	docs, links := threeDocs()
	res, err := Build(docs, links, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Groups) != 2 {
		t.Fatalf("%d groups, want 2: %+v", len(res.Groups), res.Groups)
	}
	if res.Links[0].Group != res.Links[1].Group || res.Links[2].Group == res.Links[0].Group {
		t.Fatalf("links grouped wrong: %+v", res.Links)
	}
	g := res.Groups[res.Links[0].Group]
	if g.Docs != 3 || len(g.Occurrences) != 3 {
		t.Fatalf("group spans %d docs, %d occurrences, want 3 and 3: %+v", g.Docs, len(g.Occurrences), g)
	}
	var ids []string
	for _, o := range g.Occurrences {
		ids = append(ids, o.ID)
	}
	if !reflect.DeepEqual(ids, []string{"sana", "alwaght", "third"}) {
		t.Errorf("timeline %v, want sana, alwaght, third", ids)
	}
	if g.SourceStatus != SourceEarliest || g.Source != 0 || g.Occurrences[0].ID != "sana" {
		t.Errorf("source %d (%s), want sana", g.Source, g.SourceStatus)
	}
	// Alwaght's occurrence is the union of the two passages there.
	if o := g.Occurrences[1]; o.Start != 100 || o.End != 600 {
		t.Errorf("alwaght occurrence %d:%d, want 100:600", o.Start, o.End)
	}
	if res.Links[0].Direction != BtoA || res.Links[1].Direction != BtoA {
		t.Errorf("directions %q %q, want b->a twice", res.Links[0].Direction, res.Links[1].Direction)
	}
	if g.Boilerplate {
		t.Error("reuse across three outlets marked boilerplate")
	}
}

func TestSmallOverlapDoesNotJoin(t *testing.T) {
	docs, _ := threeDocs()
	links := []Link{
		{A: 0, B: 1, P: pass(100, 600, 200, 700)},
		{A: 2, B: 0, P: pass(0, 300, 590, 890)}, // touches alwaght's first passage by 10 bytes
	}
	res, err := Build(docs, links, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Groups) != 2 {
		t.Errorf("a 10-byte overlap joined two texts: %d groups", len(res.Groups))
	}
}

func TestUnknownOnMissingDates(t *testing.T) {
	docs, links := threeDocs()
	docs[1].Date = "" // SANA undated
	res, err := Build(docs, links, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if d := res.Links[0].Direction; d != Unknown {
		t.Errorf("direction with a missing date: %q", d)
	}
	if d := res.Links[1].Direction; d != BtoA {
		t.Errorf("direction between dated docs: %q", d)
	}
	g := res.Groups[res.Links[0].Group]
	if g.SourceStatus != SourceEarliestDated || g.Occurrences[g.Source].ID != "alwaght" {
		t.Errorf("source %d %s, want alwaght, earliest among dated", g.Source, g.SourceStatus)
	}
	if last := g.Occurrences[len(g.Occurrences)-1]; last.ID != "sana" {
		t.Errorf("undated occurrence not last on the timeline: %+v", g.Occurrences)
	}
	for i := range docs {
		docs[i].Date = ""
	}
	res, _ = Build(docs, links, DefaultOptions())
	for _, g := range res.Groups {
		if g.Source != -1 || g.SourceStatus != SourceUndated {
			t.Errorf("undated group has source %d %s", g.Source, g.SourceStatus)
		}
	}
	docs[0].Date, docs[1].Date = "2017-10-30", "2017-10-30"
	res, _ = Build(docs, links, DefaultOptions())
	if g := res.Groups[res.Links[0].Group]; g.SourceStatus != SourceTie || g.Source != -1 {
		t.Errorf("same-day group: source %d %s, want tie", g.Source, g.SourceStatus)
	}
	if res.Links[0].Direction != Unknown {
		t.Errorf("same-day direction %q", res.Links[0].Direction)
	}
}

func TestBoilerplate(t *testing.T) {
	docs := []Doc{
		{ID: "sana-1", Date: "2024-09-28", Source: "sana.sy"},
		{ID: "sana-2", Date: "2024-09-29", Source: "sana.sy"},
		{ID: "sana-3", Date: "2024-09-30", Source: "sana.sy"},
		{ID: "other", Date: "2024-09-30", Source: "example.org"},
		{ID: "sana-4", Date: "2024-10-01", Source: "sana.sy"},
		{ID: "sana-5", Date: "2024-10-02", Source: "sana.sy"},
	}
	links := []Link{
		// The "Check Also" footer on three SANA pages.
		{A: 0, B: 1, P: pass(2000, 2300, 1500, 1800)},
		{A: 1, B: 2, P: pass(1500, 1800, 900, 1200)},
		// A SANA story reprinted by another outlet: reuse.
		{A: 2, B: 3, P: pass(0, 500, 100, 600)},
		// A paragraph SANA repeats on two of its own pages only.
		{A: 4, B: 5, P: pass(0, 400, 300, 700)},
	}
	res, err := Build(docs, links, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	want := []bool{true, true, false, true}
	for k, w := range want {
		if got := res.Links[k].Boilerplate; got != w {
			t.Errorf("link %d boilerplate %v, want %v", k, got, w)
		}
	}
	opt := DefaultOptions()
	opt.SameSourceOnly = false
	res, _ = Build(docs, links, opt)
	if res.Links[3].Boilerplate {
		t.Error("without SameSourceOnly, two pages of one site are boilerplate")
	}
	if !res.Links[0].Boilerplate {
		t.Error("without SameSourceOnly, a footer on three pages is not boilerplate")
	}
}

func TestDeterministicIDs(t *testing.T) {
	docs, links := threeDocs()
	links = append(links, Link{A: 1, B: 2, P: pass(1000, 1200, 400, 600)})
	ref, err := Build(docs, links, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		perm := rng.Perm(len(links))
		shuffled := make([]Link, len(links))
		for i, p := range perm {
			shuffled[i] = links[p]
		}
		res, _ := Build(docs, shuffled, DefaultOptions())
		if !reflect.DeepEqual(res.Groups, ref.Groups) {
			t.Fatalf("groups depend on link order:\n%+v\n%+v", res.Groups, ref.Groups)
		}
		for i, p := range perm {
			if res.Groups[res.Links[i].Group].ID != ref.Groups[ref.Links[p].Group].ID {
				t.Fatalf("link %d lands in another group after shuffling", p)
			}
		}
	}
}

func TestBadLinks(t *testing.T) {
	docs, _ := threeDocs()
	if _, err := Build(docs, []Link{{A: 0, B: 3}}, DefaultOptions()); err == nil {
		t.Error("link to a missing document accepted")
	}
	if _, err := Build(docs, []Link{{A: 1, B: 1}}, DefaultOptions()); err == nil {
		t.Error("link of a document to itself accepted")
	}
}

// One agency's story carried by three of its own feeds and by three other
// outlets: the links among the agency's feeds are boilerplate (the agency
// repeating itself), the links to the other outlets never are, and the
// group is not boilerplate, so dropping boilerplate keeps the reuse.
func TestCrossSourceLinksAreNeverBoilerplate(t *testing.T) {
	docs := []Doc{
		{ID: "agency-en", Source: "agency"}, {ID: "agency-world", Source: "agency"}, {ID: "agency-top", Source: "agency"},
		{ID: "bbc", Source: "bbc"}, {ID: "guardian", Source: "guardian"}, {ID: "ap", Source: "ap"},
	}
	var links []Link
	for b := 1; b < len(docs); b++ {
		links = append(links, Link{A: 0, B: b, P: pass(0, 800, 100, 900)})
	}
	res, err := Build(docs, links, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Groups) != 1 || res.Groups[0].Boilerplate {
		t.Fatalf("groups %+v: want one group, not boilerplate", res.Groups)
	}
	for k, l := range links {
		want := docs[l.B].Source == "agency"
		if res.Links[k].Boilerplate != want {
			t.Errorf("link %s-%s: boilerplate %v, want %v", docs[l.A].ID, docs[l.B].ID, res.Links[k].Boilerplate, want)
		}
	}
}
