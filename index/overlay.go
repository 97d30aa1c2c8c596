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
// Costs: about 34 bytes a posting held (a hash map slot and a chain entry),
// at most maxOverlayPostings; a commit pays a map insert per posting (a few
// microseconds a document), a flush one rebuild of what is left. Not done:
// removing a deleted document's postings from the overlay (its number is
// filtered instead; numbers are never reused).

package index

import (
	"slices"
	"sync"
)

// maxOverlayPostings bounds the overlay (about 70 MB); past it the overlay
// is reset and queries scan memtables until the next flush. A writer adding
// 200 documents a second fills a 64 MB memtable with about a million.
const maxOverlayPostings = 2 << 20

// ovEntry is one posting in a list's chain, newest first.
type ovEntry struct {
	num  uint64
	next int32 // index of the next older entry of the list, -1 at the end
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
	heads [2]map[uint64]int32
	ents  []ovEntry
	dels  []ovDel
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
	o.heads = [2]map[uint64]int32{{}, {}}
	o.ents = o.ents[:0:0]
	o.dels = nil
}

// apply records commit c's delta before the commit is made. Documents are
// numbered in commit order, so every chain stays newest first.
func (o *overlay) apply(c uint64, d *ovDelta) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.on {
		return
	}
	if len(o.ents)+d.n > maxOverlayPostings {
		o.reset(c)
		return
	}
	for k := range d.post {
		m := o.heads[k]
		for _, p := range d.post[k] {
			head, ok := m[p[0]]
			if !ok {
				head = -1
			}
			m[p[0]] = int32(len(o.ents))
			o.ents = append(o.ents, ovEntry{num: p[1], next: head})
		}
	}
	for _, num := range d.dels {
		o.dels = append(o.dels, ovDel{commit: c, num: num})
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

// prune drops what a durable view at commit dc, holding the documents
// numbered below next, holds already.
func (o *overlay) prune(dc, next uint64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.on || dc < o.base {
		return
	}
	heads, ents, dels := o.heads, o.ents, o.dels
	o.reset(dc)
	// An entry's list is known only from its chain: each chain is walked
	// down to the first number the tables hold, and the kept entries are
	// re-applied in their old order, so that chains stay newest first.
	type kept struct {
		k  int
		h  uint64
		at int32
	}
	var ks []kept
	for k, m := range heads {
		for h, i := range m {
			for ; i >= 0 && ents[i].num >= next; i = ents[i].next {
				ks = append(ks, kept{k: k, h: h, at: i})
			}
		}
	}
	slices.SortFunc(ks, func(x, y kept) int { return int(x.at) - int(y.at) })
	for _, e := range ks {
		m := o.heads[e.k]
		head, ok := m[e.h]
		if !ok {
			head = -1
		}
		m[e.h] = int32(len(o.ents))
		o.ents = append(o.ents, ovEntry{num: ents[e.at].num, next: head})
	}
	for _, d := range dels {
		if d.commit > dc {
			o.dels = append(o.dels, d)
		}
	}
}

// ovRead is one query's copy of the overlay's part of its lists.
type ovRead struct {
	lists   [2]map[uint64][]uint64 // per kind and list: document numbers, ascending
	deleted map[uint64]bool        // documents whose postings the durable view still holds but the snapshot does not
}

// read copies, for the given lists, the postings of the documents numbered
// in [lo, hi), and the documents deleted by commits in (dc, nc]. An anchor
// list is copied up to limit+1 postings, enough to tell it is too common.
// o.mu must be held for reading.
func (o *overlay) read(anchors, bands []uint64, lo, hi, dc, nc uint64, anchorLimit int) *ovRead {
	r := &ovRead{}
	for _, d := range o.dels {
		if d.commit > dc && d.commit <= nc {
			if r.deleted == nil {
				r.deleted = map[uint64]bool{}
			}
			r.deleted[d.num] = true
		}
	}
	// Deleted documents are skipped when the lists are read, so a capped
	// anchor list keeps enough others to still be counted too common.
	anchorLimit += len(r.deleted)
	for k, hs := range [2][]uint64{anchors, bands} {
		m := o.heads[k]
		for _, h := range hs {
			i, ok := m[h]
			if !ok {
				continue
			}
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
