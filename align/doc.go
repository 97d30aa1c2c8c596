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
// PairText (and PrepareText, Prepared.PairText, Prepared.PairPrepared,
// which pairs two documents each prepared once) adds a paraphrase level for
// callers that hold the texts: sentences whose Snowball-stemmed content
// words are similar (tf-idf cosine and Dice) seed passages that exact
// anchors miss (synonyms, reordering, translation, summaries); seeds are
// grouped across gaps of a few sentences and validated on their own, then
// joined with the exact passages, so one reused stretch comes out as one
// passage; each passage's Kind says whether it is verbatim, edited or a
// paraphrase (para.go explains why retellings sharing topic words are not
// reported). Preparing a document's content-word view (Snowball stems,
// behind a process-wide cache; sentences; term postings) costs about as
// much as its anchor table; pairing two prepared documents then costs about
// as much again as the anchor level alone.
//
// Index finds which pairs of a collection are worth aligning: documents that
// share at least a few anchors that are rare across the collection; and
// Prepared.MayShare (evidence.go), for documents prepared by PrepareKeyed, which of those
// hold their shared rare content keys the way reused text does (on one
// diagonal, or two to a sentence pair in several sentences), so that a
// collection's pairs that only share a subject are not aligned at all.
package align
