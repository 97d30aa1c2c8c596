// Passage groups: the same text wherever it occurs.
//
// Every passage pair gives two occurrences, one per document, and links
// them. Two occurrences in one document are linked when they overlap by at
// least MinOverlap of the shorter one: the Alwaght paragraph that matches
// SANA and also matches a third outlet is one text. Connected occurrences
// (union-find) form a group. Requiring a real overlap rather than any shared
// byte keeps two neighbouring passages that touch at a word from chaining
// unrelated texts into one group.
//
// Within a group, the overlapping occurrences in one document are merged
// into one span, so each document appears once per stretch of text. The
// timeline orders occurrences by date (undated last), then document ID and
// offset; groups are numbered g1, g2, ... in order of their first occurrence
// by document ID and offset, which does not depend on the order of links.

package trace

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/reprint/reprint/align"
)

// Doc is what trace needs to know of a document.
type Doc struct {
	ID     string
	Date   string // "YYYY-MM-DD", or "" when unknown
	Source string // outlet or site; "" when unknown
	TextOf string // what the offsets are offsets into, when not the bytes as read (corpus.Doc.TextOf)
}

// Link is one passage shared by documents A and B (indexes into the docs).
type Link struct {
	A, B int
	P    align.Passage
}

// Options control grouping and boilerplate detection.
type Options struct {
	MinOverlap float64 // share of the shorter occurrence two occurrences in one document must overlap to be one text

	// A link is boilerplate when both its documents are of one source that
	// repeats the group's text across its own documents: BoilerplateDocs
	// of them or more, or (SameSourceOnly) two or more when every document
	// of the group is from that source. Links between different sources
	// are never boilerplate. A group is boilerplate when all its links are.
	BoilerplateDocs int
	SameSourceOnly  bool
}

// DefaultOptions returns the options reprint uses unless told otherwise.
//
// Why these: a site's footer or "Check Also" list recurs on every page it
// serves, so three pages of one site carrying the same text is already a
// pattern no newsroom produces by copying; two pages is not (a story and its
// update). But when a text is found only within one site, whatever the
// count, it is the site's own text and says nothing about reuse between
// outlets, so it is marked too; a report can still show it.
func DefaultOptions() Options {
	return Options{MinOverlap: 0.5, BoilerplateDocs: 3, SameSourceOnly: true}
}

// Occurrence is a group's text in one document.
type Occurrence struct {
	Doc        int // index into the docs given to Build
	ID         string
	Date       string
	Source     string
	Start, End int // byte span, half-open: the union of the overlapping passages
	Tok0, Tok1 int // token range
}

// Source statuses of a group.
const (
	SourceEarliest      = "earliest"       // one document is dated before all others
	SourceEarliestDated = "earliest-dated" // earliest among the dated; some are undated and might be earlier
	SourceTie           = "tie"            // several documents share the earliest date
	SourceUndated       = "undated"        // no document of the group is dated
)

// Group is one text and everywhere it occurs.
type Group struct {
	ID           string
	Occurrences  []Occurrence // the timeline: by date, undated last, then ID and offset
	Source       int          // index into Occurrences of the source, or -1 when SourceStatus is tie or undated
	SourceStatus string
	Docs         int  // distinct documents
	Sources      int  // distinct non-empty sources
	Boilerplate  bool // every link of the group is boilerplate: one source's own repeated text
}

// LinkInfo is what trace adds to one link.
type LinkInfo struct {
	Direction   string // AtoB, BtoA or Unknown
	Group       int    // index into Result.Groups
	Boilerplate bool   // both documents are of one source that repeats the text
}

// Result is the provenance of a set of links.
type Result struct {
	Groups []Group    // ordered by first occurrence (document ID, offset)
	Links  []LinkInfo // parallel to the links given to Build
}

// Build groups the passages of links and traces their provenance.
func Build(docs []Doc, links []Link, opt Options) (Result, error) {
	if opt.MinOverlap <= 0 || opt.MinOverlap > 1 {
		opt.MinOverlap = DefaultOptions().MinOverlap
	}
	occ := make([]Occurrence, 0, 2*len(links))
	for k, l := range links {
		for _, d := range []int{l.A, l.B} {
			if d < 0 || d >= len(docs) {
				return Result{}, fmt.Errorf("trace: link %d refers to document %d of %d", k, d, len(docs))
			}
		}
		if l.A == l.B {
			return Result{}, fmt.Errorf("trace: link %d joins document %d to itself", k, l.A)
		}
		p := l.P
		occ = append(occ,
			Occurrence{Doc: l.A, Start: p.AStart, End: p.AEnd, Tok0: p.ATok0, Tok1: p.ATok1},
			Occurrence{Doc: l.B, Start: p.BStart, End: p.BEnd, Tok0: p.BTok0, Tok1: p.BTok1})
	}
	uf := newUnionFind(len(occ))
	for k := 0; k < len(occ); k += 2 {
		uf.union(k, k+1)
	}
	linkOverlaps(occ, uf, opt.MinOverlap)

	// Collect groups, each as its merged occurrences.
	members := map[int][]int{}
	for k := range occ {
		r := uf.find(k)
		members[r] = append(members[r], k)
	}
	type draft struct {
		root int
		occ  []Occurrence
	}
	var drafts []draft
	for r, ks := range members {
		drafts = append(drafts, draft{r, mergeSpans(occ, ks, docs)})
	}
	firstKey := func(d draft) Occurrence { // by ID and offset
		return slices.MinFunc(d.occ, byIDOffset)
	}
	slices.SortFunc(drafts, func(x, y draft) int {
		if c := byIDOffset(firstKey(x), firstKey(y)); c != 0 {
			return c
		}
		return cmp.Compare(x.root, y.root) // only equal keys from identical input
	})
	res := Result{Groups: make([]Group, len(drafts)), Links: make([]LinkInfo, len(links))}
	groupOf := map[int]int{}
	for gi, d := range drafts {
		groupOf[d.root] = gi
		slices.SortFunc(d.occ, byTimeline)
		g := Group{ID: fmt.Sprintf("g%d", gi+1), Occurrences: d.occ}
		g.Source, g.SourceStatus = source(d.occ)
		g.Docs, g.Sources = count(d.occ)
		res.Groups[gi] = g
	}
	repeats := make([]map[string]bool, len(res.Groups))
	for gi := range res.Groups {
		repeats[gi] = repeatingSources(res.Groups[gi].Occurrences, opt)
	}
	allBP := make([]bool, len(res.Groups))
	for gi := range allBP {
		allBP[gi] = true
	}
	for k, l := range links {
		gi := groupOf[uf.find(2*k)]
		sa, sb := docs[l.A].Source, docs[l.B].Source
		bp := sa != "" && sa == sb && repeats[gi][sa]
		res.Links[k] = LinkInfo{Direction: Direction(docs[l.A], docs[l.B]), Group: gi, Boilerplate: bp}
		allBP[gi] = allBP[gi] && bp
	}
	for gi := range res.Groups {
		res.Groups[gi].Boilerplate = allBP[gi]
	}
	return res, nil
}

// linkOverlaps unites occurrences in one document that overlap enough.
func linkOverlaps(occ []Occurrence, uf *unionFind, minOverlap float64) {
	order := make([]int, len(occ))
	for k := range order {
		order[k] = k
	}
	slices.SortFunc(order, func(x, y int) int {
		a, b := occ[x], occ[y]
		return cmp.Or(cmp.Compare(a.Doc, b.Doc), cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(x, y))
	})
	var active []int // occurrences of the current document that may still overlap
	for n, k := range order {
		o := occ[k]
		if n > 0 && occ[order[n-1]].Doc != o.Doc {
			active = active[:0]
		}
		keep := active[:0]
		for _, j := range active {
			p := occ[j]
			if p.End <= o.Start {
				continue // sorted by start: p overlaps nothing from here on
			}
			keep = append(keep, j)
			ov := min(p.End, o.End) - o.Start
			if float64(ov) >= minOverlap*float64(min(p.End-p.Start, o.End-o.Start)) {
				uf.union(j, k)
			}
		}
		active = append(keep, k)
	}
}

// mergeSpans returns one occurrence per stretch of each document: the union
// of the group's overlapping occurrences there.
func mergeSpans(occ []Occurrence, ks []int, docs []Doc) []Occurrence {
	os := make([]Occurrence, len(ks))
	for i, k := range ks {
		os[i] = occ[k]
	}
	slices.SortFunc(os, func(a, b Occurrence) int {
		return cmp.Or(cmp.Compare(a.Doc, b.Doc), cmp.Compare(a.Start, b.Start))
	})
	var out []Occurrence
	for _, o := range os {
		if n := len(out); n > 0 && out[n-1].Doc == o.Doc && o.Start < out[n-1].End {
			l := &out[n-1]
			l.End, l.Tok1 = max(l.End, o.End), max(l.Tok1, o.Tok1)
			continue
		}
		d := docs[o.Doc]
		o.ID, o.Date, o.Source = d.ID, d.Date, d.Source
		out = append(out, o)
	}
	return out
}

func byIDOffset(a, b Occurrence) int {
	return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Doc, b.Doc), cmp.Compare(a.Start, b.Start))
}

// byTimeline orders by date, undated last, then by ID and offset.
func byTimeline(a, b Occurrence) int {
	_, oka := parseDate(a.Date)
	_, okb := parseDate(b.Date)
	switch {
	case oka && !okb:
		return -1
	case !oka && okb:
		return 1
	case oka && okb && a.Date != b.Date:
		return cmp.Compare(a.Date, b.Date) // YYYY-MM-DD sorts as text
	}
	return byIDOffset(a, b)
}

// source picks the earliest occurrence of a timeline-ordered group.
func source(os []Occurrence) (int, string) {
	if _, ok := parseDate(os[0].Date); !ok {
		return -1, SourceUndated
	}
	for _, o := range os[1:] {
		if o.Date == os[0].Date && o.Doc != os[0].Doc {
			return -1, SourceTie
		}
	}
	if _, ok := parseDate(os[len(os)-1].Date); !ok {
		return 0, SourceEarliestDated
	}
	return 0, SourceEarliest
}

// count counts the group's documents and distinct non-empty sources.
func count(os []Occurrence) (docs, sources int) {
	seen := map[int]bool{}
	srcs := map[string]bool{}
	for _, o := range os {
		seen[o.Doc] = true
		if o.Source != "" {
			srcs[o.Source] = true
		}
	}
	return len(seen), len(srcs)
}

// repeatingSources are the sources that repeat a group's text across their
// own documents: BoilerplateDocs or more of them, or (SameSourceOnly) two
// or more when the group holds no other source. A link between two
// documents of such a source is boilerplate; a link between different
// sources never is, however often one of them repeats the text.
func repeatingSources(os []Occurrence, opt Options) map[string]bool {
	seen := map[int]bool{}
	perSource := map[string]int{}
	docs := 0
	for _, o := range os {
		if seen[o.Doc] {
			continue
		}
		seen[o.Doc] = true
		docs++
		if o.Source != "" {
			perSource[o.Source]++
		}
	}
	out := map[string]bool{}
	for s, n := range perSource {
		if n >= 2 && (opt.BoilerplateDocs > 0 && n >= opt.BoilerplateDocs || opt.SameSourceOnly && n == docs) {
			out[s] = true
		}
	}
	return out
}
