// Querying: one text against the whole index.
//
//	tokenize once ─► shingle set ─► signature ─► band keys ─┐
//	              └► winnowed anchors ─────────────────────┤ one sorted pass of
//	                                                        ▼ prefix scans (one iterator)
//	band candidates ─► exact Jaccard against each one's shingle set ─► near-duplicates
//	anchor candidates (most shared anchors first) ─► align on the texts ─► passages
//	                                                   ─► trace.Build: groups, direction, earliest source
//
// Everything is read as of one Pebble snapshot, so a query sees each write
// entirely or not at all even while writers go on. A text query's posting
// lists come from the flushed tables and the in-memory overlay of the
// commits after them, which together hold exactly the snapshot's lists,
// so that no seek searches a memtable (overlay.go); the tables' part of a
// list comes from the posting cache when a query since the last flush
// read it (postcache.go). Shingle sets come from
// the stored texts (re-tokenized) unless the index keeps no text, in which
// case they are stored and there are no passages.
//
// A candidate's text, tokens, shingle set and aligner tables
// (align.PrepareText) come from the index's cache of prepared candidates
// when an earlier query built them (prepcache.go), so that a document that
// is a candidate of many queries is read, tokenized and prepared once; the
// passages are the same either way (PairPrepared is PairText on a prepared
// document). What a query costs (1,000 words, 100,000 generated documents,
// 2 cores shared, without the story): about 1 ms of seeks for ~175
// posting lists, 0.25 ms preparing the query's own text for the aligner,
// and per candidate (about 7) 0.1 ms of alignment plus, when the cache
// does not hold it, 0.14 ms to read, tokenize and prepare it.
//
// Bounds, so that one query's cost does not grow with the index: a band
// posting list is read up to MaxBandPostings entries; an anchor found in
// more than MaxDF documents is skipped as too common to mean anything
// (boilerplate, stock phrases); at most MaxAlign candidate documents, those
// sharing the most anchors, are aligned. Whatever a bound or the query's
// Limit left out is counted in Result.Cut, so that a cut result says so.
//
// A read that fails, or a posting whose document is not there, is an error
// (wrapping ErrCorrupt for the latter): a damaged store must never look
// like "no match".

package index

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/cockroachdb/pebble/v2"
	"github.com/reprint/reprint/align"
	"github.com/reprint/reprint/token"
	"github.com/reprint/reprint/trace"
)

// Query is one query: a text, or the ID of a document in the index.
type Query struct {
	Text string `json:"text,omitempty"`
	// Start is where the words of Text begin (after a date header, say);
	// offsets are still into Text. 0 for the API.
	Start  int    `json:"-"`
	ID     string `json:"id,omitempty"`     // query a stored document (its own match is left out)
	Date   string `json:"date,omitempty"`   // the query text's date, for direction and earliest source
	Source string `json:"source,omitempty"` // the query text's source

	Excerpts   bool    `json:"excerpts,omitempty"`    // return each passage's text on both sides with differences marked
	MinJaccard float64 `json:"min_jaccard,omitempty"` // near-duplicates below this are left out; 0 means the index threshold
	Limit      int     `json:"limit,omitempty"`       // most near-duplicates and matched documents returned; 0 means 50
	// NoStory leaves the story out of the result (it costs one more
	// tokenization and a read of the story's documents).
	NoStory bool `json:"no_story,omitempty"`
}

// Limits of one query.
const (
	MaxBandPostings = 1000 // entries read from one band's posting list
	MaxDF           = 64   // anchors in more documents than this are ignored
	MaxAlign        = 64   // candidate documents aligned
	MinWords        = 15   // shortest passage reported, in words
)

// NearDuplicate is a stored document whose shingle set is close to the query's.
type NearDuplicate struct {
	ID          string  `json:"id"`
	Jaccard     float64 `json:"jaccard"`     // |Q∩D| / |Q∪D|
	Containment float64 `json:"containment"` // |Q∩D| / |Q|: how much of the query the document holds
	Date        string  `json:"date,omitempty"`
	Source      string  `json:"source,omitempty"`
	URL         string  `json:"url,omitempty"`
}

// Passage is a passage the query (A) shares with a stored document (B), in
// the shape of reprint reuse output, with B's metadata and the earliest
// known source of the passage's group.
type Passage struct {
	trace.Passage
	Date     string   `json:"date,omitempty"`   // B's date
	Source   string   `json:"source,omitempty"` // B's source
	URL      string   `json:"url,omitempty"`    // B's URL
	Earliest Earliest `json:"earliest"`
}

// Earliest is the earliest known occurrence of a passage's text among the
// query and the documents it matched.
type Earliest struct {
	ID     string `json:"id,omitempty"` // empty when status is tie or undated
	Date   string `json:"date,omitempty"`
	Source string `json:"source,omitempty"`
	Status string `json:"status"` // earliest, earliest-dated, tie or undated (package trace)
}

// Excerpt is a passage's text on both sides, in pieces marked changed or not.
type Excerpt = align.Excerpt

// Piece is a run of an excerpt's text.
type Piece = align.Piece

// Group is one passage text and where it occurs, ordered by date: a timeline.
type Group struct {
	ID          string       `json:"id"`
	Status      string       `json:"source_status"`
	Boilerplate bool         `json:"boilerplate"`
	Occurrences []Occurrence `json:"occurrences"`
}

// Occurrence is a group's text in one document.
type Occurrence struct {
	ID       string `json:"id"`
	Date     string `json:"date,omitempty"`
	Source   string `json:"source,omitempty"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Earliest bool   `json:"earliest,omitempty"` // the group's source
}

// Result is the answer to a query.
type Result struct {
	Query          string          `json:"query"` // the A side of every passage: the queried ID, or "query"
	Words          int             `json:"words"`
	NearDuplicates []NearDuplicate `json:"near_duplicates"`
	Passages       []Passage       `json:"passages"`
	Excerpts       []Excerpt       `json:"excerpts,omitempty"` // parallel to Passages when asked for
	Groups         []Group         `json:"groups"`
	// Story is the story the text would join (without being added), or
	// that the queried document is in; absent for an index without stories.
	Story *QueryStory `json:"story,omitempty"`
	Stats QueryStats  `json:"stats"`
	Cut   *Cut        `json:"cut,omitempty"` // what the limits left out; absent when nothing was
}

// Cut counts what a query's bounds left out; a Result carries one only when
// something was.
type Cut struct {
	NearDuplicates int `json:"near_duplicates,omitempty"` // near-duplicates beyond the query's limit
	Documents      int `json:"documents,omitempty"`       // documents sharing passages beyond the query's limit, not listed
	Candidates     int `json:"candidates,omitempty"`      // candidate documents beyond MaxAlign, not aligned
	CommonAnchors  int `json:"common_anchors,omitempty"`  // anchors in more than MaxDF documents, not looked up: passages of only common text can be missed
	BandLists      int `json:"band_lists,omitempty"`      // band posting lists read only up to MaxBandPostings
}

func (c Cut) any() bool { return c != Cut{} }

// QueryStats say how much work a query did.
type QueryStats struct {
	BandCandidates   int `json:"band_candidates"`
	AnchorCandidates int `json:"anchor_candidates"`
	Aligned          int `json:"aligned"`
	CommonAnchors    int `json:"common_anchors"` // skipped as in more than MaxDF documents
}

// ErrNotFound is returned for an ID the index does not hold.
var ErrNotFound = errors.New("document not found")

// ErrInvalidQuery is wrapped by the errors of a query that cannot be run as
// given (text too large or not UTF-8, a bad Start).
var ErrInvalidQuery = errors.New("invalid query")

// Query runs q against the index.
func (ix *Index) Query(ctx context.Context, q Query) (*Result, error) {
	if err := ix.enter(); err != nil {
		return nil, err
	}
	defer ix.leave()
	var res *Result
	err := ix.guard(func() error {
		var err error
		res, err = ix.query(ctx, q)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (ix *Index) query(ctx context.Context, q Query) (*Result, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	var snap *pebble.Snapshot
	var pv *postingView
	defer func() {
		pv.close()
		if snap != nil {
			snap.Close()
		}
	}()
	var self uint64
	res := &Result{Query: "query", NearDuplicates: []NearDuplicate{}, Passages: []Passage{}, Groups: []Group{}}
	start := q.Start
	var cut Cut
	if q.ID != "" {
		// The text is read from the snapshot before its lists are known,
		// so the scan reads that snapshot, memtables and all (overlay.go).
		snap = ix.db.NewSnapshot()
		num, m, err := ix.lookup(snap, q.ID)
		if err != nil {
			return nil, err
		}
		if !ix.p.Text {
			return nil, errors.New("query by ID needs the text, and this index keeps none (it was created without texts)")
		}
		text, err := ix.getText(snap, num)
		if err != nil {
			return nil, err
		}
		self, res.Query = num, q.ID
		q.Text, start = text, m.Start
		if q.Date == "" {
			q.Date = m.Date
		}
		if q.Source == "" {
			q.Source = m.Source
		}
	} else if err := checkDoc("query", q.Text); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidQuery, err)
	} else if start < 0 || start > len(q.Text) {
		return nil, fmt.Errorf("%w: start %d outside the text's %d bytes", ErrInvalidQuery, start, len(q.Text))
	}
	tz := token.New()
	qa := ix.analyze(tz, q.Text, start)
	if snap == nil {
		var err error
		if snap, pv, err = ix.openViews(qa); err != nil {
			return nil, ix.readErr(err)
		}
	}
	if ix.p.Stories && !q.NoStory {
		// The story's terms from the analysis's tokens: one tokenization
		// of the query, not two.
		var err error
		if res.Story, err = ix.queryStoryTokens(ctx, snap, q, self, start, qa.toks); err != nil {
			return nil, err
		}
	}
	res.Words = len(qa.toks)
	if len(qa.toks) == 0 {
		return res, nil
	}

	bandDocs, anchorDocs, common, err := ix.scan(ctx, snap, pv, qa, self, &cut)
	if err != nil {
		return nil, err
	}
	if pv != nil && ix.overlayCheck != nil {
		// Tests: the snapshot's own scan must find the same lists.
		var c2 Cut
		b2, a2, n2, err := ix.scan(ctx, snap, nil, qa, self, &c2)
		if err != nil {
			return nil, err
		}
		ix.overlayCheck(slices.Equal(b2, bandDocs) && slices.Equal(a2, anchorDocs) && n2 == common && c2 == cut)
	}
	res.Stats.BandCandidates, res.Stats.AnchorCandidates, res.Stats.CommonAnchors = len(bandDocs), len(anchorDocs), common
	cut.CommonAnchors = common
	defer func() {
		if cut.any() {
			res.Cut = &cut
		}
	}()

	minJ := q.MinJaccard
	if minJ <= 0 {
		minJ = ix.p.Threshold
	}
	metas := map[uint64]meta{}
	// Band candidates are often anchor candidates too: their texts and
	// tokens are kept for the passages rather than read and tokenized twice.
	held := map[uint64]*candDoc{}
	pc := ix.prepCache()
	getMeta := func(num uint64) (meta, error) {
		if m, ok := metas[num]; ok {
			return m, nil
		}
		m, err := ix.getMeta(snap, num)
		if err != nil {
			return meta{}, err
		}
		metas[num] = m
		return m, nil
	}
	for _, num := range bandDocs {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		m, err := getMeta(num)
		if err != nil {
			return nil, err
		}
		var set []uint64
		if ix.p.Text {
			d, err := ix.candidate(snap, tz, pc, held, num, m)
			if err != nil {
				return nil, err
			}
			if d.set == nil {
				d = d.with(func(d *candDoc) { d.set = token.ShingleSet(d.toks, ix.p.NGram, nil) })
				held[num] = d
				pc.put(num, d)
			}
			set = d.set
		} else {
			v, err := getString(snap, numKey(pShingle, num))
			if err != nil {
				return nil, ix.missing(err, num, "shingle set")
			}
			set = getUint64s([]byte(v))
		}
		in := token.Overlap(qa.shingles, set)
		u := len(qa.shingles) + len(set) - in
		if u == 0 {
			continue
		}
		j := float64(in) / float64(u)
		if j < minJ {
			continue
		}
		res.NearDuplicates = append(res.NearDuplicates, NearDuplicate{ID: m.ID, Jaccard: round4(j),
			Containment: round4(float64(in) / float64(len(qa.shingles))), Date: m.Date, Source: m.Source, URL: m.URL})
	}
	slices.SortFunc(res.NearDuplicates, func(x, y NearDuplicate) int {
		return cmp.Or(cmp.Compare(y.Jaccard, x.Jaccard), cmp.Compare(x.ID, y.ID))
	})
	if len(res.NearDuplicates) > q.Limit {
		cut.NearDuplicates = len(res.NearDuplicates) - q.Limit
		res.NearDuplicates = res.NearDuplicates[:q.Limit]
	}
	if !ix.p.Text {
		return res, nil
	}
	if err := ix.passages(ctx, snap, tz, q, qa, anchorDocs, getMeta, held, pc, res, &cut); err != nil {
		return nil, err
	}
	return res, nil
}

// postingView is where a query reads its posting lists when the overlay
// can answer: the flushed tables and the overlay's copy (overlay.go).
type postingView struct {
	it *pebble.Iterator // OnlyReadGuaranteedDurable
	dc uint64           // the commit count it holds: what names its contents (postcache.go)
	ov *ovRead
}

func (pv *postingView) close() {
	if pv != nil {
		pv.it.Close()
	}
}

// openViews opens a text query's snapshot and, when the overlay can answer
// for it, the view of its posting lists that searches no memtable; nil
// when the scan has to read the snapshot. See overlay.go for the order.
func (ix *Index) openViews(qa analysis) (*pebble.Snapshot, *postingView, error) {
	o := &ix.ov
	o.mu.RLock()
	defer o.mu.RUnlock()
	if !o.on {
		return ix.db.NewSnapshot(), nil, nil
	}
	dc, it, err := ix.openDurable()
	if err != nil {
		return nil, nil, err
	}
	snap := ix.db.NewSnapshot()
	if dc.Commits < o.base {
		it.Close()
		return snap, nil, nil
	}
	v, err := getString(snap, keyCounters)
	var nc counters
	if err == nil {
		nc, err = decodeCounters([]byte(v))
	}
	if err != nil {
		it.Close()
		snap.Close()
		return nil, nil, fmt.Errorf("counters: %w", err)
	}
	return snap, &postingView{it: it, dc: dc.Commits, ov: o.read(qa.anchors, qa.bands, dc.Next, nc.Next, dc.Commits, nc.Commits, MaxDF)}, nil
}

// readErr wraps a failed read of the store.
func (ix *Index) readErr(err error) error {
	if pebble.IsCorruptionError(err) {
		return fmt.Errorf("index %s: %v: %w", ix.dir, err, ErrCorrupt)
	}
	return fmt.Errorf("index %s: %w", ix.dir, err)
}

// scan reads the band and anchor posting lists of a query with one
// iterator, in key order, from pv when it is not nil (and then the
// overlay's part of each list after the tables' part), else from snap.
// It returns the band candidates, the anchor candidates ordered by shared
// anchors (most first), and how many anchors were too common to use.
func (ix *Index) scan(ctx context.Context, snap *pebble.Snapshot, pv *postingView, qa analysis, self uint64, cut *Cut) ([]uint64, []uint64, int, error) {
	// UseL6Filters: Pebble skips the last level's bloom filters by default
	// (they are large, and a seek for a key that exists pays for them on
	// top of the block it reads), but most anchors of a text the index has
	// not seen are in no document, and the filter ends those seeks without
	// reading an index or data block: on 100,000 documents with a flushed
	// memtable, 0.06-0.14 ms a scan of such a text against 0.32-0.49 ms
	// without. At 1,000,000 documents (three levels) texts made of stored
	// documents gain too, since an anchor in a higher level no longer seeks
	// the last one: 4.07-4.36 ms of CPU a query against 4.78-5.35 in
	// reprint-load (BENCHMARKS.md).
	var it *pebble.Iterator
	var ov *ovRead
	var pc *postCache // the tables' part of lists, for a durable view
	if pv != nil {
		it, ov, pc = pv.it, pv.ov, ix.postingCache()
	} else {
		var err error
		it, err = snap.NewIter(&pebble.IterOptions{LowerBound: []byte{pAnchor}, UpperBound: []byte{pBand + 1}, UseL6Filters: true})
		if err != nil {
			return nil, nil, 0, err
		}
		defer it.Close()
		ov = &ovRead{}
	}
	bands := slices.Clone(qa.bands)
	slices.Sort(bands)
	var cached [2][]postList
	var flat []uint64    // the postings of the lists read from the tables, for pc
	var fills []postFill // those lists
	hits := 0
	if pc != nil {
		cached[0] = pc.lookup(pv.dc, 0, qa.anchors, nil)
		cached[1] = pc.lookup(pv.dc, 1, bands, nil)
	}
	seen := map[uint64]bool{}
	var bandDocs []uint64
	shared := map[uint64]int{}
	common := 0
	var buf []uint64
	var iterErr error
	// list returns the first limit documents of list h that the snapshot
	// holds, and false when it holds more: the tables' part (from cl when
	// that decides it, else read with the iterator), less the documents
	// deleted since, then the overlay's part.
	list := func(prefix byte, h uint64, limit int, cl postList) ([]uint64, bool) {
		buf = buf[:0]
		read := true
		if cl.ok {
			for _, d := range cl.docs {
				if ov.deleted[d] {
					continue
				}
				if len(buf) >= limit {
					hits++
					return buf, false
				}
				buf = append(buf, d)
			}
			if read = !cl.whole; read {
				buf = buf[:0] // too many of the cached ones deleted: read the list
			} else {
				hits++
			}
		}
		if read {
			// The list as read is kept, up to limit+1 postings, whatever
			// this query's deleted documents: another query may have others.
			off, whole, cut := len(flat), true, false
			seek := postingKey(prefix, h, 0)
			for ok := it.SeekPrefixGE(seek); ok; ok = it.Next() {
				k := it.Key()
				if len(k) != 17 || k[0] != prefix || binary.BigEndian.Uint64(k[1:]) != h {
					break
				}
				d := binary.BigEndian.Uint64(k[9:])
				if pc != nil {
					if len(flat)-off <= limit {
						flat = append(flat, d)
					} else {
						whole = false
					}
				}
				if ov.deleted[d] {
					continue
				}
				if len(buf) >= limit {
					cut = true
					break
				}
				buf = append(buf, d)
			}
			// A seek that ends in an error is not an empty list.
			if err := it.Error(); err != nil {
				if iterErr == nil {
					iterErr = err
				}
				flat = flat[:off]
			} else if pc != nil {
				fills = append(fills, postFill{kind: kindOf(prefix), h: h, off: off, n: len(flat) - off, whole: whole && !cut})
			}
			if cut {
				return buf, false
			}
		}
		// The overlay's documents are all newer than the tables' ones.
		for _, d := range ov.lists[kindOf(prefix)][h] {
			if ov.deleted[d] {
				continue
			}
			if len(buf) >= limit {
				return buf, false
			}
			buf = append(buf, d)
		}
		return buf, true
	}
	at := func(k, i int) postList {
		if cached[k] == nil {
			return postList{}
		}
		return cached[k][i]
	}
	for i, h := range qa.anchors {
		if i%32 == 0 && ctx.Err() != nil {
			return nil, nil, 0, ctx.Err()
		}
		docs, ok := list(pAnchor, h, MaxDF, at(0, i))
		if !ok {
			common++
			continue
		}
		for _, d := range docs {
			if d != self {
				shared[d]++
			}
		}
	}
	for i, h := range bands {
		docs, whole := list(pBand, h, MaxBandPostings, at(1, i))
		if !whole {
			cut.BandLists++
		}
		for _, d := range docs {
			if d != self && !seen[d] {
				seen[d] = true
				bandDocs = append(bandDocs, d)
			}
		}
	}
	if err := cmp.Or(iterErr, it.Error()); err != nil {
		if pebble.IsCorruptionError(err) {
			return nil, nil, 0, fmt.Errorf("index %s: reading postings: %v: %w", ix.dir, err, ErrCorrupt)
		}
		return nil, nil, 0, fmt.Errorf("index %s: reading postings: %w", ix.dir, err)
	}
	if pc != nil {
		pc.add(pv.dc, flat, fills, hits)
	}
	slices.Sort(bandDocs)
	anchorDocs := make([]uint64, 0, len(shared))
	for d := range shared {
		anchorDocs = append(anchorDocs, d)
	}
	slices.SortFunc(anchorDocs, func(x, y uint64) int {
		return cmp.Or(cmp.Compare(shared[y], shared[x]), cmp.Compare(x, y))
	})
	return bandDocs, anchorDocs, common, nil
}

// passages aligns the query with its anchor candidates and traces the
// passages found.
func (ix *Index) passages(ctx context.Context, snap *pebble.Snapshot, tz *token.Tokenizer, q Query, qa analysis,
	cands []uint64, getMeta func(uint64) (meta, error), held map[uint64]*candDoc, pc *prepCache, res *Result, cut *Cut) error {
	if len(cands) > MaxAlign {
		cut.Candidates = len(cands) - MaxAlign
		cands = cands[:MaxAlign]
	}
	if len(cands) == 0 {
		return nil
	}
	opt := align.DefaultOptions()
	prep := align.PrepareText(q.Text, qa.toks, opt)
	tdocs := []trace.Doc{{ID: res.Query, Date: q.Date, Source: q.Source}}
	var links []trace.Link
	type side struct {
		text string
		toks []token.Token
		m    meta
	}
	sides := []side{{text: q.Text, toks: qa.toks}}
	for _, num := range cands {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		m, err := getMeta(num)
		if err != nil {
			return err
		}
		cd, err := ix.candidate(snap, tz, pc, held, num, m)
		if err != nil {
			return err
		}
		text, toks := cd.text, cd.toks
		full := len(sides) > q.Limit
		res.Stats.Aligned++
		var ps []align.Passage
		if pc == nil {
			ps = prep.PairText(text, toks)
		} else {
			// The same passages as PairText (align says so, and
			// TestQueryCacheSameResults checks it), without building the
			// candidate's tables again when the cache has them.
			if cd.prep == nil {
				cd = cd.with(func(d *candDoc) { d.prep = align.PrepareText(d.text, d.toks, opt) })
				pc.put(num, cd)
			}
			ps = prep.PairPrepared(cd.prep)
		}
		if len(ps) == 0 {
			continue
		}
		if full {
			// Aligned only to count what the limit leaves out.
			cut.Documents++
			continue
		}
		d := len(tdocs)
		tdocs = append(tdocs, trace.Doc{ID: m.ID, Date: m.Date, Source: m.Source})
		sides = append(sides, side{text: text, toks: toks, m: m})
		for _, p := range ps {
			links = append(links, trace.Link{A: 0, B: d, P: p})
		}
	}
	if len(links) == 0 {
		return nil
	}
	tr, err := trace.Build(tdocs, links, trace.DefaultOptions())
	if err != nil {
		return fmt.Errorf("index: trace: %w", err)
	}
	for _, g := range tr.Groups {
		out := Group{ID: g.ID, Status: g.SourceStatus, Boilerplate: g.Boilerplate}
		for i, o := range g.Occurrences {
			out.Occurrences = append(out.Occurrences, Occurrence{ID: o.ID, Date: o.Date, Source: o.Source,
				Start: o.Start, End: o.End, Earliest: i == g.Source})
		}
		res.Groups = append(res.Groups, out)
	}
	for i, l := range links {
		info := tr.Links[i]
		g := tr.Groups[info.Group]
		e := Earliest{Status: g.SourceStatus}
		if g.Source >= 0 {
			o := g.Occurrences[g.Source]
			e.ID, e.Date, e.Source = o.ID, o.Date, o.Source
		}
		b := sides[l.B]
		p := l.P
		res.Passages = append(res.Passages, Passage{
			Passage: tr.Passage(tdocs, l, i),
			Date:    b.m.Date, Source: b.m.Source, URL: b.m.URL, Earliest: e,
		})
		if q.Excerpts {
			res.Excerpts = append(res.Excerpts, align.MakeExcerpt(q.Text, qa.toks, b.text, b.toks, align.Diff(qa.toks, b.toks, p)))
		}
	}
	return nil
}

// candidate returns stored document num, whose metadata in the query's
// snapshot is m, with its text and tokens: from what the query already
// holds, from the cache (when it was built from the same metadata), or
// read from the snapshot and tokenized, then held for the rest of the
// query and cached.
func (ix *Index) candidate(snap *pebble.Snapshot, tz *token.Tokenizer, pc *prepCache, held map[uint64]*candDoc, num uint64, m meta) (*candDoc, error) {
	if d, ok := held[num]; ok {
		return d, nil
	}
	d := pc.get(num, m)
	if d == nil {
		text, err := ix.getText(snap, num)
		if err != nil {
			return nil, err
		}
		d = &candDoc{m: m, text: text, toks: tz.Tokens(text, m.Start, nil)}
		pc.put(num, d)
	}
	held[num] = d
	return d, nil
}

// with returns a copy of d changed by fill: a cached candDoc is never
// modified, since other queries may be reading it.
func (d *candDoc) with(fill func(*candDoc)) *candDoc {
	c := *d
	fill(&c)
	return &c
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func getString(s *pebble.Snapshot, key []byte) (string, error) {
	v, cl, err := s.Get(key)
	if err != nil {
		return "", err
	}
	out := string(v)
	cl.Close()
	return out, nil
}

// missing is the error of a read of document num's part what: a failed
// read, or ErrCorrupt when the part is not there although a posting or the
// ID entry names the document.
func (ix *Index) missing(err error, num uint64, what string) error {
	if errors.Is(err, pebble.ErrNotFound) {
		return fmt.Errorf("index %s: document %d: no %s: %w", ix.dir, num, what, ErrCorrupt)
	}
	if pebble.IsCorruptionError(err) {
		return fmt.Errorf("index %s: reading document %d's %s: %v: %w", ix.dir, num, what, err, ErrCorrupt)
	}
	return fmt.Errorf("index %s: reading document %d's %s: %w", ix.dir, num, what, err)
}

// getMeta reads and decodes document num's metadata.
func (ix *Index) getMeta(s *pebble.Snapshot, num uint64) (meta, error) {
	v, err := getString(s, numKey(pMeta, num))
	if err != nil {
		return meta{}, ix.missing(err, num, "metadata")
	}
	m, err := decodeMeta([]byte(v))
	if err != nil {
		return meta{}, fmt.Errorf("index %s: document %d: unreadable metadata: %w", ix.dir, num, ErrCorrupt)
	}
	return m, nil
}

// getText reads document num's text.
func (ix *Index) getText(s *pebble.Snapshot, num uint64) (string, error) {
	t, err := getString(s, numKey(pText, num))
	if err != nil {
		return "", ix.missing(err, num, "text")
	}
	return t, nil
}

// lookup finds a document's number and metadata by ID.
func (ix *Index) lookup(s *pebble.Snapshot, id string) (uint64, meta, error) {
	v, err := getString(s, idKey(id))
	if errors.Is(err, pebble.ErrNotFound) {
		return 0, meta{}, fmt.Errorf("%q: %w", id, ErrNotFound)
	}
	if err != nil {
		return 0, meta{}, fmt.Errorf("index %s: looking up %q: %w", ix.dir, id, err)
	}
	if len(v) != 8 {
		return 0, meta{}, fmt.Errorf("index %s: %q: ID entry of %d bytes: %w", ix.dir, id, len(v), ErrCorrupt)
	}
	num := binary.BigEndian.Uint64([]byte(v))
	m, err := ix.getMeta(s, num)
	if err != nil {
		return 0, meta{}, fmt.Errorf("%q: %w", id, err)
	}
	return num, m, nil
}
