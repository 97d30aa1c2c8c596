// One-permutation hashing (Li, Owen & Zhang 2012) with optimal densification
// (Shrivastava 2017).
//
// Each shingle hash, re-mixed with the seed, is split: its high 32 bits pick
// one of K bins, its low 32 bits are the value, and a bin keeps its minimum.
// Sets smaller than K leave bins empty; optimal densification fills each
// empty bin i from the bin j that a hash of (i, attempt) picks, trying
// attempt 1, 2, ... until j is non-empty. Because the probe sequence
// depends only on i and the seed, two documents fill an empty bin from the
// same place whenever their non-empty bins coincide, which keeps the
// collision probability equal to the Jaccard similarity, with lower variance
// than the rotation scheme of earlier densification work.
//
// Not done: b-bit compression of slot values. Signatures are turned into
// band keys at once and never stored, so there is little to save.

package minhash

import (
	"math"
	"sync"

	"github.com/reprint/reprint/token"
)

// Signer computes signatures of one length and seed. It is safe for
// concurrent use.
type Signer struct {
	k    int
	seed uint64
}

// NewSigner returns a Signer for k-slot signatures.
func NewSigner(k int, seed uint64) *Signer {
	if k < 1 {
		k = 1
	}
	return &Signer{k: k, seed: seed}
}

// K returns the signature length.
func (s *Signer) K() int { return s.k }

const empty = math.MaxUint64

// Sign appends the signature of the set of shingle hashes to dst (which is
// resized to K) and returns it. Duplicates in shingles do not matter. An
// empty set gives a signature of all MaxUint32, which agrees with no real
// one except another empty set.
func (s *Signer) Sign(shingles []uint64, dst []uint32) []uint32 {
	k := uint64(s.k)
	var stack [512]uint64
	var bins []uint64
	if s.k <= len(stack) {
		bins = stack[:s.k]
	} else {
		bins = make([]uint64, s.k)
	}
	for i := range bins {
		bins[i] = empty
	}
	filled := 0
	for _, h := range shingles {
		// Shingle hashes are already mixed; a seed re-mixes them into an
		// independent permutation, and seed 0 keeps them as they are.
		x := h
		if s.seed != 0 {
			x = token.Mix(h ^ s.seed)
		}
		bin := (x >> 32) * k >> 32
		v := x & 0xFFFFFFFF
		if bins[bin] == empty {
			filled++
		}
		if v < bins[bin] {
			bins[bin] = v
		}
	}
	dst = append(dst[:0], make([]uint32, s.k)...)
	if filled == 0 {
		for i := range dst {
			dst[i] = math.MaxUint32
		}
		return dst
	}
	// With few bins filled, probing takes about k/filled attempts a bin;
	// the first-hit table answers the same question in filled steps.
	var hits []uint16
	var full []int
	if filled < s.k && filled <= 32 && s.k <= maxTableK {
		hits = firstHits(s.k, s.seed)
		for b, v := range bins {
			if v != empty {
				full = append(full, b)
			}
		}
	}
	for i := range bins {
		v := bins[i]
		if v == empty && hits != nil {
			best := uint16(noHit)
			row := hits[i*s.k : (i+1)*s.k]
			for _, b := range full {
				if row[b] < best {
					best, v = row[b], bins[b]
				}
			}
		}
		for attempt := uint64(1); v == empty; attempt++ {
			v = bins[probe(s.seed, i, attempt, k)]
		}
		dst[i] = uint32(v)
	}
	return dst
}

// probe is the bin that attempt number attempt of empty bin i looks at.
func probe(seed uint64, i int, attempt, k uint64) uint64 {
	return (token.Mix(seed+uint64(i)*0x9E3779B97F4A7C15+attempt) >> 32) * k >> 32
}

// The first-hit table of a signature length and seed: entry i*k+b is the
// first attempt at which empty bin i's probe sequence reaches bin b, or
// noHit past the table's depth. An empty bin takes its value from the
// filled bin with the smallest first attempt, which is exactly the bin
// probing would stop at; when no filled bin is within the depth, Sign
// probes. k² two-byte entries (32 KB at k = 128), built once per (k, seed)
// and shared, since signers are made per run and per index query.
const (
	maxTableK = 512
	noHit     = math.MaxUint16
	maxDepth  = 4096 // attempts recorded per bin: k ln k is about 620 at k = 128
)

var hitTables sync.Map // [2]uint64{k, seed} -> []uint16

func firstHits(k int, seed uint64) []uint16 {
	key := [2]uint64{uint64(k), seed}
	if t, ok := hitTables.Load(key); ok {
		return t.([]uint16)
	}
	t := make([]uint16, k*k)
	for i := range t {
		t[i] = noHit
	}
	for i := 0; i < k; i++ {
		row := t[i*k : (i+1)*k]
		seen := 0
		for attempt := uint64(1); attempt <= maxDepth && seen < k; attempt++ {
			b := probe(seed, i, attempt, uint64(k))
			if row[b] == noHit {
				row[b] = uint16(attempt)
				seen++
			}
		}
	}
	got, _ := hitTables.LoadOrStore(key, t)
	return got.([]uint16)
}

// BandKeys appends one 64-bit key per band to dst: band b hashes slots
// [b*rows, (b+1)*rows) together with b, so equal keys in different bands do
// not meet.
func BandKeys(sig []uint32, bands, rows int, seed uint64, dst []uint64) []uint64 {
	for b := 0; b < bands; b++ {
		h := token.Mix(seed ^ uint64(b+1)*0xD6E8FEB86659FD93)
		for _, v := range sig[b*rows : (b+1)*rows] {
			h = token.Mix(h ^ uint64(v))
		}
		dst = append(dst, h)
	}
	return dst
}
