// The detection pipeline.
//
//	scan (1 goroutine) ─► batches of raw records
//	workers (N)        ─► decode; tokenize, shingle, sign and band keys unless the same bytes came before (seen.go)
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
	"cmp"
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reprint/reprint/cluster"
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

// Result holds what detection found; ask it for pairs and clusters, from
// one goroutine (it keeps the last keep decisions it computed).
type Result struct {
	opt     Options
	docs    []docInfo
	sets    setStore
	members map[int32][]int32 // rep -> other documents with the same normalized text
	edges   []repEdge         // verified pairs of reps, sorted
	Stats   Stats

	decided    []cluster.Decision // the last keep decisions, and for what policy and mode
	decidedFor [2]string
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
	Bytes     int64 `json:"bytes"` // text bytes of indexed documents
	ExactDocs int   `json:"exact_duplicate_documents"`
	// CopiesNotTokenized are exact duplicates with the bytes of an
	// earlier record, which were linked to its document without being
	// tokenized (a share of ExactDocs).
	CopiesNotTokenized int        `json:"copies_not_tokenized"`
	Candidates         int        `json:"candidate_pairs"`
	VerifiedPairs      int        `json:"verified_pairs"` // between distinct texts
	Pairs              int        `json:"pairs"`          // including exact duplicates
	Workers            int        `json:"workers"`
	Perm               int        `json:"perm"`
	Bands              int        `json:"bands"`
	Rows               int        `json:"rows"`
	IndexBytes         int64      `json:"index_bytes"`    // LSH postings at their peak
	SetBytes           int64      `json:"set_bytes"`      // shingle sets held in memory for verification
	SetDiskBytes       int64      `json:"set_disk_bytes"` // shingle sets spilled to disk
	SpilledRuns        int        `json:"spilled_runs"`   // LSH posting runs written to disk
	Seconds            StageTimes `json:"seconds"`
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

	// A worker that met the text earlier, byte for byte, in record copyOf
	// (rawTexts) sends neither set nor keys, only the text, which the
	// collector tokenizes if that record did not become a document.
	copyOf int // -1: set holds the shingles
	text   string
	start  int
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
	// worker can tell bytes an earlier record had (seen.go) and leave the
	// copy untokenized: a copy's shingles and band keys are never used. If
	// that record made no document (its ID was taken), the collector
	// tokenizes the copy itself, so the result is the one of tokenizing
	// every record.
	raws := newRawTexts(opt.MemLimit / 32)
	decode := pipeline.Decoder(c)
	var decodeNS, hashNS atomic.Int64
	newWorker := func() func(pipeline.Job) hashed {
		tz := token.New()
		var toks []token.Token
		var sig []uint32
		var keyBlock, setBlock []uint64
		evicted := 0
		return func(j pipeline.Job) hashed {
			t0 := time.Now()
			d, err := decode(j)
			if err != nil {
				return hashed{seq: j.Seq, problem: pipeline.AsProblem(err, j.Rec)}
			}
			t1 := time.Now()
			info := docInfo{ID: d.ID, Date: d.Date, Seq: j.Seq, Bytes: len(d.Text)}
			raw := rawHash(d.Text[d.Start:])
			if first, ok := raws.find(raw, j.Seq); ok && !rawInCollector {
				decodeNS.Add(int64(t1.Sub(t0)))
				hashNS.Add(int64(time.Since(t1)))
				return hashed{seq: j.Seq, doc: info, idHash: xxh3.HashString(d.ID),
					copyOf: first, text: d.Text, start: d.Start, file: j.Rec.File, line: j.Rec.Line}
			}
			toks = tz.Tokens(d.Text, d.Start, toks[:0])
			if len(toks) == 0 {
				return hashed{seq: j.Seq, problem: pipeline.NoWords(j, d)}
			}
			// A set lives until verification, so it is carved from a block
			// as keys are: no allocation and no copy a document. A text
			// has at most one shingle a word.
			if cap(setBlock)-len(setBlock) < len(toks) {
				setBlock = make([]uint64, 0, max(setBlockLen, len(toks)))
			}
			at := len(setBlock)
			sh := recipe.Shingles(toks, setBlock[at:at:at+len(toks)])
			setBlock = setBlock[:at+len(sh)]
			sh = sh[:len(sh):len(sh)]
			info.Words = len(toks)
			raws.record(raw, j.Seq, &evicted)
			var keys []uint64
			if !signInCollector {
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
				doc:      info,
				copyOf:   -1,
				idHash:   xxh3.HashString(d.ID),
				textHash: token.TextHash(toks),
				set:      sh,
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
	var ctz *token.Tokenizer
	var ctoks []token.Token
	shingle := func(h *hashed) {
		if ctz == nil {
			ctz = token.New()
		}
		ctoks = ctz.Tokens(h.text, h.start, ctoks[:0])
		h.set = recipe.Shingles(ctoks, nil)
		h.textHash, h.doc.Words = token.TextHash(ctoks), len(ctoks)
	}
	collect := func(h hashed) {
		res.add(&h, &ids, &byText, ix, sign, shingle, problem)
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
func (res *Result) add(h *hashed, ids *idTable, byText *hashTable, ix *lsh.Index, sign func([]uint64) []uint64, shingle func(*hashed), problem func(*corpus.Problem)) {
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
	if h.copyOf >= 0 {
		// The same bytes as record copyOf: the same shingles, so the
		// same document as that record's, if it became one.
		if orig, ok := res.docOfRecord(h.copyOf); ok {
			r := res.docs[orig].rep
			d.rep, d.Words = r, res.docs[orig].Words
			res.members[r] = append(res.members[r], n)
			res.Stats.ExactDocs++
			res.docs = append(res.docs, d)
			res.Stats.CopiesNotTokenized++
			return
		}
		shingle(h)
	}
	// Same normalized text means the same shingle sequence; comparing the
	// sequences guards against a hash collision.
	r, seen := byText.getOrPut(h.textHash, n)
	if seen && slices.Equal(res.set(r), h.set) {
		d.rep = r
		res.members[r] = append(res.members[r], n)
		res.Stats.ExactDocs++
		res.sets.drop(h.set)
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

// docOfRecord returns the document made of record seq, if it made one.
// Documents are numbered in record order, and a record makes at most one.
func (res *Result) docOfRecord(seq int) (int32, bool) {
	docs := res.docs[:min(seq+1, len(res.docs))]
	i, ok := slices.BinarySearchFunc(docs, seq, func(d docInfo, seq int) int { return cmp.Compare(d.Seq, seq) })
	return int32(i), ok
}

// setBlockLen is the length of the blocks workers carve shingle sets from:
// 512 KiB, so that a block is a few hundred documents and the space of the
// sets dropped as exact duplicates, which their block keeps alive, is
// counted (setStore.drop) rather than left outside the budget.
const setBlockLen = 64 << 10

// signInCollector leaves all signing to the collector; tests set it to
// check that path, which the collector takes for the copies it tokenizes.
var signInCollector = false

// rawInCollector makes workers tokenize every text, copies included; tests
// set it to compare with the path that skips them.
var rawInCollector = false

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
