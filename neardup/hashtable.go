// hashTable maps 64-bit hashes to document numbers for the serial
// collector: open addressing with linear probing in one array of 16-byte
// slots, grown to stay at most half full. Its keys are hashes already
// (xxh3 of IDs, the text hash), so their low bits pick the slot as they
// are. A lookup is one cache line where Go's map, at a million entries,
// touched a control word and a slot, often two lines: the collector's two
// maps were a tenth of its time on a million short documents.

package neardup

type hashSlot struct {
	key uint64
	val int32 // document number + 1; 0: free
}

type hashTable struct {
	slots []hashSlot
	n     int
}

// getOrPut returns the document stored for key, or stores doc for it and
// reports false: one probe where get then put would take two.
func (t *hashTable) getOrPut(key uint64, doc int32) (int32, bool) {
	if s, found := t.slot(key, doc); found {
		return s.val - 1, true
	}
	return 0, false
}

// put stores doc for key, in place of what key had.
func (t *hashTable) put(key uint64, doc int32) {
	if s, found := t.slot(key, doc); found {
		s.val = doc + 1
	}
}

// slot returns key's slot, and whether key was there; a key that was not
// gets a free slot holding doc.
func (t *hashTable) slot(key uint64, doc int32) (*hashSlot, bool) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	mask := uint64(len(t.slots) - 1)
	i := key & mask
	for t.slots[i].val != 0 {
		if t.slots[i].key == key {
			return &t.slots[i], true
		}
		i = (i + 1) & mask
	}
	t.slots[i] = hashSlot{key: key, val: doc + 1}
	t.n++
	return &t.slots[i], false
}

// grow doubles the table. Old slots are taken in order, and a key's new
// slot is its old home or that plus the old length, so the writes run
// through the new array nearly in order; keys are distinct, so nothing is
// compared.
func (t *hashTable) grow() {
	old := t.slots
	t.slots = make([]hashSlot, max(2*len(old), 1024))
	mask := uint64(len(t.slots) - 1)
	for _, s := range old {
		if s.val == 0 {
			continue
		}
		i := s.key & mask
		for t.slots[i].val != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}
