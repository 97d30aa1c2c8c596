// The query's cache of candidate documents: a stored document read,
// tokenized and prepared for alignment (align.PrepareText) once, then
// reused by every query that has it as a candidate, within a memory budget.
//
// Why: a query aligns each of its candidates (about 7 for a 1,000-word
// query on the generated corpus), and readying a candidate costs more than
// aligning it: reading its text, tokenizing it, sorting its n-grams and
// building its content-word view (stems, sentences, postings) took about
// 140 µs for a 340-word document against about 110 µs for the alignment
// itself (align.Prepared.PairPrepared) on the 100,000-document index. The
// texts that get copied are copied many times (a wire story and its
// reprints), so the same stored documents come back as candidates of many
// queries.
//
// An entry is keyed by the document's number, which the index never gives
// to another document (a replaced document gets a new number), and holds
// the metadata it was built from: a query reads the candidate's metadata
// from its own snapshot anyway, and uses the entry only when the two are
// equal, so an entry can never answer for anything but the text it was
// built from. Entries are immutable once cached and shared by concurrent
// queries: align.Prepared is only read when it is the second argument of
// PairPrepared (the query's own side is prepared per query). An entry
// built for a near-duplicate check (text, tokens, shingle set) is replaced
// by one with its prepared form when the document is aligned.
//
// Memory: the budget counts the text, the tokens (24 bytes a word), the
// shingle set (8 bytes a shingle) and the prepared form, measured at about
// 75 bytes a word (n-gram table, Bloom filter, word hashes, content-word
// view): about 37 KB for a 340-word document, so the default 256 MiB
// holds about 7,000 documents. Least recently used entries are evicted
// first; one mutex guards the list (held for a map lookup and a list
// move, not while a document is prepared).
//
// Posting lists, which writes change, are cached apart, per flushed state
// of the tables (postcache.go).

package index

import (
	"container/list"
	"sync"
	"unsafe"

	"github.com/reprint/reprint/align"
	"github.com/reprint/reprint/token"
)

// DefaultQueryCache is the memory budget, in bytes, of an index's cache of
// prepared candidate documents unless SetQueryCache says otherwise.
const DefaultQueryCache = 256 << 20

// preparedBytesPerWord is the measured size of align.PrepareText's result
// per word of the document (TestPreparedSize keeps it honest).
const preparedBytesPerWord = 75

// candDoc is a stored document as a query uses it. Once in a cache it is
// never modified.
type candDoc struct {
	m    meta
	text string
	toks []token.Token
	set  []uint64        // shingle set, nil until a near-duplicate check needs it
	prep *align.Prepared // nil until the document is aligned
}

// size is what the budget counts for d.
func (d *candDoc) size() int64 {
	n := int64(len(d.text)) + int64(cap(d.toks))*int64(unsafe.Sizeof(token.Token{})) + 8*int64(cap(d.set)) + 200
	if d.prep != nil {
		n += preparedBytesPerWord * int64(len(d.toks))
	}
	return n
}

// prepCache is an LRU cache of candDocs by document number.
type prepCache struct {
	mu     sync.Mutex
	budget int64
	used   int64
	byNum  map[uint64]*list.Element // of *cacheEntry
	lru    list.List                // front: most recently used
	hits   int64
	misses int64
}

type cacheEntry struct {
	num uint64
	d   *candDoc
	n   int64 // d.size() when put
}

func newPrepCache(budget int64) *prepCache {
	return &prepCache{budget: budget, byNum: map[uint64]*list.Element{}}
}

// get returns the cached document num if it was built from metadata m.
func (c *prepCache) get(num uint64, m meta) *candDoc {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byNum[num]
	if !ok || e.Value.(*cacheEntry).d.m != m {
		c.misses++
		return nil
	}
	c.hits++
	c.lru.MoveToFront(e)
	return e.Value.(*cacheEntry).d
}

// put caches d as document num, replacing what was there, and evicts the
// least recently used entries beyond the budget. A document larger than an
// eighth of the budget is not cached.
func (c *prepCache) put(num uint64, d *candDoc) {
	if c == nil {
		return
	}
	n := d.size()
	c.mu.Lock()
	defer c.mu.Unlock()
	if n > c.budget/8 {
		return
	}
	if e, ok := c.byNum[num]; ok {
		ce := e.Value.(*cacheEntry)
		c.used += n - ce.n
		ce.d, ce.n = d, n
		c.lru.MoveToFront(e)
	} else {
		c.byNum[num] = c.lru.PushFront(&cacheEntry{num: num, d: d, n: n})
		c.used += n
	}
	for c.used > c.budget {
		e := c.lru.Back()
		ce := e.Value.(*cacheEntry)
		c.lru.Remove(e)
		delete(c.byNum, ce.num)
		c.used -= ce.n
	}
}

// prepCache returns the index's cache of prepared candidates, nil when it
// is off.
func (ix *Index) prepCache() *prepCache { return ix.qc.Load() }

// SetQueryCache sets the memory budget, in bytes, of the cache of prepared
// candidate documents that queries share (DefaultQueryCache unless set);
// 0 or less turns it off. What was cached is dropped. Query results are
// the same with and without the cache; only their cost differs.
func (ix *Index) SetQueryCache(bytes int64) {
	var c *prepCache
	if bytes > 0 {
		c = newPrepCache(bytes)
	}
	ix.qc.Store(c)
}

// QueryCacheStats reports the cache of prepared candidates: lookups that
// found a document, lookups that did not, and the bytes it holds by its
// estimate.
func (ix *Index) QueryCacheStats() (hits, misses, bytes int64) {
	c := ix.prepCache()
	if c == nil {
		return 0, 0, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses, c.used
}
