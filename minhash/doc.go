// Package minhash computes MinHash signatures of shingle sets by
// one-permutation hashing with optimal densification, and chooses the
// banding (bands × rows) that suits a Jaccard threshold.
//
// A signature has K slots. The probability that two signatures agree in a
// slot equals the Jaccard similarity of the two sets, as with K independent
// permutations, but the signature costs one hash per shingle instead of K.
//
//	s := minhash.NewSigner(128, seed)
//	sig := s.Sign(shingles, nil)
//	keys := minhash.BandKeys(sig, bands, rows, seed, nil)
package minhash
