package pipeline

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reprint/reprint/cluster"
)

// TestGreedyRoundsMatchSequential checks the round-based rule (step, as
// the rounds and the finishing worker run it) against cluster.Greedy on
// random graphs, including long chains that need many rounds, with ties
// in similarity.
func TestGreedyRoundsMatchSequential(t *testing.T) {
	for trial := 0; trial < 200; trial++ {
		r := rand.New(rand.NewPCG(uint64(trial), 1))
		n := 2 + r.IntN(40)
		nodes := make([]Node, n)
		for i := range nodes {
			nodes[i] = Node{Rep: uint64(i), Head: Meta{Seq: uint64(i), ID: fmt.Sprintf("d%03d", i), Date: fmt.Sprintf("2020-01-%02d", 1+r.IntN(5)), Bytes: int64(r.IntN(3))}}
		}
		seen := map[[2]int]bool{}
		var edges []NodeEdge
		for k := 0; k < n*2; k++ {
			a, b := r.IntN(n), r.IntN(n)
			if trial%3 == 0 { // chains
				a, b = k%n, (k+1)%n
			}
			if a == b || seen[[2]int{min(a, b), max(a, b)}] {
				continue
			}
			seen[[2]int{min(a, b), max(a, b)}] = true
			edges = append(edges, NodeEdge{U: nodes[a], V: nodes[b], J: 0.8 + float64(r.IntN(3))/10})
		}
		// Sequential.
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return comparePriority(KeepEarliest, nodes[a].Head, nodes[b].Head) })
		var ce []cluster.Edge
		for _, e := range edges {
			ce = append(ce, cluster.Edge{A: int(e.U.Rep), B: int(e.V.Rep), Sim: e.J})
		}
		want := cluster.Greedy(n, order, ce)
		// Rounds.
		got := map[uint64]Decision{}
		adj := map[uint64][]Adj{}
		f := &adjFn{Keep: KeepEarliest}
		for _, e := range edges {
			f.ProcessElement(e, func(k uint64, a Adj) { adj[k] = append(adj[k], a) })
		}
		states := map[uint64]State{}
		inbox := map[uint64][]Msg{}
		emitters := func() (func(uint64, State), func(uint64, Msg), func(uint64, Decision)) {
			return func(k uint64, s State) { states[k] = s },
				func(k uint64, m Msg) { inbox[k] = append(inbox[k], m) },
				func(k uint64, d Decision) { got[k] = d }
		}
		for k, as := range adj {
			i := 0
			st, ms, ds := emitters()
			(&initFn{Keep: KeepEarliest}).ProcessElement(k, func(a *Adj) bool {
				if i == len(as) {
					return false
				}
				*a = as[i]
				i++
				return true
			}, st, ms, ds)
		}
		for round := 0; len(states) > 0; round++ {
			if round > n+1 {
				t.Fatalf("trial %d: rounds do not finish", trial)
			}
			cur, in := states, inbox
			states, inbox = map[uint64]State{}, map[uint64][]Msg{}
			for k, s := range cur {
				st, ms, ds := emitters()
				out, dec, done := step(KeepEarliest, &s, in[k])
				for _, o := range out {
					ms(o.to, o.m)
				}
				if done {
					ds(k, dec)
				} else {
					st(k, s)
				}
			}
		}
		for i := 0; i < n; i++ {
			d, ok := got[uint64(i)]
			w := want[i]
			switch {
			case !ok && !w.Kept:
				t.Fatalf("trial %d: node %d: no decision, want removed under %d", trial, i, w.By)
			case !ok:
			case d.Kept != w.Kept:
				t.Fatalf("trial %d: node %d: kept %v, want %v", trial, i, d.Kept, w.Kept)
			case !d.Kept && (int(d.By.Rep) != w.By || d.Sim != w.Sim):
				t.Fatalf("trial %d: node %d: removed under %d (%v), want %d (%v)", trial, i, d.By.Rep, d.Sim, w.By, w.Sim)
			}
		}
	}
}
