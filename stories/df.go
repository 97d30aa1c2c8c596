// The document-frequency table: for each term, the number of documents it
// is in, whether it is a number or a date, and its display form.
//
// It is an open-addressing table keyed by the term's hash, with each
// term's entry in its slot (linear probing, at most half full), not a Go
// map of pointers: the stream counts every term of every document it
// takes, and a query looks up each of its hundreds of terms, in a table of
// millions, so each lookup is a cache miss; in a slot the key and its
// count share the miss, where a map's control word, its slot and the
// entry behind the pointer were two or three. Lookups of a document's
// terms are all made before any is read, so that their misses overlap.
// A slot is 48 bytes: 96 to 192 bytes a distinct term.

package stories

import "strings"

// dfTable counts, for each term, the documents it is in, and keeps each
// term's display form.
type dfTable struct {
	docs  int64
	slots []dfSlot // a power of two long; n == 0 marks an empty slot
	n     int      // slots in use
	idx   []int32  // addCounts' scratch: the slots of a document's terms
}

// dfSlot is a term's hash and entry. A term in the table is in at least
// one document, so a count of 0 means the slot is empty, and reading an
// absent term's count needs no branch.
type dfSlot struct {
	h uint64
	dfEntry
}

type dfEntry struct {
	n     int64
	form  string // the least surface form seen: "Raqqa" before "raqqa"
	pre   uint64 // form's first 8 bytes, big-endian, zero-padded (formKey)
	dated bool   // a number or a date: they tell events apart, not topics
}

func newDF() *dfTable {
	return &dfTable{slots: make([]dfSlot, 64)}
}

// home is h's first slot: the high bits of a multiplicative hash, since a
// term hash's low bits are not relied on to be uniform.
func (t *dfTable) home(h uint64) uint64 {
	return (h * 0x9E3779B97F4A7C15) >> 32 & uint64(len(t.slots)-1)
}

// slot returns the index of h's slot, or of the empty slot where h goes.
func (t *dfTable) slot(h uint64) int32 {
	mask := uint64(len(t.slots) - 1)
	i := t.home(h)
	for {
		s := &t.slots[i]
		if s.n == 0 || s.h == h {
			return int32(i)
		}
		i = (i + 1) & mask
	}
}

// reserve grows t so that n more terms keep it at most half full: slot
// indices found before the terms are inserted then stay valid.
func (t *dfTable) reserve(n int) {
	if 2*(t.n+n) <= len(t.slots) {
		return
	}
	size := len(t.slots)
	for 2*(t.n+n) > size {
		size *= 2
	}
	old := t.slots
	t.slots = make([]dfSlot, size)
	for i := range old {
		if old[i].n != 0 {
			t.slots[t.slot(old[i].h)] = old[i]
		}
	}
}

// insert returns h's entry, adding an empty one (n == 0, which the caller
// must then count) when h is new.
func (t *dfTable) insert(h uint64) *dfSlot {
	t.reserve(1)
	s := &t.slots[t.slot(h)]
	if s.n == 0 {
		s.h = h
		t.n++
	}
	return s
}

// len is the number of distinct terms.
func (t *dfTable) len() int { return t.n }

// each calls f for every term, in no particular order.
func (t *dfTable) each(f func(h uint64, e *dfEntry)) {
	for i := range t.slots {
		if s := &t.slots[i]; s.n != 0 {
			f(s.h, &s.dfEntry)
		}
	}
}

// formKey is s's first 8 bytes as a big-endian number, zero-padded: when
// two strings' keys differ, they are ordered as their keys are (the first
// byte that differs is within the key, or the shorter string ends there
// and is a prefix of the other), so most comparisons of a form with the
// one kept never read the kept one's bytes.
func formKey(s string) uint64 {
	if len(s) >= 8 {
		// One load and a byte swap, where the loop below is eight steps.
		return uint64(s[0])<<56 | uint64(s[1])<<48 | uint64(s[2])<<40 | uint64(s[3])<<32 |
			uint64(s[4])<<24 | uint64(s[5])<<16 | uint64(s[6])<<8 | uint64(s[7])
	}
	var k uint64
	for i := 0; i < 8; i++ {
		k <<= 8
		if i < len(s) {
			k |= uint64(s[i])
		}
	}
	return k
}

func (e *dfEntry) setForm(s string) { e.form, e.pre = s, formKey(s) }

// before reports whether s (whose formKey is k) sorts before e's form.
func (e *dfEntry) before(s string, k uint64) bool {
	switch {
	case k != e.pre:
		return k < e.pre
	case len(s) <= 8 && len(e.form) <= 8:
		// Equal keys: one is the other with zero bytes after it.
		return len(s) < len(e.form)
	}
	return s < e.form
}

func (t *dfTable) count(h uint64) int64 {
	return t.slots[t.slot(h)].n
}

// form returns the display form of h, and whether h is a number or date.
func (t *dfTable) form(h uint64) (string, bool, bool) {
	if s := &t.slots[t.slot(h)]; s.n != 0 {
		return s.form, s.dated, true
	}
	return "", false, false
}

// add counts one document's distinct terms.
func (t *dfTable) add(raw []rawTerm) { t.addCounts(raw, nil, false) }

// addCounts is add, returning in counts (reused) each term's document
// count after the addition when want is true. Every term's slot is found
// before any entry is read or written (as Nearest does), so the lookups'
// cache misses overlap.
func (t *dfTable) addCounts(raw []rawTerm, counts []int64, want bool) []int64 {
	t.docs++
	t.reserve(len(raw))
	idx := t.idx[:0]
	for i := range raw {
		idx = append(idx, t.slot(raw[i].h))
	}
	counts = counts[:0]
	for i, j := range idx {
		r := &raw[i]
		s := &t.slots[j]
		if s.n != 0 && s.h != r.h {
			// Two new terms found the same empty slot, and the other
			// took it first.
			s = &t.slots[t.slot(r.h)]
		}
		if s.n == 0 {
			// raw's terms are distinct: none is added twice.
			s.h = r.h
			s.setForm(strings.Clone(r.form)) // not a slice of the whole text
			t.n++
		} else if k := formKey(r.form); s.before(r.form, k) {
			s.form, s.pre = strings.Clone(r.form), k
		}
		s.n++
		s.dated = s.dated || r.kinds&(kindNumber|kindDate) != 0
		if want {
			counts = append(counts, s.n)
		}
	}
	t.idx = idx[:0]
	return counts
}

// merge adds o's counts to t. Counts are sums, forms minima and dated an
// or, so the result does not depend on how documents were split between
// tables.
func (t *dfTable) merge(o *dfTable) {
	t.docs += o.docs
	t.reserve(o.n)
	o.each(func(h uint64, f *dfEntry) {
		s := t.insert(h)
		if s.n == 0 {
			s.dfEntry = *f
			return
		}
		s.n += f.n
		s.dated = s.dated || f.dated
		if s.before(f.form, f.pre) {
			s.form, s.pre = f.form, f.pre
		}
	})
}
