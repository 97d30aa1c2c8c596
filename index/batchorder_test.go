package index

import (
	"bytes"
	"slices"
	"testing"
)

// TestNewKeysInOrder checks that a commit's new keys go into the batch in
// strictly increasing key order (what makes Pebble's sort of a large batch
// cheap, batchorder.go), that each document has every key it had when
// they were written document by document, and, with and without texts,
// that adding through that order leaves documents that query as before.
func TestNewKeysInOrder(t *testing.T) {
	for _, noText := range []bool{false, true} {
		ix, _ := openTemp(t, Options{NoText: noText})
		docs := genDocs(t, 60)
		preps := ix.prepare(docs, nil)
		var w newKeys
		for i := range preps {
			preps[i].story = int32((i * 7919) % 23) // stories out of number order
			w.add(&preps[i], uint64(1000+i*3))
		}
		b := ix.db.NewBatch()
		if err := w.write(ix, b); err != nil {
			t.Fatal(err)
		}
		r := b.Reader()
		var last []byte
		n := 0
		for {
			_, k, _, ok, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			if last != nil && bytes.Compare(last, k) >= 0 {
				t.Fatalf("noText %v: key %q after %q", noText, k, last)
			}
			last = append(last[:0], k...)
			n++
		}
		b.Close()
		// Per document: ID, metadata, text or shingles, key list, its
		// postings; with stories its story and membership, and without
		// texts its replay record.
		want := 0
		for i := range preps {
			want += 4 + len(preps[i].a.bands) + len(preps[i].a.anchors) + 2
			if noText {
				want++
			}
		}
		if n != want {
			t.Fatalf("noText %v: %d keys, want %d", noText, n, want)
		}
	}
}

// TestSortPostings checks the radix sort against a comparison sort, with
// hashes that share bytes (skipped passes) and repeat (order by number).
func TestSortPostings(t *testing.T) {
	var tmp []posting
	for _, n := range []int{0, 1, 100, 255, 256, 5000} {
		var ps []posting
		x := uint64(88172645463325252)
		for num := uint64(1); len(ps) < n; num++ {
			for j := 0; j < 3 && len(ps) < n; j++ {
				x ^= x << 13
				x ^= x >> 7
				x ^= x << 17
				h := x & 0x00ff00ff0000ffff // bytes 2, 3 and 7 always zero
				if j == 2 && len(ps) > 10 {
					h = ps[len(ps)-10].h // a repeated hash, later number
				}
				ps = append(ps, posting{h, num})
			}
		}
		want := slices.Clone(ps)
		slices.SortFunc(want, comparePostings)
		tmp = sortPostings(ps, tmp)
		if !slices.Equal(ps, want) {
			t.Fatalf("n %d: radix sort differs from the comparison sort", n)
		}
	}
}
