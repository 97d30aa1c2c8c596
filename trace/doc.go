// Package trace turns passage pairs found by align into provenance: which
// way each passage flowed, which passages are the same text spreading
// through many documents (a group), which document had it first, and which
// groups are a site's boilerplate rather than reuse.
//
//	res, err := trace.Build(docs, links, trace.DefaultOptions())
//	for _, g := range res.Groups {
//		fmt.Println(g.ID, g.SourceStatus, len(g.Occurrences), g.Boilerplate)
//	}
//
// trace holds only spans and metadata, never texts, so its memory grows with
// the number of passages found, not with the collection.
package trace
