// Turning verified edges between distinct texts into the user's pairs and
// clusters. Exact duplicates were folded onto one representative before
// banding; here they are unfolded: every member of a text group pairs with
// every other member (Jaccard 1) and with everything its representative
// pairs with.

package neardup

import (
	"cmp"
	"slices"
	"strings"

	"github.com/reprint/reprint/cluster"
)

// Pair is a pair of near-duplicate documents, A < B byte-wise.
type Pair struct {
	A            string  `json:"a"`
	B            string  `json:"b"`
	Jaccard      float64 `json:"jaccard"`
	ContainmentA float64 `json:"containment_a"` // |A∩B| / |A|
	ContainmentB float64 `json:"containment_b"` // |A∩B| / |B|
}

// Cluster is one kept document and the near-duplicates removed in its favour.
type Cluster struct {
	Kept    string    `json:"kept"`
	Removed []Removed `json:"removed"`
}

// Removed is a document removed as a near-duplicate of a cluster's kept one.
type Removed struct {
	ID      string  `json:"id"`
	Jaccard float64 `json:"jaccard"` // to the kept document
}

func (res *Result) group(r int32) []int32 {
	return append([]int32{r}, res.members[r]...)
}

func (res *Result) countPairs() int {
	n := 0
	for _, m := range res.members {
		k := len(m) + 1
		n += k * (k - 1) / 2
	}
	for _, e := range res.edges {
		n += (len(res.members[e.a]) + 1) * (len(res.members[e.b]) + 1)
	}
	return n
}

// Pairs returns every near-duplicate pair, sorted by A then B.
func (res *Result) Pairs() []Pair {
	rank := res.idRanks()
	type ip struct {
		a, b    int32
		inter   int32
		na, nb  int32
		j       float64
		exact   bool
		sortKey uint64
	}
	all := make([]ip, 0, res.countPairs())
	push := func(a, b int32, e repEdge, exact bool) {
		na, nb := e.na, e.nb
		if rank[a] > rank[b] {
			a, b, na, nb = b, a, nb, na
		}
		all = append(all, ip{a: a, b: b, inter: e.inter, na: na, nb: nb, j: e.j, exact: exact, sortKey: uint64(rank[a])<<32 | uint64(rank[b])})
	}
	for r, m := range res.members {
		g := append([]int32{r}, m...)
		for x := range g {
			for y := x + 1; y < len(g); y++ {
				push(g[x], g[y], repEdge{j: 1}, true)
			}
		}
	}
	for _, e := range res.edges {
		for _, a := range res.group(e.a) {
			for _, b := range res.group(e.b) {
				push(a, b, e, false)
			}
		}
	}
	slices.SortFunc(all, func(x, y ip) int { return cmp.Compare(x.sortKey, y.sortKey) })
	out := make([]Pair, len(all))
	for i, p := range all {
		out[i] = Pair{A: res.docs[p.a].ID, B: res.docs[p.b].ID, Jaccard: p.j, ContainmentA: 1, ContainmentB: 1}
		if !p.exact {
			out[i].ContainmentA = float64(p.inter) / float64(p.na)
			out[i].ContainmentB = float64(p.inter) / float64(p.nb)
		}
	}
	return out
}

// inPairs marks the documents that are in at least one pair: members of a
// group of equal texts, or of a group with a verified edge. Only their
// order matters to pairs and clusters, and in a large collection they are
// often a small part of it, so only they are sorted.
func (res *Result) inPairs() []bool {
	in := make([]bool, len(res.docs))
	for r, m := range res.members {
		in[r] = true
		for _, d := range m {
			in[d] = true
		}
	}
	for _, e := range res.edges {
		in[e.a], in[e.b] = true, true
		for _, d := range res.members[e.a] {
			in[d] = true
		}
		for _, d := range res.members[e.b] {
			in[d] = true
		}
	}
	return in
}

// idRanks gives each document in a pair its position in byte-wise ID
// order among them.
func (res *Result) idRanks() []uint32 {
	var order []int32
	for d, ok := range res.inPairs() {
		if ok {
			order = append(order, int32(d))
		}
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(res.docs[a].ID, res.docs[b].ID) })
	rank := make([]uint32, len(res.docs))
	for r, d := range order {
		rank[d] = uint32(r)
	}
	return rank
}

// priority returns the documents in a pair (in), best-to-keep first. The
// keep policy's order is total, so the order of a subset is the subset of
// the order.
func (res *Result) priority(keep cluster.Keep, in []bool) []int {
	var docs []int
	var ms []cluster.Member
	for d, ok := range in {
		if ok {
			x := res.docs[d]
			docs = append(docs, d)
			ms = append(ms, cluster.Member{ID: x.ID, Date: x.Date, Bytes: int64(x.Bytes), Seq: uint64(x.Seq)})
		}
	}
	order := keep.Order(ms)
	for i, o := range order {
		order[i] = docs[o]
	}
	return order
}

// Decisions says for every document whether it is kept and, if not, under
// which kept document it was removed.
func (res *Result) Decisions(keep cluster.Keep, mode cluster.Mode) []cluster.Decision {
	return slices.Clone(res.decisions(keep, mode))
}

// decisions is Decisions, computed once for a policy and mode: dedup asks
// for the removed documents and for the clusters, and on a million
// documents each asking sorted a third of them.
func (res *Result) decisions(keep cluster.Keep, mode cluster.Mode) []cluster.Decision {
	if res.decided != nil && res.decidedFor == [2]string{string(keep), string(mode)} {
		return res.decided
	}
	res.decided, res.decidedFor = res.decide(keep, mode), [2]string{string(keep), string(mode)}
	return res.decided
}

func (res *Result) decide(keep cluster.Keep, mode cluster.Mode) []cluster.Decision {
	in := res.inPairs()
	order := res.priority(keep, in)
	// Each text group takes part once, through its best-priority member;
	// a document in no pair is kept, whatever its place.
	head := map[int32]int{} // rep -> best member
	var nodes []int         // members that stand for their group, in priority order
	for _, d := range order {
		r := res.docs[d].rep
		if _, ok := head[r]; !ok {
			head[r] = d
			nodes = append(nodes, d)
		}
	}
	edges := make([]cluster.Edge, len(res.edges))
	for i, e := range res.edges {
		edges[i] = cluster.Edge{A: head[e.a], B: head[e.b], Sim: e.j}
	}
	var dec []cluster.Decision
	if mode == cluster.ModeComponents {
		dec = cluster.Components(len(res.docs), nodesFirst(nodes, len(res.docs)), edges, func(a, b int) float64 {
			return res.jaccard(int32(a), int32(b))
		})
	} else {
		dec = cluster.Greedy(len(res.docs), nodesFirst(nodes, len(res.docs)), edges)
	}
	// The other members of a text group follow their head.
	for d := range res.docs {
		if !in[d] {
			continue
		}
		h := head[res.docs[d].rep]
		if h == d {
			continue
		}
		if dec[h].Kept {
			dec[d] = cluster.Decision{By: h, Sim: 1}
		} else {
			dec[d] = cluster.Decision{By: dec[h].By, Sim: dec[h].Sim}
		}
	}
	return dec
}

// nodesFirst returns a full priority order with the group heads in their
// order followed by everything else; non-heads have no edges, so their
// place does not matter to the cluster package.
func nodesFirst(nodes []int, n int) []int {
	in := make([]bool, n)
	out := make([]int, 0, n)
	for _, d := range nodes {
		in[d] = true
		out = append(out, d)
	}
	for d := 0; d < n; d++ {
		if !in[d] {
			out = append(out, d)
		}
	}
	return out
}

// Clusters returns the clusters of two or more documents, sorted by kept ID,
// each removed list sorted by ID.
func (res *Result) Clusters(keep cluster.Keep, mode cluster.Mode) []Cluster {
	dec := res.decisions(keep, mode)
	byKept := map[int][]Removed{}
	for d, x := range dec {
		if !x.Kept {
			byKept[x.By] = append(byKept[x.By], Removed{ID: res.docs[d].ID, Jaccard: x.Sim})
		}
	}
	out := make([]Cluster, 0, len(byKept))
	for k, rm := range byKept {
		slices.SortFunc(rm, func(a, b Removed) int { return strings.Compare(a.ID, b.ID) })
		out = append(out, Cluster{Kept: res.docs[k].ID, Removed: rm})
	}
	slices.SortFunc(out, func(a, b Cluster) int { return strings.Compare(a.Kept, b.Kept) })
	return out
}

// RemovedSeqs returns the input record numbers of the documents a dedup
// removes. Everything else, including records that could not be used, stays.
func (res *Result) RemovedSeqs(keep cluster.Keep, mode cluster.Mode) map[int]bool {
	out := map[int]bool{}
	for d, x := range res.decisions(keep, mode) {
		if !x.Kept {
			out[res.docs[d].Seq] = true
		}
	}
	return out
}
