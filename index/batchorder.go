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

// newKeys collects the keys one commit adds for its documents.
type newKeys struct {
	docs           []newDoc
	bands, anchors []posting
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
func (w *newKeys) write(ix *Index, b *pebble.Batch) {
	var k [17]byte
	var tmp []posting
	postings := func(prefix byte, ps []posting) {
		tmp = sortPostings(ps, tmp)
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
		members := slices.Clone(w.docs)
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
	ids := slices.Clone(w.docs)
	slices.SortFunc(ids, func(x, y newDoc) int { return strings.Compare(x.pr.doc.ID, y.pr.doc.ID) })
	for _, d := range ids {
		b.Set(idKey(d.pr.doc.ID), num(pID, d.num)[1:], nil)
	}
	for _, d := range w.docs {
		b.Set(num(pKeys, d.num), keyList(d.pr), nil)
	}
	for _, d := range w.docs {
		b.Set(num(pMeta, d.num), d.pr.meta.encode(), nil)
	}
	if stories {
		for _, d := range w.docs {
			b.Set(num(pStory, d.num), binary.AppendUvarint(nil, uint64(d.pr.story)), nil)
		}
	}
	var text []byte
	for _, d := range w.docs {
		if ix.p.Text {
			text = append(text[:0], d.pr.doc.Text...) // Set copies it
			b.Set(num(pText, d.num), text, nil)
		} else {
			b.Set(num(pShingle, d.num), putUint64s(d.pr.a.shingles), nil)
		}
	}
	if stories && !ix.p.Text {
		for _, d := range w.docs {
			b.Set(num(pReplay, d.num), replayRecord(&d.pr.meta, d.pr.doc.Text), nil)
		}
	}
}

// keyList is the value of a document's k key: its band count, its band
// keys, then its anchor keys.
func keyList(pr *prepared) []byte {
	keys := make([]uint64, 0, len(pr.a.bands)+len(pr.a.anchors)+1)
	keys = append(keys, uint64(len(pr.a.bands)))
	keys = append(keys, pr.a.bands...)
	keys = append(keys, pr.a.anchors...)
	return putUint64s(keys)
}
