package align

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/reprint/reprint/token"
)

// spanSeed is evidence over sentences i0..i1 of A and j0..j1 of B: an exact
// passage or a validated group, which lone seeds may join.
func spanSeed(i0, i1, j0, j1 int, exact bool) seed {
	return seed{i0, i1, j0, j1, 10 * i0, 10*i1 + 10, 10 * j0, 10*j1 + 10, exact, 0, false}
}

// loneSeed is a sentence seed outside any validated group.
func loneSeed(i, j int, cos float64) seed {
	s := sentSeed(i, j, cos)
	s.lone = true
	return s
}

// seedList prints a group's seeds by their first sentences, in order.
func seedList(g []seed) string {
	g = slices.Clone(g)
	slices.SortFunc(g, func(x, y seed) int { return cmp.Or(x.i0-y.i0, x.j0-y.j0) })
	var b strings.Builder
	for _, s := range g {
		fmt.Fprintf(&b, "%d>%d ", s.i0, s.j0)
	}
	return b.String()
}

// TestJoinedDropsEchoes checks that, in one-to-one reuse, a lone seed whose
// sentence lies inside a piece of the group on one side and far from it on
// the other leaves the group, and that a group it alone bridged falls
// apart; that lone seeds continuing the evidence, beside it on both sides
// (in swapped order too) or before and after it on both, stay; and that a
// summary's grouping keeps them all.
func TestJoinedDropsEchoes(t *testing.T) {
	frag := spanSeed(20, 22, 40, 42, false) // a validated group of sentences 20-22 of A and 40-42 of B
	g := gaps{4, 4}
	cases := []struct {
		name string
		in   []seed
		want []string
	}{
		{"echo in B, far in A", []seed{frag, loneSeed(25, 41, 0.6)}, []string{"20>40 "}},
		{"echo in A, far in B", []seed{frag, loneSeed(21, 45, 0.6)}, []string{"20>40 "}},
		{"continues after", []seed{frag, loneSeed(24, 45, 0.5)}, []string{"20>40 24>45 "}},
		{"continues before", []seed{loneSeed(17, 38, 0.5), frag}, []string{"17>38 20>40 "}},
		{"neighbours swapped", []seed{frag, loneSeed(23, 39, 0.5)}, []string{"20>40 23>39 "}},
		{"split sentence next door", []seed{frag, loneSeed(23, 42, 0.5)}, []string{"20>40 23>42 "}},
		// The echo bridged two exact passages 8 sentences apart in A: without
		// it they are two passages.
		{"echo was the bridge", []seed{spanSeed(10, 11, 30, 31, true), loneSeed(15, 31, 0.7), spanSeed(19, 20, 34, 35, true)},
			[]string{"10>30 ", "19>34 "}},
	}
	for _, c := range cases {
		var got []string
		for _, x := range joined(slices.Clone(c.in), g, true) {
			got = append(got, seedList(x))
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: groups %q, want %q", c.name, got, c.want)
		}
	}
	// With a summary's gaps every sentence of the summary may draw on
	// sentences far apart: nothing is an echo.
	in := []seed{frag, loneSeed(25, 41, 0.6)}
	if got := joined(slices.Clone(in), gaps{24, 4}, false); len(got) != 1 || len(got[0]) != 2 {
		t.Errorf("summary grouping dropped a lone seed: %v", got)
	}
	// Lone seeds alone are never a passage.
	if got := joined([]seed{loneSeed(3, 3, 0.9), loneSeed(4, 4, 0.9)}, g, true); len(got) != 0 {
		t.Errorf("lone seeds alone made a group: %v", got)
	}
}

// TestJoinedSplitsRivals checks that two pieces of evidence saying where one
// stretch of text went (one document repeats a paragraph, and the other's
// one copy matches both) are not joined into a passage over the text
// between the repeats: the larger keeps the group, the smaller stands
// alone; and that pieces which only touch on one side stay joined.
func TestJoinedSplitsRivals(t *testing.T) {
	g := gaps{4, 4}
	cases := []struct {
		name string
		in   []seed
		want []string
	}{
		{"repeat in A", []seed{spanSeed(1, 2, 28, 29, true), spanSeed(4, 6, 28, 29, true)}, []string{"1>28 ", "4>28 "}},
		{"repeat in B", []seed{spanSeed(8, 9, 10, 11, true), spanSeed(8, 9, 14, 16, true)}, []string{"8>10 ", "8>14 "}},
		{"in order", []seed{spanSeed(1, 2, 28, 29, true), spanSeed(4, 6, 31, 33, true)}, []string{"1>28 4>31 "}},
	}
	for _, c := range cases {
		var got []string
		for _, x := range joined(slices.Clone(c.in), g, true) {
			got = append(got, seedList(x))
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: groups %q, want %q", c.name, got, c.want)
		}
	}
}

// TestSnapKeepsToSentences checks that a passage is widened to the bounds of
// real sentences it mostly holds, and not to those of a run of words cut at
// maxSentWords in text without punctuation (a list), whose bounds fall
// anywhere.
func TestSnapKeepsToSentences(t *testing.T) {
	tz := token.New()
	var words []string
	for k := 0; k < 3*maxSentWords; k++ {
		words = append(words, fmt.Sprintf("item%d", k))
	}
	list := strings.Join(words, " ")
	d, _ := newTextDoc(list, tz.Tokens(list, 0, nil))
	if len(d.sents) != 3 || !cut(d.sents[0]) {
		t.Fatalf("a list of %d words: %d units, want 3 cut ones", len(words), len(d.sents))
	}
	// Most of the middle unit, off its bounds on both ends.
	t0, t1 := maxSentWords+5, 2*maxSentWords-5
	if a, b := d.snap(t0, t1); a != t0 || b != t1 {
		t.Errorf("in a list, [%d,%d) widened to [%d,%d)", t0, t1, a, b)
	}
	text := "The council met on Monday to discuss the harbour. " +
		"It voted to repair the northern pier before the winter storms arrive. " +
		"Fishermen welcomed the decision."
	toks := tz.Tokens(text, 0, nil)
	d, _ = newTextDoc(text, toks)
	if len(d.sents) != 3 || cut(d.sents[1]) {
		t.Fatalf("three sentences: %d units", len(d.sents))
	}
	s := d.sents[1]
	if a, b := d.snap(s.t0+1, s.t1-1); a != s.t0 || b != s.t1 {
		t.Errorf("a sentence but its first and last words, [%d,%d), widened to [%d,%d), want [%d,%d)", s.t0+1, s.t1-1, a, b, s.t0, s.t1)
	}
}

// TestSummarySideNotPiecesFarApart checks that a short document whose two
// halves were each reused one-to-one, far apart in a long one, is not taken
// for a summary, though its evidence is spread far wider in the long
// document than in the short one; while a summary, whose sentences each
// draw on sentences several apart within one stretch, still is.
func TestSummarySideNotPiecesFarApart(t *testing.T) {
	o := DefaultOptions()
	var pieces []seed
	for k := 0; k < 4; k++ {
		pieces = append(pieces, sentSeed(k, 40+k, 0.6), sentSeed(4+k, 200+k, 0.6))
	}
	if side := summarySide(nil, nil, pieces, &o); side != 0 {
		t.Errorf("two one-to-one pieces 160 sentences apart taken for a summary (side %c)", side)
	}
	var summary []seed
	for k := 0; k < 6; k++ {
		summary = append(summary, sentSeed(k, 40+5*k, 0.6))
	}
	if side := summarySide(nil, nil, summary, &o); side != 'b' {
		t.Errorf("a summary of sentences five apart: side %q, want 'b'", side)
	}
	// The same summary beside a one-to-one piece far away is still one.
	both := append(slices.Clone(summary), sentSeed(6, 300, 0.6), sentSeed(7, 301, 0.6))
	if side := summarySide(nil, nil, both, &o); side != 'b' {
		t.Errorf("a summary with a one-to-one piece far away: side %q, want 'b'", side)
	}
}

// TestWidenOnEvidence checks that a passage's end is widened to the end of
// its sentence on a side only where a third of the words it would add are
// found in the other side's sentence at that end: the rest of a reworded
// sentence is taken, the rest of one about something else is not, even
// when it shares a topic word.
func TestWidenOnEvidence(t *testing.T) {
	tz := token.New()
	doc := func(s string) ([]token.Token, []uint64, *textDoc) {
		toks := tz.Tokens(s, 0, nil)
		d, _ := newTextDoc(s, toks)
		return toks, hashes(toks), d
	}
	// The first eight words of each sentence are the same; A's sentence
	// goes on with words B's sentence has in another order.
	ta := "The council voted on Monday to repair the harbour wall after storms damaged the northern pier. Tourists later visited museums nearby."
	tb := "The council voted on Monday to repair the harbour wall, since the northern pier was damaged by storms. Dockers went home early tonight."
	a, ha, da := doc(ta)
	b, hb, db := doc(tb)
	if len(da.sents) != 2 || len(db.sents) != 2 {
		t.Fatalf("sentences: %d and %d, want 2 and 2", len(da.sents), len(db.sents))
	}
	f := fragment{a0: 0, a1: 10, b0: 0, b1: 10}
	w := widen(a, b, ha, hb, da, db, f)
	if w.a1 != da.sents[0].t1 || w.b1 != db.sents[0].t1 {
		t.Errorf("a reworded sentence's rest: ends %d, %d; want %d, %d", w.a1, w.b1, da.sents[0].t1, db.sents[0].t1)
	}
	// B's sentence goes on about something else: nothing of A's rest is there.
	tc := "The council voted on Monday to repair the harbour wall, and bakers cheered loudly outside. Dockers went home early tonight."
	c, hc, dc := doc(tc)
	w = widen(a, c, ha, hc, da, dc, f)
	if w.a1 != f.a1 || w.b1 != f.b1 {
		t.Errorf("unrelated rests: ends %d, %d widened from %d, %d", w.a1, w.b1, f.a1, f.b1)
	}
	// One topic word of A's rest in B's sentence is chance, not reuse.
	td := "The council voted on Monday to repair the harbour wall, and bakers cheered loudly outside by the pier. Dockers went home early tonight."
	d, hd, dd := doc(td)
	w = widen(a, d, ha, hd, da, dd, f)
	if w.a1 != f.a1 {
		t.Errorf("a rest sharing one word in five: end %d widened from %d", w.a1, f.a1)
	}
}
