// Deleting documents. A document is found by ID, and its postings through
// its key list, so Delete touches only the keys the document wrote; the
// whole deletion is one synced batch, like Add. Pebble's tombstones are
// reclaimed by compaction later.

package index

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/cockroachdb/pebble/v2"
)

// Delete removes the documents with the given IDs and reports, per ID,
// whether it was there.
func (ix *Index) Delete(ids []string) ([]bool, error) {
	if err := ix.enterWrite(); err != nil {
		return nil, err
	}
	defer ix.leave()
	found := make([]bool, len(ids))
	// Indexed, so that an ID named twice is found once.
	err := ix.update(true, func(b *pebble.Batch, c *counters) error {
		for i, id := range ids {
			ok, err := ix.removeOld(b, nil, id, c)
			if err != nil {
				return err
			}
			found[i] = ok
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return found, nil
}

// removeOld adds to b the removal of the document with this ID, if the
// index (as b sees it) holds one, and updates c. ids, when not nil, finds
// the ID entry (b is then not indexed).
func (ix *Index) removeOld(b *pebble.Batch, ids *idFinder, id string, c *counters) (bool, error) {
	get := ix.db.Get
	if b.Indexed() {
		get = b.Get
	}
	var v []byte
	var err error
	if ids != nil {
		v, err = ids.find(id)
	} else {
		var cl io.Closer
		if v, cl, err = get(idKey(id)); err == nil {
			v = append([]byte(nil), v...)
			cl.Close()
		}
	}
	if errors.Is(err, pebble.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("index %s: looking up %q: %w", ix.dir, id, err)
	}
	if len(v) != 8 {
		return false, fmt.Errorf("index %s: %q: ID entry of %d bytes: %w", ix.dir, id, len(v), ErrCorrupt)
	}
	num := binary.BigEndian.Uint64(v)
	ix.delta.del(num)
	kv, cl, err := get(numKey(pKeys, num))
	if err == nil {
		keys := getUint64s(kv)
		cl.Close()
		if len(keys) > 0 {
			nb := int(min(keys[0], uint64(len(keys)-1)))
			for _, h := range keys[1 : 1+nb] {
				b.Delete(postingKey(pBand, h, num), nil)
			}
			for _, h := range keys[1+nb:] {
				b.Delete(postingKey(pAnchor, h, num), nil)
			}
		}
	} else if !errors.Is(err, pebble.ErrNotFound) {
		return false, fmt.Errorf("index %s: reading %q's keys: %w", ix.dir, id, err)
	}
	// A damaged entry is still removed (that is how a user gets rid of
	// it); only its sizes cannot be taken off the counters.
	var m meta
	haveMeta := false
	if mv, cl, err := get(numKey(pMeta, num)); err == nil {
		var merr error
		m, merr = decodeMeta(mv)
		cl.Close()
		if merr == nil {
			haveMeta = true
			c.TextBytes -= min(c.TextBytes, uint64(m.Bytes))
			c.Words -= min(c.Words, uint64(m.Words))
		}
	} else if !errors.Is(err, pebble.ErrNotFound) {
		return false, fmt.Errorf("index %s: reading %q's metadata: %w", ix.dir, id, err)
	}
	if ix.p.Stories {
		if err := ix.unassignStory(b, get, num, &m, haveMeta); err != nil {
			return false, err
		}
	}
	for _, p := range []byte{pMeta, pText, pShingle, pKeys} {
		b.Delete(numKey(p, num), nil)
	}
	b.Delete(idKey(id), nil)
	if c.Docs > 0 {
		c.Docs--
	}
	return true, nil
}

// idFinder looks up the ID entries of an add's documents with one
// iterator over the ID keys, without bloom filters. A Get per document
// checks every table's filter, and the filter block of a large table is
// megabytes: with the command line's 128 MiB block cache, compactions
// kept evicting them and each Get read and checksummed one again from
// disk, which was 31% of the CPU of adding 100,000 new documents
// (BENCHMARKS.md). An iterator's seek reads only the index and data
// blocks around the key, 4 KB each, and an add's IDs in input order often
// lie next to each other. It reads the store as committed, so it serves
// adds only, under the writer lock.
type idFinder struct {
	db *pebble.DB
	it *pebble.Iterator
}

// find returns the ID entry's value (a copy), or pebble.ErrNotFound.
func (f *idFinder) find(id string) ([]byte, error) {
	if f.it == nil {
		it, err := f.db.NewIter(&pebble.IterOptions{LowerBound: []byte{pID}, UpperBound: []byte{pID + 1}})
		if err != nil {
			return nil, err
		}
		f.it = it
	}
	k := idKey(id)
	if !f.it.SeekGE(k) {
		if err := f.it.Error(); err != nil {
			return nil, err
		}
		return nil, pebble.ErrNotFound
	}
	if !bytes.Equal(f.it.Key(), k) {
		return nil, pebble.ErrNotFound
	}
	v, err := f.it.ValueAndErr()
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), v...), nil
}

func (f *idFinder) close() {
	if f.it != nil {
		f.it.Close()
		f.it = nil
	}
}
