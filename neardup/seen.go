// What the workers remember of the texts they have met, so that a copy
// costs less than a new text.
//
// In crawls, package archives and training corpora a large share of the
// documents are byte-for-byte copies of an earlier one (about half of the
// Debian documentation corpora of BENCHMARKS.md; exact deduplication is
// the first step of most web-corpus pipelines for that reason). A worker
// hashes a text's bytes before tokenizing it; if an earlier record had the
// same bytes, the document is a copy of that record's document and is not
// tokenized, shingled or signed: the collector, which decides in input
// order, only links it to that document.
//
// The table is lossy and shared by the workers without a lock: forgetting
// a text only means tokenizing it again, and what a worker reads never
// changes a result, only who computes it. Each document costs one probe of
// a table that does not fit in cache (a few hundred nanoseconds on the
// 2-core machine of BENCHMARKS.md). Texts equal only once normalized are
// tokenized and signed; the collector still finds them equal, by their
// normalized-text hash and shingles.

package neardup

import (
	"sync/atomic"
	"unsafe"

	"github.com/zeebo/xxh3"
)

// rawTexts maps a 128-bit xxh3 hash of a text's bytes to the record that
// first had it. A slot is 16 bytes: the hash's low 64 bits, and the record
// number with a busy bit that makes a writer's two stores look like one to
// a reader (a record number is written at most once, so the state word
// cannot come back to a value a reader saw). The slot is chosen by the
// hash's high bits, so two texts are taken for one only if 64 + log2(slots)
// bits of their hashes agree: for texts not crafted to collide, a chance
// of about one in 2^64 per document even at a billion documents.
//
// The table starts at 2^12 slots and doubles, empty, when a worker has
// overwritten a quarter of it, up to 2^20 slots (16 MB) or what the memory
// budget allows.
type rawTexts struct {
	table atomic.Pointer[[]rawSlot]
	max   int
}

type rawSlot struct {
	state atomic.Uint64 // (record number + 1) << 1 | busy; 0: empty
	check atomic.Uint64 // the hash's low 64 bits
}

const rawFirst = 1 << 12

// newRawTexts returns a table that grows to at most maxBytes.
func newRawTexts(maxBytes int64) *rawTexts {
	t := &rawTexts{max: rawFirst}
	slot := int64(unsafe.Sizeof(rawSlot{}))
	for t.max < 1<<20 && 2*int64(t.max)*slot <= maxBytes {
		t.max *= 2
	}
	slots := make([]rawSlot, rawFirst)
	t.table.Store(&slots)
	return t
}

// rawHash is the hash of the text a document's tokens come from.
func rawHash(text string) xxh3.Uint128 { return xxh3.HashString128(text) }

// find returns the record before seq that had the text hashed h, if the
// table remembers one. Only an earlier record is of use: the collector
// meets records in input order, and links a copy to a record it has seen.
func (t *rawTexts) find(h xxh3.Uint128, seq int) (int, bool) {
	slots := *t.table.Load()
	s := &slots[h.Hi&uint64(len(slots)-1)]
	st := s.state.Load()
	if st&1 != 0 || st == 0 || s.check.Load() != h.Lo || s.state.Load() != st {
		return 0, false
	}
	first := int(st>>1) - 1
	return first, first < seq
}

// record remembers that record seq had the text hashed h, unless the slot
// already holds that text from an earlier record or another worker is
// writing it. evicted is the caller's count of entries it overwrote.
func (t *rawTexts) record(h xxh3.Uint128, seq int, evicted *int) {
	p := t.table.Load()
	slots := *p
	s := &slots[h.Hi&uint64(len(slots)-1)]
	st := s.state.Load()
	if st&1 != 0 || (st != 0 && s.check.Load() == h.Lo && int(st>>1)-1 <= seq) {
		return
	}
	if !s.state.CompareAndSwap(st, st|1) {
		return
	}
	s.check.Store(h.Lo)
	s.state.Store(uint64(seq+1) << 1)
	if st != 0 {
		if *evicted++; *evicted > len(slots)/4 && len(slots) < t.max {
			*evicted = 0
			bigger := make([]rawSlot, 2*len(slots))
			t.table.CompareAndSwap(p, &bigger) // another worker may have grown it first
		}
	}
}
