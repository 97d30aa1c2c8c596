package lsh

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkCandidates is the in-memory path on the postings of 50,000
// documents of 21 band keys each (a million postings), a tenth of the
// documents sharing a band with another.
func BenchmarkCandidates(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const docs, bands = 50000, 21
	keys := make([][]uint64, docs)
	for d := range keys {
		keys[d] = make([]uint64, bands)
		for i := range keys[d] {
			keys[d][i] = r.Uint64()
		}
		if d > 0 && d%10 == 0 {
			keys[d][0] = keys[d-1][0]
		}
	}
	b.SetBytes(docs * bands * PostingBytes)
	for b.Loop() {
		ix := NewIndex(0, "")
		for d, k := range keys {
			ix.Add(uint32(d), k)
		}
		if _, err := ix.Candidates(1); err != nil {
			b.Fatal(err)
		}
	}
}
