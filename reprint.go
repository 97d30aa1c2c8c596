// Package reprint finds copied text: near-duplicate documents, the passages
// one document took from another, and who had them first. This package is
// the manual and the Go API: the result types and thin entry points into
// the engines, which live in their own packages (neardup, reuse, and the
// packages they are built from; ARCHITECTURE.md is the map).
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
//	res, err := reprint.FindPairs(docs, reprint.PairOptions{Threshold: 0.8})
//	for _, p := range res.Pairs() { fmt.Println(p.A, p.B, p.Jaccard) }
//	for _, c := range res.Clusters(reprint.KeepEarliest, reprint.Greedy) { ... }
//
// RunPairs does the same for a corpus read from files (folders of text,
// JSONL, Parquet) with the reading, decoding and hashing spread over all
// cores. Costs: per document its ID and metadata (about 200 bytes), its band
// keys (16 bytes a band) and its shingle set (8 bytes a shingle) until
// verification; the text is not kept. Time is linear in the input plus the
// candidate pairs.
//
// # Reused passages
//
// FindReuse (and RunReuse for a corpus on disk) finds the passages one
// document took from another, with byte spans in both original texts:
// candidate pairs come from rare shared word n-grams, each pair is aligned
// word by word so a passage survives edits, and passages are grouped across
// documents and ordered by date into a direction and a source, marking a
// source's own boilerplate.
//
// # Determinism
//
// The same input and options give the same pairs, clusters and passages
// whatever the number of workers: documents are numbered in input order
// before anything depends on their order, and every list is sorted before
// it is returned.
package reprint

import (
	"context"

	"github.com/reprint/reprint/cluster"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/neardup"
	"github.com/reprint/reprint/reuse"
)

// Doc is one document: an ID, its text, and optional date, source and URL.
type Doc = corpus.Doc

// PairOptions control near-duplicate detection; the zero value means the
// defaults.
type PairOptions = neardup.Options

// PairResult holds what near-duplicate detection found; ask it for pairs and
// clusters, and Close it when done.
type PairResult = neardup.Result

// Pair is a pair of near-duplicate documents, A < B byte-wise.
type Pair = neardup.Pair

// Cluster is one kept document and the near-duplicates removed in its favour.
type Cluster = neardup.Cluster

// Removed is a document removed as a near-duplicate of a cluster's kept one.
type Removed = neardup.Removed

// Keep is the policy that decides which document of a cluster stays.
type Keep = cluster.Keep

// The keep policies.
const (
	KeepEarliest = cluster.KeepEarliest // earliest dated, then longest, then smallest ID
	KeepLongest  = cluster.KeepLongest  // longest, then smallest ID
	KeepFirst    = cluster.KeepFirst    // the one read first
)

// ClusterMode is how near-duplicate pairs form clusters.
type ClusterMode = cluster.Mode

// The cluster modes.
const (
	Greedy     = cluster.ModeGreedy     // clusters that do not chain
	Components = cluster.ModeComponents // connected components
)

// ReuseOptions control passage finding; the zero value means the defaults.
type ReuseOptions = reuse.Options

// ReuseResult is what passage finding found.
type ReuseResult = reuse.Result

// Passage is a stretch of text two documents share, with byte spans in
// both, its direction and its passage group.
type Passage = reuse.Passage

// FindPairs finds the near-duplicates among docs held in memory.
func FindPairs(docs []Doc, opt PairOptions) (*PairResult, error) { return neardup.Find(docs, opt) }

// RunPairs reads every document of c and finds the near-duplicates among
// them.
func RunPairs(ctx context.Context, c *corpus.Corpus, opt PairOptions) (*PairResult, error) {
	return neardup.Run(ctx, c, opt)
}

// FindReuse finds the passages shared among docs held in memory.
func FindReuse(docs []Doc, opt ReuseOptions) (*ReuseResult, error) { return reuse.Find(docs, opt) }

// RunReuse reads every document of c and finds the passages they share.
func RunReuse(ctx context.Context, c *corpus.Corpus, opt ReuseOptions) (*ReuseResult, error) {
	return reuse.Run(ctx, c, opt)
}
