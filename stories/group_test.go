package stories

import (
	"math"
	"testing"
)

// A single pass in this order leaves B alone: it comes second, when the
// only story is A, which it shares nothing with. The reports after it,
// which tell both A's and B's side, join A's story; judged against the
// finished story, B belongs there too, and the refinement moves it.
func TestRefineRejoinsFragment(t *testing.T) {
	const x, y = 1, 2
	r := float32(1 / math.Sqrt2)
	items := [][]term{
		{{h: x, w: 1}},               // A
		{{h: y, w: 1}},               // B
		{{h: x, w: r}, {h: y, w: r}}, // C1..C3: both
		{{h: x, w: r}, {h: y, w: r}},
		{{h: x, w: r}, {h: y, w: r}},
	}
	gr := newGrouper(0.5, -1, DefaultQueryTerms, DefaultCentroidTerms)
	assign := make([]int32, len(items))
	for k, v := range items {
		assign[k] = gr.assign(v, noDay)
	}
	if assign[1] == assign[0] || assign[2] != assign[0] {
		t.Fatalf("single pass: %v, want B alone and C1 with A", assign)
	}
	gr = refine(gr, len(items), func(k int) ([]term, int32) { return items[k], noDay }, assign, refineRounds, 0)
	for k := range assign {
		if assign[k] != 0 {
			t.Fatalf("after refinement: %v, want one story", assign)
		}
	}
	if len(gr.groups) != 1 || gr.groups[0].size != 5 {
		t.Fatalf("rebuilt groups: %d, first of size %d", len(gr.groups), gr.groups[0].size)
	}

	// The window holds in the refinement too: B, a year later, stays apart.
	gr = newGrouper(0.5, 30, DefaultQueryTerms, DefaultCentroidTerms)
	days := []int32{100, 465, 101, 102, 103}
	for k, v := range items {
		assign[k] = gr.assign(v, days[k])
	}
	refine(gr, len(items), func(k int) ([]term, int32) { return items[k], days[k] }, assign, refineRounds, 0)
	if assign[1] == assign[0] {
		t.Fatalf("B, a year after A's story, joined it: %v", assign)
	}
}
