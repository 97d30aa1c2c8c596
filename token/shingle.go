// Shingle hashes are combined from token hashes with a rolling polynomial
// (mod 2^64) and then finalized with a 64-bit mixer, so each shingle costs a
// few multiplications whatever the word lengths. The polynomial alone is
// linear and would let structured inputs collide; the mixer breaks that.

package token

import (
	"encoding/binary"
	"slices"

	"github.com/zeebo/xxh3"
)

const shinglePrime = 0x9E3779B97F4A7C15 // odd, so powers never vanish mod 2^64

// Shingles appends the hashes of the n-word shingles of toks to dst and
// returns it. A text shorter than n words yields one shingle of all its
// words, so short documents still compare; no tokens yields none.
func Shingles(toks []Token, n int, dst []uint64) []uint64 {
	if len(toks) == 0 || n <= 0 {
		return dst
	}
	if len(toks) < n {
		n = len(toks)
	}
	var h, top uint64 = 0, 1 // top = prime^(n-1)
	for i := 0; i < n; i++ {
		h = h*shinglePrime + toks[i].Hash
		if i > 0 {
			top *= shinglePrime
		}
	}
	dst = append(dst, Mix(h+uint64(n)))
	for i := n; i < len(toks); i++ {
		h = (h-toks[i-n].Hash*top)*shinglePrime + toks[i].Hash
		dst = append(dst, Mix(h+uint64(n)))
	}
	return dst
}

// Mix is a 64-bit finalizer (from SplitMix64): a bijection that spreads every
// input bit over every output bit.
func Mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return x
}

// TextHash is a hash of the whole normalized token sequence: two texts with
// the same hash are the same text after normalization. It is xxh3 of the
// token hashes' little-endian bytes, which costs far less than tokenizing;
// the bytes are laid out in a stack buffer, and a long text streams them
// through an xxh3.Hasher (the same value as one call), so no buffer the
// size of the text is allocated.
func TextHash(toks []Token) uint64 {
	var buf [1024]byte
	if 8*len(toks) <= len(buf) {
		b := buf[:0]
		for _, t := range toks {
			b = binary.LittleEndian.AppendUint64(b, t.Hash)
		}
		return xxh3.Hash(b)
	}
	h := xxh3.New()
	for len(toks) > 0 {
		b := buf[:0]
		for len(toks) > 0 && len(b) < len(buf) {
			b = binary.LittleEndian.AppendUint64(b, toks[0].Hash)
			toks = toks[1:]
		}
		h.Write(b)
	}
	return h.Sum64()
}

// ShingleSet appends the sorted, duplicate-free shingle hashes of toks to
// dst: the set whose Jaccard similarity defines a near-duplicate.
func ShingleSet(toks []Token, n int, dst []uint64) []uint64 {
	start := len(dst)
	dst = Shingles(toks, n, dst)
	s := dst[start:]
	SortHashes(s)
	return dst[:start+len(slices.Compact(s))]
}

// Overlap counts the elements two sorted, duplicate-free sets share.
func Overlap(a, b []uint64) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// Jaccard returns |A∩B| / |A∪B| of two sorted, duplicate-free sets; two
// empty sets give 0.
func Jaccard(a, b []uint64) float64 {
	in := Overlap(a, b)
	u := len(a) + len(b) - in
	if u == 0 {
		return 0
	}
	return float64(in) / float64(u)
}
