// Package repeats finds exact repeated spans: runs of at least MinWords
// words that occur more than once in a corpus, across documents or within
// one, compared after the normalization every command uses (package
// token). It says which occurrence stays (the first by the keep policy of
// package cluster) and cuts every other one out of the texts.
//
// # Method: hashed windows, sorted and merged, then joined into spans
//
// Every window of MinWords consecutive tokens is hashed (token.Shingles: a
// rolling polynomial over the token hashes, finalized by a mixer) into one
// (hash, document, position) record of 16 bytes. The records are sorted by
// hash within a memory budget (sort.go: sorted runs spilled to temporary
// files past the budget and merged with a heap, the shape of package lsh
// and of google/codesearch's index writer). In each run of equal hashes
// the occurrence that comes first, by (keep rank of its document,
// position), is the kept one; every other occurrence becomes a removed
// window (document, position → kept document, kept position), again 16
// bytes, and these are sorted by document and position the same way.
// Consecutive removed windows of a document whose kept windows advance by
// the same step join into one maximal span, so a repeated paragraph of 300
// words is one span, not 251 windows; every span has at least MinWords
// words. Where the kept place changes inside a removed stretch (a licence
// block that one document has whole and another only in part), two spans
// overlap by fewer than MinWords words and the cut is their union. The
// in-memory sort is an American flag pass into 256 buckets by the top
// bits of the key, then a byte-wise radix sort of each bucket, the buckets
// on all workers.
//
// Documents with the same normalized words as an earlier one (exact
// duplicates, common in real corpora: packages built from one source share
// a changelog) are not sorted again: their group is sorted once, under the
// rank of its best document by keep order, and the other copies get that
// document's spans plus spans for what it keeps (each of their windows is
// a later occurrence of the same words), which is what sorting every copy
// gives.
//
// Hashes only find candidates. A second read of the corpus tokenizes the
// documents that hold either side of a span, writes the normalized words
// of both sides to a temporary file, and compares them word by word; a
// span whose words differ (a hash collision) is not removed. So a span is
// removed only if the same normalized words occur at its kept place.
//
// Why not a suffix array over the token stream (Lee et al.'s ExactSubstr):
// it finds the same repeats of MinWords or more, but needs the whole stream
// and its array in memory (or a distributed build), while sorted windows
// spill and merge within any budget; and its output is a set of byte
// ranges to drop from every copy, whereas here every removed occurrence
// names the copy that stays.
//
// # Semantics
//
// A word is removed when a removed window covers it. Every removed word's
// window of MinWords words therefore exists at an earlier place in keep
// order. When repeats overlap (a kept copy shares part of its words with a
// repeat whose kept copy is in a better document) the kept copy can lose
// those words: each word removed from it is still kept further up the
// chain, but the kept copy no longer reads as one piece. Repeats that do
// not overlap one another (a licence block, a quoted release) stay whole in
// exactly one document. Periodic text ("a b a b a b ...") keeps its first
// period plus MinWords-1 words. A document whose every word is removed is
// counted as emptied; the rewriter leaves it out of the output.
//
// # Costs
//
// Time: one tokenizing read, a sort of one 16-byte record per word of
// distinct documents (in memory, or spilled in runs and merged), a sort of
// one record per removed window of them, and a second read that decodes
// every record and tokenizes the documents touched by a span. Memory: the
// records within MemLimit (a quarter for the window sort, an eighth for the
// removed windows; each sort holds its buffer and its sorted array, so a
// sort's budget is split between them), plus, whatever the limit, about
// 150 bytes a document (ID, date, size, input position, the maps of IDs
// and texts) and about 120 a span (both sides' offsets); the largest run
// of one window hash is held at once (a window repeated a million times is
// 8 MB). Disk: 16 bytes a record of runs, and the normalized words of
// every removed span and of each kept copy once. BENCHMARKS.md ("Repeated
// spans") has the figures: on 134 MB of Debian changelogs and copyright
// files, twice the CPU time of reprint pairs.
//
// Deliberately not done: near-repeats (spans that differ by a word; that is
// the reuse engine), and repeats shorter than MinWords.
package repeats
