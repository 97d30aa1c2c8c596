// Package index is reprint's persistent, incremental index: documents are
// added, replaced and deleted one at a time or in batches, and any text can
// be queried for its near-duplicates and the passages it shares with what
// the index holds, with the matched documents' dates and sources and the
// earliest known source of each passage.
//
// The index is a directory holding an embedded Pebble store
// (github.com/cockroachdb/pebble/v2). Every Add and Delete is one Pebble
// batch committed with Sync: when it returns, the change is on disk and a
// crash (kill -9, power loss) loses none of it; a batch that was cut short
// leaves no trace at all. The store carries a format version and the
// parameters it was built with; Open refuses an index of another version.
//
//	ix, err := index.Open("archive.idx", index.Options{Create: true})
//	if err != nil { ... }
//	defer ix.Close()
//	ix.Add([]index.Doc{{ID: "a1", Text: text, Date: "2024-05-01", Source: "AP"}})
//	res, err := ix.Query(ctx, index.Query{Text: other})
//	for _, n := range res.NearDuplicates { fmt.Println(n.ID, n.Jaccard) }
//	for _, p := range res.Passages { fmt.Println(p.B, p.BStart, p.BEnd, p.Earliest.ID) }
//
// Index is safe for concurrent use: queries run in parallel with each other
// and with writes; writes are serialized.
package index
