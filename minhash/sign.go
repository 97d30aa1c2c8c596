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
	"math/bits"
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
	// Probing takes about k/filled attempts a bin, each a hash. The probe
	// tables answer the same question without hashing: with few bins
	// filled, by the filled bin of smallest rank in the empty bin's probe
	// order (filled steps); otherwise by walking that order to its first
	// filled bin (about k/filled steps, each a table read).
	var t *probeTable
	var full []int
	if filled < s.k && s.k <= maxTableK {
		t = probeTables(s.k, s.seed)
		if filled*filled <= s.k {
			for b, v := range bins {
				if v != empty {
					full = append(full, b)
				}
			}
		}
	}
	// With few bins filled, each filled bin b offers itself to every bin at
	// once, down b's column of ranks (sequential reads, a branch-free min of
	// rank and bin packed in one word), instead of every empty bin looking
	// b up in its own row (a cache line a lookup).
	var best []uint32
	if full != nil {
		var arr [maxTableK]uint32
		best = arr[:s.k]
		for i := range best {
			best[i] = math.MaxUint32
		}
		// Four columns a pass: best is read and written once for four
		// filled bins instead of once for each.
		j := 0
		for ; j+4 <= len(full); j += 4 {
			b0, b1, b2, b3 := full[j], full[j+1], full[j+2], full[j+3]
			c0 := t.rank[b0*s.k : (b0+1)*s.k]
			c1 := t.rank[b1*s.k : (b1+1)*s.k][:len(c0)]
			c2 := t.rank[b2*s.k : (b2+1)*s.k][:len(c0)]
			c3 := t.rank[b3*s.k : (b3+1)*s.k][:len(c0)]
			best := best[:len(c0)]
			for i := range c0 {
				m0 := min(uint32(c0[i])<<16|uint32(b0), uint32(c1[i])<<16|uint32(b1))
				m1 := min(uint32(c2[i])<<16|uint32(b2), uint32(c3[i])<<16|uint32(b3))
				best[i] = min(best[i], m0, m1)
			}
		}
		for _, b := range full[j:] {
			col := t.rank[b*s.k : (b+1)*s.k]
			for i, r := range col {
				best[i] = min(best[i], uint32(r)<<16|uint32(b))
			}
		}
	}
	for i := range bins {
		v := bins[i]
		attempt := uint64(1)
		if v == empty && t != nil {
			if full != nil {
				if best[i]>>16 != noHit {
					v = bins[best[i]&0xFFFF]
				}
			} else {
				v = firstFilled(bins, t.order[i*s.k:i*s.k+int(t.reached[i])])
			}
			// No filled bin within the recorded attempts: go on probing
			// where the table stops.
			attempt = maxDepth + 1
		}
		for ; v == empty; attempt++ {
			v = bins[probe(s.seed, i, attempt, k)]
		}
		dst[i] = uint32(v)
	}
	return dst
}

// firstFilled returns the value of the first bin in order that is not
// empty, or empty. Four bins are tested at a time without a branch, so the
// loop is left once for every four steps of the walk rather than at a
// mispredicted branch on every step: when about half the bins are filled,
// the walk is a step or two, and where it ends is a coin toss.
func firstFilled(bins []uint64, order []uint16) uint64 {
	r := 0
	for ; r+4 <= len(order); r += 4 {
		o := order[r : r+4 : r+4]
		m := filledBit(bins[o[0]]) | filledBit(bins[o[1]])<<1 | filledBit(bins[o[2]])<<2 | filledBit(bins[o[3]])<<3
		if m != 0 {
			return bins[o[bits.TrailingZeros8(m)]]
		}
	}
	for ; r < len(order); r++ {
		if v := bins[order[r]]; v != empty {
			return v
		}
	}
	return empty
}

// filledBit is 1 for a filled bin's value, 0 for an empty one.
func filledBit(v uint64) uint8 {
	if v != empty {
		return 1
	}
	return 0
}

// probe is the bin that attempt number attempt of empty bin i looks at.
func probe(seed uint64, i int, attempt, k uint64) uint64 {
	return (token.Mix(seed+uint64(i)*0x9E3779B97F4A7C15+attempt) >> 32) * k >> 32
}

// The probe tables of a signature length and seed. order[i*k : i*k+reached[i]]
// lists the distinct bins that empty bin i's probe sequence reaches within
// maxDepth attempts, in the order it first reaches them; rank[b*k+i] is b's
// place in that list (by columns: Sign reads one filled bin's ranks for
// every bin), or noHit. The first filled bin in the order is
// exactly the bin probing would stop at, and so is the filled bin of
// smallest rank; when no filled bin is in the list, Sign probes on from
// attempt maxDepth+1. 2k² two-byte entries (64 KB at k = 128), built once
// per (k, seed) and shared, since signers are made per run and per index
// query.
const (
	maxTableK = 512
	noHit     = math.MaxUint16
	maxDepth  = 4096 // attempts recorded per bin: k ln k is about 620 at k = 128
)

type probeTable struct {
	order   []uint16
	rank    []uint16
	reached []uint16
}

var tables sync.Map // [2]uint64{k, seed} -> *probeTable

func probeTables(k int, seed uint64) *probeTable {
	key := [2]uint64{uint64(k), seed}
	if t, ok := tables.Load(key); ok {
		return t.(*probeTable)
	}
	t := &probeTable{order: make([]uint16, k*k), rank: make([]uint16, k*k), reached: make([]uint16, k)}
	for i := range t.rank {
		t.rank[i] = noHit
	}
	for i := 0; i < k; i++ {
		n := 0
		for attempt := uint64(1); attempt <= maxDepth && n < k; attempt++ {
			b := probe(seed, i, attempt, uint64(k))
			if t.rank[int(b)*k+i] == noHit {
				t.rank[int(b)*k+i] = uint16(n)
				t.order[i*k+n] = uint16(b)
				n++
			}
		}
		t.reached[i] = uint16(n)
	}
	got, _ := tables.LoadOrStore(key, t)
	return got.(*probeTable)
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
