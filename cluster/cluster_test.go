package cluster

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestGreedyDoesNotChain(t *testing.T) {
	// A~B, B~C, A≁C: keep A, remove B under A, keep C.
	edges := []Edge{{0, 1, 0.85}, {1, 2, 0.9}}
	got := Greedy(3, []int{0, 1, 2}, edges)
	if !got[0].Kept || got[1].Kept || got[1].By != 0 || !got[2].Kept {
		t.Fatalf("got %+v", got)
	}
}

func TestGreedyPicksMostSimilarKept(t *testing.T) {
	edges := []Edge{{0, 2, 0.81}, {1, 2, 0.95}}
	got := Greedy(3, []int{0, 1, 2}, edges)
	if got[2].Kept || got[2].By != 1 || got[2].Sim != 0.95 {
		t.Fatalf("got %+v", got[2])
	}
}

func TestGreedyFollowsPriority(t *testing.T) {
	got := Greedy(2, []int{1, 0}, []Edge{{0, 1, 0.9}})
	if got[0].Kept || !got[1].Kept {
		t.Fatalf("got %+v", got)
	}
}

func TestComponentsAreTransitive(t *testing.T) {
	edges := []Edge{{0, 1, 0.85}, {1, 2, 0.9}}
	got := Components(4, []int{2, 0, 1, 3}, edges, func(a, b int) float64 { return float64(a*10 + b) })
	if !got[2].Kept || got[0].By != 2 || got[1].By != 2 || !got[3].Kept {
		t.Fatalf("got %+v", got)
	}
	if got[0].Sim != 2 {
		t.Fatalf("sim not taken from callback: %+v", got[0])
	}
}

// Every removed document must be an edge away from its kept document.
func TestGreedyInvariantRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 50; trial++ {
		n := 2 + r.IntN(60)
		edgeSet := map[[2]int]float64{}
		var edges []Edge
		for i := 0; i < n*2; i++ {
			a, b := r.IntN(n), r.IntN(n)
			if a == b {
				continue
			}
			if a > b {
				a, b = b, a
			}
			if _, ok := edgeSet[[2]int{a, b}]; ok {
				continue
			}
			s := 0.8 + r.Float64()*0.2
			edgeSet[[2]int{a, b}] = s
			edges = append(edges, Edge{a, b, s})
		}
		order := r.Perm(n)
		got := Greedy(n, order, edges)
		for d, dec := range got {
			if dec.Kept {
				for o, od := range got {
					if o != d && od.Kept {
						if _, ok := edgeSet[[2]int{min(d, o), max(d, o)}]; ok {
							t.Fatalf("two kept near-duplicates %d and %d", d, o)
						}
					}
				}
				continue
			}
			s, ok := edgeSet[[2]int{min(d, dec.By), max(d, dec.By)}]
			if !ok || !got[dec.By].Kept || s != dec.Sim {
				t.Fatalf("doc %d removed under %d without a direct edge to a kept doc", d, dec.By)
			}
		}
	}
}

// Order sorts by keys where it can; the order must be Compare's, for every
// policy, with dates missing, unusual or malformed and lengths that tie.
func TestOrderIsCompare(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	dates := []string{"", "2017-10-30", "2017-10-31", "2018-01-01", "1999-12-31", "2017-10-30", "0001-01-01", "9999-12-31"}
	odd := []string{"2017-13-45", "2017-1-30", "20171030", "2017-10-3x", "yesterday"}
	for round := 0; round < 200; round++ {
		n := 1 + r.IntN(60)
		ms := make([]Member, n)
		for i := range ms {
			ms[i] = Member{ID: fmt.Sprintf("d%03d", r.IntN(1000)), Date: dates[r.IntN(len(dates))], Bytes: int64(r.IntN(5) * 100), Seq: uint64(i)}
			if round%4 == 3 && r.IntN(10) == 0 {
				ms[i].Date = odd[r.IntN(len(odd))]
			}
			if round%5 == 4 && r.IntN(20) == 0 {
				ms[i].Bytes = 1 << 40
			}
		}
		for _, k := range []Keep{KeepEarliest, KeepLongest, KeepFirst, ""} {
			got := k.Order(ms)
			want := make([]int, n)
			for i := range want {
				want[i] = i
			}
			slices.SortStableFunc(want, func(a, b int) int { return k.Compare(ms[a], ms[b]) })
			for i := range got {
				if c := k.Compare(ms[got[i]], ms[want[i]]); c != 0 {
					t.Fatalf("policy %q, round %d: place %d holds %+v, Compare's order %+v", k, round, i, ms[got[i]], ms[want[i]])
				}
			}
		}
	}
}
