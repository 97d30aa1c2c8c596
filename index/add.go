// Adding documents: analysis in parallel, then one synced batch.
//
// Add tokenizes, signs and winnows the documents on all cores, then, under
// the writer lock, builds one Pebble batch: for each document, the removal
// of the previous version with the same ID (its postings found through its
// key list), then its ID entry, metadata, text or shingle set, key list
// and postings, and finally the counters. The batch is committed with
// Sync, so Add returns only once everything is on disk, and since a batch
// is applied atomically a crash leaves either all of it or none of it.
// Concurrent Adds queue on the writer lock; Pebble groups their syncs
// when it can.
//
// A document that cannot be used (empty ID, invalid UTF-8, too large) gets
// an error status and the others are still added. The same ID twice in one
// call: the later one wins, as if added in two calls.

package index

import (
	"runtime"
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
	// The last occurrence of an ID in this call wins.
	last := make(map[string]int, len(docs))
	for i := range docs {
		last[docs[i].ID] = i
	}
	// written reports whether preps[i] is the one its ID is written from.
	written := func(preps []prepared, i int) bool { return preps[i].err == nil && last[docs[i].ID] == i }
	if !ix.p.Stories {
		return ix.commitAdd(docs, ix.prepare(docs, nil), written)
	}

	// Stories: adds in order (see stories.go), the single pass taking
	// each document as soon as it is analysed.
	ix.sto.add.Lock()
	defer ix.sto.add.Unlock()
	var sc *stories.Clusterer
	err := ix.guard(func() (err error) {
		ix.sto.mu.Lock()
		defer ix.sto.mu.Unlock()
		sc, err = ix.clusterer()
		return err
	})
	if err != nil {
		return nil, err
	}
	ready := make([]chan struct{}, len(docs))
	for i := range ready {
		ready[i] = make(chan struct{})
	}
	preps := make([]prepared, len(docs))
	assigned := make(chan struct{})
	go func() {
		defer close(assigned)
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
			pr.terms = nil
		}
	}()
	ix.prepareInto(docs, preps, ready)
	<-assigned
	res, err := ix.commitAdd(docs, preps, written)
	if err != nil {
		// The clusterer took documents that are not in the store: the
		// next call loads it again from what is.
		ix.sto.mu.Lock()
		ix.sto.c = nil
		ix.sto.mu.Unlock()
		return nil, err
	}
	ix.cmu.Lock()
	next := ix.c.Next
	ix.cmu.Unlock()
	if ix.saveDue(sc, next) {
		// The documents are committed whatever happens here; a save that
		// fails only leaves more to replay on the next load.
		if err := ix.saveStories(sc, next); err != nil {
			ix.st.l.Error("saving the stories state", "index", ix.dir, "error", err)
		}
	}
	return res, nil
}

// commitAdd writes the prepared documents in one synced batch.
func (ix *Index) commitAdd(docs []Doc, preps []prepared, written func([]prepared, int) bool) ([]AddResult, error) {
	res := make([]AddResult, len(docs))
	err := ix.update(false, func(b *pebble.Batch, c *counters) error {
		done := map[string]bool{}
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
			replaced, err := ix.removeOld(b, pr.doc.ID, c)
			if err != nil {
				return err
			}
			res[i].Status = StatusAdded
			if replaced || done[pr.doc.ID] {
				res[i].Status = StatusReplaced
			}
			done[pr.doc.ID] = true
			ix.write(b, pr, c.Next)
			if ix.p.Stories {
				ix.writeStory(b, pr, c.Next)
				res[i].Story = stories.StoryID(int(pr.story))
			}
			c.Next++
			c.Docs++
			c.TextBytes += uint64(len(pr.doc.Text))
			c.Words += uint64(pr.meta.Words)
		}
		return nil
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
			for {
				next.Lock()
				k := i
				i++
				next.Unlock()
				if k >= len(docs) {
					return
				}
				ix.prepareOne(tz, &docs[k], &preps[k])
				if ready != nil {
					close(ready[k])
				}
			}
		}()
	}
	wg.Wait()
}

// prepareOne checks and analyzes one document.
func (ix *Index) prepareOne(tz *token.Tokenizer, d *Doc, pr *prepared) {
	pr.doc = d
	if err := checkDoc(d.ID, d.Text); err != nil {
		pr.err = err
		return
	}
	start := d.Start
	if start < 0 || start > len(d.Text) {
		start = 0
	}
	pr.a = ix.analyze(tz, d.Text, start)
	pr.meta = meta{ID: d.ID, Date: d.Date, Source: d.Source, URL: d.URL, Start: start,
		Bytes: len(d.Text), Words: len(pr.a.toks), Shingles: len(pr.a.shingles)}
	if ix.p.Stories {
		pr.terms = storyTermsTokens(Doc{ID: d.ID, Text: d.Text, Start: start, Date: d.Date, Source: d.Source}, pr.a.toks)
	}
	pr.a.toks = pr.a.toks[:0:0] // only the count is kept
}

// write puts one analyzed document into b under number num.
func (ix *Index) write(b *pebble.Batch, pr *prepared, num uint64) {
	numB := numKey(pID, num)[1:]
	b.Set(idKey(pr.doc.ID), numB, nil)
	b.Set(numKey(pMeta, num), pr.meta.encode(), nil)
	if ix.p.Text {
		b.Set(numKey(pText, num), []byte(pr.doc.Text), nil)
	} else {
		b.Set(numKey(pShingle, num), putUint64s(pr.a.shingles), nil)
	}
	keys := make([]uint64, 0, len(pr.a.bands)+len(pr.a.anchors)+1)
	keys = append(keys, uint64(len(pr.a.bands)))
	keys = append(keys, pr.a.bands...)
	keys = append(keys, pr.a.anchors...)
	b.Set(numKey(pKeys, num), putUint64s(keys), nil)
	for _, h := range pr.a.bands {
		b.Set(postingKey(pBand, h, num), nil, nil)
	}
	for _, h := range pr.a.anchors {
		b.Set(postingKey(pAnchor, h, num), nil, nil)
	}
}
