// Writing an add's new keys into its batch in key order.
//
// A commit of a bulk add (2,000 documents, about 120,000 postings) is
// larger than half a memtable, so Pebble does not insert it into the
// memtable's skiplist: it makes the batch a flushable batch of its own,
// which it sorts by key first (sort.Sort over every entry, comparing keys
// as bytes). Written in document order, a batch's keys are in no order at
// all (each document's postings are spread over the whole key space), and
// that sort took 2.3 of the ingest's 31 CPU-seconds at 100,000 documents,
// on the commit, which adds take one at a time. Written in key order, the
// sort (pattern-defeating quicksort, which finds sorted runs) only checks
// the order: sorting the postings here as pairs of integers is several
// times cheaper than sorting them there as byte strings through an
// interface.
//
// The order changes nothing in what the batch holds: a batch is applied
// atomically, and no two of its new keys are equal (every key but an ID's
// names the new document number, and the IDs written are distinct). The
// deletions of replaced documents (removeOld) are still written as they
// are met, before any of these, so that a deletion and a write of the same
// key (a replaced document's ID entry) keep their order. A small commit
// is written the same way; for it the order changes nothing but costs
// nothing either.

package index

import (
	"cmp"
	"encoding/binary"
	"slices"
	"strings"

	"github.com/cockroachdb/pebble/v2"
)

// newKeys collects the keys one commit adds for its documents. The
// index keeps one between commits (Index.nk) for its buffers: a bulk
// add's commit records 120,000 postings, and growing these slices anew
// for each commit allocated about 6 KB a document.
type newKeys struct {
	docs           []newDoc
	bands, anchors []posting
	tmp            []posting // sortPostings' scratch
	order          []newDoc  // write's scratch for the docs in member and ID order
}

// reset empties w for the next commit, keeping its buffers but none of
// the documents it pointed to.
func (w *newKeys) reset() {
	clear(w.docs)
	clear(w.order)
	w.docs, w.bands, w.anchors, w.order = w.docs[:0], w.bands[:0], w.anchors[:0], w.order[:0]
}

// batchBytes is about what the keys of pr, with keys band and anchor
// keys, take in a Pebble batch (a kind byte and two length varints an
// entry beside the key and value), a little more rather than less, so
// that a commit's batch can be allocated once (updateSized).
func batchBytes(pr *prepared, keys int) int {
	d := pr.doc
	strs := len(d.ID) + len(d.Date) + len(d.Source) + len(d.URL)
	return keys*20 + // postings: 17-byte keys, no values
		8*(keys+1) + 16 + // the key list
		len(d.Text) + 16 + // the text (or the shingle set, smaller)
		3*strs + 120 // the ID entry, metadata, member entry and story number
}

type newDoc struct {
	pr  *prepared
	num uint64
}

type posting struct{ h, num uint64 }

// sortPostings sorts ps by hash, then number, and returns its scratch
// (tmp, grown to len(ps)) for the next call. ps is in increasing number
// order for equal hashes (add appends the documents in number order), so
// a stable sort by hash alone is enough: a least-significant-digit radix
// sort, a byte a pass, passes whose byte is the same throughout skipped.
// It took about a fifth of slices.SortFunc's time on a commit's 120,000
// postings.
func sortPostings(ps, tmp []posting) []posting {
	if len(ps) < 256 {
		slices.SortFunc(ps, comparePostings)
		return tmp
	}
	tmp = slices.Grow(tmp[:0], len(ps))[:len(ps)]
	src, dst := ps, tmp
	for shift := uint(0); shift < 64; shift += 8 {
		var count [256]int
		for _, p := range src {
			count[byte(p.h>>shift)]++
		}
		if count[byte(src[0].h>>shift)] == len(src) {
			continue
		}
		pos := 0
		for i, c := range count {
			count[i] = pos
			pos += c
		}
		for _, p := range src {
			d := byte(p.h >> shift)
			dst[count[d]] = p
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &ps[0] {
		copy(ps, src)
	}
	return tmp
}

func comparePostings(a, b posting) int {
	if c := cmp.Compare(a.h, b.h); c != 0 {
		return c
	}
	return cmp.Compare(a.num, b.num)
}

// add records that pr is written under number num; numbers are added in
// increasing order.
func (w *newKeys) add(pr *prepared, num uint64) {
	w.docs = append(w.docs, newDoc{pr, num})
	for _, h := range pr.a.bands {
		w.bands = append(w.bands, posting{h, num})
	}
	for _, h := range pr.a.anchors {
		w.anchors = append(w.anchors, posting{h, num})
	}
}

// write puts every recorded key into b, in key order: the prefixes in
// byte order ('a' < 'b' < 'g' < 'i' < 'k' < 'm' < 'r' < 's' < 't' < 'z'),
// and within each prefix its keys in order. The keys and values are the
// index's format (format.go); only their order in the batch is chosen here.
func (w *newKeys) write(ix *Index, b *pebble.Batch) error {
	var k [17]byte
	postings := func(prefix byte, ps []posting) {
		w.tmp = sortPostings(ps, w.tmp)
		k[0] = prefix
		for _, p := range ps {
			binary.BigEndian.PutUint64(k[1:], p.h)
			binary.BigEndian.PutUint64(k[9:], p.num)
			b.Set(k[:17], nil, nil)
		}
	}
	num := func(prefix byte, n uint64) []byte {
		k[0] = prefix
		binary.BigEndian.PutUint64(k[1:], n)
		return k[:9]
	}
	postings(pAnchor, w.anchors)
	postings(pBand, w.bands)
	stories := ix.p.Stories
	if stories {
		members := append(w.order[:0], w.docs...)
		w.order = members
		slices.SortFunc(members, func(x, y newDoc) int {
			// memberKey keeps the story's low 32 bits.
			if c := cmp.Compare(uint32(x.pr.story), uint32(y.pr.story)); c != 0 {
				return c
			}
			return cmp.Compare(x.num, y.num)
		})
		for _, d := range members {
			b.Set(memberKey(uint64(d.pr.story), d.num), memberValue(&d.pr.meta), nil)
		}
	}
	ids := append(w.order[:0], w.docs...)
	w.order = ids
	slices.SortFunc(ids, func(x, y newDoc) int { return strings.Compare(x.pr.doc.ID, y.pr.doc.ID) })
	for _, d := range ids {
		b.Set(idKey(d.pr.doc.ID), num(pID, d.num)[1:], nil)
	}
	// The key lists and texts are written into the batch in place
	// (SetDeferred): by way of a slice of their own, every byte of them
	// was copied once more.
	for _, d := range w.docs {
		op := b.SetDeferred(9, 8*(1+len(d.pr.a.bands)+len(d.pr.a.anchors)))
		copy(op.Key, num(pKeys, d.num))
		putKeyList(op.Value, d.pr)
		if err := op.Finish(); err != nil {
			return err
		}
	}
	for _, d := range w.docs {
		b.Set(num(pMeta, d.num), d.pr.meta.encode(), nil)
	}
	if stories {
		for _, d := range w.docs {
			b.Set(num(pStory, d.num), binary.AppendUvarint(nil, uint64(d.pr.story)), nil)
		}
	}
	for _, d := range w.docs {
		if ix.p.Text {
			op := b.SetDeferred(9, len(d.pr.doc.Text))
			copy(op.Key, num(pText, d.num))
			copy(op.Value, d.pr.doc.Text)
			if err := op.Finish(); err != nil {
				return err
			}
		} else {
			b.Set(num(pShingle, d.num), putUint64s(d.pr.a.shingles), nil)
		}
	}
	if stories && !ix.p.Text {
		for _, d := range w.docs {
			b.Set(num(pReplay, d.num), replayRecord(&d.pr.meta, d.pr.doc.Text), nil)
		}
	}
	return nil
}

// putKeyList writes the value of a document's k key into v, which is 8
// bytes for each of its band count, its band keys, then its anchor keys
// (putUint64s's encoding).
func putKeyList(v []byte, pr *prepared) {
	binary.LittleEndian.PutUint64(v, uint64(len(pr.a.bands)))
	v = v[8:]
	for _, h := range pr.a.bands {
		binary.LittleEndian.PutUint64(v, h)
		v = v[8:]
	}
	for _, h := range pr.a.anchors {
		binary.LittleEndian.PutUint64(v, h)
		v = v[8:]
	}
}
