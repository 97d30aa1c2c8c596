// The interfaces a service reads and writes an index through.
//
// A server (package server) takes a Searcher, not an *Index, so that a
// sharded searcher (many indexes, each queried in parallel and the results
// merged, as zoekt's search/shards.go stands behind zoekt.Searcher) or a
// remote one can stand behind the same API later. Writes go through a
// separate Writer because the two scale differently: a sharded searcher
// fans every read out to all shards, while a write goes to the one shard
// its ID belongs to, and a read-only replica has no writer at all (a server
// given a nil Writer refuses writes). Reads take a context, since behind a
// remote or sharded searcher each is a fan-out that a caller may abandon.
// Writes do not: each is one synced batch that runs to its commit or not at
// all, and a caller stops between writes (Ingest checks its context before
// every batch).

package index

import "context"

// Searcher answers queries and reads documents and statistics.
type Searcher interface {
	// Query runs one query: near-duplicates and passages of a text or a
	// stored document. Errors wrap ErrNotFound (an unknown ID),
	// ErrInvalidQuery (the query cannot be run as given), ErrCorrupt or
	// *StorageError (the store), or are the context's.
	Query(ctx context.Context, q Query) (*Result, error)
	// Get returns a stored document, or an error wrapping ErrNotFound.
	Get(ctx context.Context, id string) (*Document, error)
	// Stats returns the counts, sizes and parameters of what is searched.
	Stats(ctx context.Context) (Stats, error)
	// Stories lists a page of stories, without their documents. Errors
	// wrap ErrInvalidQuery (a bad cursor) or ErrNoStories.
	Stories(ctx context.Context, q StoriesQuery) (*StoryList, error)
	// Story returns one story with up to limit of its documents in date
	// order. Errors wrap ErrNotFound (no such story, or none of its
	// documents left) or ErrNoStories.
	Story(ctx context.Context, id string, limit int) (*Story, error)
}

// Writer adds and deletes documents.
type Writer interface {
	// Add adds documents, replacing those with the same IDs, and returns
	// one result per document; its error is for the store (nothing of the
	// call was added).
	Add(docs []Doc) ([]AddResult, error)
	// Delete removes the documents with these IDs and reports, per ID,
	// whether it was there.
	Delete(ids []string) ([]bool, error)
}

var (
	_ Searcher = (*Index)(nil)
	_ Writer   = (*Index)(nil)
)
