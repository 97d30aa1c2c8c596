// The batch's join of fragments of one story by their members' nearest
// neighbours, checked against the days the fragments name.
//
// A story can come out of the single passes in two pieces that the
// refinement cannot mend (a document moves only when another centroid is
// nearer than its own story less itself, and a tight piece's members are
// each other's nearest). For each pair of groups of at least minMergeSide
// members that a member proposes (the other group is its nearest other
// centroid, at least the topic threshold, within the window), the union's
// k-nearest-neighbour graph is built as the split test builds it
// (split.go) and the cut between the two groups measured: at
// mergeConductance or above, their members are each other's neighbours
// as much as their own, and the two are one story, unless they name
// different event days (eventday.go: both have a plurality day, and the
// days are more than a day apart or the years differ), or one of them
// names several days with no plurality (mixedDays: the reports of more
// than one event; a look-alike event's reports joined it once, and the
// graph would keep joining look-alikes through it).
//
// Why the day: this join, without it, was tried and dropped before
// (split.go): at 1,000,000 generated documents it joined look-alike
// events, whose reports share most words and, in a union of a few dozen,
// each other's neighbours, but never their day. Two fragments of one
// story name the same day or none; two events of one kind name two. And
// the proposal must reach the topic threshold also without numbers and
// dates (what the two are about), as the other joins below the story
// threshold must: with the day check alone, at 1,000,000 generated
// documents (34 events a day) the join still lowered story ARI from
// 0.9988 (without the join) to 0.9927, and with both checks it is at
// 0.9987 (base, before the joins of eventday.go and split.go's below the
// threshold: 0.9959). ECB+: story ARI 0.9465 -> 0.9512 (train 0.9366 ->
// 0.9430, dev 0.9730 unchanged), 16-order mean 0.9308 -> 0.9367; a join
// conductance of 0.15, 0.25 or 0.3 gives 16-order means of 0.9330,
// 0.9337 and 0.9309.
//
// Costs: per proposed pair, the split test's cosines and links over the
// union (at most maxSplitSize members): m(m-1)/2 cosines. Memory: the
// pairs, and each group's member list while it runs.

package stories

import (
	"slices"
)

const mergeConductance = 0.2 // two groups with a cut at or above this are one

// conductance is the conductance of the cut side of the graph s holds:
// links across it over the links of its smaller side.
func (s *splitter) conductance(side []bool) float64 {
	var cut, vol, total float64
	for i, nb := range s.adj {
		total += s.deg[i]
		if side[i] {
			vol += s.deg[i]
		}
		for _, j := range nb {
			if side[i] != side[j] {
				cut++
			}
		}
	}
	if v := min(vol, total-vol); v > 0 {
		return cut / 2 / v
	}
	return 0
}

// joinFragments joins pairs of groups of assign (gr's, items 0..n-1) of
// at least minMergeSide items each that are fragments of one story, as
// the file comment says: proposed by an item whose most similar other
// group is the other one (at least floor, in the window), joined when
// their union's graph links them at mergeConductance or above and they
// do not name different event days. Pairs are judged on the groups as
// they are, then joined transitively. lookup is how many query terms an
// item looks candidates up by. It returns the new assignment, groups
// numbered by first item, and whether anything was joined.
func joinFragments(gr *grouper, n int, item func(k int) ([]term, int32), assign []int32, floor float64, lookup int, dated func(h uint64) bool) ([]int32, bool) {
	g := len(gr.groups)
	members := make([][]int32, g)
	for k := 0; k < n; k++ {
		members[assign[k]] = append(members[assign[k]], int32(k))
	}
	day, year := groupDays(g, n, item, assign)
	gr.lookup = lookup
	pairs := map[uint64]bool{}
	for k := 0; k < n; k++ {
		own := assign[k]
		if len(members[own]) < minMergeSide {
			continue
		}
		v, d := item(k)
		id, sim := gr.bestSpan(v, d, d, own)
		if id < 0 || sim < floor || len(members[id]) < minMergeSide || len(members[id])+len(members[own]) > maxSplitSize ||
			!gr.spansMeet(own, id) || otherDay(day[own], year[own], day[id], year[id]) ||
			undatedCos(undated(v, dated), undated(gr.groups[id].centroid, dated)) < floor {
			continue
		}
		a, b := min(own, id), max(own, id)
		pairs[uint64(a)<<32|uint64(b)] = true
	}
	gr.lookup = 0
	keys := make([]uint64, 0, len(pairs))
	for p := range pairs {
		keys = append(keys, p)
	}
	slices.Sort(keys)
	sets := newUnionFind(g)
	var s splitter
	var vecs [][]term
	var side []bool
	joined := false
	for _, p := range keys {
		a, b := int32(p>>32), int32(uint32(p))
		vecs, side = vecs[:0], side[:0]
		for _, k := range members[a] {
			v, _ := item(int(k))
			vecs = append(vecs, slices.Clone(v))
			side = append(side, true)
		}
		for _, k := range members[b] {
			v, _ := item(int(k))
			vecs = append(vecs, slices.Clone(v))
			side = append(side, false)
		}
		s.graph(vecs)
		if s.conductance(side) < mergeConductance {
			continue
		}
		joined = sets.union(a, b) || joined
	}
	return sets.regroup(assign, n, joined)
}
