// The posting cache: the flushed tables' part of the posting lists queries
// read, kept for the queries after them until the next flush.
//
// Why: a 1,000-word query seeks about 175 posting lists, and at 1,000,000
// documents each seek costs about 5 µs of Pebble (a filter, an index
// block and a data block through the block cache, per level that may hold
// the list): 0.84 ms, a third of a query's CPU. The texts a service is
// asked about come back (a wire story and its reprints, the same page
// checked again), and so do their anchors' lists.
//
// Why it is exact: a text query reads each list from a durable iterator
// (the flushed tables only) and from the overlay (overlay.go). What a
// durable view holds is fixed by its commit count D, which it reads
// through itself: the tables hold every commit up to D and none after
// (memtables are flushed in order, and every batch that writes postings
// is a commit; compactions change how the tables hold the keys, not which
// keys they hold). So a list read from one durable view at D is the list
// every durable view at D reads, and the cache holds lists of one D at a
// time: the first query that comes with a newer view empties it. Deleted
// documents and the limits are applied to the cached list exactly as to
// the seek's (scan), so a query's lists and results are the same with the
// cache and without it (TestPostingCacheSameResults, and the overlay tests,
// which compare every overlay scan with a snapshot scan, run with it).
//
// What is kept of a list: its first limit+1 postings in the tables, and
// whether that is all of them. A query that finds too many of those
// deleted to fill its limit seeks the list again. The postings are in one
// array and the maps hold offsets, so the garbage collector does not scan
// the cache. Costs: 8 bytes a posting and about 40 a list; past the
// budget the cache is emptied and filled again. A hit costs a map lookup
// instead of a seek; a miss adds a map insert (a query takes the read lock
// once for all its lookups and the write lock once for all its inserts).
//
// Not done: keeping lists across a flush (the flush's commits would have
// to be merged into every cached list they touch: the overlay's entries
// say which, but they are gone by the time the flush is seen), and a
// cache for queries by ID or over a snapshot (their views are not
// durable views, whose contents D names).

package index

import "sync"

// DefaultPostingCache is the memory budget, in bytes, of an index's
// posting cache unless SetPostingCache says otherwise.
const DefaultPostingCache = 64 << 20

// postEntry locates a cached list in postCache.docs.
type postEntry struct {
	off   uint32
	n     uint32
	whole bool // the list has no postings in the tables beyond these
}

// postCache holds lists of the durable view at commit dc.
type postCache struct {
	mu     sync.RWMutex
	budget int64
	dc     uint64
	lists  [2]map[uint64]postEntry // per kind (kindOf)
	docs   []uint64                // append-only until the cache is emptied
	hits   int64
	misses int64
}

// postList is one list's cached part as a query sees it.
type postList struct {
	docs  []uint64
	whole bool
	ok    bool // the list was cached
}

// postBytesPerList is what the budget counts for a list beside its
// postings (its map entry and a share of the map's slack).
const postBytesPerList = 40

func newPostCache(budget int64) *postCache {
	return &postCache{budget: budget}
}

// lookup fills out with the cached lists of hs (of one kind) for a
// durable view at dc; out[i].ok is false for a list not cached. The
// slices stay valid after the lock is released: what they point at is
// never written again.
func (c *postCache) lookup(dc uint64, kind int, hs []uint64, out []postList) []postList {
	out = out[:0]
	if c == nil {
		for range hs {
			out = append(out, postList{})
		}
		return out
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	m := c.lists[kind]
	if c.dc != dc {
		m = nil
	}
	for _, h := range hs {
		e, ok := m[h]
		if !ok {
			out = append(out, postList{})
			continue
		}
		out = append(out, postList{docs: c.docs[e.off : e.off+e.n : e.off+e.n], whole: e.whole, ok: true})
	}
	return out
}

// postFill is a list a query read from the tables, to be cached: its
// postings are flat[off:off+n] of the slice given to add.
type postFill struct {
	kind   int
	h      uint64
	off, n int
	whole  bool
}

// add caches lists a query read from a durable view at dc, and counts the
// query's hits and misses. A view newer than the cache's empties it; an
// older one (a query that started before a flush another one saw) adds
// nothing.
func (c *postCache) add(dc uint64, flat []uint64, fills []postFill, hits int) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hits += int64(hits)
	c.misses += int64(len(fills))
	if dc < c.dc || len(fills) == 0 {
		return
	}
	if dc > c.dc || c.lists[0] == nil {
		c.resetLocked(dc)
	}
	for _, f := range fills {
		if _, ok := c.lists[f.kind][f.h]; ok {
			continue // another query cached it meanwhile
		}
		if c.used()+int64(8*f.n+postBytesPerList) > c.budget || len(c.docs)+f.n > 1<<32-1 {
			c.resetLocked(dc)
		}
		c.lists[f.kind][f.h] = postEntry{off: uint32(len(c.docs)), n: uint32(f.n), whole: f.whole}
		c.docs = append(c.docs, flat[f.off:f.off+f.n]...)
	}
}

func (c *postCache) used() int64 {
	return 8*int64(len(c.docs)) + postBytesPerList*int64(len(c.lists[0])+len(c.lists[1]))
}

// resetLocked empties the cache for lists of the view at dc. c.mu must be
// held for writing. The postings array is a new one: queries may still be
// reading the old one.
func (c *postCache) resetLocked(dc uint64) {
	c.dc = dc
	c.lists = [2]map[uint64]postEntry{{}, {}}
	c.docs = nil
}

// reset empties the cache (after a failed commit: see Index.update).
func (c *postCache) reset() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.resetLocked(0)
	c.lists = [2]map[uint64]postEntry{}
	c.mu.Unlock()
}

// postingCache returns the index's posting cache, nil when it is off.
func (ix *Index) postingCache() *postCache { return ix.pc.Load() }

// SetPostingCache sets the memory budget, in bytes, of the cache of the
// posting lists text queries read from the flushed tables
// (DefaultPostingCache unless set); 0 or less turns it off. What was
// cached is dropped. Query results are the same with and without it.
func (ix *Index) SetPostingCache(bytes int64) {
	var c *postCache
	if bytes > 0 {
		c = newPostCache(bytes)
	}
	ix.pc.Store(c)
}

// PostingCacheStats reports the posting cache: lists found in it, lists
// read from the tables (and then cached), and the bytes it holds.
func (ix *Index) PostingCacheStats() (hits, misses, bytes int64) {
	c := ix.postingCache()
	if c == nil {
		return 0, 0, 0
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.hits, c.misses, c.used()
}
