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
// Every document added is also assigned to a story (package stories: the
// reports of one event), one stream clusterer taking documents in the
// order they are added; a query says which story its text would join, and
// Stories and Story list stories and their documents in date order. The
// assignment is committed with the document and the clusterer's state is
// saved beside the store (stories.state), so story IDs go on across
// restarts and crashes; see stories.go. Options.NoStories leaves them out.
//
// A corpus is added with Ingest (decoding ahead on all cores, batches of
// synced commits, cancellation between them); a service reads through the
// Searcher interface and writes through Writer, so that a sharded searcher
// can stand behind the same API. A damaged store or a failed read is an
// error wrapping ErrCorrupt or a *StorageError, never an empty result; see
// open.go for what happens when storage fails.
//
// Costs: an Add analyses its documents on all cores (one tokenization
// each) and commits them in one synced batch, about 3.7 KB on disk a
// document of 1,700 bytes (and about 0.7 KB of stories state); adds
// started one after another (StartAdd, and Ingest's two batches in
// flight) overlap one's analysis with the commit of the one before, and
// commit in the order they started. Without stories an add costs about
// 90 µs of CPU a document at 100,000 documents (129-149 before
// 2026-12-02, when table files came to be written in large pieces,
// tablewrites.go, and bulk adds to compact their top level less often,
// open.go), most of it Pebble's flushes and compactions and the
// analysis; story assignment is sequential and adds about 100-120 µs a
// document there (alternated runs of index add on reprint-gen's corpus,
// 2026-12-02; BENCHMARKS.md has the earlier ones); a query costs one
// tokenization of its text, a seek per anchor and band key (about 175 for 1,000
// words; each seek visits every level whose bloom filter does not rule
// the list out, while the postings of commits not yet flushed are looked
// up in an in-memory overlay instead of Pebble's memtables, which have no
// filter; overlay.go), and
// an alignment with each of at most MaxAlign candidates, holding about 30
// times its text in memory while it runs.
//
// Index is safe for concurrent use: queries run in parallel with each other
// and with writes; writes are serialized.
package index
