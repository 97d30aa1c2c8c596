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
// Two paths give the same tokens. The general path (token.go) runs the
// UAX #29 segmenter (github.com/clipperhouse/uax29) and normalizes each
// word with golang.org/x/text, skipping each step its quick check says
// would change nothing. The fast path (ascii.go) takes every
// whitespace-delimited chunk made only of ASCII, Latin-1 letters and
// typographic quotes and dashes, which is nearly all of English and much
// of Western European text: it segments by the same rules on the bytes,
// folds case byte by byte, and hashes lower-case ASCII words in place. A
// chunk with any other character goes to the general path whole. A
// differential fuzz test (FuzzFastMatchesGeneral) holds the two to the
// same output on any input, invalid UTF-8 included.
//
// Costs: one pass over the bytes and one xxh3 call per word, no allocation
// beyond the caller's token slice; the fast path runs at about the speed
// of splitting on bytes and hashing each word (bench.Physical), the
// general path several times slower (BENCHMARKS.md gives the figures per
// script).
//
// Tokens carry a 64-bit hash of their normalized form; n-gram (shingle)
// hashes are combined from token hashes, never re-hashed from strings.
//
//	tz := token.New()
//	toks := tz.Tokens(text, 0, nil)
//	shingles := token.Shingles(toks, 5, nil)
package token
