// Single-pass clustering with a similarity threshold (Miranda et al., EMNLP
// 2018, "Multilingual Clustering of Streaming News"): each item in turn is
// compared with the centroid of every group it could belong to and joins
// the most similar one when the cosine reaches the threshold; otherwise it
// starts a group of its own. The same code groups documents into stories
// (with the date window) and stories into topics (without).
//
// Miranda et al. learn how to weigh several similarities (tokens, lemmas,
// entities, time) from labelled data. reprint has no training data to ship
// and no model to download, so it folds the kinds of term into one vector
// with fixed boosts (terms.go) and replaces the learned time features by a
// hard window: a dated item may join a dated group only within Window days
// of the group's dates.
//
// Candidates come from an inverted index, term → groups, so an item is
// compared with the few groups that share one of its heaviest terms, never
// with all of them: each group is posted under the top QueryTerms terms of
// every item that joined it (at most maxPosted terms per group), and an
// item looks up its own top QueryTerms terms, scanning each posting list
// from its most recent end for at most scanCap entries. The groups with the
// most hits (at most maxCandidates) get an exact cosine against their
// centroid. Costs per item: QueryTerms × scanCap posting reads, then
// maxCandidates × (Terms + CentroidTerms) for the cosines.
//
// Centroids are the sum of their members' unit vectors, pruned to the
// CentroidTerms heaviest terms after each addition, so a group's state is
// bounded whatever its size. Everything is sequential and depends only on
// the order items come in: the batch sorts them into a canonical order first.
//
// A single pass depends on order: a story's first reports are judged
// against a centroid of the few reports before them, so a story can come
// out in fragments, and a report can stay where it landed when the story
// it belongs to formed later. The batch, which holds every item's vector,
// refines (refine): every item is compared again with the finished
// centroids and moves to another group when that one is at the threshold
// and nearer than its own group less the item itself (leave one out); the
// groups are rebuilt from the new assignment and the step repeats, for the
// groups that changed, while anything moves. The refinement never merges
// whole groups by their centroids: on ECB+ and on generated look-alike
// events, merging two groups whose members would on average join each
// other at the threshold merged different events of one kind more often
// than fragments of one (ECB+ story ARI 0.889 -> 0.850), since two such
// events are as alike, word for word, as two halves of one story. Whole
// groups are cut and joined by who is whose nearest neighbour instead
// (split.go). The stream cannot refine: a story ID
// once returned by Add stays.

package stories

import (
	"math"
	"slices"
)

// noDay marks an unknown date.
const noDay = math.MinInt32

// dayOrder orders two days, an unknown one (noDay) after every known one.
func dayOrder(a, b int32) int {
	switch {
	case a == b:
		return 0
	case a == noDay:
		return 1
	case b == noDay:
		return -1
	case a < b:
		return -1
	}
	return 1
}

const (
	scanCap       = 512 // posting entries read per query term, newest first
	maxCandidates = 64  // groups scored exactly per item
	maxPosted     = 64  // terms a group is posted under, at most
)

// group is one story (or topic) while it is being built; its dates are
// in the grouper's spans, beside every other group's.
type group struct {
	centroid []term // sorted by hash
	norm     float64
	size     int32
	posted   []uint64
}

// setCentroid makes c (sorted by hash) g's centroid, with its norm.
func (g *group) setCentroid(c []term) {
	g.centroid = c
	var ss float64
	for _, t := range c {
		ss += float64(t.w) * float64(t.w)
	}
	g.norm = math.Sqrt(ss)
}

// span is a group's dated span in days (noDay when no member is dated)
// and, beside it so that one cache line serves both, the group's hits
// while bestSpan looks candidates up (zero otherwise; not state).
type span struct{ first, last, hits int32 }

// grouper runs the single pass.
type grouper struct {
	groups        []group
	spans         []span // spans[id] is group id's dates and hits: 12 bytes a group, so counting and the window check of thousands of candidates stay in cache
	post          map[uint64][]int32
	threshold     float64
	window        int32 // < 0: none
	queryTerms    int
	centroidTerms int

	lookup int // query terms an item looks up; 0 means queryTerms

	seen  []int32 // the groups with hits, in the order first read
	cand  []int32
	query []term
	merge []term
	probe probeTable
	sum   sumTable
}

func newGrouper(threshold float64, window, queryTerms, centroidTerms int) *grouper {
	return &grouper{
		post: map[uint64][]int32{}, threshold: threshold, window: int32(window),
		queryTerms: queryTerms, centroidTerms: centroidTerms,
	}
}

func (gr *grouper) lookupTerms() int {
	if gr.lookup > 0 {
		return gr.lookup
	}
	return gr.queryTerms
}

// eligibleSpan reports whether items dated first to last may join a group
// dated g under the window: the two spans lie within Window days of each
// other.
func (gr *grouper) eligibleSpan(g span, first, last int32) bool {
	if gr.window < 0 || first == noDay || g.first == noDay {
		return true
	}
	switch {
	case last < g.first:
		return int64(g.first)-int64(last) <= int64(gr.window)
	case first > g.last:
		return int64(first)-int64(g.last) <= int64(gr.window)
	}
	return true
}

// best returns the most similar eligible group and its cosine, or -1.
func (gr *grouper) best(v []term, day int32) (int32, float64) {
	return gr.bestSpan(v, day, day, -1)
}

// bestSpan is best for items dated first to last, never returning group
// skip.
//
// What it returns is defined by the scan described in the file comment:
// the hits of a group are the entries naming it among the last scanCap of
// each query term's list; the candidates are the eligible groups (not
// skip, within the window) with the most hits, ties to the newest, at most
// maxCandidates of them; the answer is the candidate of the highest
// cosine, ties to the oldest. How it gets there is chosen for speed and
// changes nothing of that: hits are counted in a dense array indexed by
// group (no map), beside the group's dates, so the window check reads the
// same cache line; only the groups read are visited; the candidates are selected by counting hits rather
// than sorting all of them, and each cosine probes a hash table of v's
// terms while walking the centroid, adding the products in the centroid's
// (hash) order, the order a merge of the two sorted vectors adds them in,
// so the sums are the same to the bit.
func (gr *grouper) bestSpan(v []term, first, last, skip int32) (int32, float64) {
	if len(v) == 0 {
		return -1, 0
	}
	var buf [16][]int32
	lists, _ := gr.postingTails(v, &gr.query, buf[:0])
	spans, seen := gr.spans, gr.seen[:0]
	for _, list := range lists {
		for _, id := range list {
			sp := &spans[id]
			if sp.hits == 0 {
				seen = append(seen, id)
			}
			sp.hits++
		}
	}
	// The eligible groups; the most hits of any.
	cand := gr.cand[:0]
	top := int32(0)
	for _, id := range seen {
		if sp := spans[id]; id != skip && gr.eligibleSpan(sp, first, last) {
			cand = append(cand, id)
			top = max(top, sp.hits)
		}
	}
	if cand = gr.keepCandidates(seen, cand, top); len(cand) == 0 {
		return -1, 0
	}
	return closest(&gr.probe, v, cand, gr.groups)
}

// postingTails sets *q to the lookupTerms heaviest terms of v and
// appends to lists the last scanCap entries of each one's posting list
// (the entries a scan counts), returning them and their total length.
func (gr *grouper) postingTails(v []term, q *[]term, lists [][]int32) ([][]int32, int) {
	*q = append((*q)[:0], v...)
	if n := gr.lookupTerms(); len(*q) > n {
		heaviest(*q, n) // the order of the lookup does not count
		*q = (*q)[:n]
	}
	total := 0
	for _, t := range *q {
		list := gr.post[t.h]
		if len(list) > scanCap {
			list = list[len(list)-scanCap:]
		}
		lists = append(lists, list)
		total += len(list)
	}
	return lists, total
}

// keepCandidates ends a scan: at most maxCandidates of cand (the most
// hits, top being the most of any), the hits of seen reset for the next
// scan, and both slices kept as scratch.
func (gr *grouper) keepCandidates(seen, cand []int32, top int32) []int32 {
	if len(cand) > maxCandidates {
		cand = selectCandidates(cand, gr.spans, top)
	}
	for _, id := range seen {
		gr.spans[id].hits = 0
	}
	gr.seen, gr.cand = seen, cand
	return cand
}

// closest returns the candidate group whose centroid has the largest
// cosine with v (the lower ID on a tie), and that cosine; -1 if no
// candidate has a positive one. probe is scratch.
func closest(probe *probeTable, v []term, cand []int32, groups []group) (int32, float64) {
	probe.fill(v)
	best, bestSim := int32(-1), 0.0
	for _, id := range cand {
		g := &groups[id]
		if g.norm == 0 {
			continue
		}
		s := probe.dot(g.centroid) / g.norm
		if s > bestSim || (s == bestSim && best >= 0 && id < best) {
			best, bestSim = id, s
		}
	}
	return best, bestSim
}

// selectCandidates returns the maxCandidates groups of cand with the most
// hits, ties to the highest (newest) ID, in no particular order: all the
// groups above the hit count where the cut falls, found by counting, and
// of those at it the newest. top is the most hits of any. It reorders
// cand in place.
func selectCandidates(cand []int32, spans []span, top int32) []int32 {
	var small [16]int32
	var count []int32
	if int(top) < len(small) {
		count = small[:top+1]
	} else {
		count = make([]int32, top+1)
	}
	for _, id := range cand {
		count[spans[id].hits]++
	}
	cut, above := top, int32(0) // the hit count where the cut falls; groups above it
	for above+count[cut] < maxCandidates {
		above += count[cut]
		cut--
	}
	// Groups above the cut first, then those at it.
	out, at := 0, len(cand)
	for i := 0; i < at; {
		switch h := spans[cand[i]].hits; {
		case h > cut:
			cand[out], cand[i] = cand[i], cand[out]
			out++
			i++
		case h == cut:
			i++
		default:
			at--
			cand[i], cand[at] = cand[at], cand[i]
		}
	}
	tie := cand[out:at]
	if need := maxCandidates - out; len(tie) > need {
		slices.Sort(tie)
		copy(tie, tie[len(tie)-need:])
	}
	return cand[:maxCandidates]
}

// probeTable holds a vector's terms by hash (open addressing, at most half
// full) behind a 1,024-bit filter of their hashes' top bits, so that its
// dot product with a centroid costs, for a centroid term it does not
// hold, one bit test (about 5% pass it anyway), and never a branchy merge
// of both vectors.
type probeTable struct {
	filter [16]uint64
	slots  []probeSlot
	mask   uint64
}

type probeSlot struct {
	h  uint64
	w  float32
	ok bool
}

// fill loads v (distinct hashes) into the table.
func (p *probeTable) fill(v []term) {
	n := 16
	for n < 2*len(v) {
		n *= 2
	}
	if len(p.slots) != n {
		p.slots = make([]probeSlot, n)
	} else {
		clear(p.slots)
	}
	p.filter = [16]uint64{}
	p.mask = uint64(n - 1)
	for _, t := range v {
		p.filter[t.h>>60] |= 1 << (t.h >> 54 & 63)
		i := t.h & p.mask
		for p.slots[i].ok {
			i = (i + 1) & p.mask
		}
		p.slots[i] = probeSlot{h: t.h, w: t.w, ok: true}
	}
}

// dot is dot(v, c) for the v the table holds: the products of the terms
// they share, added in c's order, which is a merge's order.
func (p *probeTable) dot(c []term) float64 {
	var s float64
	for _, t := range c {
		if p.filter[t.h>>60]&(1<<(t.h>>54&63)) == 0 {
			continue
		}
		for i := t.h & p.mask; p.slots[i].ok; i = (i + 1) & p.mask {
			if p.slots[i].h == t.h {
				s += float64(p.slots[i].w) * float64(t.w)
				break
			}
		}
	}
	return s
}

// assign puts the item (unit vector v, day) in a group and returns its
// index; a new group's index is len(groups) before the call.
func (gr *grouper) assign(v []term, day int32) int32 {
	id, sim := gr.best(v, day)
	if id < 0 || sim < gr.threshold {
		id = gr.open()
	}
	gr.join(id, v, day)
	return id
}

// open starts an empty group and returns its index.
func (gr *grouper) open() int32 {
	gr.groups = append(gr.groups, group{})
	gr.spans = append(gr.spans, span{first: noDay, last: noDay})
	return int32(len(gr.groups) - 1)
}

// join adds the item to group id.
func (gr *grouper) join(id int32, v []term, day int32) {
	g := &gr.groups[id]
	gr.count(id, v, day)
	// Centroid += v, merged by hash, then pruned.
	gr.merge = gr.merge[:0]
	a, b := g.centroid, v
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i].h < b[j].h):
			gr.merge = append(gr.merge, a[i])
			i++
		case i == len(a) || b[j].h < a[i].h:
			gr.merge = append(gr.merge, b[j])
			j++
		default:
			gr.merge = append(gr.merge, term{h: a[i].h, w: a[i].w + b[j].w})
			i++
			j++
		}
	}
	if len(gr.merge) > gr.centroidTerms {
		heaviest(gr.merge, gr.centroidTerms)
		gr.merge = gr.merge[:gr.centroidTerms]
		sortByHash(gr.merge)
	}
	g.setCentroid(append(g.centroid[:0], gr.merge...))
}

// count adds the item to group id's size, dates and postings: all of join
// but the centroid.
func (gr *grouper) count(id int32, v []term, day int32) {
	g := &gr.groups[id]
	g.size++
	if sp := &gr.spans[id]; day != noDay {
		if sp.first == noDay || day < sp.first {
			sp.first = day
		}
		if sp.last == noDay || day > sp.last {
			sp.last = day
		}
	}
	// Post the group under the item's heaviest terms.
	q := gr.query[:0]
	q = append(q, v...)
	if len(q) > gr.queryTerms {
		heaviest(q, gr.queryTerms)
		q = q[:gr.queryTerms]
		sortByWeight(q) // heaviest first: the order they are posted in
	}
	gr.query = q
	for _, t := range q {
		if len(g.posted) >= maxPosted {
			break
		}
		if slices.Contains(g.posted, t.h) {
			continue
		}
		g.posted = append(g.posted, t.h)
		gr.post[t.h] = append(gr.post[t.h], id)
	}
}

// top returns g's k heaviest terms, heaviest first.
func (g *group) top(k int) []term {
	v := slices.Clone(g.centroid)
	slices.SortFunc(v, byWeight)
	if len(v) > k {
		v = v[:k]
	}
	return v
}

// looSim returns the cosine of v with g's centroid less v itself (leave
// one out): how well v fits its own group judged by the others. v's terms
// that pruning dropped from the centroid are not there to take out.
func looSim(v []term, g *group) float64 {
	if g.size <= 1 {
		return 0
	}
	var d, uu float64
	a, b := v, g.centroid
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].h < b[j].h:
			i++
		case a[i].h > b[j].h:
			j++
		default:
			w := float64(a[i].w)
			d += w * float64(b[j].w)
			uu += w * w
			i++
			j++
		}
	}
	n2 := g.norm*g.norm - 2*d + uu
	if n2 <= 1e-12 {
		return 0
	}
	return (d - uu) / math.Sqrt(n2)
}

// refine is the batch's second look, a k-means-like pass that needs no K:
// items 0..n-1 (item returns one's vector and day, in the order the single
// pass took them) were put in groups assign by gr; each item now moves to
// the eligible group it is most similar to when that group's centroid is
// at the threshold and nearer than its own group less the item itself
// (leave one out, so a group of one always looks for a home). Moves are
// decided against fixed centroids, then the groups are rebuilt from the
// new assignment in the same item order, renumbered by first item, and
// again for at most rounds rounds or until nothing moves. It returns the
// rebuilt grouper; assign is updated in place. An item looks up candidate
// groups by its lookup heaviest terms (0: the grouper's QueryTerms). The
// first round looks only at the items of the groups touched marks (nil:
// all); each later round at those of the groups the last one changed. The caller must drop its own
// reference to gr, so that only one set of groups is held at a time.
//
// Cost per round: what the single pass costs (one candidate lookup and at
// most maxCandidates cosines per item, then one join).
func refine(gr *grouper, n int, item func(k int) ([]term, int32), assign []int32, rounds, lookup int, touched []bool) *grouper {
	threshold, window, queryTerms, centroidTerms := gr.threshold, int(gr.window), gr.queryTerms, gr.centroidTerms
	moved := make([]int32, n)
	gr.lookup = lookup
	for round := 0; round < rounds; round++ {
		moves := 0
		for k := 0; k < n; k++ {
			own := assign[k]
			moved[k] = own
			if touched != nil && !touched[own] {
				continue
			}
			v, day := item(k)
			if id, sim := gr.bestSpan(v, day, day, own); id >= 0 && sim >= gr.threshold && sim > looSim(v, &gr.groups[own]) {
				moved[k] = id
				moves++
			}
		}
		if moves == 0 {
			break
		}
		gr = nil // the caller holds no other reference: the old groups go before the new are built
		ng := newGrouper(threshold, window, queryTerms, centroidTerms)
		remap := map[int32]int32{}
		for k := 0; k < n; k++ {
			s, ok := remap[moved[k]]
			if !ok {
				s = ng.open()
				remap[moved[k]] = s
			}
			moved[k], assign[k] = assign[k], s // moved now holds the old group
		}
		ng.fill(n, item, assign)
		ng.lookup = lookup
		// Next round looks only at the groups this one changed.
		touched = make([]bool, len(ng.groups))
		for k := 0; k < n; k++ {
			if old := moved[k]; remap[old] != assign[k] {
				touched[assign[k]] = true
				if s, ok := remap[old]; ok {
					touched[s] = true
				}
			}
		}
		gr = ng
	}
	gr.lookup = 0
	return gr
}

// fill puts items 0..n-1 into the open, empty groups assign names: sizes,
// dates and postings item by item, as join would, and each centroid the
// exact sum of its members' vectors, added in item order in a hash table
// (one probe a member term, no sort of all of them) and pruned once to
// CentroidTerms, instead of a merge and two sorts per item.
func (gr *grouper) fill(n int, item func(k int) ([]term, int32), assign []int32) {
	start := make([]int32, len(gr.groups)+1)
	for k := 0; k < n; k++ {
		v, day := item(k)
		gr.count(assign[k], v, day)
		start[assign[k]+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	members := make([]int32, n)
	at := slices.Clone(start[:len(gr.groups)])
	for k := 0; k < n; k++ {
		members[at[assign[k]]] = int32(k)
		at[assign[k]]++
	}
	for id := range gr.groups {
		// Sum the members' weights term by term, in member order, in a
		// hash table: no sort of all the members' terms.
		ms := members[start[id]:start[id+1]]
		total := 0
		for _, k := range ms {
			v, _ := item(int(k))
			total += len(v)
		}
		gr.sum.reset(total)
		for _, k := range ms {
			v, _ := item(int(k))
			for _, t := range v {
				gr.sum.add(t)
			}
		}
		out := gr.sum.terms(gr.merge[:0])
		if len(out) > gr.centroidTerms {
			heaviest(out, gr.centroidTerms)
			out = out[:gr.centroidTerms]
		}
		sortByHash(out)
		g := &gr.groups[id]
		g.setCentroid(slices.Clone(out))
		gr.merge = out
	}
}

// sumTable adds up weights by term (open addressing, at most half full),
// remembering the order terms first came in, so that the sums, and the
// order they are read back in, depend only on the order of the additions.
type sumTable struct {
	slots []probeSlot
	used  []int32 // slots in the order first filled
	mask  uint64
}

// reset empties the table and makes room for n distinct terms.
func (s *sumTable) reset(n int) {
	size := 16
	for size < 2*n {
		size *= 2
	}
	for _, i := range s.used {
		s.slots[i] = probeSlot{} // every filled slot is in used, so all are empty now
	}
	if cap(s.slots) < size {
		s.slots = make([]probeSlot, size)
	}
	s.slots = s.slots[:size]
	s.used = s.used[:0]
	s.mask = uint64(size - 1)
}

func (s *sumTable) add(t term) {
	i := t.h & s.mask
	for s.slots[i].ok {
		if s.slots[i].h == t.h {
			s.slots[i].w += t.w
			return
		}
		i = (i + 1) & s.mask
	}
	s.slots[i] = probeSlot{h: t.h, w: t.w, ok: true}
	s.used = append(s.used, int32(i))
}

// terms appends the sums to dst, in the order the terms first came.
func (s *sumTable) terms(dst []term) []term {
	for _, i := range s.used {
		dst = append(dst, term{h: s.slots[i].h, w: s.slots[i].w})
	}
	return dst
}
