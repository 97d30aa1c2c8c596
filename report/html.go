// The HTML report: one file, no external requests. Everything it needs is
// inline: the CSS in a <style> element, the charts as <svg> elements, no
// script at all, no web fonts (the reader's own system fonts are used), no
// images. html/template escapes every piece of document text, so a
// document holding markup shows it as text and cannot run it.
//
// The page is written for someone who is not a programmer: it opens with
// what the reader is looking at and how to read the marks, uses words
// ("first seen at", "found in 3 documents") rather than field names, and
// leaves the byte offsets to a small caption. Groups are ordered by how
// widely the text spread (documents, then sources, then length), because
// the most reused text is what a reader came for.
//
// The page stays small and quick to open whatever the collection: at most
// MaxGroups groups (the most widely spread), in each at most MaxPassages
// pairs of copies (the longest: the most telling), each side cut at
// excerptBytes, timelines of at most timelineRows documents, and a
// document table of the documents that share text, at most docRows of
// them; every cut says how much it left out, and the JSONL of reprint reuse
// has it all. Deliberately not done: showing whole documents.

package report

import (
	"cmp"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/reprint/reprint/align"
	"github.com/reprint/reprint/neardup"
	"github.com/reprint/reprint/repeats"
	"github.com/reprint/reprint/reuse"
	"github.com/reprint/reprint/stories"
	"github.com/reprint/reprint/trace"
)

// Input is what a report shows.
type Input struct {
	Title       string
	Inputs      []string          // the inputs, as named on the command line
	Reuse       *reuse.Result     // from a run with ReuseOptions.Excerpts
	Clusters    []neardup.Cluster // near-duplicate clusters
	Threshold   float64           // the near-duplicate threshold the clusters were found at
	MaxGroups   int               // groups shown; 0 means 200
	MaxPassages int               // pairs of copies shown per group; 0 means 8
	Repeats     *repeats.Result   // exact repeated spans (repeats.go); nil leaves the section out
	Stories     *stories.Result   // stories (stories.go); nil leaves the section out
}

//go:embed page.html.tmpl
var pageSource string

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"percent": func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
	"plural":  plural,
}).Parse(pageSource))

// Cuts that keep the page small (see the file comment).
const (
	excerptBytes = 1500
	docRows      = 1000
)

type page struct {
	Title, Inputs                  string
	NDocs, NPassages, NGroups, NBP int
	NClusters, NRemoved, Hidden    int
	HiddenDocs, QuietDocs          int // sharing documents left out of the table; documents sharing nothing
	Threshold                      string
	Undated                        int
	Docs                           []docView
	Groups                         []groupView
	Clusters                       []neardup.Cluster
	Repeats                        template.HTML
	Stories                        template.HTML
}

type docView struct {
	ID, Date, Source, URL string
	Words, Passages       int
}

type groupView struct {
	ID                      string
	Docs, Sources, MaxWords int
	Boilerplate             bool
	Origin                  string
	Timeline                *Timeline // nil when no document of the group is dated
	Passages                []passageView
	MorePassages            int    // pairs of copies not shown
	Start                   string // the group's first words, for the table of contents
}

type passageView struct {
	N           int
	Words       int
	Identity    float64
	Kind        string // verbatim, edited or paraphrase
	Direction   string
	Left, Right sideView
}

type sideView struct {
	ID, Date, Source string
	Start, End       int
	Pieces           []align.Piece
	Role             string // "first", "later" or ""
}

// Write renders the report of in to w.
func Write(w io.Writer, in Input) error {
	if in.Reuse == nil {
		return fmt.Errorf("report: no reuse result")
	}
	res := in.Reuse
	if len(res.Excerpts) != len(res.Passages) {
		return fmt.Errorf("report: the reuse result has no excerpts (run it with ReuseOptions.Excerpts)")
	}
	maxGroups, maxPassages := in.MaxGroups, in.MaxPassages
	if maxGroups <= 0 {
		maxGroups = 200
	}
	if maxPassages <= 0 {
		maxPassages = 8
	}
	p := page{
		Title: in.Title, Inputs: strings.Join(in.Inputs, ", "),
		NDocs: len(res.Docs), NPassages: len(res.Passages), NClusters: len(in.Clusters),
		Clusters: in.Clusters, Threshold: fmt.Sprintf("%.2f", in.Threshold),
	}
	if p.Title == "" {
		p.Title = "Reused text"
	}
	for _, c := range in.Clusters {
		p.NRemoved += len(c.Removed)
	}
	docIdx := map[string]int{}
	var docs []docView
	for i, d := range res.Docs {
		docIdx[d.ID] = i
		docs = append(docs, docView{ID: d.ID, Date: d.Date, Source: d.Source, URL: d.URL, Words: d.Words})
		if d.Date == "" {
			p.Undated++
		}
	}
	byGroup := map[string][]int{}
	for i, ps := range res.Passages {
		byGroup[ps.Group] = append(byGroup[ps.Group], i)
		docs[docIdx[ps.A]].Passages++
		docs[docIdx[ps.B]].Passages++
	}
	// The table lists the documents that share text, the most sharing
	// first; the others are counted.
	for _, d := range docs {
		if d.Passages > 0 {
			p.Docs = append(p.Docs, d)
		} else {
			p.QuietDocs++
		}
	}
	slices.SortStableFunc(p.Docs, func(x, y docView) int { return -cmp.Compare(x.Passages, y.Passages) })
	if len(p.Docs) > docRows {
		p.HiddenDocs = len(p.Docs) - docRows
		p.Docs = p.Docs[:docRows]
	}
	var groups []groupView
	for _, g := range res.Groups {
		idx := byGroup[g.ID]
		if len(idx) == 0 {
			continue // every passage of it was dropped as boilerplate
		}
		gv := groupView{ID: g.ID, Docs: g.Docs, Sources: g.Sources, Boilerplate: g.Boilerplate, Origin: origin(g)}
		if g.Boilerplate {
			p.NBP++
		}
		for _, i := range idx {
			gv.MaxWords = max(gv.MaxWords, res.Passages[i].Words)
		}
		groups = append(groups, gv)
	}
	slices.SortStableFunc(groups, func(x, y groupView) int {
		return cmp.Or(-cmp.Compare(x.Docs, y.Docs), -cmp.Compare(x.Sources, y.Sources), -cmp.Compare(x.MaxWords, y.MaxWords))
	})
	p.NGroups = len(groups)
	if len(groups) > maxGroups {
		p.Hidden = len(groups) - maxGroups
		groups = groups[:maxGroups]
	}
	gByID := map[string]trace.Group{}
	for _, g := range res.Groups {
		gByID[g.ID] = g
	}
	for gi := range groups {
		gv := &groups[gi]
		gv.Timeline = buildTimeline(gByID[gv.ID])
		idx := slices.Clone(byGroup[gv.ID])
		slices.SortStableFunc(idx, func(x, y int) int { return -cmp.Compare(res.Passages[x].Words, res.Passages[y].Words) })
		if len(idx) > maxPassages {
			gv.MorePassages = len(idx) - maxPassages
			idx = idx[:maxPassages]
		}
		gv.Start = firstWords(res.Excerpts[idx[0]].A, 10)
		for k, i := range idx {
			ps, ex := res.Passages[i], res.Excerpts[i]
			ex.A, ex.B = cutPieces(ex.A, excerptBytes), cutPieces(ex.B, excerptBytes)
			da, db := res.Docs[docIdx[ps.A]], res.Docs[docIdx[ps.B]]
			pv := passageView{N: k + 1, Words: ps.Words, Identity: ps.Identity, Kind: ps.Kind,
				Left:  sideView{ID: ps.A, Date: da.Date, Source: da.Source, Start: ps.AStart, End: ps.AEnd, Pieces: ex.A},
				Right: sideView{ID: ps.B, Date: db.Date, Source: db.Source, Start: ps.BStart, End: ps.BEnd, Pieces: ex.B},
			}
			switch ps.Direction {
			case "a->b":
				pv.Left.Role, pv.Right.Role = "first", "later"
				pv.Direction = "The left one is dated earlier: the text went from left to right."
			case "b->a":
				pv.Left, pv.Right = pv.Right, pv.Left // the earlier on the left
				pv.Left.Role, pv.Right.Role = "first", "later"
				pv.Direction = "The left one is dated earlier: the text went from left to right."
			default:
				pv.Direction = "Which came first is unknown: a date is missing, or both have the same date."
			}
			gv.Passages = append(gv.Passages, pv)
		}
	}
	p.Groups = groups
	if in.Stories != nil {
		var err error
		if p.Stories, err = storiesHTML(in.Stories, res); err != nil {
			return err
		}
	}
	if in.Repeats != nil {
		var err error
		if p.Repeats, err = repeatsHTML(in.Repeats); err != nil {
			return err
		}
	}
	return pageTemplate.Execute(w, p)
}

// cutPieces keeps the first limit bytes of an excerpt side, cut at a space
// when there is one near, and marks the cut with an ellipsis.
func cutPieces(ps []align.Piece, limit int) []align.Piece {
	n := 0
	for i, p := range ps {
		if n+len(p.Text) <= limit {
			n += len(p.Text)
			continue
		}
		keep := limit - n
		text := p.Text[:keep]
		for keep > 0 && !utf8.RuneStart(p.Text[keep]) {
			keep--
			text = p.Text[:keep]
		}
		if sp := strings.LastIndexByte(text, ' '); sp > keep/2 {
			text = text[:sp]
		}
		out := append(slices.Clone(ps[:i]), align.Piece{Text: text, Changed: p.Changed})
		return append(out, align.Piece{Text: " […]"})
	}
	return ps
}

// firstWords is the first n words of an excerpt side.
func firstWords(ps []align.Piece, n int) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Text)
		if b.Len() > 400 {
			break
		}
	}
	ws := strings.Fields(b.String())
	if len(ws) > n {
		return strings.Join(ws[:n], " ") + " …"
	}
	return strings.Join(ws, " ")
}

// plural is n with the word for it ("1 word", "3 words").
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// origin says in words where a group's text was first seen.
func origin(g trace.Group) string {
	switch g.SourceStatus {
	case trace.SourceEarliest:
		o := g.Occurrences[g.Source]
		return fmt.Sprintf("First seen in %s (%s) on %s.", o.ID, orUnknown(o.Source, "source unknown"), o.Date)
	case trace.SourceEarliestDated:
		o := g.Occurrences[g.Source]
		return fmt.Sprintf("Earliest dated copy: %s (%s) on %s. Some copies have no date and might be older.", o.ID, orUnknown(o.Source, "source unknown"), o.Date)
	case trace.SourceTie:
		return fmt.Sprintf("Several documents have it on the earliest date, %s; which was first cannot be told.", g.Occurrences[0].Date)
	}
	return "No document with this text has a date, so which came first cannot be told."
}
