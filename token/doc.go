// Package token turns text into the word tokens every other part of reprint
// works on: normalized, hashed, and each tied to its byte span in the
// original text.
//
// Normalization is NFKC, Unicode case folding, and folding of typographic
// quotes and dashes to their ASCII forms, so "Don’t" and "don't" hash alike.
// Word boundaries follow Unicode text segmentation (UAX #29), which is right
// for any script: scripts written without spaces, such as Chinese and
// Japanese, come out one ideograph per token. Tokens made only of
// whitespace, punctuation or symbols are dropped.
//
// Tokens carry a 64-bit hash of their normalized form; n-gram (shingle)
// hashes are combined from token hashes, never re-hashed from strings.
//
//	tz := token.New()
//	toks := tz.Tokens(text, 0, nil)
//	shingles := token.Shingles(toks, 5, nil)
package token
