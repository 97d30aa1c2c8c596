// Open-addressing tables keyed by 64-bit hashes, for the lookups of
// preparing a document: a word's stem (stemCache, text.go), and within one
// document its vocab entry by token hash and by term hash.
//
// The keys are already uniform hashes (the tokenizer's word hashes, xxh3
// of stems), so a key's low bits are its slot and nothing is hashed again;
// a slot holds the key and its value side by side, so a lookup that misses
// the cache costs one line, where a Go map costs its control word and then
// the slot's group. Linear probing, at most half full. Key 0 marks an empty
// slot, so callers keep a zero key out (termTable.get says how).

package align

import "sync/atomic"

// termSlot is one entry of a termTable.
type termSlot struct{ k, v uint64 }

// termTable maps nonzero uint64 keys to uint64 values. It is reused across
// documents (reset), and not safe for concurrent use.
type termTable struct {
	slots []termSlot
	n     int
}

// reset empties t and sizes it for at least n keys without growing.
func (t *termTable) reset(n int) {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	if cap(t.slots) >= size {
		t.slots = t.slots[:size]
		clear(t.slots)
	} else {
		t.slots = make([]termSlot, size)
	}
	t.n = 0
}

// slot returns the index of k's slot, or of the empty slot where it goes.
func (t *termTable) slot(k uint64) int {
	mask := uint64(len(t.slots) - 1)
	i := k & mask
	for {
		s := &t.slots[i]
		if s.k == k || s.k == 0 {
			return int(i)
		}
		i = (i + 1) & mask
	}
}

// get returns k's value and whether k is in t; k must not be 0.
func (t *termTable) get(k uint64) (uint64, bool) {
	s := &t.slots[t.slot(k)]
	return s.v, s.k == k
}

// put sets k's value; k must not be 0.
func (t *termTable) put(k, v uint64) {
	i := t.slot(k)
	if t.slots[i].k == 0 {
		if 2*(t.n+1) > len(t.slots) {
			t.grow()
			i = t.slot(k)
		}
		t.n++
	}
	t.slots[i] = termSlot{k, v}
}

func (t *termTable) grow() {
	old := t.slots
	t.slots = make([]termSlot, 2*len(old))
	for _, s := range old {
		if s.k != 0 {
			t.slots[t.slot(s.k)] = s
		}
	}
}

// syncSlot is one entry of a syncTable: the value is stored before the key
// is published, and neither changes after.
type syncSlot struct {
	k atomic.Uint64
	v uint64
}

// syncTable is a termTable that readers probe without a lock while one
// writer at a time (holding its owner's lock) adds keys: a key, once
// visible, has its value; a full table is replaced by a larger copy, and a
// reader still on the old one misses the keys added since, which the
// caller treats as any miss.
type syncTable struct {
	slots []syncSlot
	n     int // written under the owner's lock
}

func newSyncTable(size int) *syncTable { return &syncTable{slots: make([]syncSlot, size)} }

// get returns k's value and whether k is in t; k must not be 0.
func (t *syncTable) get(k uint64) (uint64, bool) {
	mask := uint64(len(t.slots) - 1)
	for i := k & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		switch s.k.Load() {
		case k:
			return s.v, true
		case 0:
			return 0, false
		}
	}
}

// full reports whether one more key would make t more than half full.
func (t *syncTable) full() bool { return 2*(t.n+1) > len(t.slots) }

// put adds k, absent from t, with value v; the caller holds the lock and
// has checked full.
func (t *syncTable) put(k, v uint64) {
	mask := uint64(len(t.slots) - 1)
	i := k & mask
	for t.slots[i].k.Load() != 0 {
		i = (i + 1) & mask
	}
	t.slots[i].v = v
	t.slots[i].k.Store(k)
	t.n++
}

// grown returns a copy of t twice its size.
func (t *syncTable) grown() *syncTable {
	g := newSyncTable(2 * len(t.slots))
	for k := range t.slots {
		s := &t.slots[k]
		if key := s.k.Load(); key != 0 {
			g.put(key, s.v)
		}
	}
	return g
}
