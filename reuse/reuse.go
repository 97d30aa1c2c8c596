// Package reuse finds the passages documents share across a collection:
// the engine behind "reprint reuse", "reprint align" and "reprint report".
//
//	pass 1  scan (1) ─► workers (N): decode, apply --meta, tokenize, candidate keys
//	                    (align.ContentKeys: stem pairs of content words; or align.Anchors);
//	                    with content keys, within the prepared documents' memory, the
//	                    document is prepared for alignment here and its keys taken from that
//	                    (align.PrepareContent, earlyPrep)
//	                 ─► collector (1, input order): IDs, metadata, key postings into lsh.Index
//	        candidates: pairs of documents sharing MinShared rare keys (lsh.Index.Candidates, MaxDF)
//	pass 2  scan again ─► workers decode only the records of candidate documents; their texts are held
//	        align (N): runs of candidate pairs; each document prepared once (align.PrepareText, and with
//	        content keys its rare key sites, rare by a document-frequency sketch filled in pass 1:
//	        sketch.go; a document pass 1 prepared only gets those, align.Prepared.KeyRare);
//	        a pair whose shared rare keys lie scattered (align.Prepared.MayShare) is not
//	        aligned, the others by align.Prepared.PairPrepared, align.Diff
//	        trace.Build: passage groups, direction from dates, boilerplate
//
// Memory. Pass 1 holds no text: a document costs its metadata and its
// postings in the key index (16 bytes per distinct key), and, up to an
// eighth of Options.MemLimit (what pass 2 gives prepared documents
// anyway), the documents it prepared for alignment, which are let go at
// its end unless they are candidates; and
// past Options.MemLimit/2 the postings are sorted and spilled to disk in
// runs and merged (package lsh, the same engine as the band keys). Candidates are only known once the
// whole collection is indexed, so holding "the texts of candidate documents
// only" in one pass would mean holding every text until the end of it;
// instead the inputs are read a second time and only the records of
// candidate documents are decoded and kept (corpus spools standard input,
// so "-" can be read twice). The price is a second read of the input files,
// which are usually in the page cache by then; what is saved is every text
// that shares nothing, which in a real collection is most of them. Tokens
// are not kept between passes either: a token takes 24 bytes against about
// six bytes of text per word, and tokenizing is the cheapest stage; only
// the documents pass 1 prepared keep theirs, inside their preparation.
// The aligner tokenizes the first document of a run of pairs once per run.
//
// Determinism: documents are numbered in input order by the collector,
// candidates come sorted, each pair's passages are computed independently
// and gathered in pair order, and the final list is sorted by (a, b,
// a_start), so the output does not depend on the number of workers.
//
// Deliberately not done: bounding pass 2 when nearly every document is a
// candidate (block-nested passes over the candidate pairs, re-reading once
// per block). With the anchors' document-frequency limit, candidate
// documents are the ones that really share text, and a collection where
// all of them do is one a near-duplicate pass (dedup) should shrink first.
package reuse

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reprint/reprint/align"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/internal/errs"
	"github.com/reprint/reprint/internal/pipeline"
	"github.com/reprint/reprint/lsh"
	"github.com/reprint/reprint/token"
	"github.com/reprint/reprint/trace"
	"github.com/zeebo/xxh3"
)

// What makes candidate pairs (Options.Keys).
const (
	KeysContent = "content"
	KeysAnchors = "anchors"
)

// Default MinShared for each kind of key: a content key is one stem pair,
// so a reused passage has about half as many as it has 4-word anchors, but
// two documents on one subject share more of them by chance.
const (
	DefaultMinSharedContent = 5
	DefaultMinSharedAnchors = 2
)

// Options control a reuse run. The zero value means the defaults.
type Options struct {
	MinWords    int     // shortest passage reported, in words of its longer side; 0 means 15
	Anchor      int     // anchor n-gram length in words; 0 means 4
	MaxGap      int     // unmatched words allowed between two anchors of one passage; 0 means 20, negative means none
	MinIdentity float64 // lowest share of aligned words that are equal; 0 means 0.6
	MaxDF       int     // candidate keys in more documents than this do not make candidates; 0 means 64
	MinShared   int     // rare candidate keys two documents must share to be aligned; 0 means 5 for content keys, 2 for anchors
	// Keys says what makes candidate pairs: KeysContent (the default:
	// stem pairs of consecutive content words, align.ContentKeys, which
	// survive rewording and translation) or KeysAnchors (every Anchor-word
	// n-gram, align.Anchors: exact runs only).
	Keys string

	// AlignScattered aligns every candidate pair. By default, with content
	// keys, a pair is aligned only when its shared rare keys meet the way
	// reused text puts them (align.Prepared.MayShare): on one diagonal,
	// or two to a sentence pair in several sentences.
	AlignScattered bool

	DropBoilerplate bool // leave out passages of boilerplate groups (a site's own repeated text)
	// Kinds, when set, keeps only passages of these kinds of reuse
	// (align.KindVerbatim, KindEdited, KindParaphrase).
	Kinds []string
	// AllPairs aligns every pair of documents instead of the candidates of
	// the anchor index: for a handful of documents, as "reprint align" does.
	AllPairs bool
	// Excerpts keeps, for every passage, its text on both sides with the
	// differing words marked (ReuseResult.Excerpts), for reports.
	Excerpts bool
	// Meta supplies metadata by document ID (a --meta sidecar); its
	// non-empty fields replace the document's own.
	Meta map[string]corpus.Meta

	// MemLimit bounds the memory for key postings; past it they are
	// spilled to temporary files in TmpDir and merged, with the same
	// results. 0 means no limit.
	MemLimit int64
	TmpDir   string // "" means the system's temporary directory

	Workers   int                   // 0 means all cores
	OnProblem func(*corpus.Problem) // hears of every record or input that could not be used, one call at a time
	Progress  func(Progress)        // called now and then during the first pass
}

// Progress is the work done so far.
type Progress = pipeline.Progress

// Passage is a stretch of text two documents share, A < B byte-wise.
type Passage = trace.Passage

// Excerpt is a passage's text on both sides, cut into pieces that are
// marked as changed or not. Concatenated, each side's pieces are exactly
// text[start:end].
type Excerpt = align.Excerpt

// Piece is a run of an excerpt's text; Changed marks words the other side
// does not have (substituted, inserted or deleted).
type Piece = align.Piece

// DocInfo is what a reuse run keeps of a document.
type DocInfo struct {
	ID     string `json:"id"`
	Date   string `json:"date,omitempty"`
	Source string `json:"source,omitempty"`
	URL    string `json:"url,omitempty"`
	TextOf string `json:"text_of,omitempty"` // what offsets are into, when not the bytes as read
	Bytes  int    `json:"bytes"`
	Words  int    `json:"words"`
}

// Result is what a reuse run found.
type Result struct {
	Passages []Passage
	Excerpts []Excerpt // parallel to Passages when Options.Excerpts is set
	// Groups are the passage groups, in the order of their first occurrence
	// by document ID; Occurrence.Doc indexes Docs.
	Groups []trace.Group
	Docs   []DocInfo // every document read, in input order
	Stats  Stats
}

// Stats describes a reuse run.
type Stats struct {
	Records int `json:"records"`
	Docs    int `json:"documents"`
	pipeline.Skips
	Bytes         int64 `json:"bytes"`
	MetaEntries   int   `json:"meta_entries"`
	MetaMatched   int   `json:"meta_matched"`   // documents that took metadata from the sidecar
	MetaUnmatched int   `json:"meta_unmatched"` // sidecar IDs that are not in the corpus
	Postings      int   `json:"key_postings"`
	IndexBytes    int64 `json:"index_bytes"`  // key postings in memory at the end of pass 1
	SpilledRuns   int   `json:"spilled_runs"` // anchor posting runs written to disk
	Candidates    int   `json:"candidate_pairs"`
	PairsAligned  int   `json:"pairs_aligned"` // candidate pairs whose keys pass the evidence filter
	// SketchFull: the content keys' frequency sketch outgrew its eighth of
	// MemLimit, so the evidence filter was off and every candidate pair
	// was aligned (slower, and the few passages it skips are found).
	SketchFull bool `json:"sketch_full"`

	CandidateDocs      int   `json:"candidate_documents"`
	HeldTextBytes      int64 `json:"held_text_bytes"` // texts held for alignment in pass 2
	PairsWithPassages  int   `json:"pairs_with_passages"`
	Passages           int   `json:"passages"`
	Groups             int   `json:"groups"`
	BoilerplateGroups  int   `json:"boilerplate_groups"`
	DroppedBoilerplate int   `json:"dropped_boilerplate_passages"`
	Workers            int   `json:"workers"`
	Seconds            Times `json:"seconds"`
}

// Times are wall-clock seconds per stage.
type Times struct {
	Index      float64 `json:"read_index"`
	Candidates float64 `json:"candidates"`
	Reread     float64 `json:"reread"`
	Align      float64 `json:"align"`
	Trace      float64 `json:"trace"`
	Total      float64 `json:"total"`
}

// Run reads every document of c and finds the passages they share.
func Run(ctx context.Context, c *corpus.Corpus, opt Options) (*Result, error) {
	return run(ctx, pipeline.FromCorpus(c), c, opt)
}

// Find finds the passages shared among docs held in memory.
func Find(docs []corpus.Doc, opt Options) (*Result, error) {
	return run(context.Background(), pipeline.FromDocs(docs), nil, opt)
}

// reuseDoc is what pass 1 keeps of a document.
type reuseDoc struct {
	DocInfo
	seq  int
	file string
	line int
	hash uint64 // of the text, to notice an input that changed before pass 2
	meta bool   // took metadata from the sidecar
}

type indexed struct {
	doc     reuseDoc
	anchors []uint64 // candidate keys, sorted, distinct; nil under AllPairs
	prep    *align.Prepared
	problem *corpus.Problem
}

func (o Options) withDefaults() (Options, align.Options, error) {
	switch {
	case o.MinWords < 0:
		return o, align.Options{}, errs.Option("min-words", o.MinWords, "must be positive")
	case o.Anchor < 0 || o.Anchor > 64:
		return o, align.Options{}, errs.Option("anchor", o.Anchor, "must be between 1 and 64")
	case o.MinIdentity < 0 || o.MinIdentity > 1:
		return o, align.Options{}, errs.Option("min-identity", o.MinIdentity, "must be in [0, 1]")
	case o.MaxDF < 0:
		return o, align.Options{}, errs.Option("max-df", o.MaxDF, "must not be negative")
	case slices.ContainsFunc(o.Kinds, func(k string) bool {
		return k != align.KindVerbatim && k != align.KindEdited && k != align.KindParaphrase
	}):
		return o, align.Options{}, errs.Option("kinds", strings.Join(o.Kinds, ","), "want verbatim, edited or paraphrase")
	case o.MemLimit < 0:
		return o, align.Options{}, errs.Option("mem-limit", o.MemLimit, "must not be negative")
	case o.MinShared < 0:
		return o, align.Options{}, errs.Option("min-shared", o.MinShared, "must not be negative")
	case o.Keys != "" && o.Keys != KeysContent && o.Keys != KeysAnchors:
		return o, align.Options{}, errs.Option("keys", o.Keys, "want content or anchors")
	}
	if o.Keys == "" {
		o.Keys = KeysContent
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	a := align.DefaultOptions()
	if o.MinWords > 0 {
		a.MinWords = o.MinWords
	}
	if o.Anchor > 0 {
		a.Anchor = o.Anchor
	}
	if o.MaxGap != 0 {
		a.MaxGap = o.MaxGap
	}
	if o.MinIdentity > 0 {
		a.MinIdentity = o.MinIdentity
	}
	if o.MaxDF > 0 {
		a.MaxDF = o.MaxDF
	}
	switch {
	case o.MinShared > 0:
		a.MinShared = o.MinShared
	case o.Keys == KeysContent:
		a.MinShared = DefaultMinSharedContent
	default:
		a.MinShared = DefaultMinSharedAnchors
	}
	return o, a, nil
}

func run(ctx context.Context, src pipeline.Source, c *corpus.Corpus, opt Options) (*Result, error) {
	opt, aopt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	res := &Result{}
	st := &res.Stats
	st.Workers, st.MetaEntries = opt.Workers, len(opt.Meta)
	problem := st.Skips.Counter(opt.OnProblem)
	decode := pipeline.Decoder(c)

	// Pass 1: index anchors. The postings get half of the memory limit and
	// the document-frequency sketch of content keys an eighth; the rest is
	// for per-document metadata, batches in flight and the texts of
	// candidate documents in pass 2.
	ix := lsh.NewIndex(opt.MemLimit/2, opt.TmpDir)
	ix.MaxDF, ix.MinShared = aopt.MaxDF, aopt.MinShared
	defer ix.Close() // spilled runs, when the run ends before Candidates
	var df *dfSketch
	if !opt.AllPairs && !opt.AlignScattered && opt.Keys == KeysContent {
		df = newDFSketch(opt.MemLimit / 8)
	}
	early := newEarlyPrep(df, opt.MemLimit)
	docs, err := reuseIndex(ctx, src, decode, problem, opt, aopt, ix, df, early, st)
	if err != nil {
		return nil, err
	}
	if df != nil && df.full {
		df = nil // every candidate pair is aligned
		st.SketchFull = true
	}
	st.Seconds.Index = time.Since(start).Seconds()

	t0 := time.Now()
	var pairs [][2]int
	if opt.AllPairs {
		for x := range docs {
			for y := x + 1; y < len(docs); y++ {
				pairs = append(pairs, [2]int{x, y})
			}
		}
	} else {
		st.IndexBytes = int64(ix.Len()) * lsh.PostingBytes
		st.SpilledRuns = ix.Spilled()
		cands, err := ix.Candidates(opt.Workers)
		if err != nil {
			return nil, err
		}
		pairs = make([][2]int, len(cands))
		for i, c := range cands {
			a, b := lsh.Unpack(c)
			pairs[i] = [2]int{int(a), int(b)}
		}
	}
	ix = nil
	st.Candidates = len(pairs)
	need := make([]bool, len(docs))
	for _, p := range pairs {
		need[p[0]], need[p[1]] = true, true
	}
	for _, n := range need {
		if n {
			st.CandidateDocs++
		}
	}
	st.Seconds.Candidates = time.Since(t0).Seconds()

	// Pass 2: the texts of candidate documents.
	t0 = time.Now()
	texts, err := reuseTexts(ctx, src, decode, docs, need, problem, opt.Workers)
	if err != nil {
		return nil, err
	}
	for _, t := range texts {
		st.HeldTextBytes += int64(len(t.text))
	}
	st.Seconds.Reread = time.Since(t0).Seconds()

	t0 = time.Now()
	links, excerpts, aligned := reuseAlign(ctx, docs, texts, pairs, df, early.keyed(need, df, aopt.MaxDF, opt.Workers), aopt, opt)
	st.PairsAligned = aligned
	texts = nil
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st.Seconds.Align = time.Since(t0).Seconds()

	t0 = time.Now()
	if err := res.trace(docs, links, excerpts, opt); err != nil {
		return nil, err
	}
	st.Seconds.Trace = time.Since(t0).Seconds()
	st.Seconds.Total = time.Since(start).Seconds()
	return res, nil
}

// reuseIndex is pass 1: it reads every document, keeps its metadata and
// puts its anchors in the index, in input order.
func reuseIndex(ctx context.Context, src pipeline.Source, decode func(pipeline.Job) (corpus.Doc, error),
	problem func(*corpus.Problem), opt Options, aopt align.Options, ix *lsh.Index, df *dfSketch, early *earlyPrep, st *Stats) ([]reuseDoc, error) {
	newWorker := func() func(pipeline.Job) indexed {
		tz := token.New()
		var toks []token.Token
		return func(j pipeline.Job) indexed {
			d, err := decode(j)
			if err != nil {
				return indexed{problem: pipeline.AsProblem(err, j.Rec)}
			}
			m, hasMeta := opt.Meta[d.ID]
			if hasMeta {
				m.Apply(&d)
			}
			toks = tz.Tokens(d.Text, d.Start, toks[:0])
			if len(toks) == 0 {
				return indexed{problem: pipeline.NoWords(j, d)}
			}
			var anchors []uint64
			var prep *align.Prepared
			switch {
			case opt.AllPairs:
			case opt.Keys == KeysAnchors:
				anchors = align.Anchors(toks, aopt, nil)
			case early.take(len(d.Text)):
				// Prepared now, for its keys and, if it is a candidate, for
				// alignment: the tokens are held with it.
				own := make([]token.Token, len(toks)) // at its size: it is held
				copy(own, toks)
				prep = align.PrepareContent(d.Text, own, aopt)
				anchors = prep.ContentKeys(nil)
			default:
				anchors = align.ContentKeys(d.Text, toks, nil)
			}
			return indexed{anchors: anchors, prep: prep, doc: reuseDoc{
				DocInfo: DocInfo{ID: d.ID, Date: d.Date, Source: d.Source, URL: d.URL, TextOf: d.TextOf, Bytes: len(d.Text), Words: len(toks)},
				seq:     j.Seq, file: j.Rec.File, line: j.Rec.Line, hash: xxh3.HashString(d.Text), meta: hasMeta,
			}}
		}
	}
	var docs []reuseDoc
	ids := map[string]int{}
	collect := func(h indexed) {
		if h.problem != nil {
			problem(h.problem)
			return
		}
		if first, ok := ids[h.doc.ID]; ok {
			problem(pipeline.DuplicateID(h.doc.file, h.doc.line, h.doc.ID, docs[first].seq))
			early.drop(h.prep, h.doc.Bytes)
			return
		}
		early.add(h.prep)
		ids[h.doc.ID] = len(docs)
		if !opt.AllPairs {
			st.Postings += len(h.anchors)
			ix.Add(uint32(len(docs)), h.anchors)
			if df != nil {
				df.add(h.anchors)
			}
		}
		st.Bytes += int64(h.doc.Bytes)
		if h.doc.meta {
			st.MetaMatched++
		}
		docs = append(docs, h.doc)
	}
	var progress func(int)
	if opt.Progress != nil {
		progress = func(n int) { opt.Progress(Progress{Docs: n, Bytes: st.Bytes}) }
	}
	ps, err := pipeline.Ordered(ctx, src, problem, opt.Workers, pipeline.BatchBytes, newWorker, collect, progress)
	if err != nil {
		return nil, err
	}
	st.Records = ps.Records
	st.Docs = len(docs)
	st.MetaUnmatched = len(opt.Meta) - st.MetaMatched
	return docs, nil
}

// earlyPrep is the documents pass 1 prepares for alignment as it reads
// them, within the prepared documents' memory (an eighth of MemLimit):
// their content keys come from the preparation (align.PrepareContent),
// so a document is tokenized, stemmed and cut into sentences once for both
// passes instead of once in each. Pass 1 cannot know which documents will
// be candidates, so those that are not are let go once it is known; the
// others get their rare key sites (align.Prepared.KeyRare) from the
// finished sketch, as pass 2 would have prepared them. Only with the
// evidence filter (a sketch): the other ways need no content view in
// pass 1.
type earlyPrep struct {
	budget int64 // bytes; negative: no limit
	used   atomic.Int64
	preps  []*align.Prepared // by document number, nil where not prepared
}

// newEarlyPrep returns nil, which prepares nothing, when df is nil.
func newEarlyPrep(df *dfSketch, memLimit int64) *earlyPrep {
	if df == nil {
		return nil
	}
	e := &earlyPrep{budget: -1}
	if memLimit > 0 {
		e.budget = memLimit / 8
	}
	return e
}

// take reports whether a document of textBytes is to be prepared in
// pass 1, and counts it if so.
func (e *earlyPrep) take(textBytes int) bool {
	if e == nil {
		return false
	}
	size := preparedBytes * int64(textBytes)
	if e.used.Add(size) > e.budget && e.budget >= 0 {
		e.used.Add(-size)
		return false
	}
	return true
}

// drop lets go of p (nil: nothing), prepared for a document of textBytes
// that the collection does not keep.
func (e *earlyPrep) drop(p *align.Prepared, textBytes int) {
	if e != nil && p != nil {
		e.used.Add(-preparedBytes * int64(textBytes))
	}
}

// add keeps p, nil or not, as the next document's; the collector calls
// it once per document, in document order.
func (e *earlyPrep) add(p *align.Prepared) {
	if e != nil {
		e.preps = append(e.preps, p)
	}
}

// keyed lets go of the documents not in need and keys the others with
// df's rare keys, on workers goroutines (df nil: the sketch filled up,
// and they are left unkeyed, as align.PrepareText's); it returns them by
// document number.
func (e *earlyPrep) keyed(need []bool, df *dfSketch, maxDF, workers int) []*align.Prepared {
	if e == nil {
		return nil
	}
	var rare func(uint64) bool
	if df != nil {
		rare = df.shared(maxDF)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := int(next.Add(1)) - 1
				if n >= len(e.preps) {
					return
				}
				if !need[n] {
					e.preps[n] = nil
				} else if p := e.preps[n]; p != nil {
					p.KeyRare(rare)
				}
			}
		}()
	}
	wg.Wait()
	return e.preps
}

// heldText is a candidate document's text, held for pass 2.
type heldText struct {
	text  string
	start int
}

// reuseTexts is pass 2: it reads the inputs again and keeps the texts of
// the documents marked in need. A record that no longer decodes, or whose
// text changed since pass 1, is a problem and its pairs are skipped.
func reuseTexts(ctx context.Context, src pipeline.Source, decode func(pipeline.Job) (corpus.Doc, error),
	docs []reuseDoc, need []bool, problem func(*corpus.Problem), workers int) ([]heldText, error) {
	texts := make([]heldText, len(docs))
	if !slices.Contains(need, true) {
		return texts, nil
	}
	type item struct {
		n int
		j pipeline.Job
	}
	work := make(chan item, workers*16)
	failed := make([]bool, len(docs)) // reported by a worker; each index is written by one goroutine
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				d, err := decode(it.j)
				info := &docs[it.n]
				failed[it.n] = err != nil || xxh3.HashString(d.Text) != info.hash
				switch {
				case err != nil:
					problem(&corpus.Problem{File: info.file, Line: info.line, Reason: fmt.Sprintf("changed between passes: %q no longer reads: %v", info.ID, err)})
				case xxh3.HashString(d.Text) != info.hash:
					problem(&corpus.Problem{File: info.file, Line: info.line, Reason: fmt.Sprintf("changed between passes: the text of %q is not what was read first; its passages are skipped", info.ID)})
				default:
					texts[it.n] = heldText{d.Text, d.Start}
				}
			}
		}()
	}
	// Documents are numbered in input order, so their seqs are sorted.
	err := src(ctx, func(j pipeline.Job) error {
		n := sort.Search(len(docs), func(i int) bool { return docs[i].seq >= j.Seq })
		if n == len(docs) || docs[n].seq != j.Seq || !need[n] {
			return nil
		}
		select {
		case work <- item{n, j}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}, func(*corpus.Problem) {}) // pass 1 already reported what the scan finds wrong
	close(work)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for n := range docs {
		if need[n] && texts[n].text == "" && !failed[n] {
			// Not decoded again at all: the input vanished or shrank.
			info := &docs[n]
			problem(&corpus.Problem{File: info.file, Line: info.line, Reason: fmt.Sprintf("changed between passes: %q could not be read again; its passages are skipped", info.ID)})
		}
	}
	return texts, nil
}

// pairLinks are the passages of one candidate pair, oriented by ID.
type pairLinks struct {
	links    []trace.Link
	excerpts []Excerpt
}

// reuseAlign aligns every candidate pair whose texts are held and, when df
// is given, whose rare content keys pass align.Prepared.MayShare; it
// returns the links, their excerpts and the pairs aligned. Workers take
// chunks of consecutive pairs in runOrder, which runs the pairs of one
// document together, so a worker takes that document from the cache (and
// with excerpts tokenizes it) once per run of pairs, and its tables stay
// in the processor's cache while the other documents of the run come and
// go. Each pair's links go to its own slot, so the order does not change
// the result.
func reuseAlign(ctx context.Context, docs []reuseDoc, texts []heldText, pairs [][2]int, df *dfSketch, ready []*align.Prepared, aopt align.Options, opt Options) ([]trace.Link, []Excerpt, int) {
	out := make([]pairLinks, len(pairs))
	order := runOrder(docs, pairs)
	const chunk = 32
	var next atomic.Int64
	var wg sync.WaitGroup
	budget := int64(-1)
	if opt.MemLimit > 0 {
		budget = opt.MemLimit / 8
	}
	cache := &prepCache{slots: make([]atomic.Pointer[align.Prepared], len(docs)), budget: budget}
	for n, p := range ready {
		if p != nil && texts[n].text != "" {
			cache.slots[n].Store(p)
			cache.used.Add(preparedBytes * int64(docs[n].Bytes))
		}
	}
	prepare := func(tz *token.Tokenizer, h heldText, words int) *align.Prepared {
		// Pass 1 counted the words of this very text (its hash was checked),
		// so the tokens are allocated once at their size.
		toks := tz.Tokens(h.text, h.start, make([]token.Token, 0, words))
		if df == nil {
			return align.PrepareText(h.text, toks, aopt)
		}
		return align.PrepareKeyed(h.text, toks, aopt, df.shared(aopt.MaxDF))
	}
	var aligned atomic.Int64
	for range opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tz := token.New()
			lastRun := -1
			var runToks, otherToks, tx, ty []token.Token
			var pRun *align.Prepared
			get := func(n int) *align.Prepared {
				return cache.get(n, func() *align.Prepared { return prepare(tz, texts[n], docs[n].Words) }, preparedBytes*int64(len(texts[n].text)))
			}
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(pairs) || ctx.Err() != nil {
					return
				}
				for _, k := range order[lo:min(lo+chunk, len(pairs))] {
					x, y := pairs[k][0], pairs[k][1]
					hx, hy := texts[x], texts[y]
					if hx.text == "" || hy.text == "" {
						continue
					}
					run, other := x, y
					if runsOn(docs, x, y) == y {
						run, other = y, x
					}
					if run != lastRun {
						pRun = get(run)
						if opt.Excerpts {
							h := texts[run]
							runToks = tz.Tokens(h.text, h.start, runToks[:0])
						}
						lastRun = run
					}
					pOther := get(other)
					px, py := pRun, pOther
					if run == y {
						px, py = pOther, pRun
					}
					if !px.MayShare(py) {
						continue
					}
					aligned.Add(1)
					ps := keepKinds(px.PairPrepared(py), opt.Kinds)
					if len(ps) == 0 {
						continue
					}
					if opt.Excerpts {
						h := texts[other]
						otherToks = tz.Tokens(h.text, h.start, otherToks[:0])
						tx, ty = runToks, otherToks
						if run == y {
							tx, ty = otherToks, runToks
						}
					}
					var pl pairLinks
					swap := docs[x].ID > docs[y].ID
					for _, p := range ps {
						var ex Excerpt
						if opt.Excerpts {
							ex = align.MakeExcerpt(hx.text, tx, hy.text, ty, align.Diff(tx, ty, p))
						}
						l := trace.Link{A: x, B: y, P: p}
						if swap {
							l = trace.Link{A: y, B: x, P: swapPassage(p)}
							ex.A, ex.B = ex.B, ex.A
						}
						pl.links = append(pl.links, l)
						if opt.Excerpts {
							pl.excerpts = append(pl.excerpts, ex)
						}
					}
					out[k] = pl
				}
			}
		}()
	}
	wg.Wait()
	var links []trace.Link
	var excerpts []Excerpt
	for _, pl := range out {
		links = append(links, pl.links...)
		excerpts = append(excerpts, pl.excerpts...)
	}
	return links, excerpts, int(aligned.Load())
}

// runsOn returns the document of pair (x, y) whose run of pairs the pair
// is aligned in: the one with more text (x on a tie). A pair's cost in
// memory traffic is mostly that of the document not in the processor's
// cache, and a long document is paired with many others (on PAN 2013 one
// of 518 KB is in 3,704 candidate pairs, 1,939 of them as the second
// document): in its own run it is read from memory once, not once per
// pair. Candidate pairs sorted by their first document, the earlier
// order, read 2.9 GB of text's worth of second documents there; by the
// longer document, 1.0 GB of shorter ones.
func runsOn(docs []reuseDoc, x, y int) int {
	if docs[y].Bytes > docs[x].Bytes {
		return y
	}
	return x
}

// runOrder returns the indexes of pairs grouped into runs by runsOn, the
// runs in order of their document and each in the pairs' order.
func runOrder(docs []reuseDoc, pairs [][2]int) []int32 {
	order := make([]int32, len(pairs))
	for k := range order {
		order[k] = int32(k)
	}
	slices.SortStableFunc(order, func(p, q int32) int {
		a, b := pairs[p], pairs[q]
		return cmp.Compare(runsOn(docs, a[0], a[1]), runsOn(docs, b[0], b[1]))
	})
	return order
}

// prepCache holds the prepared documents of alignments, each prepared
// once (its tokens, sorted n-grams, stems and sentences) and then only
// read, so all workers share it (within an eighth of MemLimit). Past its
// budget a document is prepared for the run of pairs at hand and dropped: the same passages
// (PairPrepared gives what PairText gives), more time. Two workers may
// prepare one document at once; both results are the same, one is kept.
type prepCache struct {
	slots  []atomic.Pointer[align.Prepared]
	used   atomic.Int64
	budget int64 // bytes; negative: no limit
}

// preparedBytes is about what a prepared document costs per byte of its
// text (measured on PAN 2013: 1.2 GB for 30 MB of candidate texts, and
// 150 MB more since the rare key sites of the evidence filter).
const preparedBytes = 45

func (c *prepCache) get(n int, build func() *align.Prepared, size int64) *align.Prepared {
	if p := c.slots[n].Load(); p != nil {
		return p
	}
	p := build()
	if c.budget >= 0 && c.used.Add(size) > c.budget {
		c.used.Add(-size)
		return p
	}
	if !c.slots[n].CompareAndSwap(nil, p) {
		c.used.Add(-size)
		return c.slots[n].Load()
	}
	return p
}

// keepKinds leaves out the passages whose kind is not in kinds (all when
// kinds is empty).
func keepKinds(ps []align.Passage, kinds []string) []align.Passage {
	if len(kinds) == 0 {
		return ps
	}
	return slices.DeleteFunc(ps, func(p align.Passage) bool { return !slices.Contains(kinds, p.Kind) })
}

func swapPassage(p align.Passage) align.Passage {
	p.AStart, p.BStart = p.BStart, p.AStart
	p.AEnd, p.BEnd = p.BEnd, p.AEnd
	p.ATok0, p.BTok0 = p.BTok0, p.ATok0
	p.ATok1, p.BTok1 = p.BTok1, p.ATok1
	return p
}

// trace sorts the links, traces their provenance and fills res.
func (res *Result) trace(docs []reuseDoc, links []trace.Link, excerpts []Excerpt, opt Options) error {
	st := &res.Stats
	order := make([]int, len(links))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		x, y := links[i], links[j]
		return cmp.Or(strings.Compare(docs[x.A].ID, docs[y.A].ID), strings.Compare(docs[x.B].ID, docs[y.B].ID),
			cmp.Compare(x.P.AStart, y.P.AStart), cmp.Compare(x.P.BStart, y.P.BStart),
			cmp.Compare(x.P.AEnd, y.P.AEnd), cmp.Compare(x.P.BEnd, y.P.BEnd))
	})
	sorted := make([]trace.Link, len(links))
	pairsSeen := map[[2]int]bool{}
	for i, k := range order {
		sorted[i] = links[k]
		pairsSeen[[2]int{links[k].A, links[k].B}] = true
	}
	st.PairsWithPassages = len(pairsSeen)
	tdocs := make([]trace.Doc, len(docs))
	res.Docs = make([]DocInfo, len(docs))
	for i, d := range docs {
		tdocs[i] = trace.Doc{ID: d.ID, Date: d.Date, Source: d.Source, TextOf: d.TextOf}
		res.Docs[i] = d.DocInfo
	}
	tr, err := trace.Build(tdocs, sorted, trace.DefaultOptions())
	if err != nil {
		return err
	}
	res.Groups = tr.Groups
	st.Groups = len(tr.Groups)
	for _, g := range tr.Groups {
		if g.Boilerplate {
			st.BoilerplateGroups++
		}
	}
	for i, l := range sorted {
		info := tr.Links[i]
		if info.Boilerplate && opt.DropBoilerplate {
			st.DroppedBoilerplate++
			continue
		}
		res.Passages = append(res.Passages, tr.Passage(tdocs, l, i))
		if opt.Excerpts {
			res.Excerpts = append(res.Excerpts, excerpts[order[i]])
		}
	}
	st.Passages = len(res.Passages)
	return nil
}
