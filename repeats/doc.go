// Package repeats finds exact repeated spans: runs of at least MinWords
// words that occur more than once in a corpus, across documents or within
// one, compared after the normalization every command uses (package
// token). It says which occurrence stays (the first by the keep policy of
// package cluster) and cuts every other one out of the texts.
//
// # Method: winnowed anchors, then hashed windows, sorted and merged, then joined into spans
//
// A window is MinWords consecutive tokens, hashed by token.Shingles (a
// rolling polynomial over the token hashes, finalized by a mixer). Only the
// windows that occur twice matter, about a tenth of them in generated text,
// so not every window is sorted (anchors.go). The first read hashes the
// sub-windows of s = MinWords/2 tokens; the anchor of a window is the
// smallest sub-window hash inside it (winnowing: content-defined, so every
// occurrence of a window has the same anchor at the same offset, and a run
// of consecutive windows shares one, so there are about 4/MinWords as many
// anchors as windows). Anchor records are sorted by hash; an anchor found at
// two places or more is a candidate. A second read hashes the windows of
// the documents with a candidate anchor and adds a (hash, document,
// position) record of 16 bytes for each window whose anchor is a
// candidate: every occurrence of every repeated window, and few others.
//
// The records are sorted by hash within a memory budget (sort.go: sorted
// runs spilled to temporary files past the budget and merged with a heap,
// the shape of package lsh and of google/codesearch's index writer). In
// each run of equal hashes the occurrence that comes first, by (keep rank
// of its document, position), is the kept one; every other occurrence
// becomes a removed window (document, position → kept document, kept
// position), again 16 bytes, and these are sorted by document and position
// the same way. Consecutive removed windows of a document whose kept
// windows advance by the same step join into one maximal span, so a
// repeated paragraph of 300 words is one span, not 251 windows; every span
// has at least MinWords words. Where the kept place changes inside a
// removed stretch (a licence block that one document has whole and another
// only in part), two spans overlap by fewer than MinWords words and the cut
// is their union. The in-memory sort is an American flag pass into 256
// buckets by the top bits of the key, then a byte-wise radix sort of each
// bucket, the buckets on all workers.
//
// Documents with the same normalized words as an earlier one (exact
// duplicates, common in real corpora: packages built from one source share
// a changelog) are not sorted again: their group is sorted once, under the
// rank of its best document by keep order, and the other copies get that
// document's spans plus spans for what it keeps (each of their windows is
// a later occurrence of the same words), which is what sorting every copy
// gives.
//
// Hashes only find candidates. A third read of the corpus tokenizes the
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
// Time: one tokenizing read that hashes the sub-windows and sorts one
// 16-byte record per distinct anchor (7 % of the words at MinWords 50); a
// second read that scans every record but decodes and hashes again only the
// documents with a candidate anchor, and a sort of one record per candidate
// window (roughly the repeated words); a sort of one record per removed
// window; and a third read that decodes and tokenizes the documents touched
// by a span. On 1.26 GB of generated text (240 M words, 12 % removed) this
// sorts 16.6 M anchors and 23.7 M candidate windows, where sorting every
// window was 222 M records: 1.8 times the CPU time of reprint pairs (3.4
// before), 1.5 GB at peak (7.4 GB). Memory: the records within MemLimit (a
// quarter for the anchors, then for the candidate windows; an eighth for the
// candidate anchors, then for the removed windows; each sort holds its
// buffer and its sorted array, so a sort's budget is split between them),
// plus, whatever the limit, about 160 bytes a document (ID, date, size,
// input position, where its candidate anchors are, the maps of IDs and
// texts) and about 120 a span (both sides' offsets); the largest run of one
// hash is held at once (a window repeated a million times is 8 MB). Disk: 16
// bytes a record of runs, 4 bytes a candidate anchor, and the normalized
// words of every removed span and of each kept copy once. BENCHMARKS.md
// ("Repeated spans") has the figures.
//
// Why three reads rather than keeping every window's hash from the first:
// that is 8 bytes a word held or written (1.9 GB for 1.26 GB of text), the
// very memory traffic the anchors avoid; the second read decodes and
// tokenizes only the documents with a candidate anchor.
//
// Deliberately not done: near-repeats (spans that differ by a word; that is
// the reuse engine), and repeats shorter than MinWords.
package repeats
