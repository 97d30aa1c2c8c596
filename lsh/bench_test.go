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

// BenchmarkCandidatesMinShared is the path of reuse's content keys on two
// workers: 5,000 documents of 500 keys each, drawn so that most keys are
// held by a few to a hundred documents (MaxDF 64 drops the commonest),
// and pairs kept when they share 5 (MinShared): millions of pairs emitted,
// sorted and counted.
func BenchmarkCandidatesMinShared(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	const docs, perDoc = 5000, 500
	keys := make([][]uint64, docs)
	for d := range keys {
		seen := map[uint64]bool{}
		for len(keys[d]) < perDoc {
			// A key's number is roughly log-uniform, so small numbers (held
			// by many documents) and large ones (by one or two) both occur.
			k := uint64(r.ExpFloat64()*400000) * 0x9E3779B97F4A7C15
			if !seen[k] {
				seen[k] = true
				keys[d] = append(keys[d], k)
			}
		}
	}
	b.SetBytes(docs * perDoc * PostingBytes)
	for b.Loop() {
		ix := NewIndex(0, "")
		ix.MaxDF, ix.MinShared = 64, 5
		for d, k := range keys {
			ix.Add(uint32(d), k)
		}
		if _, err := ix.Candidates(2); err != nil {
			b.Fatal(err)
		}
	}
}
