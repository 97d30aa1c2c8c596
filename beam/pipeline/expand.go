// Unfolding verified edges between text groups into the user's pairs, and
// into the clustering graph between group heads.
//
// As in the CLI, every member of a text group pairs with every other
// member (Jaccard 1, containments 1) and with every member of every group
// its group has an edge to, with that edge's values; containments follow
// the pair's orientation (A < B by ID). An edge meets both its groups in
// two joins keyed by representative. A group of k identical documents
// gives k(k-1)/2 pairs: the output is quadratic in group size, like the
// CLI's.

package pipeline

import (
	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/reprint/reprint/neardup"
)

// edgeA keys an edge by its A side.
func edgeA(e Edge) (uint64, Edge) { return e.A, e }

// joinGroupA attaches A's group to each edge and sends it on to B.
func joinGroupA(_ uint64, groups func(*Group) bool, edges func(*Edge) bool, emit func(uint64, EdgeA)) {
	var g Group
	if !groups(&g) {
		return
	}
	var e Edge
	for edges(&e) {
		emit(e.B, EdgeA{E: e, GA: g})
	}
}

// joinGroupB unfolds each edge into member pairs and one clustering edge.
func joinGroupB(_ uint64, groups func(*Group) bool, edges func(*EdgeA) bool, pairs func(neardup.Pair), nodes func(NodeEdge)) {
	var gb Group
	if !groups(&gb) {
		return
	}
	var ea EdgeA
	for edges(&ea) {
		e := ea.E
		for _, x := range ea.GA.Members {
			for _, y := range gb.Members {
				pairs(orient(x.ID, y.ID, e.J, e.Inter, e.NA, e.NB))
			}
		}
		nodes(NodeEdge{U: Node{Rep: ea.GA.Rep, Head: ea.GA.Head}, V: Node{Rep: gb.Rep, Head: gb.Head}, J: e.J})
	}
}

// orient makes the pair of documents a (set size na) and b (set size nb)
// with A < B.
func orient(a, b string, j float64, inter, na, nb int64) neardup.Pair {
	if a > b {
		a, b, na, nb = b, a, nb, na
	}
	return neardup.Pair{A: a, B: b, Jaccard: j, ContainmentA: float64(inter) / float64(na), ContainmentB: float64(inter) / float64(nb)}
}

// groupPairs emits the exact-duplicate pairs inside a group.
func groupPairs(_ uint64, g Group, emit func(neardup.Pair)) {
	for i, x := range g.Members {
		for _, y := range g.Members[i+1:] {
			a, b := x.ID, y.ID
			if a > b {
				a, b = b, a
			}
			emit(neardup.Pair{A: a, B: b, Jaccard: 1, ContainmentA: 1, ContainmentB: 1})
		}
	}
}

// unfold returns the pairs (neardup.Pair) and the clustering graph
// (NodeEdge) from the groups (KV<Rep, Group>) and the verified edges.
func unfold(s beam.Scope, groups, edges beam.PCollection) (pairs, graph beam.PCollection) {
	s = s.Scope("Unfold")
	withA := beam.ParDo(s, joinGroupA, beam.CoGroupByKey(s, groups, beam.ParDo(s, edgeA, edges)))
	cross, graph := beam.ParDo2(s, joinGroupB, beam.CoGroupByKey(s, groups, withA))
	inner := beam.ParDo(s, groupPairs, groups)
	return beam.Flatten(s, cross, inner), graph
}
