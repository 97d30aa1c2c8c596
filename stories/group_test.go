package stories

import (
	"math"
	"math/rand/v2"
	"slices"
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
	gr = refine(gr, len(items), func(k int) ([]term, int32) { return items[k], noDay }, assign, refineRounds, 0, nil)
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
	refine(gr, len(items), func(k int) ([]term, int32) { return items[k], days[k] }, assign, refineRounds, 0, nil)
	if assign[1] == assign[0] {
		t.Fatalf("B, a year after A's story, joined it: %v", assign)
	}
}

// refBestSpan is bestSpan as first written (hits in a map, every hit
// group checked, all candidates sorted, merged dot products): the
// definition the fast one must match to the bit.
func refBestSpan(gr *grouper, v []term, first, last, skip int32) (int32, float64) {
	if len(v) == 0 {
		return -1, 0
	}
	query := slices.Clone(v)
	if q := gr.lookupTerms(); len(query) > q {
		slices.SortFunc(query, byWeight)
		query = query[:q]
	}
	hits := map[int32]int32{}
	for _, q := range query {
		list := gr.post[q.h]
		for i, n := len(list)-1, 0; i >= 0 && n < scanCap; i, n = i-1, n+1 {
			hits[list[i]]++
		}
	}
	var cand []int32
	for id := range hits {
		if id != skip && gr.eligibleSpan(gr.spans[id], first, last) {
			cand = append(cand, id)
		}
	}
	slices.SortFunc(cand, func(a, b int32) int {
		if ha, hb := hits[a], hits[b]; ha != hb {
			return int(hb - ha)
		}
		return int(b - a)
	})
	if len(cand) > maxCandidates {
		cand = cand[:maxCandidates]
	}
	best, bestSim := int32(-1), 0.0
	for _, id := range cand {
		g := &gr.groups[id]
		if g.norm == 0 {
			continue
		}
		s := dot(v, g.centroid) / g.norm
		if s > bestSim || (s == bestSim && best >= 0 && id < best) {
			best, bestSim = id, s
		}
	}
	return best, bestSim
}

// The fast candidate scan gives exactly the reference's answer, on a
// stream whose posting lists run past scanCap and whose items have far
// more than maxCandidates candidates, dated, undated and with a skip.
func TestBestSpanMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	vec := func(vocab int) []term {
		n := 5 + rng.IntN(40)
		seen := map[uint64]bool{}
		var v []term
		for len(v) < n {
			// A few very common terms, many rare ones.
			h := uint64(rng.IntN(vocab))
			if rng.IntN(3) == 0 {
				h = uint64(rng.IntN(20))
			}
			if seen[h] {
				continue
			}
			seen[h] = true
			// Coarse weights, so that cosines tie now and then.
			v = append(v, term{h: h*0x9E3779B97F4A7C15 + 1, w: float32(1 + rng.IntN(4))})
		}
		return topNormalized(v, len(v))
	}
	day := func() int32 {
		if rng.IntN(10) == 0 {
			return noDay
		}
		return int32(rng.IntN(2000))
	}
	var longLists, manyCands, joined int
	for _, window := range []int{30, -1} {
		gr := newGrouper(0.3, window, DefaultQueryTerms, DefaultCentroidTerms)
		for k := 0; k < 6000; k++ {
			v, d := vec(3000), day()
			want, wantSim := refBestSpan(gr, v, d, d, -1)
			got, gotSim := gr.best(v, d)
			if got != want || gotSim != wantSim {
				t.Fatalf("window %d, item %d: best %d (%v), reference %d (%v)", window, k, got, gotSim, want, wantSim)
			}
			if k%7 == 0 && len(gr.groups) > 0 {
				// A span of days and a group to skip, as the refinement asks.
				skip, d2 := int32(rng.IntN(len(gr.groups))), d
				if d != noDay {
					d2 += int32(rng.IntN(40))
				}
				w, ws := refBestSpan(gr, v, d, d2, skip)
				if g, gs := gr.bestSpan(v, d, d2, skip); g != w || gs != ws {
					t.Fatalf("window %d, item %d, skip %d: best %d (%v), reference %d (%v)", window, k, skip, g, gs, w, ws)
				}
			}
			if len(gr.cand) == maxCandidates {
				manyCands++
			}
			gr.assign(v, d)
			if got >= 0 && gotSim >= gr.threshold {
				joined++
			}
		}
		for _, list := range gr.post {
			if len(list) > scanCap {
				longLists++
			}
		}
	}
	if longLists == 0 || manyCands < 100 || joined < 100 {
		t.Fatalf("the test did not exercise the cuts: %d lists past scanCap, %d items with %d candidates, %d joins",
			longLists, manyCands, maxCandidates, joined)
	}
}
