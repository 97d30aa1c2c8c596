// The overlay: the postings of recent commits held in memory, so that a
// query's posting scan need not search Pebble's memtables.
//
// Why: a query seeks about 175 posting lists, and each seek searches every
// memtable (an arena skiplist, no filter: about 20 dependent cache misses a
// seek) besides the tables whose filters admit the list. With a writer
// adding documents the memtables hold tens of thousands of postings, and
// their searches cost a query about as much as all the tables together
// (12% of a 1,000-word query's CPU on 100,000 documents; BENCHMARKS.md).
// A hash lookup of the same list in the overlay costs well under a tenth
// of a skiplist search.
//
// How: every commit (Index.update) records in the overlay, before the batch
// is committed, the postings it writes and the document numbers whose
// postings it deletes, tagged with its commit number (counters.Commits,
// written with every batch). A query then reads postings from two views:
// a Pebble iterator with OnlyReadGuaranteedDurable, which sees only the
// flushed tables (every commit up to some D, the commit number its own
// counters hold), and the overlay's postings of the commits after D up to
// the query's snapshot (commit N): documents numbered from the durable
// counters' Next up to the snapshot's Next, less those deleted by commits
// in (D, N]. Since document numbers only grow, the two parts of a list are
// in order one after the other, and the list is the one the snapshot would
// give, so results are those of a snapshot scan (TestOverlaySameResults).
//
// Order of reads: the durable iterator is opened before the snapshot (so
// D <= N, a flush only publishes what was committed), the overlay is
// written before its commit becomes visible (so every commit the snapshot
// sees is in it), and the overlay's read lock is held from before the
// durable iterator is opened until the query has copied its lists, so a
// prune (dropping what the tables now hold, after a flush) cannot remove
// what the query's older durable view still needs.
//
// When the overlay cannot answer, the query scans its snapshot as before,
// memtables included: queries by ID (the text is read from a snapshot
// before its lists are known), an index opened read-only over an unflushed
// log, a durable view older than the overlay's base (after a failed commit
// or an overflow reset the overlay until the next flush), and always when
// the overlay is off.
//
// Costs: 24 to 48 bytes a posting held (a chain entry, and a table slot
// for each list, the table at most half full), at most maxOverlayPostings;
// a commit pays a table insert per posting (about ten microseconds a
// document), a flush one rebuild of what is left (the newest memtable's
// postings); a bulk add resets it (maxOverlayCommit). A query pays a
// lookup per list, under the overlay's read lock, and shares the set of
// documents deleted since its durable view with the queries of the same
// views (deletedSet). Not done: removing a
// deleted document's postings from the overlay (its number is filtered
// instead; numbers are never reused), and queries by ID, which read their
// text before their lists are known.

package index

import (
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// maxOverlayPostings bounds the overlay (at most about 100 MB); past it the overlay
// is reset and queries scan memtables until the next flush. A writer adding
// 200 documents a second fills a 64 MB memtable with about a million.
const maxOverlayPostings = 2 << 20

// maxOverlayCommit is the most postings one commit records in the
// overlay. A larger one (a bulk add: 2,000 documents of Ingest's batches
// write about 150,000) resets it instead, and queries scan memtables until
// the next flush, soon in a bulk load: inserting a bulk add's postings cost
// 9% of its CPU, while a writer's adds of tens of documents cost a small
// fraction of a core.
const maxOverlayCommit = 1 << 15

// ovEntry is one posting in a list's chain, newest first.
type ovEntry struct {
	h, num uint64
	next   int32 // index of the next older entry of the list, -1 at the end
	kind   uint8 // 0 anchor, 1 band
}

// ovDel is a document whose postings a commit deleted.
type ovDel struct{ commit, num uint64 }

// overlay holds the postings of the commits after base (see the file
// comment). mu guards everything.
type overlay struct {
	mu   sync.RWMutex
	on   bool   // false: queries scan their snapshots
	base uint64 // every commit after base is here
	// heads maps a list (anchors and bands apart) to its newest entry.
	heads [2]ovTable
	ents  []ovEntry
	dels  []ovDel
	// delMemo is the last deleted set a query built (see deletedSet);
	// every change to dels drops it.
	delMemo atomic.Pointer[delSet]
}

// delSet is the set of documents deleted by the commits in (dc, nc], as
// o.dels held them when it was built. Shared by the queries of the same
// views and never modified.
type delSet struct {
	dc, nc uint64
	nums   map[uint64]bool
}

// ovDelta is what one commit adds to the overlay, gathered while its batch
// is built.
type ovDelta struct {
	post [2][][2]uint64 // per kind: (hash, num), in the order written
	dels []uint64
	n    int
}

func kindOf(prefix byte) int {
	if prefix == pBand {
		return 1
	}
	return 0
}

func (d *ovDelta) add(prefix byte, h, num uint64) {
	if d == nil {
		return
	}
	k := kindOf(prefix)
	d.post[k] = append(d.post[k], [2]uint64{h, num})
	d.n++
}

func (d *ovDelta) del(num uint64) {
	if d != nil {
		d.dels = append(d.dels, num)
	}
}

// reset empties the overlay; it then holds every commit after base.
func (o *overlay) reset(base uint64) {
	o.base = base
	o.heads = [2]ovTable{}
	o.ents = o.ents[:0:0]
	o.dels = nil
	o.delMemo.Store(nil)
}

// apply records commit c's delta before the commit is made; nil for a
// commit too large to record. Documents are numbered in commit order, so
// every chain stays newest first.
func (o *overlay) apply(c uint64, d *ovDelta) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.on {
		return
	}
	if d == nil || len(o.ents)+d.n > maxOverlayPostings {
		o.reset(c)
		return
	}
	for k := range d.post {
		for _, p := range d.post[k] {
			o.push(uint8(k), p[0], p[1])
		}
	}
	for _, num := range d.dels {
		o.dels = append(o.dels, ovDel{commit: c, num: num})
	}
	if len(d.dels) > 0 {
		o.delMemo.Store(nil)
	}
}

// failed forgets a commit that did not happen: c-1 is then the last commit,
// and what the overlay held is dropped, so that queries scan memtables
// until a flush makes the tables hold commit c-1.
func (o *overlay) failed(c uint64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.on {
		o.reset(c - 1)
	}
}

// push appends a posting to its list's chain.
func (o *overlay) push(kind uint8, h, num uint64) {
	head := o.heads[kind].swap(h, int32(len(o.ents)))
	o.ents = append(o.ents, ovEntry{h: h, num: num, next: head, kind: kind})
}

// ovTable maps a list's hash to its newest entry: open addressing with
// linear probing, one probe sequence an insert (a Go map takes a lookup
// and an assignment, and was 10% of the CPU of a bulk add). Hashes are
// mixed with a per-table seed, so that texts made to collide in the low
// bits of their n-gram hashes cannot pile up one probe run.
type ovTable struct {
	keys []uint64
	vals []int32 // entry index + 1; 0: empty slot
	n    int
	seed uint64
}

func (t *ovTable) slot(h uint64) int {
	x := (h ^ t.seed) * 0x9e3779b97f4a7c15
	return int((x ^ x>>29) & uint64(len(t.keys)-1))
}

// get returns the newest entry of list h, or -1.
func (t *ovTable) get(h uint64) int32 {
	if t.n == 0 {
		return -1
	}
	for i := t.slot(h); ; i = (i + 1) & (len(t.keys) - 1) {
		switch {
		case t.vals[i] == 0:
			return -1
		case t.keys[i] == h:
			return t.vals[i] - 1
		}
	}
}

// swap makes v the newest entry of list h and returns the one before, or -1.
func (t *ovTable) swap(h uint64, v int32) int32 {
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	for i := t.slot(h); ; i = (i + 1) & (len(t.keys) - 1) {
		switch {
		case t.vals[i] == 0:
			t.keys[i], t.vals[i] = h, v+1
			t.n++
			return -1
		case t.keys[i] == h:
			old := t.vals[i] - 1
			t.vals[i] = v + 1
			return old
		}
	}
}

func (t *ovTable) grow() {
	keys, vals := t.keys, t.vals
	n := max(1024, 2*len(keys))
	if t.seed == 0 {
		t.seed = rand.Uint64() | 1
	}
	t.keys, t.vals, t.n = make([]uint64, n), make([]int32, n), 0
	for i, v := range vals {
		if v != 0 {
			t.swap(keys[i], v-1)
		}
	}
}

// prune drops what a durable view at commit dc, holding the documents
// numbered below next, holds already. Entries are in commit order, so
// document numbers only grow along them: what is kept is a suffix, pushed
// again (a flush leaves about one memtable's worth).
func (o *overlay) prune(dc, next uint64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.on || dc < o.base {
		return
	}
	ents, dels := o.ents, o.dels
	o.reset(dc)
	keep := ents[sort.Search(len(ents), func(i int) bool { return ents[i].num >= next }):]
	o.ents = make([]ovEntry, 0, len(keep))
	for _, e := range keep {
		o.push(e.kind, e.h, e.num)
	}
	for _, d := range dels {
		if d.commit > dc {
			o.dels = append(o.dels, d)
		}
	}
	o.delMemo.Store(nil)
}

// ovRead is one query's copy of the overlay's part of its lists.
type ovRead struct {
	lists [2]map[uint64][]uint64 // per kind and list: document numbers, ascending
	// deleted holds the documents whose postings the durable view still
	// holds but the snapshot does not; shared with other queries, read only.
	deleted map[uint64]bool
}

// deletedSet returns the documents deleted by the commits in (dc, nc], nil
// when there are none. Building the set cost a query a map insert per
// deletion the overlay holds (a writer that replaces documents leaves
// thousands before a flush: 0.1 ms, 3.6% of a 1M-document query's CPU),
// so the last set built is kept for the queries that follow with the same
// views: between two commits, all of them. o.mu must be held for reading;
// the queries that hold it together may each build the set, and then one
// of them is kept.
func (o *overlay) deletedSet(dc, nc uint64) map[uint64]bool {
	if m := o.delMemo.Load(); m != nil && m.dc == dc && m.nc == nc {
		return m.nums
	}
	var nums map[uint64]bool
	for _, d := range o.dels {
		if d.commit > dc && d.commit <= nc {
			if nums == nil {
				nums = map[uint64]bool{}
			}
			nums[d.num] = true
		}
	}
	o.delMemo.Store(&delSet{dc: dc, nc: nc, nums: nums})
	return nums
}

// read copies, for the given lists, the postings of the documents numbered
// in [lo, hi), and the documents deleted by commits in (dc, nc]. An anchor
// list is copied up to limit+1 postings, enough to tell it is too common.
// o.mu must be held for reading.
func (o *overlay) read(anchors, bands []uint64, lo, hi, dc, nc uint64, anchorLimit int) *ovRead {
	r := &ovRead{deleted: o.deletedSet(dc, nc)}
	// Deleted documents are skipped when the lists are read, so a capped
	// anchor list keeps enough others to still be counted too common.
	anchorLimit += len(r.deleted)
	for k, hs := range [2][]uint64{anchors, bands} {
		for _, h := range hs {
			i := o.heads[k].get(h)
			var nums []uint64
			for ; i >= 0 && o.ents[i].num >= lo; i = o.ents[i].next {
				if o.ents[i].num < hi {
					nums = append(nums, o.ents[i].num)
				}
				if k == 0 && len(nums) > anchorLimit {
					break
				}
			}
			if len(nums) == 0 {
				continue
			}
			slices.Reverse(nums)
			if r.lists[k] == nil {
				r.lists[k] = map[uint64][]uint64{}
			}
			r.lists[k][h] = nums
		}
	}
	return r
}
