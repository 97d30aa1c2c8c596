// Connected components (--cluster components) by large-star and
// small-star (Kiveris et al., "Connected Components in MapReduce and
// Beyond", SoCC 2014), with nodes ordered by keep priority so that each
// component ends as a star around its best document.
//
// Large-star at node u links every neighbour ranked below u to the best
// node of u's closed neighbourhood; small-star links u and its neighbours
// ranked above it to the best of those. Each is one GroupByKey over the
// edge list; alternating them shrinks every component to a star in
// O(log n) rounds, and neither ever joins two components. As in greedy.go
// the rounds are unrolled (--rounds pairs), and the edges left after them
// (a star forest once converged: one edge per removed group) go to one
// worker for a union-find that finishes the job exactly whatever the
// number of rounds.
//
// The CLI reports a removed document's Jaccard to its component's kept
// document, which need not be an edge; those pairs are verified from the
// sets like candidates.

package pipeline

import (
	"fmt"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
)

// links emits an undirected edge from both ends.
func links(e NodeEdge, emit func(uint64, Link)) {
	emit(e.U.Rep, Link{Self: e.U, Other: e.V})
	emit(e.V.Rep, Link{Self: e.V, Other: e.U})
}

// starFn is one large-star (Large) or small-star step at one node.
type starFn struct {
	Keep  string
	Large bool
}

func (f *starFn) ProcessElement(_ uint64, ls func(*Link) bool, emit func(NodeEdge)) {
	var u Node
	var nbrs []Node
	var l Link
	for ls(&l) {
		u = l.Self
		nbrs = append(nbrs, l.Other)
	}
	slices.SortFunc(nbrs, compareRep)
	nbrs = slices.CompactFunc(nbrs, func(a, b Node) bool { return a.Rep == b.Rep })
	m := u
	for _, v := range nbrs {
		if (f.Large || higher(f.Keep, v, u)) && higher(f.Keep, v, m) {
			m = v
		}
	}
	for _, v := range nbrs {
		if f.Large && higher(f.Keep, u, v) {
			emit(NodeEdge{U: v, V: m})
		}
		if !f.Large && higher(f.Keep, v, u) && v.Rep != m.Rep {
			emit(NodeEdge{U: v, V: m})
		}
	}
	if !f.Large && m.Rep != u.Rep {
		emit(NodeEdge{U: u, V: m})
	}
}

func toOneEdge(e NodeEdge) (int, NodeEdge) { return 0, e }

// unionFn finds the components of the remaining edges on one worker and
// emits, for every node but a component's best, a Decision removing it
// under the best (Sim to be filled in).
type unionFn struct{ Keep string }

func (f *unionFn) ProcessElement(_ int, es func(*NodeEdge) bool, emit func(uint64, Decision)) error {
	parent := map[uint64]uint64{}
	node := map[uint64]Node{}
	var find func(uint64) uint64
	find = func(x uint64) uint64 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	var e NodeEdge
	for es(&e) {
		for _, n := range []Node{e.U, e.V} {
			if _, ok := parent[n.Rep]; !ok {
				parent[n.Rep], node[n.Rep] = n.Rep, n
			}
		}
		a, b := find(e.U.Rep), find(e.V.Rep)
		if a == b {
			continue
		}
		if higher(f.Keep, node[a], node[b]) {
			parent[b] = a
		} else {
			parent[a] = b
		}
	}
	reps := make([]uint64, 0, len(parent))
	for r := range parent {
		reps = append(reps, r)
	}
	slices.Sort(reps)
	for _, r := range reps {
		if root := find(r); root != r {
			emit(r, Decision{N: node[r], By: node[root]})
		}
	}
	return nil
}

// decisionPair keys the (removed, kept) pair of a Decision by removed.
func decisionPair(rep uint64, d Decision) (uint64, uint64) { return rep, d.By.Rep }

// withSim fills a Decision's Sim from the verified edge of its pair.
func withSim(rep uint64, ds func(*Decision) bool, es func(*Edge) bool, emit func(uint64, Decision)) error {
	var d Decision
	if !ds(&d) {
		return nil
	}
	var e Edge
	if !es(&e) {
		return fmt.Errorf("components: no similarity for %q", d.N.Head.ID)
	}
	d.Sim = e.J
	emit(rep, d)
	return nil
}

// components computes the Decision (KV<Rep, Decision>) of every node of
// the clustering graph that is not its component's best; the best ones are
// kept, as is every node without a Decision.
func components(s beam.Scope, graph, sets beam.PCollection, keep string, rounds int) beam.PCollection {
	s = s.Scope("Components")
	edges := graph
	for i := 0; i < rounds; i++ {
		rs := s.Scope(fmt.Sprintf("Round%d", i+1))
		edges = beam.ParDo(rs, &starFn{Keep: keep, Large: true}, beam.GroupByKey(rs, beam.ParDo(rs, links, edges)))
		edges = beam.ParDo(rs, &starFn{Keep: keep}, beam.GroupByKey(rs, beam.ParDo(rs, links, edges)))
	}
	fs := s.Scope("Finish")
	decs := beam.ParDo(fs, &unionFn{Keep: keep}, beam.GroupByKey(fs, beam.ParDo(fs, toOneEdge, edges)))
	sims := verify(fs, sets, beam.ParDo(fs, decisionPair, decs), -1, false)
	return beam.ParDo(fs, withSim, beam.CoGroupByKey(fs, decs, beam.ParDo(fs, edgeA, sims)))
}
