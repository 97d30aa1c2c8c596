// The batch: two parallel passes over the documents, then the single pass
// in canonical order.
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
// Then documents are sorted by (date, undated last; ID; text hash) and fed
// to the same clusterer the stream uses, with the corpus's document
// frequencies known in advance, and the pass is refined (group.go: each
// document moves to a story it fits better than its own, up to
// refineRounds rounds; 8 bytes a document for the assignments, and the
// stories rebuilt once per round). Nothing depends on input order or on the
// number of workers: the df table is a sum, a vector depends on its
// document alone, and the single pass and the refinement see one canonical
// order.

package stories

import (
	"fmt"
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
	for _, i := range order {
		it := &items[i]
		v = arenas[it.worker].get(it.off, it.n, v[:0])
		c.addVector(it.id, it.source, it.day, v)
	}

	// Refinement: each document moves to the story it fits best, judged
	// against the stories as the whole pass built them (group.go).
	assign := make([]int32, n)
	for k := range c.docs {
		assign[k] = c.docs[k].story
	}
	gr := c.gr
	c.gr = nil
	c.gr = refine(gr, n, func(k int) ([]term, int32) {
		it := &items[order[k]]
		v = arenas[it.worker].get(it.off, it.n, v[:0])
		return v, it.day
	}, assign, refineRounds, max(1, opt.QueryTerms/4))
	for k := range c.docs {
		c.docs[k].story = assign[k]
	}
	return c.Result(), nil
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

// itemOrder is the canonical order of the single pass: date (undated
// last), then ID, then text hash, then source.
func itemOrder(a, b *item) int {
	if a.day != b.day {
		switch {
		case a.day == noDay:
			return 1
		case b.day == noDay:
			return -1
		case a.day < b.day:
			return -1
		default:
			return 1
		}
	}
	if c := strings.Compare(a.id, b.id); c != 0 {
		return c
	}
	switch {
	case a.key < b.key:
		return -1
	case a.key > b.key:
		return 1
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
