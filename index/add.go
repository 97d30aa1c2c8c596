// Adding documents: analysis in parallel, then one synced batch.
//
// Add tokenizes, signs and winnows the documents on all cores, then, under
// the writer lock, builds one Pebble batch: for each document, the removal
// of the previous version with the same ID (its postings found through its
// key list); then every document's ID entry, metadata, text or shingle
// set, key list and postings, in key order (batchorder.go); and finally
// the counters. The batch is committed with
// Sync, so Add returns only once everything is on disk, and since a batch
// is applied atomically a crash leaves either all of it or none of it.
//
// Order and overlap: every add takes a ticket when it starts (addOrder),
// and its story pass and its commit wait for its ticket's turn, so adds
// commit, number their documents and assign their stories in the order
// they started, whatever the number of adds running at once. What runs at
// the same time is the analysis of an add with the pass and commit of the
// adds before it: StartAdd begins an add without waiting for it, and
// Ingest keeps two in flight, so that the tokenizing of one batch fills
// the core that the commit of the last one (building the batch, the WAL
// write and sync, Pebble's memtable insert) leaves idle. Before, Ingest
// ran them one after another and used about 1.1 of the 2 cores
// (BENCHMARKS.md).
//
// A document that cannot be used (empty ID, invalid UTF-8, too large) gets
// an error status and the others are still added. The same ID twice in one
// call: the later one wins, as if added in two calls.

package index

import (
	"errors"
	"runtime"
	"slices"
	"sync"

	"github.com/cockroachdb/pebble/v2"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/stories"
	"github.com/reprint/reprint/token"
)

// Doc is a document to add: corpus.Doc, whose Start skips a date header.
type Doc = corpus.Doc

// Statuses of AddResult.
const (
	StatusAdded    = "added"
	StatusReplaced = "replaced"
	StatusError    = "error"
)

// AddResult is what happened to one document of an Add.
type AddResult struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	Story  string `json:"story,omitempty"` // the story the document was assigned to, with stories
}

type prepared struct {
	doc   *Doc
	a     analysis
	meta  meta
	terms *stories.DocTerms // with stories, until the single pass took it
	story int32             // with stories: the story the single pass put it in
	err   error
}

// Add adds docs, replacing documents with the same IDs, and returns one
// result per document in order. Its error is for the index itself (closed,
// read-only, disk); then nothing of this call was added.
func (ix *Index) Add(docs []Doc) ([]AddResult, error) {
	if err := ix.enterWrite(); err != nil {
		return nil, err
	}
	defer ix.leave()
	return ix.add(docs, ix.order.take(), nil)
}

// PendingAdd is an add that StartAdd began.
type PendingAdd struct {
	done chan struct{}
	res  []AddResult
	err  error
}

// Wait waits for the add to end and returns what Add would have.
func (p *PendingAdd) Wait() ([]AddResult, error) {
	<-p.done
	return p.res, p.err
}

// StartAdd begins adding docs and returns at once; Wait returns what Add
// would have. Adds commit in the order they were started, by StartAdd or
// Add, so that the later of two adds of one ID wins, and with stories
// the single pass takes their documents in that order; what overlaps is
// the analysis of one add with the story pass and the commit of the
// adds before it.
func (ix *Index) StartAdd(docs []Doc) *PendingAdd { return ix.startAdd(docs, nil) }

// startAdd is StartAdd with an abort check that runs at the add's commit
// turn: when it returns an error, nothing is committed and the add fails
// with it.
func (ix *Index) startAdd(docs []Doc, abort func() error) *PendingAdd {
	p := &PendingAdd{done: make(chan struct{})}
	if err := ix.enterWrite(); err != nil {
		p.err = err
		close(p.done)
		return p
	}
	t := ix.order.take()
	go func() {
		defer close(p.done)
		defer ix.leave()
		p.res, p.err = ix.add(docs, t, abort)
	}()
	return p
}

// addOrder orders adds: each takes a ticket when it starts, and its story
// pass and its commit each wait for the turn of its ticket, so that adds
// number and assign their documents in the order they started while their
// analyses run at the same time.
type addOrder struct {
	mu     sync.Mutex
	cond   *sync.Cond
	next   uint64 // the next ticket
	pass   uint64 // the ticket whose story pass may run
	commit uint64 // the ticket whose commit may run
}

// take hands out the next ticket.
func (o *addOrder) take() uint64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.cond == nil {
		o.cond = sync.NewCond(&o.mu)
	}
	t := o.next
	o.next++
	return t
}

// wait waits until the turn is ticket t's.
func (o *addOrder) wait(turn *uint64, t uint64) {
	o.mu.Lock()
	for *turn != t {
		o.cond.Wait()
	}
	o.mu.Unlock()
}

// advance hands the turn to the next ticket; only the ticket whose turn it
// is calls it.
func (o *addOrder) advance(turn *uint64) {
	o.mu.Lock()
	*turn++
	o.mu.Unlock()
	o.cond.Broadcast()
}

// turns is one add's hold on its two turns; end gives back whichever it
// has not given back yet, waiting for it first if need be, so that an add
// that fails early still lets the later ones run.
type turns struct{ pass, commit turn }

func newTurns(o *addOrder, t uint64) *turns {
	return &turns{pass: turn{o: o, q: &o.pass, t: t}, commit: turn{o: o, q: &o.commit, t: t}}
}

func (tt *turns) end() {
	tt.pass.release()
	tt.commit.release()
}

// turn is one add's hold on one of the order's turns (q: pass or commit).
type turn struct {
	o          *addOrder
	q          *uint64
	t          uint64
	held, done bool
}

func (u *turn) wait() { u.o.wait(u.q, u.t); u.held = true }

func (u *turn) release() {
	if u.done {
		return
	}
	if !u.held {
		u.wait()
	}
	u.done = true
	u.o.advance(u.q)
}

// errEarlierAdd fails an add whose story pass ran on a clusterer that an
// earlier add's failed commit left holding documents that are not in the
// store.
var errEarlierAdd = errors.New("index: an earlier add failed while this one was assigning stories; nothing of this one was added")

// add runs one add with ticket t: the analysis at once, in parallel; the
// story pass at the ticket's pass turn; the commit at its commit turn.
func (ix *Index) add(docs []Doc, t uint64, abort func() error) ([]AddResult, error) {
	tt := newTurns(&ix.order, t)
	defer tt.end()
	// The last occurrence of an ID in this call wins.
	last := make(map[string]int, len(docs))
	for i := range docs {
		last[docs[i].ID] = i
	}
	// written reports whether preps[i] is the one its ID is written from.
	written := func(preps []prepared, i int) bool { return preps[i].err == nil && last[docs[i].ID] == i }
	commit := func(preps []prepared) ([]AddResult, error) {
		tt.commit.wait()
		if abort != nil {
			if err := abort(); err != nil {
				return nil, err
			}
		}
		return ix.commitAdd(docs, preps, written)
	}
	if !ix.p.Stories {
		preps := ix.prepare(docs, nil)
		tt.pass.release()
		return commit(preps)
	}

	// Stories: the single pass takes each document as soon as it is
	// analysed, at this add's pass turn (see stories.go).
	ready := make([]chan struct{}, len(docs))
	for i := range ready {
		ready[i] = make(chan struct{})
	}
	preps := make([]prepared, len(docs))
	analysed := make(chan struct{})
	go func() {
		defer close(analysed)
		ix.prepareInto(docs, preps, ready)
	}()
	defer func() { <-analysed }()
	tt.pass.wait()
	var sc *stories.Clusterer
	var gen uint64
	err := ix.guard(func() (err error) {
		ix.sto.mu.Lock()
		defer ix.sto.mu.Unlock()
		sc, err = ix.clusterer()
		gen = ix.sto.gen
		return err
	})
	if err != nil {
		return nil, err
	}
	for i := range preps {
		<-ready[i]
		pr := &preps[i]
		if written(preps, i) {
			ix.sto.mu.Lock()
			id := sc.AddTerms(pr.terms)
			ix.sto.mu.Unlock()
			n, _ := stories.ParseStoryID(id)
			pr.story = int32(n)
		}
		pr.terms.Release() // the pass kept none of it
		pr.terms = nil
	}
	// A save must see no later add's documents in the clusterer: when one
	// may be due, the pass turn is kept until the save has read the
	// clusterer (saveStories).
	nw := 0
	for i := range preps {
		if written(preps, i) {
			nw++
		}
	}
	mayHaveToSave := ix.saveMayBeDue(sc, nw)
	if !mayHaveToSave {
		tt.pass.release()
	}
	// The clusterer took documents that are not in the store unless the
	// commit succeeds: on failure the next call loads it again from what
	// is, and a later add that assigned stories on it fails too.
	forget := func() {
		ix.sto.mu.Lock()
		if ix.sto.gen == gen {
			ix.sto.c = nil
			ix.sto.gen++
		}
		ix.sto.mu.Unlock()
	}
	tt.commit.wait()
	ix.sto.mu.Lock()
	stale := ix.sto.gen != gen
	ix.sto.mu.Unlock()
	if stale {
		return nil, errEarlierAdd
	}
	res, err := commit(preps)
	if err != nil {
		forget()
		return nil, err
	}
	tt.commit.release()
	if mayHaveToSave {
		ix.cmu.Lock()
		next := ix.c.Next
		ix.cmu.Unlock()
		if ix.saveDue(sc, next) {
			// The documents are committed whatever happens here; a save that
			// fails only leaves more to replay on the next load. The pass
			// turn goes to the next add as soon as the state is read: the
			// file's sync, rename and mark need nothing of the clusterer.
			if err := ix.saveStories(sc, next, tt.pass.release); err != nil {
				ix.st.l.Error("saving the stories state", "index", ix.dir, "error", err)
			}
		}
	}
	return res, nil
}

// commitAdd writes the prepared documents in one synced batch.
func (ix *Index) commitAdd(docs []Doc, preps []prepared, written func([]prepared, int) bool) ([]AddResult, error) {
	res := make([]AddResult, len(docs))
	n, size := 0, 0
	for i := range preps {
		pr := &preps[i]
		if pr.err != nil {
			continue
		}
		keys := len(pr.a.bands) + len(pr.a.anchors)
		n += keys
		size += batchBytes(pr, keys)
	}
	err := ix.updateSized(false, size, func(b *pebble.Batch, c *counters) error {
		if n > maxOverlayCommit {
			ix.delta = nil // a bulk add resets the overlay (overlay.go)
		}
		done := map[string]bool{}
		// The new documents' keys go into the batch after the loop, in
		// key order; the replaced documents' deletions as they are met.
		w := &ix.nk
		defer w.reset()
		ids := &idFinder{db: ix.db}
		defer ids.close()
		for i := range preps {
			pr := &preps[i]
			res[i].ID = pr.doc.ID
			if pr.err != nil {
				res[i].Status, res[i].Error = StatusError, pr.err.Error()
				continue
			}
			if !written(preps, i) {
				res[i].Status = StatusReplaced
				continue
			}
			replaced, err := ix.removeOld(b, ids, pr.doc.ID, c)
			if err != nil {
				return err
			}
			res[i].Status = StatusAdded
			if replaced || done[pr.doc.ID] {
				res[i].Status = StatusReplaced
			}
			done[pr.doc.ID] = true
			ix.write(w, pr, c.Next)
			if ix.p.Stories {
				res[i].Story = stories.StoryID(int(pr.story))
			}
			c.Next++
			c.Docs++
			c.TextBytes += uint64(len(pr.doc.Text))
			c.Words += uint64(pr.meta.Words)
		}
		return w.write(ix, b)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// prepare checks and analyzes docs in parallel.
func (ix *Index) prepare(docs []Doc, ready []chan struct{}) []prepared {
	preps := make([]prepared, len(docs))
	ix.prepareInto(docs, preps, ready)
	return preps
}

// prepareInto checks and analyzes docs into preps in parallel, closing
// ready[i] (when ready is not nil) as soon as preps[i] is done.
func (ix *Index) prepareInto(docs []Doc, preps []prepared, ready []chan struct{}) {
	workers := min(runtime.GOMAXPROCS(0), (len(docs)+7)/8)
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	for w := 0; w < max(workers, 1); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tz := token.New()
			var sc analyzeScratch
			for {
				next.Lock()
				k := i
				i++
				next.Unlock()
				if k >= len(docs) {
					return
				}
				ix.prepareOne(tz, &sc, &docs[k], &preps[k])
				if ready != nil {
					close(ready[k])
				}
			}
		}()
	}
	wg.Wait()
}

// prepareOne checks and analyzes one document with sc's buffers: what it
// keeps of them after it returns is copied.
func (ix *Index) prepareOne(tz *token.Tokenizer, sc *analyzeScratch, d *Doc, pr *prepared) {
	pr.doc = d
	if err := checkDoc(d.ID, d.Text); err != nil {
		pr.err = err
		return
	}
	start := d.Start
	if start < 0 || start > len(d.Text) {
		start = 0
	}
	pr.a = ix.analyzeIn(tz, d.Text, start, sc)
	pr.meta = meta{ID: d.ID, Date: d.Date, Source: d.Source, URL: d.URL, Start: start,
		Bytes: len(d.Text), Words: len(pr.a.toks), Shingles: len(pr.a.shingles)}
	if ix.p.Stories {
		pr.terms = storyTermsTokens(Doc{ID: d.ID, Text: d.Text, Start: start, Date: d.Date, Source: d.Source}, pr.a.toks)
	}
	pr.a.toks = nil // only the count is kept; the tokens are sc's
	if ix.p.Text {
		pr.a.shingles = nil // recomputed from the text when needed (format.go)
	} else {
		pr.a.shingles = slices.Clone(pr.a.shingles) // stored (batchorder.go)
	}
}

// write records one analyzed document's postings in the overlay and its
// keys in w, which puts them into the batch (batchorder.go).
func (ix *Index) write(w *newKeys, pr *prepared, num uint64) {
	for _, h := range pr.a.bands {
		ix.delta.add(pBand, h, num)
	}
	for _, h := range pr.a.anchors {
		ix.delta.add(pAnchor, h, num)
	}
	w.add(pr, num)
}
