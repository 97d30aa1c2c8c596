// Timelines as inline SVG geometry: one row per document of a group, a dot
// at its date on a shared time axis, the earliest (the group's source)
// drawn larger, a line joining the dated dots in time order, and undated
// documents in a column of their own at the right, because placing them on
// the axis would claim a date nobody knows. The template draws; this file
// only computes coordinates, so the chart needs no script and no library.
//
// The axis is linear in days between the group's first and last date. A
// group spread over years with a burst in one week crowds that week;
// deliberately not done: a log or broken axis, which is harder for a
// general reader to read correctly than a crowded one.

package report

import (
	"fmt"
	"time"

	"github.com/reprint/reprint/trace"
)

// Timeline is the geometry of one group's timeline chart.
type Timeline struct {
	Width, Height int
	AxisY         int // y of the time axis
	X0, X1        int // the dated span of the axis
	UndatedX      int // x of the undated column; 0 when every document is dated
	Rows          []TimelineRow
	Ticks         []Tick
	Path          string // polyline points joining the dated dots in time order
	More          int    // documents of the group not drawn

	// Precomputed positions, since templates do no arithmetic.
	TickTop, TickBottom, TickLabelY int
	LabelX, GridX0, GridX1          int
	UndatedLineX                    int
}

// TimelineRow is one document in a timeline.
type TimelineRow struct {
	Y, X    int
	TextY   int    // baseline of the label
	Label   string // source, or the ID when there is none
	Title   string // full description for the tooltip
	Date    string // "" when undated
	First   bool   // the group's source
	Undated bool
}

// Tick is a labelled date on the axis.
type Tick struct {
	X     int
	Label string
}

const (
	tlWidth   = 760
	tlLabelW  = 250 // room for labels at the left
	tlPlot0   = 270
	tlPlot1   = 620
	tlUndated = 700
	tlRow     = 26
	tlTop     = 18
)

// timelineRows is the most documents one timeline draws: the earliest, in
// timeline order; the rest are counted (Timeline.More).
const timelineRows = 40

// buildTimeline returns the chart of g, or nil when none of its documents
// is dated: a column of undated dots would say nothing.
func buildTimeline(g trace.Group) *Timeline {
	t := &Timeline{Width: tlWidth, X0: tlPlot0, X1: tlPlot1}
	seen := map[int]bool{}
	var occ []trace.Occurrence
	for _, o := range g.Occurrences {
		if !seen[o.Doc] {
			seen[o.Doc] = true
			occ = append(occ, o)
		}
	}
	if len(occ) > timelineRows {
		t.More = len(occ) - timelineRows
		occ = occ[:timelineRows]
	}
	var first, last time.Time
	dated := 0
	for _, o := range occ {
		d, err := time.Parse(time.DateOnly, o.Date)
		if err != nil {
			continue
		}
		if dated == 0 || d.Before(first) {
			first = d
		}
		if dated == 0 || d.After(last) {
			last = d
		}
		dated++
	}
	if dated == 0 {
		return nil
	}
	span := last.Sub(first).Hours() / 24
	xOf := func(d time.Time) int {
		if span == 0 {
			return (tlPlot0 + tlPlot1) / 2
		}
		return tlPlot0 + int(float64(tlPlot1-tlPlot0)*d.Sub(first).Hours()/24/span+0.5)
	}
	for i, o := range occ {
		r := TimelineRow{Y: tlTop + i*tlRow, Label: o.Source, Date: o.Date}
		r.TextY = r.Y + 4
		if r.Label == "" {
			r.Label = o.ID
		} else {
			r.Label += " · " + o.ID
		}
		if n := []rune(r.Label); len(n) > 34 {
			r.Label = string(n[:33]) + "…"
		}
		r.Title = fmt.Sprintf("%s, %s", o.ID, orUnknown(o.Source, "source unknown"))
		if d, err := time.Parse(time.DateOnly, o.Date); err == nil {
			r.X = xOf(d)
			r.Title += ", " + o.Date
			if t.Path != "" {
				t.Path += " "
			}
			t.Path += fmt.Sprintf("%d,%d", r.X, r.Y)
		} else {
			r.X, r.Undated, r.Date = tlUndated, true, ""
			t.UndatedX = tlUndated
			r.Title += ", undated"
		}
		r.First = g.Source >= 0 && g.Occurrences[g.Source].Doc == o.Doc
		t.Rows = append(t.Rows, r)
	}
	t.AxisY = tlTop + len(occ)*tlRow
	t.Height = t.AxisY + 34
	t.TickTop, t.TickBottom, t.TickLabelY = t.AxisY-5, t.AxisY+5, t.AxisY+22
	t.LabelX, t.GridX0, t.GridX1 = tlLabelW, tlLabelW+8, tlPlot1+10
	if t.UndatedX > 0 {
		t.GridX1 = tlUndated + 20
		t.UndatedLineX = (tlPlot1 + tlUndated) / 2
	}
	if dated > 0 {
		t.Ticks = append(t.Ticks, Tick{xOf(first), first.Format(time.DateOnly)})
		if span > 0 {
			t.Ticks = append(t.Ticks, Tick{xOf(last), last.Format(time.DateOnly)})
		}
	}
	return t
}

func orUnknown(s, unknown string) string {
	if s == "" {
		return unknown
	}
	return s
}
