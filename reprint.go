// Package reprint finds copied text: near-duplicate documents, and (in its
// sub-packages) the passages one document took from another and who had
// them first.
//
// # Near-duplicates
//
// Two documents are near-duplicates when the Jaccard similarity of their
// sets of word n-grams ("shingles", 5 words by default) is at least a
// threshold (0.8 by default). Words are normalized (NFKC, case folding,
// typographic quotes and dashes folded), so "U.S. said" and "u.s. Said" are
// the same two words.
//
// The search is MinHash-LSH with exact verification: every document gets a
// one-permutation MinHash signature, signatures are cut into bands, documents
// that share a band become candidates, and every candidate pair is checked
// against the exact shingle sets. Pairs are therefore never below the
// threshold (precision 1), and the banding is chosen so that a pair at the
// threshold is missed with probability about 0.002. Exact duplicates (the
// same normalized text) are found by a hash first and never sketched twice.
//
//	res, err := reprint.FindPairs(docs, reprint.Options{Threshold: 0.8})
//	for _, p := range res.Pairs() { fmt.Println(p.A, p.B, p.Jaccard) }
//	for _, c := range res.Clusters(reprint.KeepEarliest, reprint.Greedy) { ... }
//
// Run does the same for a corpus read from files (folders of text, JSONL,
// Parquet) with the reading, decoding and hashing spread over all cores.
//
// # Reused passages
//
// Reuse (and FindReuse for documents in memory) finds the passages one
// document took from another, with byte spans in both original texts:
// candidate pairs come from rare shared word n-grams (package align's
// anchor index), each pair is aligned word by word so a passage survives
// edits, and package trace orders occurrences by date into passage groups
// with a direction and a source, marking site boilerplate.
//
// # Determinism
//
// The same input and options give the same pairs and clusters whatever the
// number of workers: documents are numbered in input order before anything
// depends on their order, and every list is sorted before it is returned.
//
// # Memory
//
// Once hashed, a document costs its ID and metadata, its band keys in the
// LSH index (IndexBytesPerDoc), and its shingle set (8 bytes a shingle) for
// exact verification; its text is not kept.
package reprint

import "github.com/reprint/reprint/corpus"

// Doc is one document: an ID, its text, and optional date, source and URL.
type Doc = corpus.Doc

// Pair is a pair of near-duplicate documents, A < B byte-wise.
type Pair struct {
	A            string  `json:"a"`
	B            string  `json:"b"`
	Jaccard      float64 `json:"jaccard"`
	ContainmentA float64 `json:"containment_a"` // |A∩B| / |A|
	ContainmentB float64 `json:"containment_b"` // |A∩B| / |B|
}

// Cluster is one kept document and the near-duplicates removed in its favour.
type Cluster struct {
	Kept    string    `json:"kept"`
	Removed []Removed `json:"removed"`
}

// Removed is a document removed as a near-duplicate of a cluster's kept one.
type Removed struct {
	ID      string  `json:"id"`
	Jaccard float64 `json:"jaccard"` // to the kept document
}
