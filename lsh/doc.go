// Package lsh turns (key, document) postings into candidate pairs: two
// documents are candidates when they share a key. It serves MinHash band
// keys (near-duplicates: any shared band) and anchor n-grams (reused
// passages: MaxDF drops keys held by too many documents, MinShared asks for
// several shared keys). Postings are grouped by key, not hashed into
// buckets, so the result does not depend on the order of Add or the number
// of workers; past a memory budget they are sorted in runs, spilled to
// temporary files and merged (google/codesearch's index/write.go shape),
// with the same result.
//
// Costs: 12 bytes a posting in memory and on disk, one grouping pass (or
// sort) of each partition, and the pairs: a key held by m documents yields
// m(m-1)/2 of them.
//
//	ix := lsh.NewIndex(memBytes, tmpDir)
//	ix.Add(0, keys0)
//	ix.Add(1, keys1)
//	pairs, err := ix.Candidates(workers) // packed, sorted, unique
package lsh
