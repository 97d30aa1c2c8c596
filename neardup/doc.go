// Package neardup is the near-duplicate engine: which documents of a
// corpus are near-duplicates, and which to keep.
//
// Two documents are near-duplicates when the Jaccard similarity of their
// sets of word n-grams ("shingles", 5 words by default) is at least a
// threshold (0.8 by default), after the normalization of package token.
// Every document gets a one-permutation MinHash signature (minhash.Recipe,
// the recipe the index and the Beam pipeline share), cut into bands;
// documents sharing a band are candidates (package lsh, which sorts and,
// past a memory budget, spills); every candidate is verified against the
// exact shingle sets, so no reported pair is below the threshold. Exact
// duplicates (the same normalized text) are folded together by a hash
// before banding and unfolded in the results. Clusters come from package
// cluster: greedy ones that do not chain, or connected components, with
// the keep policy deciding which document of each stays.
//
// Costs: one read of the corpus on all cores; per document its metadata
// (about 200 bytes), its band keys (16 bytes a band) and its shingle set
// (8 bytes a shingle, spilled to one temporary file past a quarter of
// Options.MemLimit) until verification; time linear in the input plus the
// candidate pairs. The same input and options give the same pairs and
// clusters for any number of workers.
//
//	res, err := neardup.Find(docs, neardup.Options{Threshold: 0.8})
//	for _, p := range res.Pairs() { fmt.Println(p.A, p.B, p.Jaccard) }
//	for _, c := range res.Clusters(cluster.KeepEarliest, cluster.ModeGreedy) { ... }
package neardup
