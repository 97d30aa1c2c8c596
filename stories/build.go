// The batch: two parallel passes over the documents, then the single pass
// in date order, each day's documents densest first.
//
// Pass 1 counts document frequencies (each worker its own table, summed
// after). Pass 2 tokenizes again and keeps each document's weighted vector:
// Terms × 12 bytes in per-worker slabs (576 bytes at the default 48
// terms) plus about 100 bytes of ID, date, source, order key and the
// clusterer's record. Keeping
// every document's full term list from pass 1 instead would save the
// second tokenization but cost about 200 × 16 bytes a document; two passes
// keep memory near 700 bytes a document plus the ID at any corpus size
// (stories add their centroids: CentroidTerms × 16 bytes each). Measured
// at 1M generated documents: 1.9 KB of peak RSS a document, all included
// (BENCHMARKS.md).
//
// Then documents are sorted by date (undated last) and fed to the same
// single pass the stream uses, with the corpus's document frequencies
// known in advance. A single pass depends on the order it meets the
// documents of one day in (and the undated ones, all of ECB+): on ECB+
// the story ARI of one pass over the whole pipeline ranged from 0.916 to
// 0.947 over 16 orderings of the IDs, and a majority of 5 passes in other
// orders only from 0.921 to 0.948 (mean 0.937). An ID, or the order of
// the input, says nothing about the story, so within a day the batch
// takes documents densest first (density, densestFirst): by the mean
// cosine with their densityK nearest others, which the documents alone
// decide, ties by text hash, then ID. Each story then starts from a
// report in the middle of its event and the outliers come last, when the
// centroids they belong to are whole: on ECB+ story ARI 0.9463 whatever
// the IDs (train 0.9430, dev 0.9526), against 0.9367 for the mean of the
// majority of 5 over 16 ID orders (min 0.9213); sparsest first, the
// reverse, 0.9106. Clustered alone, random sets of its topics score about
// as the majority did on average, with no luck of names left: 16 sets of
// 16 topics (reprint-ecb -subsets 16) 0.9441 against 0.9441 in ID order
// (sparsest first 0.9240); 8 halves 0.9380 against 0.9355, 8 sets of 10
// topics 0.9284 against 0.9210 (the majority's means over 4 ID orders
// each). The generated stories are unchanged. Finding the neighbours
// costs one lookup a document and replaces the 4 other passes of the
// majority: on 2 cores, at 200,000 generated documents 52.4 s of engine
// CPU against 55.2 s and a peak RSS of 524 MB against 511 MB, at
// 1,000,000 346 s against 336 s and 2,264 MB against 2,624 MB (story ARI
// 0.9988 and 0.9987).
//
// Options.Passes > 1 adds passes with the documents of every day in the
// order of a salted hash of their text, and keeps the majority's
// partition: two documents share a story when more than half of the
// passes put them together (evidence accumulation, Fred and Jain 2005;
// majority). Those orders are arbitrary again, and with them the
// majority was no better than the densest-first pass alone (ECB+ mean
// 0.938 over 16 text salts, 0.9397 over 16 sets of 16 topics; passes
// densest first with their densities jittered by a salted 10% or 25%:
// 0.9431 and 0.9441 over the sets), so one pass is the default. The
// passes after the first look candidates up by QueryTerms/4 terms, like
// the refinement: a third of a full pass's cost. Each pass's stories are dropped once its
// assignment is kept (4 bytes a document a pass, 8 more for the tie keys
// while they run).
//
// The pass (or the consensus) is then refined (group.go: each
// document moves to a story it fits better than its own, up to
// refineRounds rounds; 8 bytes a document for the assignments, and the
// stories rebuilt once per round), then stories holding two events are
// cut by their members' nearest neighbours, small fragments joined, and the
// stories that changed refined again (split.go; 12 bytes a document
// while it runs). Nothing depends on input order, on the documents' IDs
// (but to break ties between identical texts) or on the number of
// workers: the df table is a sum, a vector depends on its document alone,
// and every pass, the consensus and the refinement see orders made from
// the documents' contents alone.

package stories

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"

	"github.com/reprint/reprint/corpus"
	"github.com/zeebo/xxh3"
)

// Scan calls yield for every document of a corpus, in any order, and
// returns the first error yield returns (or its own). BuildScan calls it
// twice; both calls must yield the same documents.
type Scan func(yield func(corpus.Doc) error) error

// Build clusters docs into stories and topics.
func Build(docs []corpus.Doc, opt Options) (Result, error) {
	return BuildScan(func(yield func(corpus.Doc) error) error {
		for _, d := range docs {
			if err := yield(d); err != nil {
				return err
			}
		}
		return nil
	}, opt)
}

// item is one document between pass 2 and the single pass.
type item struct {
	id, source string
	key        uint64 // text hash: orders documents with the same date and ID
	day        int32
	worker     int32 // whose arena holds the vector
	off        int32 // vector start in the arena
	n          int32 // vector length; -1 until pass 2 sees the document
}

// arena holds one worker's vectors in fixed slabs: growing one slice by
// append would copy it and, for a moment, hold it twice, and keep up to
// half of it unused; slabs waste at most one vector's room each.
type arena struct {
	hs [][]uint64
	ws [][]float32
	n  int32 // terms placed so far, counting the room skipped at slab ends
}

const slabTerms = 1 << 16

// put stores v and returns where it starts.
func (a *arena) put(v []term) int32 {
	if len(a.hs) == 0 || int(a.n%slabTerms)+len(v) > slabTerms || a.n%slabTerms == 0 {
		if len(a.hs) > 0 {
			a.n = int32(len(a.hs)) * slabTerms // skip the rest of the slab
		}
		a.hs = append(a.hs, make([]uint64, 0, slabTerms))
		a.ws = append(a.ws, make([]float32, 0, slabTerms))
	}
	off := a.n
	k := len(a.hs) - 1
	for _, t := range v {
		a.hs[k] = append(a.hs[k], t.h)
		a.ws[k] = append(a.ws[k], t.w)
	}
	a.n += int32(len(v))
	return off
}

// get appends the n terms stored at off to v.
func (a *arena) get(off, n int32, v []term) []term {
	k, i := off/slabTerms, off%slabTerms
	hs, ws := a.hs[k][i:i+n], a.ws[k][i:i+n]
	for j := range hs {
		v = append(v, term{h: hs[j], w: ws[j]})
	}
	return v
}

// BuildScan clusters the documents scan yields into stories and topics,
// reading them twice and holding only a short vector per document.
func BuildScan(scan Scan, opt Options) (Result, error) {
	opt = opt.WithDefaults()
	if err := opt.validate(); err != nil {
		return Result{}, err
	}
	workers := max(1, opt.Workers)

	// Pass 1: document frequencies, and dates checked.
	tables := make([]*dfTable, workers)
	xs := make([]*extractor, workers)
	for w := range tables {
		tables[w], xs[w] = newDF(), newExtractor()
	}
	n, err := parallel(scan, workers, func(w, _ int, d *corpus.Doc) error {
		if _, err := parseDay(*d); err != nil {
			return err
		}
		tables[w].add(xs[w].terms(d))
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	df := tables[0]
	for _, t := range tables[1:] {
		df.merge(t)
	}
	tables = nil

	// Pass 2: vectors.
	items := make([]item, n)
	for i := range items {
		items[i].n = -1
	}
	arenas := make([]arena, workers)
	vecs := make([][]term, workers)
	var mu sync.Mutex
	sources := map[string]string{}
	intern := func(s string) string {
		mu.Lock()
		defer mu.Unlock()
		if t, ok := sources[s]; ok {
			return t
		}
		sources[s] = s
		return s
	}
	m, err := parallel(scan, workers, func(w, seq int, d *corpus.Doc) error {
		if seq >= n {
			return fmt.Errorf("stories: the second scan yielded more than the first's %d documents", n)
		}
		day, _ := parseDay(*d)
		v := weigh(xs[w].terms(d), df, &opt, vecs[w])
		vecs[w] = v
		items[seq] = item{id: strings.Clone(d.ID), source: intern(d.Source), key: xxh3.HashString(d.Text),
			day: day, worker: int32(w), off: arenas[w].put(v), n: int32(len(v))}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	if m != n {
		return Result{}, fmt.Errorf("stories: the second scan yielded %d documents, the first %d", m, n)
	}

	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return itemOrder(&items[a], &items[b]) })

	c := newClusterer(opt, df, false)
	var v []term
	vec := func(i int32) ([]term, int32) {
		it := &items[i]
		v = arenas[it.worker].get(it.off, it.n, v[:0])
		return v, it.day
	}
	canon := func(k int) ([]term, int32) { return vec(order[k]) }
	densestFirst(order, items, density(&opt, n, canon))
	var assign []int32
	if opt.Passes == 1 {
		assign = singlePass(c.gr, order, vec)
	} else {
		// Passes: the canonical order, then each time the documents of
		// a day (and the undated ones) in another order; each pass's
		// groups are dropped once its assignment is kept (4 bytes a
		// document a pass).
		pos := make([]int32, n) // pos[i]: item i's place in the canonical order
		for k, i := range order {
			pos[i] = int32(k)
		}
		tie := make([]uint64, n) // what orders a pass's ties: the ID and the text
		for i := range items {
			tie[i] = items[i].key
		}
		runs := make([][]int32, opt.Passes)
		for p := range runs {
			ord := order
			if p > 0 {
				ord = slices.Clone(order)
				salt := mix64(uint64(p))
				slices.SortFunc(ord, func(a, b int32) int { return passOrder(&items[a], &items[b], tie[a]^salt, tie[b]^salt) })
			}
			pg := newGrouper(opt.Threshold, opt.Window, opt.QueryTerms, opt.CentroidTerms)
			if p > 0 {
				pg.lookup = max(1, opt.QueryTerms/4)
			}
			a := singlePass(pg, ord, vec)
			runs[p] = make([]int32, n)
			for k, i := range ord {
				runs[p][pos[i]] = a[k]
			}
		}
		assign = majority(runs)
		runs, tie = nil, nil
		groups := int32(0)
		for _, g := range assign {
			groups = max(groups, g+1)
		}
		for range groups {
			c.gr.open()
		}
		c.gr.fill(n, canon, assign)
	}

	// Refinement: each document moves to the story it fits best, judged
	// against the stories as the whole pass built them (group.go).
	gr := c.gr
	c.gr = nil
	c.gr = refine(gr, n, canon, assign, refineRounds, max(1, opt.QueryTerms/4), nil)
	// Then the split test and the joins (split.go, fragments.go): stories
	// whose members form two weakly linked halves are cut, groups of fewer
	// than four join the story all their members are nearest to, bigger
	// fragments that their union's graph links and that name no different
	// days are joined, and the stories that changed are refined again (the
	// others were, and their members' nearest stories have not moved
	// much).
	dated := func(h uint64) bool { _, d, _ := df.form(h); return d }
	before := slices.Clone(assign)
	changed := false
	if a, ok := splitGroups(n, canon, assign, dated); ok {
		copy(assign, a)
		c.gr = nil
		c.gr = rebuild(&opt, n, canon, assign)
		changed = true
	}
	if a, ok := mergeGroups(c.gr, n, canon, assign, opt.TopicThreshold, dated); ok {
		copy(assign, a)
		c.gr = nil
		c.gr = rebuild(&opt, n, canon, assign)
		changed = true
	}
	if a, ok := joinFragments(c.gr, n, canon, assign, opt.TopicThreshold, max(1, opt.QueryTerms/4), dated); ok {
		copy(assign, a)
		c.gr = nil
		c.gr = rebuild(&opt, n, canon, assign)
		changed = true
	}
	if changed {
		gr := c.gr
		c.gr = nil
		c.gr = refine(gr, n, canon, assign, refineRounds, max(1, opt.QueryTerms/4), changedGroups(before, assign))
	}
	// Last, fragments of one story that name the same event day join
	// (eventday.go).
	if a, ok := joinByEventDay(c.gr, n, canon, assign, dated); ok {
		copy(assign, a)
		c.gr = nil
		c.gr = rebuild(&opt, n, canon, assign)
	}
	for k, i := range order {
		it := &items[i]
		c.record(it.id, it.source, it.day, assign[k])
	}
	return c.Result(), nil
}

// densityK is how many nearest others a document's density averages
// over: about a story's size, not a near-copy's. News is reprinted word
// for word, and over 1 to 3 neighbours a report two outlets copied is as
// dense as any, wherever it lies in its event. On ECB+ (story ARI, one
// pass): all 33 topics 0.9294 at 1, 0.9453 at 3, 0.9463 at 10, 0.9440
// at 20; the means over 8 random halves of its topics 0.9377, 0.9321 and
// 0.9380 (1, 3, 10), over 8 random sets of 10 topics 0.9240 and 0.9284
// (3, 10); the generated stories 0.9995 at 3 and 10.
const densityK = 10

// density returns, for each item (0..n-1, item returns one's vector and
// day), the sum of its cosines with its densityK nearest others within
// the window, divided by densityK: how far inside a crowd of its own kind
// it lies. The others are found as a story is (group.go): every item is
// posted under its QueryTerms heaviest terms, as a group of one, and an
// item's candidates are the maxCandidates that share most of its
// QueryTerms/2 heaviest terms, each scored by an exact cosine. Nothing but
// the vectors and days decides it. Half the query terms find the same
// nearest ones as all of them (ECB+ story ARI 0.9463 either way, 0.9441
// and 0.9440 over 16 sets of 16 topics; a quarter, 3 terms: 0.9363 and
// 0.9414) at 12% less of the batch's CPU at 200,000 generated documents.
// Cost: one lookup an item, posting lists of items being longer than a
// pass's of groups; memory about 150 bytes an item (an empty group, its
// span and its postings), dropped before the pass.
func density(opt *Options, n int, item func(k int) ([]term, int32)) []float32 {
	gr := newGrouper(opt.Threshold, opt.Window, opt.QueryTerms, opt.CentroidTerms)
	gr.lookup = max(1, opt.QueryTerms/2)
	for k := 0; k < n; k++ {
		v, day := item(k)
		id := gr.open()
		gr.count(id, v, day)
		gr.groups[id].posted = nil // one member: nothing left to check against
	}
	out := make([]float32, n)
	var own []term
	var top []float64
	for k := 0; k < n; k++ {
		v, day := item(k)
		own = append(own[:0], v...)
		// The groups have no centroids: bestSpan only finds the
		// candidates (gr.cand), scored here against their items' vectors.
		gr.bestSpan(own, day, day, int32(k))
		gr.probe.fill(own)
		top = top[:0]
		for _, id := range gr.cand {
			u, _ := item(int(id))
			top = append(top, gr.probe.dot(u))
		}
		slices.SortFunc(top, func(a, b float64) int { return cmp.Compare(b, a) })
		var sum float64
		for _, c := range top[:min(len(top), densityK)] {
			sum += c
		}
		out[k] = float32(sum / densityK)
	}
	return out
}

// densestFirst reorders order (items in canonical order; dens[k] the
// density of order[k]) so that the documents of each day, and the
// undated ones, come densest first, ties in canonical order. A single
// pass's stories are seeded by their first documents: taken densest
// first, each story starts from a report in the middle of its event, and
// the outlying reports, which alone could start a fragment or pull a
// centroid toward a look-alike event, come when the centroids they should
// join are whole. The order depends on the documents' contents alone,
// not on their IDs or the input's order.
func densestFirst(order []int32, items []item, dens []float32) {
	by := make([]float32, len(items))
	for k, i := range order {
		by[i] = dens[k]
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := dayOrder(items[a].day, items[b].day); c != 0 {
			return c
		}
		if c := cmp.Compare(by[b], by[a]); c != 0 {
			return c
		}
		return itemOrder(&items[a], &items[b])
	})
}

// changedGroups marks the groups of after whose members are not exactly
// the members of one group of before.
func changedGroups(before, after []int32) []bool {
	groups := int32(0)
	for _, g := range after {
		groups = max(groups, g+1)
	}
	from := make(map[int32]int32, groups) // the group of before each group of after came from
	to := map[int32]int32{}               // and back
	out := make([]bool, groups)
	for k := range after {
		a, b := after[k], before[k]
		if f, ok := from[a]; ok && f != b {
			out[a] = true
		}
		from[a] = b
		if t, ok := to[b]; ok && t != a {
			out[a], out[t] = true, true
		}
		to[b] = a
	}
	return out
}

// rebuild returns a grouper holding the groups of assign (numbered from
// 0 by first item), their centroids the sums of their members.
func rebuild(opt *Options, n int, item func(k int) ([]term, int32), assign []int32) *grouper {
	gr := newGrouper(opt.Threshold, opt.Window, opt.QueryTerms, opt.CentroidTerms)
	groups := int32(0)
	for _, g := range assign {
		groups = max(groups, g+1)
	}
	for range groups {
		gr.open()
	}
	gr.fill(n, item, assign)
	return gr
}

// singlePass puts the items in ord, in that order, into gr's groups and
// returns each one's group by its place in ord.
func singlePass(gr *grouper, ord []int32, vec func(int32) ([]term, int32)) []int32 {
	assign := make([]int32, len(ord))
	for k, i := range ord {
		v, day := vec(i)
		assign[k] = gr.assign(v, day)
	}
	return assign
}

// passOrder is the order of a pass after the first: by date as
// itemOrder, and within a day (or among the undated) by the salted hashes
// ta and tb of the two documents' IDs and texts, so that each pass meets
// a day's documents in another order; equal keys fall back to itemOrder.
func passOrder(a, b *item, ta, tb uint64) int {
	if a.day != b.day {
		return itemOrder(a, b)
	}
	ka, kb := mix64(ta), mix64(tb)
	switch {
	case ka < kb:
		return -1
	case ka > kb:
		return 1
	}
	return itemOrder(a, b)
}

// mix64 is a 64-bit finalizer (MurmurHash3's): every input bit moves
// every output bit, so salted keys order independently of each other.
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// majority returns the partition in which two items are together when
// more than half of runs (each item's group in each run) put them
// together, closed under transitivity: for every subset of a bare
// majority of the runs, the items that every run of the subset puts
// together (the intersection of the subset's partitions) are joined.
// Groups are numbered by their first item. Cost: one intersection of two
// partitions (a hash map of up to len(items) entries) per subset and run
// in it, and a union-find over the items.
func majority(runs [][]int32) []int32 {
	n, r := len(runs[0]), len(runs)
	need := r/2 + 1
	sets := newUnionFind(n)
	first := make([]int32, n)
	var cell []int32
	for mask := 0; mask < 1<<r; mask++ {
		if bits.OnesCount(uint(mask)) != need {
			continue
		}
		cell = cell[:0]
		for j := 0; j < r; j++ {
			if mask&(1<<j) != 0 {
				if len(cell) == 0 {
					cell = append(cell, runs[j]...)
				} else {
					cell = intersect(cell, runs[j])
				}
			}
		}
		for i := range first[:n] {
			first[i] = -1
		}
		for k, c := range cell {
			f := first[c]
			if f < 0 {
				first[c] = int32(k)
				continue
			}
			sets.union(f, int32(k))
		}
	}
	for i := range first {
		first[i] = int32(i) // reused: each item is its own element
	}
	return sets.relabel(first)
}

// intersect overwrites a with the cells of the intersection of the
// partitions a and b (group numbers in [0, len(a))), numbered 0, 1, ...
// by first item.
func intersect(a, b []int32) []int32 {
	ids := make(map[uint64]int32, len(a)/4)
	for k := range a {
		key := uint64(uint32(a[k]))<<32 | uint64(uint32(b[k]))
		id, ok := ids[key]
		if !ok {
			id = int32(len(ids))
			ids[key] = id
		}
		a[k] = id
	}
	return a
}

// The refinement looks a document's candidate stories up by its QueryTerms/4
// heaviest terms, not all QueryTerms: every story is there to be found by
// then, and the story a document belongs to shares its heaviest terms. On
// ECB+ and generated stories the result is the same as with all 12; the
// refinement's first round costs a third less.
//
// refineRounds bounds the refinement: moves settle in two or three rounds,
// and a document that keeps swapping between two stories must not keep
// the batch going.
const refineRounds = 3

// itemOrder is the canonical order the density is found in and its ties
// fall back to: date (undated last), then text hash, then ID (only
// identical texts get that far), then source.
func itemOrder(a, b *item) int {
	if c := dayOrder(a.day, b.day); c != 0 {
		return c
	}
	switch {
	case a.key < b.key:
		return -1
	case a.key > b.key:
		return 1
	}
	if c := strings.Compare(a.id, b.id); c != 0 {
		return c
	}
	return strings.Compare(a.source, b.source)
}

// parallel runs fn on every document scan yields, on workers goroutines,
// in batches; w is the worker, seq the document's 0-based position in the
// scan. It returns how many documents the scan yielded and the error of
// the lowest-numbered document that failed (or scan's own), so the error
// too is the same for any number of workers.
func parallel(scan Scan, workers int, fn func(w, seq int, d *corpus.Doc) error) (int, error) {
	type batch struct {
		seq  int
		docs []corpus.Doc
	}
	const batchSize = 64
	ch := make(chan batch, workers*2)
	var wg sync.WaitGroup
	var mu sync.Mutex
	errSeq, firstErr := -1, error(nil)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for b := range ch {
				for i := range b.docs {
					if err := fn(w, b.seq+i, &b.docs[i]); err != nil {
						mu.Lock()
						if errSeq < 0 || b.seq+i < errSeq {
							errSeq, firstErr = b.seq+i, err
						}
						mu.Unlock()
					}
				}
			}
		}(w)
	}
	seq := 0
	cur := batch{docs: make([]corpus.Doc, 0, batchSize)}
	err := scan(func(d corpus.Doc) error {
		cur.docs = append(cur.docs, d)
		seq++
		if len(cur.docs) == batchSize {
			ch <- cur
			cur = batch{seq: seq, docs: make([]corpus.Doc, 0, batchSize)}
		}
		return nil
	})
	if len(cur.docs) > 0 {
		ch <- cur
	}
	close(ch)
	wg.Wait()
	if err != nil {
		return seq, err
	}
	return seq, firstErr
}
