// Package align finds the passages two documents share and the word-level
// edits inside each, and picks candidate document pairs across a collection
// from shared rare anchors.
//
// Pair works like a seed-and-extend read aligner (BLAST, minimap2) on words
// instead of bases: shared word n-grams (anchors) seed exact diagonal runs,
// co-linear runs are chained across gaps, the gaps are filled and the ends
// extended with an affine-gap alignment, and the resulting path is cut into
// its maximal-scoring pieces, which are the passages. A passage therefore
// survives a changed word, an inserted clause or a dropped sentence, and two
// passages in swapped order are found as two passages.
//
//	a := tz.Tokens(textA, 0, nil)
//	b := tz.Tokens(textB, 0, nil)
//	for _, p := range align.Pair(a, b, align.DefaultOptions()) {
//		fmt.Println(textA[p.AStart:p.AEnd], "=", textB[p.BStart:p.BEnd])
//		for _, op := range align.Diff(a, b, p) { ... }
//	}
//
// Index finds which pairs of a collection are worth aligning: documents that
// share at least a few anchors that are rare across the collection.
package align
