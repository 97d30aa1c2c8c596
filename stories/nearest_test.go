package stories

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/gen"
)

// Nearest's own scan (nearScratch.best) gives what the grouper's bestSpan
// gives, the same to the bit, and so do calls made at once from several
// goroutines (run with -race: they must only read the clusterer).
func TestNearestConcurrent(t *testing.T) {
	// gen's default corpus (the index's): most documents start a story
	// of their own, so a query's terms name many of them.
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Seed = 3000, 7
	var docs []corpus.Doc
	if _, err := gen.Generate(cfg, func(d gen.Doc) error {
		docs = append(docs, corpus.Doc{ID: d.ID, Text: d.Text, Date: d.Date, Source: d.Source})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	c, _ := NewClusterer(Options{})
	addAll(t, c, docs[:2700])
	type answer struct {
		id  int32
		sim float64
	}
	var terms []*DocTerms
	var want []answer
	wide := 0
	for _, d := range docs[2700:] {
		dt, err := ExtractTerms(d)
		if err != nil {
			t.Fatal(err)
		}
		terms = append(terms, dt)
		// The path AddTerms takes, without adding.
		id, sim := c.gr.best(c.weigh(dt.raw, false), dt.day)
		want = append(want, answer{id, sim})
		if len(c.gr.seen) > maxCandidates {
			wide++
		}
	}
	if wide == 0 {
		t.Fatal("no query had more candidates than maxCandidates: the selection went untested")
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range terms {
				i := (k*7 + w*13) % len(terms)
				id, sim, joined := c.Nearest(terms[i])
				wantID := ""
				if want[i].id >= 0 {
					wantID = StoryID(int(want[i].id))
				}
				if id != wantID || math.Float64bits(sim) != math.Float64bits(want[i].sim) || joined != (want[i].id >= 0 && sim >= c.opt.Threshold) {
					errs <- terms[i].id
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for id := range errs {
		t.Errorf("%s: Nearest differs from the grouper's own scan", id)
	}
}

// candidates picks what bestSpan picks from the same hits: the eligible
// groups, or when there are more than maxCandidates, selectCandidates's.
func TestNearestCandidates(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var s nearScratch
	for trial := 0; trial < 1000; trial++ {
		groups := 1 + rng.IntN(1500)
		gr := &grouper{window: 5, spans: make([]span, groups)}
		for i := range gr.spans {
			if rng.IntN(8) == 0 {
				gr.spans[i] = span{first: noDay, last: noDay}
			} else {
				f := int32(rng.IntN(40))
				gr.spans[i] = span{first: f, last: f + int32(rng.IntN(4))}
			}
		}
		day := int32(rng.IntN(40))
		if trial%10 == 0 {
			day = noDay
		}
		n := 1 + rng.IntN(groups)
		var tab []hitSlot
		var used []int32
		var cand []int32
		top := int32(0)
		for _, id := range rng.Perm(groups)[:n] {
			h := int32(1 + rng.IntN(1+trial%12))
			used = append(used, int32(len(tab)))
			tab = append(tab, hitSlot{id1: int32(id) + 1, n: h})
			if gr.eligibleSpan(gr.spans[id], day, day) {
				gr.spans[id].hits = h
				cand = append(cand, int32(id))
				top = max(top, h)
			}
		}
		want := cand
		if len(cand) > maxCandidates {
			want = selectCandidates(cand, gr.spans, top)
		}
		want = slices.Clone(want)
		got := slices.Clone(s.candidates(gr, tab, used, day))
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: candidates %v, bestSpan's %v", trial, got, want)
		}
		for _, sl := range tab {
			if sl != (hitSlot{}) {
				t.Fatal("a slot was left in use")
			}
		}
	}
}
