// The detection pipeline.
//
//	scan (1 goroutine) ─► batches of raw records
//	workers (N)        ─► decode, tokenize, shingle, sign and band keys (not for a text already met)
//	collector (1)      ─► in input order: duplicate IDs, exact duplicates, LSH postings, set arena
//	then               ─► candidates (parallel sort), exact verification (parallel)
//
// Decoding runs on the workers, not the scanner, so JSON parsing scales
// with cores instead of capping the pipeline. Batches carry a sequence
// number and the collector restores input order, so document numbers, and
// everything derived from them, do not depend on scheduling.
//
// Shingle sets are kept in a store (sets.go) for verification. This is the
// largest part of memory (8 bytes a shingle); it is what lets every
// candidate be checked exactly without re-reading the corpus.

package neardup

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/internal/pipeline"
	"github.com/reprint/reprint/lsh"
	"github.com/reprint/reprint/token"
	"github.com/zeebo/xxh3"
)

// docInfo is what is kept of a document once it is hashed.
type docInfo struct {
	ID    string
	Date  string
	Seq   int   // record number in the input
	Bytes int   // text length
	Words int   // tokens
	rep   int32 // the document whose shingle set this one shares (itself for most)
}

// Result holds what detection found; ask it for pairs and clusters.
type Result struct {
	opt     Options
	docs    []docInfo
	sets    setStore
	members map[int32][]int32 // rep -> other documents with the same normalized text
	edges   []repEdge         // verified pairs of reps, sorted
	Stats   Stats
}

type repEdge struct {
	a, b   int32
	inter  int32
	na, nb int32 // set sizes
	j      float64
}

// Stats describes a run.
type Stats struct {
	Records int `json:"records"`   // records read, good or bad
	Docs    int `json:"documents"` // documents indexed
	pipeline.Skips
	Bytes         int64      `json:"bytes"` // text bytes of indexed documents
	ExactDocs     int        `json:"exact_duplicate_documents"`
	Candidates    int        `json:"candidate_pairs"`
	VerifiedPairs int        `json:"verified_pairs"` // between distinct texts
	Pairs         int        `json:"pairs"`          // including exact duplicates
	Workers       int        `json:"workers"`
	Perm          int        `json:"perm"`
	Bands         int        `json:"bands"`
	Rows          int        `json:"rows"`
	IndexBytes    int64      `json:"index_bytes"`    // LSH postings at their peak
	SetBytes      int64      `json:"set_bytes"`      // shingle sets held in memory for verification
	SetDiskBytes  int64      `json:"set_disk_bytes"` // shingle sets spilled to disk
	SpilledRuns   int        `json:"spilled_runs"`   // LSH posting runs written to disk
	Seconds       StageTimes `json:"seconds"`
}

// StageTimes are wall-clock seconds per stage; Decode and Hash are summed
// over workers, so they show shares of CPU, not of wall time.
type StageTimes struct {
	Read       float64 `json:"read"`
	Decode     float64 `json:"decode_cpu"`
	Hash       float64 `json:"tokenize_hash_cpu"`
	Candidates float64 `json:"candidates"`
	Verify     float64 `json:"verify"`
	Total      float64 `json:"total"`
}

// IndexBytesPerDoc is the LSH index's memory per document for a banding.
func IndexBytesPerDoc(bands int) int { return bands * lsh.PostingBytes }

// Find finds the near-duplicates among docs held in memory.
func Find(docs []corpus.Doc, opt Options) (*Result, error) {
	return detect(context.Background(), pipeline.FromDocs(docs), nil, opt)
}

// Run reads every document of c and finds the near-duplicates among them.
func Run(ctx context.Context, c *corpus.Corpus, opt Options) (*Result, error) {
	return detect(ctx, pipeline.FromCorpus(c), c, opt)
}

type hashed struct {
	seq      int
	doc      docInfo
	idHash   uint64
	textHash uint64
	set      []uint64
	keys     []uint64
	file     string
	line     int
	problem  *corpus.Problem
}

func detect(ctx context.Context, src pipeline.Source, c *corpus.Corpus, opt Options) (*Result, error) {
	opt, err := opt.WithDefaults()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	recipe := opt.Recipe()
	band := recipe.Banding
	res := &Result{opt: opt, members: map[int32][]int32{}}
	st := &res.Stats
	st.Perm, st.Bands, st.Rows, st.Workers = opt.Perm, band.Bands, band.Rows, opt.Workers
	problem := st.Skips.Counter(opt.OnProblem)

	// Under a memory limit the batches in flight (about 3 per worker, each
	// holding raw records, texts and shingle sets) get a share of it too.
	maxBatch := pipeline.BatchBytes
	if opt.MemLimit > 0 {
		maxBatch = int(min(max(opt.MemLimit/256, 64<<10), pipeline.BatchBytes))
	}
	// The memory limit is split: an eighth for LSH postings, a quarter for
	// shingle sets, and the rest for what stays in memory whatever the
	// limit: per-document metadata (about 200 bytes a document: ID, date,
	// maps for duplicate IDs and texts), batches in flight, and the Go
	// runtime.
	ix := lsh.NewIndex(opt.MemLimit/8, opt.TmpDir)
	res.sets.budget, res.sets.dir = opt.MemLimit/4, opt.TmpDir
	ok := false
	defer func() {
		if !ok {
			ix.Close()
			res.sets.close()
		}
	}()

	// Exact duplicates are found by the collector, in input order, but a
	// worker can tell a text it has seen before and skip signing it: a
	// duplicate's band keys are never used. If the copy that goes first in
	// input order was the one left unsigned (two workers met the text at
	// once), the collector signs it; keys depend on the set alone, so the
	// result is the same.
	texts := newSeenTexts()
	decode := pipeline.Decoder(c)
	var decodeNS, hashNS atomic.Int64
	newWorker := func() func(pipeline.Job) hashed {
		tz := token.New()
		var toks []token.Token
		var sh []uint64
		var sig []uint32
		var keyBlock []uint64
		evicted := 0
		return func(j pipeline.Job) hashed {
			t0 := time.Now()
			d, err := decode(j)
			if err != nil {
				return hashed{seq: j.Seq, problem: pipeline.AsProblem(err, j.Rec)}
			}
			t1 := time.Now()
			toks = tz.Tokens(d.Text, d.Start, toks[:0])
			if len(toks) == 0 {
				return hashed{seq: j.Seq, problem: pipeline.NoWords(j, d)}
			}
			sh = recipe.Shingles(toks, sh[:0])
			textHash := token.TextHash(toks)
			var keys []uint64
			if texts.first(textHash, &evicted) && !signInCollector {
				// Keys live only until the collector has added them to
				// the index, so they are carved from a block the worker
				// replaces when full, not allocated one slice a document.
				if cap(keyBlock)-len(keyBlock) < band.Bands {
					keyBlock = make([]uint64, 0, 1024*band.Bands)
				}
				n := len(keyBlock)
				keyBlock, sig = recipe.Keys(sh, sig, keyBlock)
				keys = keyBlock[n:len(keyBlock):len(keyBlock)]
			}
			h := hashed{
				seq:      j.Seq,
				doc:      docInfo{ID: d.ID, Date: d.Date, Seq: j.Seq, Bytes: len(d.Text), Words: len(toks)},
				idHash:   xxh3.HashString(d.ID),
				textHash: textHash,
				set:      clone(sh),
				keys:     keys,
				file:     j.Rec.File,
				line:     j.Rec.Line,
			}
			decodeNS.Add(int64(t1.Sub(t0)))
			hashNS.Add(int64(time.Since(t1)))
			return h
		}
	}

	var ids idTable
	var byText hashTable
	var bytesRead int64
	sign := func(set []uint64) []uint64 {
		keys, _ := recipe.Keys(set, nil, make([]uint64, 0, band.Bands))
		return keys
	}
	collect := func(h hashed) {
		res.add(&h, &ids, &byText, ix, sign, problem)
		bytesRead += int64(h.doc.Bytes)
	}
	var progress func(int)
	if opt.Progress != nil {
		progress = func(n int) { opt.Progress(Progress{Docs: n, Bytes: bytesRead}) }
	}
	ps, err := pipeline.Ordered(ctx, src, problem, opt.Workers, maxBatch, newWorker, collect, progress)
	if err != nil {
		return nil, err
	}
	st.Records = ps.Records
	readTime := ps.Read
	st.Docs = len(res.docs)
	st.Bytes = bytesRead
	st.IndexBytes = int64(ix.Len()) * lsh.PostingBytes
	st.SetBytes = res.sets.bytes()
	st.Seconds.Read = readTime.Seconds()
	st.Seconds.Decode = time.Duration(decodeNS.Load()).Seconds()
	st.Seconds.Hash = time.Duration(hashNS.Load()).Seconds()

	t0 := time.Now()
	st.SpilledRuns = ix.Spilled()
	cands, err := ix.Candidates(opt.Workers)
	if err != nil {
		return nil, err
	}
	st.Candidates = len(cands)
	st.Seconds.Candidates = time.Since(t0).Seconds()

	t0 = time.Now()
	res.sets.sortSets(candidateDocs(cands, len(res.docs)), opt.Workers)
	res.sets.seal()
	res.edges = res.verify(cands, opt.Workers)
	if res.sets.err != nil {
		return nil, res.sets.err
	}
	st.SetDiskBytes = res.sets.diskBytes()
	st.VerifiedPairs = len(res.edges)
	st.Pairs = res.countPairs()
	st.Seconds.Verify = time.Since(t0).Seconds()
	st.Seconds.Total = time.Since(start).Seconds()
	ok = true
	return res, nil
}

// Close removes the temporary files of a run that spilled to disk
// (Options.MemLimit); Clusters with Components needs them, so close the
// Result when done with it. Closing a Result that never spilled does
// nothing.
func (res *Result) Close() error { return res.sets.close() }

// add takes one hashed document into the result, in input order.
func (res *Result) add(h *hashed, ids *idTable, byText *hashTable, ix *lsh.Index, sign func([]uint64) []uint64, problem func(*corpus.Problem)) {
	if h.problem != nil {
		problem(h.problem)
		return
	}
	n := int32(len(res.docs))
	if first, ok := ids.claim(h.idHash, h.doc.ID, res.docs, n); ok {
		problem(pipeline.DuplicateID(h.file, h.line, h.doc.ID, res.docs[first].Seq))
		return
	}
	d := h.doc
	d.rep = n
	// Same normalized text means the same shingle sequence; comparing the
	// sequences guards against a hash collision.
	r, seen := byText.getOrPut(h.textHash, n)
	if seen && slices.Equal(res.set(r), h.set) {
		d.rep = r
		res.members[r] = append(res.members[r], n)
		res.Stats.ExactDocs++
	} else {
		if seen { // another text with this hash: the newer one stands for it
			byText.put(h.textHash, n)
		}
		res.sets.add(n, h.set)
		if h.keys == nil {
			h.keys = sign(h.set)
		}
		ix.Add(uint32(n), h.keys)
	}
	res.docs = append(res.docs, d)
	h.set, h.keys = nil, nil
}

// clone copies a set with make and copy, which the compiler turns into an
// allocation that is not zeroed first (slices.Clone appends, which zeroes
// and then copies).
func clone(set []uint64) []uint64 {
	c := make([]uint64, len(set))
	copy(c, set)
	return c
}

// signInCollector leaves all signing to the collector; tests set it to
// check that path, which workers take only when they race.
var signInCollector = false

// seenTexts remembers text hashes the workers have met, lossily: a table
// of slots, each holding the last hash that fell in it. A hash found there
// was met before (a different text with the same 64-bit hash is signed by
// the collector, like any unsigned first copy); one that was overwritten is
// simply signed again. A set that forgot nothing cost a million-entry map
// probe a document, more than signing the duplicates saved on a corpus with
// few of them. The table starts at 2^14 slots (128 KB, so that a small
// corpus does not pay for zeroing a large one) and doubles, empty, up to
// 2^20 when a worker has overwritten a quarter of it.
type seenTexts struct {
	table atomic.Pointer[[]atomic.Uint64]
}

const (
	seenFirst = 1 << 14
	seenMax   = 1 << 20
)

func newSeenTexts() *seenTexts {
	t := &seenTexts{}
	slots := make([]atomic.Uint64, seenFirst)
	t.table.Store(&slots)
	return t
}

// first records h and reports whether it was not found: sign the text.
// evicted is the caller's count of hashes it overwrote.
func (t *seenTexts) first(h uint64, evicted *int) bool {
	p := t.table.Load()
	slots := *p
	s := &slots[h&uint64(len(slots)-1)]
	old := s.Load()
	if old == h {
		return false
	}
	s.Store(h)
	if old != 0 {
		if *evicted++; *evicted > len(slots)/4 && len(slots) < seenMax {
			*evicted = 0
			bigger := make([]atomic.Uint64, 2*len(slots))
			t.table.CompareAndSwap(p, &bigger) // another worker may have grown it first
		}
	}
	return true
}

// idTable finds repeated document IDs by a hash of the ID, computed on the
// workers. The serial collector then probes a map of 12-byte entries
// instead of hashing and comparing strings (a third of its time on a
// million short documents); the ID itself is compared only on a hash match.
type idTable struct {
	byHash hashTable        // ID hash -> the first document with it
	other  map[string]int32 // IDs whose hash an earlier, different ID has
}

// claim returns the document that already has id, if one does, and
// otherwise records that document n has it.
func (t *idTable) claim(h uint64, id string, docs []docInfo, n int32) (int32, bool) {
	first, taken := t.byHash.getOrPut(h, n)
	if !taken {
		return 0, false
	}
	if docs[first].ID == id {
		return first, true
	}
	if first, ok := t.other[id]; ok {
		return first, true
	}
	if t.other == nil {
		t.other = map[string]int32{}
	}
	t.other[id] = n
	return 0, false
}

func (res *Result) set(d int32) []uint64 {
	r := res.docs[d].rep
	return res.sets.get(r)
}

// verify computes the exact Jaccard of every candidate pair and keeps those
// at or above the threshold.
func (res *Result) verify(cands []uint64, workers int) []repEdge {
	out := make([]repEdge, len(cands))
	keep := make([]bool, len(cands))
	var wg sync.WaitGroup
	chunk := (len(cands) + workers - 1) / max(workers, 1)
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, len(cands))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Candidates are sorted by a, so a's set is read once per run.
			lastA, sa := int32(-1), []uint64(nil)
			for i := lo; i < hi; i++ {
				a, b := lsh.Unpack(cands[i])
				if int32(a) != lastA {
					lastA, sa = int32(a), res.sets.sortedSet(int32(a))
				}
				sb := res.sets.sortedSet(int32(b))
				inter := token.Overlap(sa, sb)
				j := float64(inter) / float64(len(sa)+len(sb)-inter)
				if j >= res.opt.Threshold {
					out[i] = repEdge{a: int32(a), b: int32(b), inter: int32(inter), na: int32(len(sa)), nb: int32(len(sb)), j: j}
					keep[i] = true
				}
			}
		}()
	}
	wg.Wait()
	n := 0
	for i := range out {
		if keep[i] {
			out[n] = out[i]
			n++
		}
	}
	return out[:n]
}

// candidateDocs lists the documents that appear in candidate pairs.
func candidateDocs(cands []uint64, n int) []int32 {
	var docs []int32
	seen := make([]bool, n)
	for _, p := range cands {
		a, b := lsh.Unpack(p)
		for _, d := range [2]uint32{a, b} {
			if !seen[d] {
				seen[d] = true
				docs = append(docs, int32(d))
			}
		}
	}
	return docs
}

// Jaccard returns the exact Jaccard similarity of two documents' shingle
// sets, by document number.
func (res *Result) jaccard(a, b int32) float64 {
	if res.docs[a].rep == res.docs[b].rep {
		return 1
	}
	return token.Jaccard(res.sets.sortedSet(res.docs[a].rep), res.sets.sortedSet(res.docs[b].rep))
}
