// xxh3 of a short word held in registers. A word's hash is xxh3 (64 bits,
// default secret, no seed) of its normalized bytes: every stored index and
// every output depends on those values, so this file computes exactly what
// xxh3.HashString computes for inputs of 1 to 16 bytes, only from the
// words the fast path has already loaded and lower-cased, rather than from
// bytes in memory. That saves the lower-casing into a buffer, the call, and
// the re-reading of the bytes. TestShortHashIsXXH3 checks every length
// against github.com/zeebo/xxh3.
//
// The constants are xxh3's: slices of its default secret, read as
// little-endian words at the byte offsets in their names, and its primes.

package token

import "math/bits"

const (
	xxKey32At0  = 0xbe4ba423
	xxKey32At4  = 0x396cfeb8
	xxKey64At8  = 0x1cad21f72c81017c
	xxKey64At16 = 0xdb979083e96dd4de
	xxKey64At24 = 0x1f67b3b7a4a44072
	xxKey64At32 = 0x78e5c0cc4ee679cb
	xxKey64At40 = 0x2172ffcc7dd05a82
	xxKey64At48 = 0x8e2443f7744608b8
	xxPrime64_2 = 14029467366897019727
	xxPrime64_3 = 1609587929392839161
)

// hash8 returns xxh3 of the l bytes (1 ≤ l ≤ 8) of w, little-endian: byte
// k of the word is bits 8k to 8k+7, and the bytes from l on are zero.
//
// xxh3 has one case for 4 to 8 bytes and one for 1 to 3; both are computed
// and the right one chosen without a branch, because word lengths in text
// change from word to word and a mispredicted branch costs more than the
// few extra multiplications. The shift counts are masked to 63, which they
// never exceed, so that the compiler emits no guard for longer shifts.
func hash8(w uint64, l int) uint64 {
	// 4 to 8 bytes: the first and the last four.
	s := uint(l-4) * 8 & 63 // l < 4 gives nonsense, thrown away below
	lo := w & 0xFFFFFFFF
	hi := (w >> s) & 0xFFFFFFFF
	h := (hi + lo<<32) ^ (xxKey64At8 ^ xxKey64At16)
	h ^= bits.RotateLeft64(h, 49) ^ bits.RotateLeft64(h, 24)
	h *= 0x9fb21c651e98df25
	h ^= (h >> 35) + uint64(l)
	h *= 0x9fb21c651e98df25
	h ^= h >> 28

	// 1 to 3 bytes: xxh3 packs the first, middle and last byte and the
	// length into one word (c1<<16 | c2<<24 | c3 | l<<8).
	c1 := w & 0xFF
	c2 := (w >> (uint(l>>1) * 8 & 63)) & 0xFF
	c3 := (w >> (uint(l-1) * 8 & 63)) & 0xFF
	acc := c1<<16 | c2<<24 | c3 | uint64(l)<<8
	acc ^= xxKey32At0 ^ xxKey32At4
	acc ^= acc >> 33
	acc *= xxPrime64_2
	acc ^= acc >> 29
	acc *= xxPrime64_3
	acc ^= acc >> 32

	if l < 4 {
		h = acc
	}
	return h
}

// hash16 returns xxh3 of a word of l bytes, 9 ≤ l ≤ 16, whose first eight
// bytes are lo and last eight hi (little-endian; they overlap when l < 16).
func hash16(lo, hi uint64, l int) uint64 {
	lo ^= xxKey64At24 ^ xxKey64At32
	hi ^= xxKey64At40 ^ xxKey64At48
	mh, ml := bits.Mul64(lo, hi)
	h := uint64(l) + bits.ReverseBytes64(lo) + hi + (mh ^ ml)
	h ^= h >> 37
	h *= 0x165667919e3779f9
	return h ^ h>>32
}
