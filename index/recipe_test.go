package index

import (
	"encoding/binary"
	"slices"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/reprint/reprint/neardup"
	"github.com/reprint/reprint/token"
)

// The index signs documents with the CLI's recipe: a stored document's band
// postings are the keys neardup computes for the same text and options.
func TestBandKeysAreTheCLIRecipe(t *testing.T) {
	for _, o := range []Options{{}, {Threshold: 0.6, NGram: 4, Seed: 7}} {
		o.Create = true
		ix, err := Open(t.TempDir(), o)
		if err != nil {
			t.Fatal(err)
		}
		text := "A short text about a council meeting, the budget and the new library that opens in May."
		if _, err := ix.Add([]Doc{{ID: "x", Text: text}}); err != nil {
			t.Fatal(err)
		}
		it, err := ix.db.NewIter(&pebble.IterOptions{LowerBound: []byte{pBand}, UpperBound: []byte{pBand + 1}})
		if err != nil {
			t.Fatal(err)
		}
		var got []uint64
		for ok := it.First(); ok; ok = it.Next() {
			got = append(got, binary.BigEndian.Uint64(it.Key()[1:9]))
		}
		it.Close()
		ix.Close()
		no, err := neardup.Options{Threshold: o.Threshold, NGram: o.NGram, Seed: o.Seed}.WithDefaults()
		if err != nil {
			t.Fatal(err)
		}
		r := no.Recipe()
		want, _ := r.Keys(r.Shingles(token.New().Tokens(text, 0, nil), nil), nil, nil)
		slices.Sort(want)
		want = slices.Compact(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%+v: index band keys %x, CLI keys %x", o, got, want)
		}
	}
}
