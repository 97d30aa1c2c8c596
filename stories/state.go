// A stream clusterer's state on disk, terms extracted apart from the
// single pass, and read-only questions a service asks of a stream: which
// story a text would join, what a story is.
//
// Save writes everything the stream needs to go on exactly as if it had
// never stopped: its options, the document-frequency table, every story
// (centroid, norm, dates, size, the terms it is posted under), the
// inverted index term → stories with each list in its original order (the
// candidate scan reads lists from their newest end, so order changes
// results), and the documents added. LoadClusterer reads it back; a stream
// that is saved, loaded and fed the same documents gives the same story
// IDs as one that never stopped (state_test.go checks it).
//
// The format is compact binary, deterministic (maps are written sorted by
// hash), with a magic word and a version: varints for counts, fixed 8
// bytes for term hashes and 4 for float32 weights. Its size, in bytes:
//
//	df table   ~ 11 + len(form) per distinct term (about 20)
//	story      ~ 12 per centroid term (48 for a story of one document, at
//	             most CentroidTerms = 128) + 8 per posted term (at most 64)
//	             + about 14; so about 700 bytes for a story of one document
//	             and at most about 2.1 KB for a large one
//	postings   ~ 10 per term list + 1 to 3 per entry
//	document   ~ len(ID) + about 6
//
// Measured through the index: 652 bytes a document at 100,000 documents
// of reprint-gen's corpus (85,000 stories, most of one document, whose
// centroids are most of it), 323 at 20,000 of gen's story corpus (2,500
// stories).
//
// Loading refuses, with an error, input that is truncated, of another
// version, or inconsistent (a posting or document naming a story that is
// not there); it never panics and never allocates more than the input
// could describe.
//
// ExtractTerms and AddTerms split Add in two so that a caller can run the
// costly part, tokenization, on many goroutines and only the single pass in
// order. Nearest answers "which story would this text join" without adding
// it: it weighs the text with the document frequencies Add would see once
// the text is counted (one more document, one more for each of its terms)
// without writing them, and finds the best story.
//
// AddTerms and Nearest give what Add and the grouper's own scan give, the
// same to the bit (TestAddTermsIsAdd, TestNearestConcurrent), by code of
// their own arranged for what a large stream waits on: cache misses. At
// 100,000 documents and more, the document-frequency table, the posting
// lists, the stories' dates and their centroids are far from the cache, and
// a loop that both looks something up and acts on it waits for one miss
// at a time; these look everything up first (document frequencies, posting
// lists, the candidates' centroids) and decide without branching on what
// they read where the outcome is unpredictable (a story's first hit, its
// window), so that many misses are in flight at once. Measured on
// reprint-gen's corpus, 2 shared cores: the single pass 84-92 -> 61-70 µs
// a document at 100,000 documents (BenchmarkStreamAddTerms, alternated
// runs), and a 1,000-word query's story 0.48 -> 0.29 ms at a million
// documents (reprint-load's profile: Nearest 0.35 -> 0.20 ms, the term
// extraction 0.09 -> 0.07). The df table's terms in their slots, not
// behind a map's pointers (df.go): the single pass 62-64 -> 55-58 µs.
//
// Not done: deleting a document from a stream. A document's contribution
// to a centroid and to document frequencies is folded in and cannot be
// taken back exactly; a caller that deletes documents (the index) keeps
// story membership itself and leaves centroids as they are.

package stories

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/token"
)

const (
	stateMagic   = "RPSTORY"
	stateVersion = 1
)

// Save writes the clusterer's state to w. It does not change the clusterer.
func (c *Clusterer) Save(w io.Writer) error {
	e := &stateWriter{w: w, buf: make([]byte, 0, stateWriteBuffer+64)}
	e.bytes([]byte(stateMagic))
	e.uvarint(stateVersion)
	o := &c.opt
	for _, f := range []float64{o.Threshold, o.TopicThreshold, o.NameWeight, o.NumberWeight, o.DateWeight, o.MaxDF} {
		e.float64(f)
	}
	for _, n := range []int{o.Window, o.Terms, o.CentroidTerms, o.QueryTerms, o.MinDF, o.MinDocsForMaxDF, o.StoryTerms} {
		e.varint(int64(n))
	}
	e.bool(c.learn)

	// Document frequencies, sorted by hash.
	e.uvarint(uint64(c.df.docs))
	type termRec struct {
		h uint64
		e *dfEntry
	}
	ts := make([]termRec, 0, c.df.len())
	c.df.each(func(h uint64, e *dfEntry) { ts = append(ts, termRec{h, e}) })
	slices.SortFunc(ts, func(a, b termRec) int { return cmp.Compare(a.h, b.h) })
	e.uvarint(uint64(len(ts)))
	for _, t := range ts {
		e.fixed64(t.h)
		e.uvarint(uint64(t.e.n))
		e.bool(t.e.dated)
		e.string(t.e.form)
	}

	// Stories.
	gs := c.gr.groups
	e.uvarint(uint64(len(gs)))
	for i := range gs {
		g := &gs[i]
		e.uvarint(uint64(len(g.centroid)))
		for _, t := range g.centroid {
			e.fixed64(t.h)
			e.fixed32(math.Float32bits(t.w))
		}
		e.float64(g.norm)
		e.varint(int64(c.gr.spans[i].first))
		e.varint(int64(c.gr.spans[i].last))
		e.uvarint(uint64(g.size))
		e.uvarint(uint64(len(g.posted)))
		for _, h := range g.posted {
			e.fixed64(h)
		}
	}

	// The inverted index, lists sorted by term, each in its own order.
	hs := make([]uint64, 0, len(c.gr.post))
	for h := range c.gr.post {
		hs = append(hs, h)
	}
	slices.Sort(hs)
	e.uvarint(uint64(len(hs)))
	for _, h := range hs {
		list := c.gr.post[h]
		e.fixed64(h)
		e.uvarint(uint64(len(list)))
		for _, id := range list {
			e.uvarint(uint64(id))
		}
	}

	// Documents, their sources numbered in order of first use.
	srcNum := map[string]uint64{}
	var srcs []string
	for i := range c.docs {
		if _, ok := srcNum[c.docs[i].source]; !ok {
			srcNum[c.docs[i].source] = uint64(len(srcs))
			srcs = append(srcs, c.docs[i].source)
		}
	}
	e.uvarint(uint64(len(srcs)))
	for _, s := range srcs {
		e.string(s)
	}
	e.uvarint(uint64(len(c.docs)))
	for i := range c.docs {
		d := &c.docs[i]
		e.string(d.id)
		e.uvarint(srcNum[d.source])
		e.varint(int64(d.day))
		e.uvarint(uint64(d.story))
	}
	e.bytes([]byte(stateMagic)) // a trailer: a state cut short is refused
	if e.flush(); e.err != nil {
		return fmt.Errorf("stories: saving state: %w", e.err)
	}
	return nil
}

// ErrBadState is wrapped by LoadClusterer's errors about its input.
var ErrBadState = errors.New("stories: not a valid saved clusterer state")

// LoadClusterer reads a state Save wrote and returns a clusterer that goes
// on from it. The options are the saved ones (as an index keeps the
// parameters it was built with), whatever this version's defaults are.
func LoadClusterer(r io.Reader) (*Clusterer, error) {
	d := &stateReader{r: bufio.NewReaderSize(r, 1<<16)}
	c, err := d.clusterer()
	if err == nil {
		err = d.err
	}
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = errors.New("truncated")
		}
		return nil, fmt.Errorf("%w: %v", ErrBadState, err)
	}
	return c, nil
}

// maxCount bounds every count read, so that a damaged length cannot ask
// for an absurd allocation; slices grow as their elements are read, never
// to a count read from the input.
const maxCount = 1 << 40

func (d *stateReader) clusterer() (*Clusterer, error) {
	if m := d.bytes(len(stateMagic)); d.err != nil || string(m) != stateMagic {
		return nil, errors.New("no stories state header")
	}
	if v := d.uvarint(); d.err == nil && v != stateVersion {
		return nil, fmt.Errorf("state version %d; this reprint reads version %d", v, stateVersion)
	}
	var o Options
	for _, f := range []*float64{&o.Threshold, &o.TopicThreshold, &o.NameWeight, &o.NumberWeight, &o.DateWeight, &o.MaxDF} {
		*f = d.float64()
	}
	for _, n := range []*int{&o.Window, &o.Terms, &o.CentroidTerms, &o.QueryTerms, &o.MinDF, &o.MinDocsForMaxDF, &o.StoryTerms} {
		v := d.varint()
		if v < math.MinInt32 || v > math.MaxInt32 {
			return nil, errors.New("option out of range")
		}
		*n = int(v)
	}
	learn := d.bool()
	if d.err != nil {
		return nil, d.err
	}
	o.Workers = 1
	if err := o.validate(); err != nil || o.Window == 0 || o.MinDF < 1 || o.MinDocsForMaxDF < 0 {
		return nil, fmt.Errorf("saved options are not valid (%v)", err)
	}

	df := newDF()
	df.docs = int64(d.count())
	nt := d.count()
	var prev uint64
	for i := uint64(0); i < nt && d.err == nil; i++ {
		h := d.fixed64()
		if i > 0 && h <= prev {
			return nil, errors.New("df table out of order")
		}
		prev = h
		n := d.count()
		dated := d.bool()
		form := d.string()
		if d.err != nil {
			break
		}
		if n == 0 {
			return nil, errors.New("df table: a term in no document")
		}
		e := df.insert(h)
		e.n, e.dated = int64(n), dated
		e.setForm(form)
	}
	c := newClusterer(o, df, learn)

	ng := d.count()
	if ng > math.MaxInt32 {
		return nil, errors.New("too many stories")
	}
	for i := uint64(0); i < ng && d.err == nil; i++ {
		var g group
		nc := d.count()
		if nc > uint64(o.CentroidTerms) {
			return nil, fmt.Errorf("story %d: centroid of %d terms, more than %d", i+1, nc, o.CentroidTerms)
		}
		centroid := make([]term, 0, nc)
		for k := uint64(0); k < nc && d.err == nil; k++ {
			centroid = append(centroid, term{h: d.fixed64(), w: math.Float32frombits(d.fixed32())})
		}
		if !slices.IsSortedFunc(centroid, byHash) {
			return nil, fmt.Errorf("story %d: centroid out of order", i+1)
		}
		g.setCentroid(centroid)
		g.norm = d.float64() // as saved, to the bit
		first, last := d.varint(), d.varint()
		if first < math.MinInt32 || first > math.MaxInt32 || last < math.MinInt32 || last > math.MaxInt32 {
			return nil, fmt.Errorf("story %d: dates out of range", i+1)
		}
		sp := span{first: int32(first), last: int32(last)}
		size := d.count()
		if size > math.MaxInt32 {
			return nil, fmt.Errorf("story %d: size out of range", i+1)
		}
		g.size = int32(size)
		np := d.count()
		if np > maxPosted {
			return nil, fmt.Errorf("story %d: posted under %d terms, more than %d", i+1, np, maxPosted)
		}
		g.posted = make([]uint64, 0, np)
		for k := uint64(0); k < np && d.err == nil; k++ {
			g.posted = append(g.posted, d.fixed64())
		}
		c.gr.groups = append(c.gr.groups, g)
		c.gr.spans = append(c.gr.spans, sp)
	}

	nl := d.count()
	prev = 0
	for i := uint64(0); i < nl && d.err == nil; i++ {
		h := d.fixed64()
		if i > 0 && h <= prev {
			return nil, errors.New("postings out of order")
		}
		prev = h
		n := d.count()
		var list []int32
		for k := uint64(0); k < n && d.err == nil; k++ {
			id := d.count()
			if id >= ng {
				return nil, fmt.Errorf("a posting names story %d of %d", id+1, ng)
			}
			list = append(list, int32(id))
		}
		c.gr.post[h] = list
	}

	ns := d.count()
	var srcs []string
	for i := uint64(0); i < ns && d.err == nil; i++ {
		s := d.string()
		if _, dup := c.sources[s]; dup {
			return nil, errors.New("a source is listed twice")
		}
		c.sources[s] = s
		srcs = append(srcs, s)
	}
	nd := d.count()
	for i := uint64(0); i < nd && d.err == nil; i++ {
		id := d.string()
		src := d.count()
		day := d.varint()
		st := d.count()
		if d.err != nil {
			break
		}
		if src >= uint64(len(srcs)) || st >= ng || day < math.MinInt32 || day > math.MaxInt32 {
			return nil, fmt.Errorf("document %d is inconsistent (source, story or date out of range)", i+1)
		}
		c.docs = append(c.docs, docRec{id: id, source: srcs[src], day: int32(day), story: int32(st)})
	}
	if m := d.bytes(len(stateMagic)); d.err == nil && string(m) != stateMagic {
		return nil, errors.New("no trailer after the documents")
	}
	if d.err != nil {
		return nil, d.err
	}
	if _, err := d.r.ReadByte(); err != io.EOF {
		return nil, errors.New("bytes after the trailer")
	}
	return c, nil
}

// Options returns the options the clusterer runs with.
func (c *Clusterer) Options() Options { return c.opt }

// NumStories returns the number of stories started so far.
func (c *Clusterer) NumStories() int { return len(c.gr.groups) }

// DocTerms is a document's terms, extracted from its text but not yet
// weighed: what AddTerms and Nearest take. It holds the document's text
// (forms are slices of it) until it is dropped.
type DocTerms struct {
	id, source string
	day        int32
	raw        []rawTerm
}

var extractors = sync.Pool{New: func() any { return newExtractor() }}

// ExtractTerms extracts d's terms. It is safe to call from many goroutines
// at once, and costs one tokenization of d's text. The error is for a date
// that is not YYYY-MM-DD.
func ExtractTerms(d corpus.Doc) (*DocTerms, error) {
	day, err := parseDay(d)
	if err != nil {
		return nil, err
	}
	x := extractors.Get().(*extractor)
	raw := slices.Clone(x.terms(&d))
	extractors.Put(x)
	return &DocTerms{id: d.ID, source: d.Source, day: day, raw: raw}, nil
}

// ExtractTermsTokens is ExtractTerms for a caller that has tokenized d
// already: toks must be what token.New().Tokens(d.Text, d.Start, nil)
// returns (the index's analysis), and the terms are then the same as
// ExtractTerms's, without tokenizing the text a second time. toks is not
// kept.
func ExtractTermsTokens(d corpus.Doc, toks []token.Token) (*DocTerms, error) {
	day, err := parseDay(d)
	if err != nil {
		return nil, err
	}
	x := extractors.Get().(*extractor)
	var raw []rawTerm
	if p, ok := rawTerms.Get().(*[]rawTerm); ok {
		raw = (*p)[:0]
	}
	raw = append(raw, x.termsOf(&d, toks)...)
	extractors.Put(x)
	return &DocTerms{id: d.ID, source: d.Source, day: day, raw: raw}, nil
}

// rawTerms holds the terms of released DocTerms (emptied) for
// ExtractTermsTokens to copy new ones into: the index extracts a
// document's terms, about 8 KB of them, for every document it adds and
// drops them once the single pass took them, and their allocation was a
// fifth of an add's.
var rawTerms sync.Pool

// Release gives t's memory back for a later ExtractTermsTokens to reuse;
// t must not be used after it. Neither AddTerms nor Nearest keeps any of
// t, so a caller may release it after either.
func (t *DocTerms) Release() {
	if t == nil || t.raw == nil {
		return
	}
	raw := t.raw
	clear(raw) // the forms are slices of the text: keep none of it alive
	t.raw = nil
	rawTerms.Put(&raw)
}

// AddTerms adds the document t was extracted from, exactly as Add would
// have, and returns its story's ID.
func (c *Clusterer) AddTerms(t *DocTerms) string {
	if c.learn {
		c.counts = c.df.addCounts(t.raw, c.counts, true)
		c.vec = weighCounts(t.raw, c.counts, c.df.docs, &c.opt, c.vec)
	} else {
		c.vec = c.weigh(t.raw, true)
	}
	// Add's gr.assign, with streamBest for gr.best.
	id, sim := streamBest(c.gr, c.vec, t.day)
	if id < 0 || sim < c.gr.threshold {
		id = c.gr.open()
	}
	c.gr.join(id, c.vec, t.day)
	c.record(t.id, t.source, t.day, id)
	return storyID(id)
}

// streamBest is gr.best(v, day): the same hits, candidates and cosines,
// the same to the bit (TestAddTermsIsAdd), computed so that more of its
// memory reads are in flight at once, which is what the index's single
// pass waits on (at 100,000 documents the posting lists, the dates of
// 85,000 stories and the candidates' centroids are far from the cache):
// the posting lists are looked up before any is read, the scan has no
// branch on the hits it reads (a mispredicted branch on a load that
// missed the cache stalls the loads behind it), and the candidates'
// centroids are touched before the first cosine (closestAhead). About
// 15% less CPU in the pass than gr.best at 100,000 of reprint-gen's
// documents (BenchmarkStreamAddTerms).
func streamBest(gr *grouper, v []term, day int32) (int32, float64) {
	if len(v) == 0 {
		return -1, 0
	}
	var buf [16][]int32
	lists, total := gr.postingTails(v, &gr.query, buf[:0])
	spans := gr.spans
	seen := slices.Grow(gr.seen[:0], total)[:total]
	n := 0
	for _, list := range lists {
		for _, id := range list {
			sp := &spans[id]
			h := sp.hits
			seen[n] = id
			if h == 0 {
				n++ // kept: the first hit of id
			}
			sp.hits = h + 1
		}
	}
	seen = seen[:n]
	// The eligible groups; the most hits of any. Whether a group is
	// eligible is as unpredictable as its dates, so it is computed, not
	// branched on: eligibleSpan(sp, day, day) is sp.first - day <= window
	// and day - sp.last <= window for a dated group (first <= last, as
	// count keeps them), true for an undated one.
	cand := slices.Grow(gr.cand[:0], len(seen))[:len(seen)]
	top, m := int32(0), 0
	if gr.window < 0 || day == noDay {
		for _, id := range seen {
			cand[m] = id
			m++
			top = max(top, spans[id].hits)
		}
	} else {
		d, w := int64(day), int64(gr.window)
		for _, id := range seen {
			sp := spans[id]
			ok := 0
			if sp.first == noDay {
				ok = 1
			}
			in := 0
			if int64(sp.first)-d <= w {
				in = 1
			}
			if d-int64(sp.last) <= w {
				ok |= in
			}
			cand[m] = id
			m += ok
			top = max(top, sp.hits*int32(ok))
		}
	}
	if cand = gr.keepCandidates(seen, cand[:m], top); len(cand) == 0 {
		return -1, 0
	}
	return closestAhead(&gr.probe, v, cand, gr.groups)
}

// aheadSink keeps closestAhead's reads from being optimised away.
var aheadSink atomic.Uint64

// closestAhead is closest(probe, v, cand, groups), the same to the bit,
// after reading the first term of every candidate's centroid: those reads
// (two dependent cache misses each, the group and then its centroid) then
// overlap, where the cosines, one after another, would take them one at a
// time; the hardware prefetcher brings the rest of each centroid as the
// cosine walks it.
func closestAhead(probe *probeTable, v []term, cand []int32, groups []group) (int32, float64) {
	var sink uint64
	for _, id := range cand {
		if c := groups[id].centroid; len(c) > 0 {
			sink += c[0].h
		}
	}
	aheadSink.Store(sink)
	return closest(probe, v, cand, groups)
}

// Nearest returns the story the document t was extracted from would be
// added to, without adding it: its ID and cosine, and joined true when it
// would join that story; joined false with an ID is the closest story
// below the threshold (the document would start a new one), and an empty
// ID means no story shares a heavy term with it. The document is weighed
// as Add would weigh it, with itself counted in the document frequencies,
// but without writing them.
//
// Nearest only reads the clusterer: its working memory is its own (a
// nearScratch), so calls may run at once with each other, and with Story,
// Save and the other readers, though not with Add or AddTerms. A service
// answers many queries for each document it adds, and one mutex around
// every query's lookup serialised them.
func (c *Clusterer) Nearest(t *DocTerms) (story string, score float64, joined bool) {
	s := nearScratches.Get().(*nearScratch)
	defer nearScratches.Put(s)
	// Counted, when the clusterer learns, as AddTerms would count it: one
	// more document, and one more for each of its terms. The terms are
	// all looked up before any count is read: a query's hundreds of terms
	// are each a cache miss or two in a table of millions, and a loop of
	// lookups alone, then one of reads alone, has many more of them in
	// flight at once than one loop doing both.
	plus, docs := int64(0), c.df.docs
	if c.learn {
		plus, docs = 1, docs+1
	}
	s.idx = s.idx[:0]
	for i := range t.raw {
		s.idx = append(s.idx, c.df.slot(t.raw[i].h))
	}
	s.counts = s.counts[:0]
	for _, j := range s.idx {
		// An absent term's slot is empty, with a count of 0.
		s.counts = append(s.counts, plus+c.df.slots[j].n)
	}
	s.vec = weighCounts(t.raw, s.counts, docs, &c.opt, s.vec)
	id, sim := s.best(c.gr, s.vec, t.day)
	if id < 0 {
		return "", 0, false
	}
	return storyID(id), sim, sim >= c.opt.Threshold
}

// nearScratch is one Nearest call's working memory: what the grouper's
// own fields are for bestSpan, which Add and AddTerms use.
type nearScratch struct {
	idx        []int32 // the slots of the query's terms in the df table
	counts     []int64
	vec, query []term
	lists      [][]int32
	table      []hitSlot // all empty between calls
	used       []int32   // the slots of table in use
	cand       []int32
	start      []int32 // bucket bounds of byHits
	byHits     []int32 // the groups read, most hits first
	probe      probeTable
}

// hitSlot counts a group's hits in nearScratch.table: id1 is the group's
// index plus one, 0 for an empty slot.
type hitSlot struct{ id1, n int32 }

var nearScratches = sync.Pool{New: func() any { return new(nearScratch) }}

// best is gr.best(v, day) computed in s, leaving gr untouched: the same
// scan, candidates and cosines as bestSpan (see it for what is returned
// and why it is computed so), the same to the bit. The hits are counted in
// a hash table of the groups read (at most QueryTerms × scanCap, so it
// stays in cache), not in gr.spans beside the dates, which a concurrent
// call would share.
func (s *nearScratch) best(gr *grouper, v []term, day int32) (int32, float64) {
	if len(v) == 0 {
		return -1, 0
	}
	lists, total := gr.postingTails(v, &s.query, s.lists[:0])
	s.lists = lists
	size, bits := 16, 4
	for size < 2*total {
		size, bits = 2*size, bits+1
	}
	if len(s.table) < size {
		s.table = make([]hitSlot, size)
	}
	tab, mask, used := s.table[:size], uint32(size-1), s.used[:0]
	for _, list := range lists {
		for _, id := range list {
			for i := uint32(id) * 0x9e3779b1 >> (32 - bits); ; i = (i + 1) & mask {
				sl := &tab[i]
				if sl.id1 == id+1 {
					sl.n++
					break
				}
				if sl.id1 == 0 {
					*sl = hitSlot{id1: id + 1, n: 1}
					used = append(used, int32(i))
					break
				}
			}
		}
	}
	s.used = used
	clear(lists) // a pooled scratch must not keep the grouper's lists alive
	cand := s.candidates(gr, tab, used, day)
	if len(cand) == 0 {
		return -1, 0
	}
	return closestAhead(&s.probe, v, cand, gr.groups)
}

// candidates returns the candidates of bestSpan from the groups counted
// in the used slots of tab, and empties those slots: the eligible groups
// if there are at most maxCandidates, else those above the hit count where
// the cut falls and of those at it the newest (selectCandidates's). The
// groups are visited by hits, most first, and the window is checked only
// until the cut is known: each check reads the group's dates, a cache miss
// at a million documents, and most groups read have a hit or two and fall
// below the cut.
func (s *nearScratch) candidates(gr *grouper, tab []hitSlot, used []int32, day int32) []int32 {
	top := int32(0)
	for _, i := range used {
		top = max(top, tab[i].n)
	}
	// Counting sort of the groups by hits, most first.
	start := append(s.start[:0], make([]int32, top+2)...)
	for _, i := range used {
		start[top-tab[i].n+1]++
	}
	for h := 1; h < len(start); h++ {
		start[h] += start[h-1]
	}
	byHits := append(s.byHits[:0], make([]int32, len(used))...)
	for _, i := range used {
		k := top - tab[i].n
		byHits[start[k]] = tab[i].id1 - 1
		start[k]++
		tab[i] = hitSlot{}
	}
	s.start, s.byHits = start, byHits
	// start[k] is now the end of bucket k (hits top-k).
	cand := s.cand[:0]
	// Undated (a query without a date, the usual case) or no window:
	// every group is eligible, and its dates, a cache miss each at a
	// million documents, need not be read.
	all := gr.window < 0 || day == noDay
	lo := int32(0)
	for k := int32(0); k <= top; k++ {
		hi := start[k]
		above := len(cand)
		if all {
			cand = append(cand, byHits[lo:hi]...)
		} else {
			for _, id := range byHits[lo:hi] {
				if gr.eligibleSpan(gr.spans[id], day, day) {
					cand = append(cand, id)
				}
			}
		}
		lo = hi
		if len(cand) >= maxCandidates {
			// The cut is at these hits: of them, the newest.
			if tie := cand[above:]; len(cand) > maxCandidates {
				newest(tie, maxCandidates-above)
				cand = cand[:maxCandidates]
			}
			break
		}
	}
	s.cand = cand
	return cand
}

// newest moves the k largest of ids (distinct, k <= len(ids)) to its
// front, in no particular order: the newest k groups of a tie, which
// selectCandidates finds by sorting the tie whole; a tie of a query at a
// million documents is thousands of groups with one hit, and the sort
// was a tenth of Nearest. Quickselect, median-of-three pivots.
func newest(ids []int32, k int) {
	lo, hi := 0, len(ids) // the k-th largest is in ids[lo:hi]
	for hi-lo > 16 {
		a, b, c := ids[lo], ids[(lo+hi)/2], ids[hi-1]
		p := max(min(a, b), min(max(a, b), c))
		// ids[lo:i] > p, ids[j:hi] <= p.
		i, j := lo, hi
		for i < j {
			if ids[i] > p {
				i++
			} else {
				j--
				ids[i], ids[j] = ids[j], ids[i]
			}
		}
		switch {
		case i == k:
			return
		case i > k:
			hi = i
		default:
			lo = i
		}
	}
	// A few left: insertion sort, largest first.
	for x := lo + 1; x < hi; x++ {
		for y := x; y > lo && ids[y] > ids[y-1]; y-- {
			ids[y], ids[y-1] = ids[y-1], ids[y]
		}
	}
}

// StoryInfo is what a clusterer knows of one story: its size and dates
// count every document ever added to it, deleted or not.
type StoryInfo struct {
	Story       string
	Size        int
	First, Last string // YYYY-MM-DD; empty when no document was dated
	Terms       []string
}

// Story returns what the clusterer knows of story id ("s1", ...).
func (c *Clusterer) Story(id string) (StoryInfo, bool) {
	n, ok := ParseStoryID(id)
	if !ok || n >= len(c.gr.groups) {
		return StoryInfo{}, false
	}
	g := &c.gr.groups[n]
	si := StoryInfo{Story: storyID(int32(n)), Size: int(g.size), Terms: c.terms(g)}
	if sp := c.gr.spans[n]; sp.first != noDay {
		si.First, si.Last = formatDay(sp.first), formatDay(sp.last)
	}
	return si, true
}

// ParseStoryID returns the 0-based number of a story ID "s1", "s2", ...;
// false for anything else (no leading zeros, no sign).
func ParseStoryID(id string) (int, bool) {
	s, ok := strings.CutPrefix(id, "s")
	if !ok || s == "" || s[0] == '0' || len(s) > 10 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > math.MaxInt32 {
		return 0, false
	}
	return n - 1, true
}

// StoryID is the ID of the story numbered n (0-based): "s1" for 0.
func StoryID(n int) string { return storyID(int32(n)) }

// stateWriter writes the format's fields and keeps the first error. The
// fields are appended to buf, which goes to w whenever it holds
// stateWriteBuffer bytes: a state is millions of fields (a story of one
// document is about 60), and a call into a bufio.Writer for each, with its
// checks, was most of Save's time.
type stateWriter struct {
	w   io.Writer
	buf []byte
	err error
}

const stateWriteBuffer = 1 << 16

func (e *stateWriter) flush() {
	if e.err == nil && len(e.buf) > 0 {
		_, e.err = e.w.Write(e.buf)
	}
	e.buf = e.buf[:0]
}

// more writes buf out when it is full; every field calls it after its
// append.
func (e *stateWriter) more() {
	if len(e.buf) >= stateWriteBuffer {
		e.flush()
	}
}

func (e *stateWriter) bytes(b []byte)   { e.buf = append(e.buf, b...); e.more() }
func (e *stateWriter) uvarint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v); e.more() }
func (e *stateWriter) varint(v int64)   { e.buf = binary.AppendVarint(e.buf, v); e.more() }
func (e *stateWriter) fixed64(v uint64) { e.buf = binary.LittleEndian.AppendUint64(e.buf, v); e.more() }
func (e *stateWriter) fixed32(v uint32) { e.buf = binary.LittleEndian.AppendUint32(e.buf, v); e.more() }
func (e *stateWriter) float64(f float64) {
	e.fixed64(math.Float64bits(f))
}
func (e *stateWriter) bool(b bool) {
	if b {
		e.uvarint(1)
	} else {
		e.uvarint(0)
	}
}
func (e *stateWriter) string(s string) {
	e.uvarint(uint64(len(s)))
	e.buf = append(e.buf, s...)
	e.more()
}

// stateReader reads the format's fields; after the first error every read
// returns zero and the error stays.
type stateReader struct {
	r   *bufio.Reader
	err error
}

func (d *stateReader) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func (d *stateReader) bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(d.r, b); err != nil {
		d.fail(err)
		return nil
	}
	return b
}

func (d *stateReader) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, err := binary.ReadUvarint(d.r)
	if err != nil {
		d.fail(err)
	}
	return v
}

func (d *stateReader) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, err := binary.ReadVarint(d.r)
	if err != nil {
		d.fail(err)
	}
	return v
}

// count is a uvarint that must be a plausible count.
func (d *stateReader) count() uint64 {
	v := d.uvarint()
	if v > maxCount {
		d.fail(fmt.Errorf("count %d out of range", v))
		return 0
	}
	return v
}

func (d *stateReader) fixed64() uint64 {
	b := d.bytes(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

func (d *stateReader) fixed32() uint32 {
	b := d.bytes(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (d *stateReader) float64() float64 { return math.Float64frombits(d.fixed64()) }

func (d *stateReader) bool() bool {
	switch d.uvarint() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail(errors.New("bad boolean"))
	return false
}

// string reads a length and that many bytes, refusing lengths past the
// longest field the state holds (a term's form, an ID, a source).
func (d *stateReader) string() string {
	n := d.uvarint()
	if n > 1<<20 {
		d.fail(fmt.Errorf("string of %d bytes", n))
		return ""
	}
	return string(d.bytes(int(n)))
}
