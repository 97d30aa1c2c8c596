// The signing recipe: how a document's tokens become its band keys. The
// near-duplicate engine, the persistent index and the Beam pipeline all
// call Recipe, so the same document under the same options has the same
// band keys everywhere (a test in each checks it against this one).

package minhash

import "github.com/reprint/reprint/token"

// Recipe turns tokens into shingles, a signature and band keys. It is safe
// for concurrent use; the scratch buffers belong to the caller.
type Recipe struct {
	NGram   int // words per shingle
	Perm    int // signature length
	Banding     // bands × rows of the signature
	Seed    uint64
	signer  *Signer
}

// NewRecipe returns the recipe for these parameters; bands and rows are
// chosen for threshold when b is the zero Banding.
func NewRecipe(threshold float64, ngram, perm int, seed uint64, b Banding) *Recipe {
	if b.Bands == 0 {
		b = ChooseBanding(threshold, perm)
	}
	return &Recipe{NGram: ngram, Perm: perm, Banding: b, Seed: seed, signer: NewSigner(perm, seed)}
}

// Shingles appends the shingle hashes of toks to dst, in text order with
// repeats (Sign does not care; token.ShingleSet gives the set).
func (r *Recipe) Shingles(toks []token.Token, dst []uint64) []uint64 {
	return token.Shingles(toks, r.NGram, dst)
}

// Keys appends the band keys of a shingle set (or sequence: repeats do not
// matter) to dst. sig is scratch space for the signature and is returned
// for reuse.
func (r *Recipe) Keys(shingles []uint64, sig []uint32, dst []uint64) ([]uint64, []uint32) {
	sig = r.signer.Sign(shingles, sig)
	return BandKeys(sig, r.Bands, r.Rows, r.Seed, dst), sig
}
