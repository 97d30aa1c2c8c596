package token

import (
	"math/rand/v2"
	"testing"

	"github.com/zeebo/xxh3"
)

// TestShortHashIsXXH3 checks hash8 and hash16 against xxh3 itself on
// random words of every length they take, including bytes with the high
// bit set and zero bytes: a token's hash must not depend on which path
// computed it.
func TestShortHashIsXXH3(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var b [16]byte
	for n := 0; n < 20000; n++ {
		for i := range b {
			switch r.IntN(4) {
			case 0:
				b[i] = byte(r.IntN(256))
			case 1:
				b[i] = 0
			default:
				b[i] = 'a' + byte(r.IntN(26))
			}
		}
		lo := le64(string(b[:]), 0)
		for l := 1; l <= 16; l++ {
			want := xxh3.Hash(b[:l])
			var got uint64
			if l <= 8 {
				got = hash8(lo&(1<<(8*uint(l))-1), l)
			} else {
				got = hash16(lo, le64(string(b[:]), l-8), l)
			}
			if got != want {
				t.Fatalf("%x (%d bytes): %x, xxh3 %x", b[:l], l, got, want)
			}
		}
	}
}

// TestAlnum8 checks the eight-byte classification against the class
// table for every byte value in every position.
func TestAlnum8(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			b := []byte("aZ0_ 9Qz")
			b[pos] = byte(c)
			m, lw := alnum8(le64(string(b), 0))
			for k := 0; k < 8; k++ {
				isAlnum := class[b[k]]&cAlnum != 0
				if (m>>(8*k+7))&1 == 0 != isAlnum {
					t.Fatalf("%q byte %d: alnum8 says alnum %v", b, k, !isAlnum)
				}
				if got := byte(lw >> (8 * k)); got != lower[b[k]] {
					t.Fatalf("%q byte %d: lower-cased to %q, want %q", b, k, got, lower[b[k]])
				}
			}
		}
	}
}
