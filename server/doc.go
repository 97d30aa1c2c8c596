// Package server puts an index (package index) behind an HTTP JSON API,
// versioned under /v1, and a web UI at /.
//
//	POST   /v1/documents        add one document, or many as JSONL; per-document status
//	GET    /v1/documents/{id}   a stored document
//	DELETE /v1/documents/{id}   delete a document
//	POST   /v1/query            {"text": ...} or {"id": ...}: near-duplicates, passages, and the story
//	GET    /v1/stories          a page of stories (?after=, ?limit=, ?min_docs=)
//	GET    /v1/stories/{id}     one story: its documents in date order, dates, sources, terms
//	GET    /v1/stats            index statistics
//	GET    /v1/openapi.json     the API's OpenAPI 3 description
//	GET    /healthz             liveness
//	GET    /metrics             Prometheus metrics
//
// The server reads through an index.Searcher and writes through an
// index.Writer (nil for a read-only server), so that a sharded or remote
// searcher can stand behind the same API. Writes need "Authorization:
// Bearer TOKEN" when a token is configured, and reads too with
// TokenForReads. Every error is JSON: {"error": "message"}. Request bodies
// are limited (413 past the limit, with a smaller limit for queries),
// queries run a bounded number at a time (429 past it), and only the
// configured host names are served (DNS rebinding). The UI is plain HTML,
// CSS and JavaScript embedded in the binary; it makes no external
// requests.
//
// Costs: a query holds about 30 times its text in memory while it runs;
// MaxQueries × MaxQueryBytes × 30 bounds what queries hold at once
// (16 × 1 MiB × 30, about 500 MB, on 8 cores by default).
//
//	srv := server.New(ix, ix, server.Options{Token: tok})
//	err := srv.ListenAndServe(ctx, "127.0.0.1:8080") // returns after a graceful shutdown when ctx ends
package server
