// Randomness: SplitMix64 streams keyed by (seed, document, purpose).
//
// Every document draws from its own stream, so a document can be
// regenerated alone (a copy regenerates its original instead of keeping it
// in memory) and documents can be generated in parallel and still come out
// identical. Only integer arithmetic and exact float conversions are used.

package gen

import (
	"math/bits"

	"github.com/reprint/reprint/token"
)

// Stream purposes, so the draws for one document's text, its edits and the
// corpus plan never overlap.
const (
	purposePlan uint64 = iota + 1
	purposeText
	purposeEdit
	purposeVariant
	purposePassage
	purposeVocab
)

type rng struct{ s uint64 }

// newRNG returns a stream keyed by keys.
func newRNG(keys ...uint64) *rng {
	h := uint64(0x243F6A8885A308D3)
	for _, k := range keys {
		h = token.Mix(h ^ token.Mix(k+0x9E3779B97F4A7C15))
	}
	return &rng{s: h}
}

func (r *rng) next() uint64 {
	r.s += 0x9E3779B97F4A7C15
	return token.Mix(r.s)
}

// intn returns a uniform int in [0, n); n must be > 0.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

// float returns a uniform float64 in [0, 1).
func (r *rng) float() float64 {
	return float64(r.next()>>11) / (1 << 53)
}

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// round rounds x up or down at random, so that its expectation is x.
func (r *rng) round(x float64) int {
	n := int(x)
	if r.float() < x-float64(n) {
		n++
	}
	return n
}
