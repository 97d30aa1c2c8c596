// The stages of a run:
//
//	read 1 (pipeline)  ─► workers: decode, tokenize, hash sub-windows, winnow; collector: documents, anchor records
//	sort anchors       ─► anchors whose hash occurs twice are candidates (anchors.go)
//	read 2 (pipeline)  ─► documents with a candidate: window records of the windows whose anchor is one
//	sort windows       ─► in each run of equal hashes, the first by keep order stays; the others are removed windows
//	sort removed       ─► by document and position, joined into maximal spans
//	read 3 (pipeline)  ─► documents with a span: byte offsets and normalized words of both sides; compare
//
// Document numbers come from the collector, in input order, so everything
// is the same for any number of workers.

package repeats

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/reprint/reprint/cluster"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/internal/pipeline"
	"github.com/reprint/reprint/token"
)

// Span is one removed occurrence: its words are also at Kept, which stays.
// Offsets are bytes of the document's text as read, from the first word's
// start to the last word's end. Two spans of one document overlap where
// the place of the kept copy changes inside a removed stretch.
type Span struct {
	ID    string `json:"id"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Words int    `json:"words"`
	Kept  Place  `json:"kept"`
}

// Place is where the kept copy of a span is.
type Place struct {
	ID    string `json:"id"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Group is one kept span and how often it was removed elsewhere.
type Group struct {
	Kept    Place  `json:"kept"`
	Words   int    `json:"words"`
	Removed int    `json:"removed"` // occurrences removed
	Text    string `json:"text"`    // the kept copy's text (cut at 300 bytes)
}

// Stats describes a run.
type Stats struct {
	Records int `json:"records"`   // records read, good or bad
	Docs    int `json:"documents"` // documents read
	pipeline.Skips
	Bytes       int64      `json:"bytes"`               // text bytes of the documents
	Words       int64      `json:"words"`               // tokens
	Windows     int64      `json:"windows"`             // windows of MinWords words in the documents not folded
	Anchors     int64      `json:"anchors"`             // distinct anchors of those windows, sorted (anchors.go)
	Candidates  int64      `json:"candidate_windows"`   // windows whose anchor is repeated, hashed again and sorted
	Folded      int        `json:"documents_folded"`    // documents with the words of an earlier one, whose windows were not sorted again
	Removed     int64      `json:"removed_windows"`     // windows found repeated, not counting the kept one
	Spans       int        `json:"spans"`               // distinct kept spans with at least one removed occurrence
	Occurrences int        `json:"occurrences_removed"` // removed occurrences (lines of --spans)
	SpanBytes   int64      `json:"span_bytes"`          // bytes of the removed occurrences, first word to last
	SpanWords   int64      `json:"span_words"`          // words removed
	Touched     int        `json:"documents_touched"`   // documents that lose at least one span
	Emptied     int        `json:"documents_emptied"`   // documents that lose every word
	Unconfirmed int        `json:"unconfirmed_spans"`   // spans whose hashes matched but words did not (not removed)
	SpilledRuns int        `json:"spilled_runs"`        // sorted runs written to disk
	Workers     int        `json:"workers"`
	MinWords    int        `json:"min_words"`
	Keep        string     `json:"keep"`
	Seconds     StageTimes `json:"seconds"`
}

// StageTimes are wall-clock seconds per stage.
type StageTimes struct {
	Read       float64 `json:"read"`       // first read: decode, tokenize, hash anchors
	Candidates float64 `json:"candidates"` // second read: the windows of candidate anchors
	Sort       float64 `json:"sort"`       // the sorts and joining spans
	Confirm    float64 `json:"confirm"`    // third read and word comparison
	Total      float64 `json:"total"`
}

// docInfo is what is kept of a document once it is hashed.
type docInfo struct {
	ID    string
	Date  string
	Seq   int
	Bytes int
	Words int
	rep   int32 // the first document with the same normalized words (itself for most)
}

// spanRec is a span in token positions, then bytes once read again.
type spanRec struct {
	doc, kdoc          int32
	start, end, kstart int32 // tokens; the kept copy is [kstart, kstart+end-start)
	b0, b1, kb0, kb1   int   // bytes, filled by the third read
	ok                 bool  // confirmed word by word
}

// side is one side of a span to read in the second pass.
type side struct {
	span   int32
	kept   bool
	b0, b1 int   // bytes, from the third read
	off    int64 // normalized words in the compare file
	n      int
}

// Result holds the repeated spans of a corpus.
type Result struct {
	Stats Stats

	opt      Options
	docs     []docInfo
	spans    []spanRec
	bySeq    map[int][]int32 // input record → its confirmed removed spans, in order
	emptied  map[int]bool    // input records that lose every word
	top      []Group
	previews map[groupKey]string
	members  map[int32][]int32 // rep → the other documents with its words
	best     map[int32]int32   // rep → the document of its group first by keep order
	maxBatch int               // input bytes of one batch of the pipeline, smaller under a memory limit
}

// Find finds the repeated spans among docs held in memory.
func Find(docs []corpus.Doc, opt Options) (*Result, error) {
	return run(context.Background(), pipeline.FromDocs(docs), nil, opt)
}

// Run reads every document of c (twice) and finds its repeated spans.
func Run(ctx context.Context, c *corpus.Corpus, opt Options) (*Result, error) {
	return run(ctx, pipeline.FromCorpus(c), c, opt)
}

// windowHashes hashes every window of w tokens; a variable so that a test
// can make hashes collide and see the words decide.
var windowHashes = token.Shingles

// foldDuplicates is off only in the test that checks folding changes
// nothing.
var foldDuplicates = true

type hashed struct {
	doc      docInfo
	anchors  []rec  // distinct anchors: hash, position
	abuf     *[]rec // where anchors came from, back to recBufs
	windows  int    // windows of MinWords words
	textHash uint64 // of the whole token sequence, when there are windows
	file     string
	line     int
	problem  *corpus.Problem
}

func run(ctx context.Context, src pipeline.Source, c *corpus.Corpus, opt Options) (*Result, error) {
	opt, err := opt.WithDefaults()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	res := &Result{opt: opt, bySeq: map[int][]int32{}, emptied: map[int]bool{}, members: map[int32][]int32{}}
	st := &res.Stats
	st.Workers, st.MinWords, st.Keep = opt.Workers, opt.MinWords, string(opt.Keep)
	problem := st.Skips.Counter(opt.OnProblem)
	res.maxBatch = pipeline.BatchBytes
	if opt.MemLimit > 0 {
		res.maxBatch = int(min(max(opt.MemLimit/256, 64<<10), pipeline.BatchBytes))
	}
	// A quarter of the limit for the anchors, then for the candidate
	// windows (one at a time), an eighth for the candidate anchors and
	// then for the removed windows; the rest is per-document metadata,
	// batches in flight and the runtime.
	anchors := newSorter(opt.MemLimit/4, opt.TmpDir, "anchors", opt.Workers)
	defer anchors.remove()

	w := opt.MinWords
	aw := anchorWords(w)
	decode := pipeline.Decoder(c)
	newWorker := func() func(pipeline.Job) hashed {
		tz := token.New()
		var toks []token.Token
		var hs []uint64
		var runs []anchorRun
		var dq []int32
		return func(j pipeline.Job) hashed {
			d, err := decode(j)
			if err != nil {
				return hashed{problem: pipeline.AsProblem(err, j.Rec)}
			}
			toks = tz.Tokens(d.Text, d.Start, toks[:0])
			if len(toks) == 0 {
				return hashed{problem: pipeline.NoWords(j, d)}
			}
			h := hashed{doc: docInfo{ID: d.ID, Date: d.Date, Seq: j.Seq, Bytes: len(d.Text), Words: len(toks)}, file: j.Rec.File, line: j.Rec.Line}
			if len(toks) >= w {
				hs = windowHashes(toks, aw, hs[:0])
				runs, dq = winnow(hs, w-aw+1, runs[:0], dq)
				buf, _ := recBufs.Get().(*[]rec)
				if buf == nil {
					buf = new([]rec)
				}
				as := (*buf)[:0]
				for _, r := range runs {
					as = append(as, rec{hs[r.at], uint64(r.at)})
				}
				h.anchors, h.abuf, h.windows = as, buf, len(toks)-w+1
				h.textHash = token.TextHash(toks)
			}
			return h
		}
	}
	ids := map[string]int32{}
	byText := map[uint64]int32{}
	collect := func(h hashed) {
		if h.abuf != nil {
			defer func() { *h.abuf = h.anchors[:0]; recBufs.Put(h.abuf) }()
		}
		if h.problem != nil {
			problem(h.problem)
			return
		}
		if first, ok := ids[h.doc.ID]; ok {
			problem(pipeline.DuplicateID(h.file, h.line, h.doc.ID, res.docs[first].Seq))
			return
		}
		n := int32(len(res.docs))
		ids[h.doc.ID] = n
		h.doc.rep = n
		st.Bytes += int64(h.doc.Bytes)
		st.Words += int64(h.doc.Words)
		if h.windows > 0 {
			// A document with the words of an earlier one (an exact
			// duplicate after normalization) adds no windows: its spans
			// are derived from its group's (expandMembers). A hash
			// collision here could only hide repeats, never remove
			// text: every span is still compared word by word.
			if r, ok := byText[h.textHash]; ok && foldDuplicates && res.docs[r].Words == h.doc.Words {
				h.doc.rep = r
				res.members[r] = append(res.members[r], n)
				res.docs = append(res.docs, h.doc)
				st.Folded++
				return
			}
			byText[h.textHash] = n
		}
		res.docs = append(res.docs, h.doc)
		for _, a := range h.anchors {
			anchors.add(rec{a.a, uint64(n)<<32 | a.b})
		}
		st.Windows += int64(h.windows)
		st.Anchors += int64(len(h.anchors))
	}
	var progress func(int)
	if opt.Progress != nil {
		progress = func(n int) { opt.Progress(Progress{Docs: n, Bytes: st.Bytes}) }
	}
	ps, err := pipeline.Ordered(ctx, src, problem, opt.Workers, res.maxBatch, newWorker, collect, progress)
	if err != nil {
		return nil, err
	}
	ids, byText = nil, nil
	st.Records, st.Docs = ps.Records, len(res.docs)
	st.Seconds.Read = time.Since(start).Seconds()

	t0 := time.Now()
	found, err := res.candidateAnchors(anchors)
	if err != nil {
		return nil, err
	}
	cf, err := res.writeCandidates(found)
	found.remove()
	if err != nil {
		return nil, err
	}
	st.SpilledRuns = anchors.nruns + found.nruns
	t1 := time.Now()
	windows, err := res.candidateWindows(ctx, src, c, cf)
	cf.close()
	if err != nil {
		return nil, err
	}
	defer windows.remove()
	st.Seconds.Candidates = time.Since(t1).Seconds()
	removed, err := res.removedWindows(windows)
	if err != nil {
		return nil, err
	}
	defer removed.remove()
	if err := res.joinSpans(removed); err != nil {
		return nil, err
	}
	res.expandMembers()
	st.SpilledRuns += windows.nruns + removed.nruns
	st.Seconds.Sort = time.Since(t0).Seconds() - st.Seconds.Candidates

	t0 = time.Now()
	if len(res.spans) > 0 {
		if err := res.confirm(ctx, src, c); err != nil {
			return nil, err
		}
	}
	res.finish()
	st.Seconds.Confirm = time.Since(t0).Seconds()
	st.Seconds.Total = time.Since(start).Seconds()
	return res, nil
}

// removedWindows reads the window records in hash order and returns, as a
// sorter of (document<<32|position, kept document<<32|kept position), every
// occurrence of a repeated window but the first by keep order.
func (res *Result) removedWindows(windows *sorter) (*sorter, error) {
	ms := make([]cluster.Member, len(res.docs))
	for i, d := range res.docs {
		ms[i] = cluster.Member{ID: d.ID, Date: d.Date, Bytes: int64(d.Bytes), Seq: uint64(d.Seq)}
	}
	rank := make([]uint32, len(res.docs))
	for r, d := range res.opt.Keep.Order(ms) {
		rank[d] = uint32(r)
	}
	// A group of documents with the same words is sorted under its first
	// document and stands for its best one by keep order: that one keeps
	// what the group keeps, and the records below are its.
	best := make(map[int32]int32, len(res.members))
	for r, ms := range res.members {
		b := r
		for _, m := range ms {
			if rank[m] < rank[b] {
				b = m
			}
		}
		best[r] = b
		rank[r] = rank[b]
	}
	res.best = best
	stand := func(v uint64) uint64 {
		if b, ok := best[int32(v>>32)]; ok {
			return uint64(b)<<32 | v&0xffffffff
		}
		return v
	}
	out := newSorter(res.opt.MemLimit/8, res.opt.TmpDir, "removed", res.opt.Workers)
	return windows.regroup(out, func(group []uint64) { // doc<<32|pos of one run of equal hashes
		if len(group) > 1 {
			best := 0
			order := func(v uint64) uint64 { return uint64(rank[v>>32])<<32 | v&0xffffffff }
			for i := 1; i < len(group); i++ {
				if order(group[i]) < order(group[best]) {
					best = i
				}
			}
			kept := stand(group[best])
			for i, v := range group {
				if i != best {
					out.add(rec{stand(v), kept})
				}
			}
			res.Stats.Removed += int64(len(group) - 1)
		}
	})
}

// joinSpans reads the removed windows by document and position and joins
// consecutive ones whose kept windows advance with them into spans: each
// span is a maximal run of windows with one kept place, so it holds at
// least MinWords words. Where the kept place changes inside a removed
// stretch, two spans overlap (by up to MinWords-1 words); the cut is their
// union.
func (res *Result) joinSpans(removed *sorter) error {
	w := int32(res.opt.MinWords)
	type runKey struct{ kdoc, delta int32 }
	open := map[runKey]int{} // kept place → index in res.spans of the span its last window ended
	doc := int32(-1)
	var docStart int // first span of doc in res.spans
	flush := func() {
		// Spans of one document in order of start, then kept place.
		ds := res.spans[docStart:]
		slices.SortFunc(ds, func(x, y spanRec) int {
			return cmp.Or(cmp.Compare(x.start, y.start), cmp.Compare(x.kdoc, y.kdoc), cmp.Compare(x.kstart, y.kstart))
		})
		clear(open)
	}
	err := removed.each(func(r rec) error {
		d, pos := int32(r.a>>32), int32(r.a)
		kdoc, kpos := int32(r.b>>32), int32(r.b)
		if d != doc {
			flush()
			doc, docStart = d, len(res.spans)
		}
		// Most windows extend the span made last; the map is for the rest.
		if n := len(res.spans) - 1; n >= docStart {
			if last := &res.spans[n]; last.kdoc == kdoc && last.kstart-last.start == kpos-pos && last.end == pos-1+w {
				last.end = pos + w
				return nil
			}
		}
		k := runKey{kdoc, kpos - pos}
		if i, ok := open[k]; ok && res.spans[i].end == pos-1+w {
			res.spans[i].end = pos + w
			return nil
		}
		open[k] = len(res.spans)
		res.spans = append(res.spans, spanRec{doc: d, kdoc: kdoc, start: pos, end: pos + w, kstart: kpos})
		return nil
	})
	flush()
	return err
}

// expandMembers gives every document of a group with the same words the
// spans its best document would have had if it had been sorted too: each
// window of a member is an occurrence ranked after the best document's, so
// where the best document loses a window to a kept place elsewhere the
// member loses it to the same place, and where the best document keeps a
// window the member loses it to the best document. Runs of the latter
// make spans of their own (their kept place, the best document at the
// same position, never continues one of the former), so the spans are
// those the unfolded sort gives.
func (res *Result) expandMembers() {
	if len(res.members) == 0 {
		return
	}
	w := int32(res.opt.MinWords)
	from := map[int32][2]int{} // document → its spans' range in res.spans
	for i := 0; i < len(res.spans); {
		j := i
		for j < len(res.spans) && res.spans[j].doc == res.spans[i].doc {
			j++
		}
		from[res.spans[i].doc] = [2]int{i, j}
		i = j
	}
	reps := make([]int32, 0, len(res.members))
	for r := range res.members {
		reps = append(reps, r)
	}
	slices.Sort(reps)
	for _, r := range reps {
		b := res.best[r]
		span := from[b]
		nw := res.docs[b].Words - int(w) + 1 // windows of each document of the group
		covered := make([]bool, nw)
		for _, sp := range res.spans[span[0]:span[1]] {
			for p := sp.start; p+w <= sp.end; p++ {
				covered[p] = true
			}
		}
		for _, m := range append([]int32{r}, res.members[r]...) {
			if m == b {
				continue
			}
			for _, sp := range res.spans[span[0]:span[1]] {
				sp.doc = m
				res.spans = append(res.spans, sp)
			}
			for p := 0; p < nw; {
				if covered[p] {
					p++
					continue
				}
				q := p
				for q < nw && !covered[q] {
					q++
				}
				res.spans = append(res.spans, spanRec{doc: m, kdoc: b, start: int32(p), end: int32(q-1) + w, kstart: int32(p)})
				p = q
			}
			res.Stats.Removed += int64(nw)
		}
	}
	slices.SortFunc(res.spans, func(x, y spanRec) int {
		return cmp.Or(cmp.Compare(x.doc, y.doc), cmp.Compare(x.start, y.start), cmp.Compare(x.kdoc, y.kdoc), cmp.Compare(x.kstart, y.kstart))
	})
}

// read2 is what the third read (confirm) returns for one document.
type read2 struct {
	doc     int32
	ranges  [][2]int // byte range of each side, in the order of the document's sides
	words   [][]byte // normalized words of each side
	preview []string // text of each side that is a top group's kept copy, else ""
	problem error
}

// confirm reads the corpus again, takes the byte offsets and normalized
// words of both sides of every span, and compares them.
func (res *Result) confirm(ctx context.Context, src pipeline.Source, c *corpus.Corpus) error {
	// The sides of each document, in the order the spans were made; a
	// kept copy that many spans share is one side.
	sides := make([]side, 0, 2*len(res.spans))
	keptSeen := map[groupKey]bool{}
	for i := range res.spans {
		sides = append(sides, side{span: int32(i)})
		if k := res.spans[i].key(); !keptSeen[k] {
			keptSeen[k] = true
			sides = append(sides, side{span: int32(i), kept: true})
		}
	}
	keptSeen = nil
	docOf := func(s side) int32 {
		if s.kept {
			return res.spans[s.span].kdoc
		}
		return res.spans[s.span].doc
	}
	slices.SortStableFunc(sides, func(x, y side) int { return cmp.Compare(docOf(x), docOf(y)) })
	first := make([]int32, len(res.docs)+1) // sides of doc d: sides[first[d]:first[d+1]]
	for _, s := range sides {
		first[docOf(s)+1]++
	}
	for d := range res.docs {
		first[d+1] += first[d]
	}
	seqDoc := make(map[int]int32, len(res.docs))
	for d, info := range res.docs {
		if first[d+1] > first[d] {
			seqDoc[info.Seq] = int32(d)
		}
	}
	// Previews: the kept copies removed most often, chosen before
	// confirmation (which almost never drops a span) so the third read
	// can keep their text.
	wantPreview := res.topCandidates(2 * res.opt.Top)

	f, err := os.CreateTemp(res.opt.TmpDir, "reprint-spanwords-*")
	if err != nil {
		return fmt.Errorf("repeats: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	var off int64
	var werr error
	previews := map[groupKey]string{}

	decode := pipeline.Decoder(c)
	newWorker := func() func(pipeline.Job) read2 {
		tz := token.New()
		var toks []token.Token
		return func(j pipeline.Job) read2 {
			d, ok := seqDoc[j.Seq]
			if !ok {
				return read2{doc: -1}
			}
			doc, err := decode(j)
			if err != nil {
				return read2{doc: d, problem: fmt.Errorf("repeats: record %d (%s line %d) no longer decodes: %v", j.Seq, j.Rec.File, j.Rec.Line, err)}
			}
			toks = tz.Tokens(doc.Text, doc.Start, toks[:0])
			ss := sides[first[d]:first[d+1]]
			out := read2{doc: d, ranges: make([][2]int, len(ss)), words: make([][]byte, len(ss)), preview: make([]string, len(ss))}
			for i, s := range ss {
				sp := res.spans[s.span]
				a, b := sp.start, sp.end
				if s.kept {
					a, b = sp.kstart, sp.kstart+sp.end-sp.start
				}
				if int(b) > len(toks) {
					return read2{doc: d, problem: fmt.Errorf("repeats: document %q changed between the two reads", doc.ID)}
				}
				out.ranges[i] = [2]int{toks[a].Start, toks[b-1].End}
				buf := make([]byte, 0, out.ranges[i][1]-out.ranges[i][0]+int(b-a))
				for _, t := range toks[a:b] {
					buf = appendNormalized(buf, tz, doc.Text[t.Start:t.End])
				}
				out.words[i] = buf
				if s.kept && wantPreview[sp.key()] {
					out.preview[i] = clipText(doc.Text[toks[a].Start:toks[b-1].End], 300)
				}
			}
			return out
		}
	}
	collect := func(r read2) {
		if r.doc < 0 || werr != nil {
			return
		}
		if r.problem != nil {
			werr = r.problem
			return
		}
		for i := range r.ranges {
			s := &sides[int(first[r.doc])+i]
			s.b0, s.b1 = r.ranges[i][0], r.ranges[i][1]
			if r.preview[i] != "" {
				previews[res.spans[s.span].key()] = r.preview[i]
			}
			s.off, s.n = off, len(r.words[i])
			if _, err := bw.Write(r.words[i]); err != nil {
				werr = fmt.Errorf("repeats: writing span words: %w", err)
				return
			}
			off += int64(len(r.words[i]))
		}
	}
	// Problems were reported by the first read; the third does not repeat them.
	if _, err := pipeline.Ordered(ctx, src, func(*corpus.Problem) {}, res.opt.Workers, res.maxBatch, newWorker, collect, nil); err != nil {
		return err
	}
	if werr == nil {
		if err := bw.Flush(); err != nil {
			werr = fmt.Errorf("repeats: writing span words: %w", err)
		}
	}
	if werr != nil {
		return werr
	}
	// Compare both sides of each span, word by word.
	removedSide := make([]int32, len(res.spans))
	keptSide := map[groupKey]int32{}
	for i, s := range sides {
		if s.kept {
			keptSide[res.spans[s.span].key()] = int32(i)
		} else {
			removedSide[s.span] = int32(i)
		}
	}
	var a, b []byte
	for i := range res.spans {
		sp := &res.spans[i]
		x, y := sides[removedSide[i]], sides[keptSide[sp.key()]]
		sp.b0, sp.b1, sp.kb0, sp.kb1 = x.b0, x.b1, y.b0, y.b1
		if x.n != y.n {
			continue // not the same words
		}
		a, b = slices.Grow(a[:0], x.n)[:x.n], slices.Grow(b[:0], y.n)[:y.n]
		_, err1 := f.ReadAt(a, x.off)
		_, err2 := f.ReadAt(b, y.off)
		if err := errors.Join(err1, err2); err != nil {
			return fmt.Errorf("repeats: reading span words: %w", err)
		}
		sp.ok = bytes.Equal(a, b)
	}
	res.previews = previews
	return nil
}

// groupKey names a kept copy.
type groupKey struct{ doc, start, end int32 }

func (s *spanRec) key() groupKey { return groupKey{s.kdoc, s.kstart, s.kstart + s.end - s.start} }

// groups counts the removed spans of each kept copy (confirmed ones only,
// once confirmation has run), most removed first, then longest, then by
// place.
func (res *Result) groups(confirmed bool) []struct {
	key   groupKey
	count int
} {
	counts := map[groupKey]int{}
	for i := range res.spans {
		if !confirmed || res.spans[i].ok {
			counts[res.spans[i].key()]++
		}
	}
	type kc = struct {
		key   groupKey
		count int
	}
	out := make([]kc, 0, len(counts))
	for k, c := range counts {
		out = append(out, kc{k, c})
	}
	slices.SortFunc(out, func(x, y kc) int {
		return cmp.Or(-cmp.Compare(x.count, y.count), -cmp.Compare(x.key.end-x.key.start, y.key.end-y.key.start),
			cmp.Compare(x.key.doc, y.key.doc), cmp.Compare(x.key.start, y.key.start))
	})
	return out
}

// topCandidates are the kept copies whose text the third read keeps.
func (res *Result) topCandidates(n int) map[groupKey]bool {
	want := map[groupKey]bool{}
	for i, g := range res.groups(false) {
		if i == n {
			break
		}
		want[g.key] = true
	}
	return want
}

// finish counts the confirmed spans and indexes them by input record.
func (res *Result) finish() {
	st := &res.Stats
	// Spans of a document are together and in order of start, so the
	// words and bytes they cover are counted once with a running end.
	last, words := int32(-1), 0
	var wordEnd int32
	var byteEnd int
	done := func() {
		st.SpanWords += int64(words)
		if last >= 0 && words == res.docs[last].Words {
			res.emptied[res.docs[last].Seq] = true
		}
	}
	for i := range res.spans {
		sp := &res.spans[i]
		if !sp.ok {
			st.Unconfirmed++
			continue
		}
		if sp.doc != last {
			done()
			last, words, wordEnd, byteEnd = sp.doc, 0, 0, 0
		}
		st.Occurrences++
		if sp.end > wordEnd {
			words += int(sp.end - max(sp.start, wordEnd))
			wordEnd = sp.end
		}
		if sp.b1 > byteEnd {
			st.SpanBytes += int64(sp.b1 - max(sp.b0, byteEnd))
			byteEnd = sp.b1
		}
		seq := res.docs[sp.doc].Seq
		res.bySeq[seq] = append(res.bySeq[seq], int32(i))
	}
	done()
	st.Touched = len(res.bySeq)
	st.Emptied = len(res.emptied)
	gs := res.groups(true)
	st.Spans = len(gs)
	for _, g := range gs[:min(len(gs), res.opt.Top)] {
		res.top = append(res.top, Group{
			Kept:    Place{ID: res.docs[g.key.doc].ID, Start: res.keptBytes(g.key)[0], End: res.keptBytes(g.key)[1]},
			Words:   int(g.key.end - g.key.start),
			Removed: g.count,
			Text:    res.previews[g.key],
		})
	}
}

// keptBytes is the byte range of a kept copy.
func (res *Result) keptBytes(k groupKey) [2]int {
	for i := range res.spans {
		if sp := &res.spans[i]; sp.ok && sp.key() == k {
			return [2]int{sp.kb0, sp.kb1}
		}
	}
	return [2]int{}
}

// Spans returns every removed occurrence, in input order of its document,
// then by offset.
func (res *Result) Spans() []Span {
	var out []Span
	for i := range res.spans {
		sp := &res.spans[i]
		if !sp.ok {
			continue
		}
		out = append(out, Span{ID: res.docs[sp.doc].ID, Start: sp.b0, End: sp.b1, Words: int(sp.end - sp.start),
			Kept: Place{ID: res.docs[sp.kdoc].ID, Start: sp.kb0, End: sp.kb1}})
	}
	return out
}

// Top returns the kept copies removed most often elsewhere, at most
// Options.Top of them, most removed first.
func (res *Result) Top() []Group { return slices.Clone(res.top) }

// Emptied reports whether the document of input record seq loses every
// word.
func (res *Result) Emptied(seq int) bool { return res.emptied[seq] }

// Edit returns the text of the document of input record seq with its
// removed spans cut out (tidily: see Cut), and false when the document
// loses every word. Documents without a removed span come back unchanged.
// text must be the document's text as read (Doc.Text); start its
// Doc.Start.
func (res *Result) Edit(seq int, text string, start int) (string, bool) {
	if res.emptied[seq] {
		return "", false
	}
	idx := res.bySeq[seq]
	if len(idx) == 0 {
		return text, true
	}
	ranges := make([][2]int, len(idx))
	for i, s := range idx {
		ranges[i] = [2]int{res.spans[s].b0, res.spans[s].b1}
	}
	return Cut(text, start, ranges), true
}

// clipText cuts s to at most n bytes on a rune boundary, marking the cut.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// appendNormalized appends the normalized form of word w, as
// token.Tokenizer.Normalize gives it, followed by a zero byte (a word has
// no zero byte, so the sequence reads back unambiguously). An ASCII word
// is lower-cased in place of Normalize's new string: the third read
// normalizes every word of every span.
func appendNormalized(dst []byte, tz *token.Tokenizer, w string) []byte {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			return append(append(dst, tz.Normalize(w)...), 0)
		}
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return append(dst, 0)
}
