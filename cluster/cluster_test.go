package cluster

import (
	"math/rand/v2"
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
