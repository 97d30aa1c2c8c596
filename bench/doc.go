// Package bench holds the pieces of reprint's end-to-end benchmark: reading
// a JSONL corpus into shingle sets with package token, the exact all-pairs
// Jaccard oracle, the MinHash-LSH peer (github.com/ekzhu/minhash-lsh), the
// physical reference (Physical: read, split on bytes, xxh3, shingle
// hashes, nothing else: the machine's speed, not our tokenizer's), and
// scoring and reporting. It is its own module so that the core never
// depends on the peer; cmd/reprint-bench runs everything side by side.
//
// Every system uses one definition: a document's shingle set is the sorted
// unique values of token.Shingles over its tokens, and the Jaccard of two
// documents is |A∩B|/|A∪B| over those sets. Empty sets pair with nothing.
package bench
