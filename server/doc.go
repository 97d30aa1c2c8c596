// Package server puts an index (package index) behind an HTTP JSON API,
// versioned under /v1, and a web UI at /.
//
//	POST   /v1/documents        add one document, or many as JSONL; per-document status
//	GET    /v1/documents/{id}   a stored document
//	DELETE /v1/documents/{id}   delete a document
//	POST   /v1/query            {"text": ...} or {"id": ...}: near-duplicates and passages
//	GET    /v1/stats            index statistics
//	GET    /v1/openapi.json     the API's OpenAPI 3 description
//	GET    /healthz             liveness
//	GET    /metrics             Prometheus metrics
//
// Writes need "Authorization: Bearer TOKEN" when a token is configured;
// reads are open. Every error is JSON: {"error": "message"}. Request bodies
// are limited (413 past the limit). The UI is plain HTML, CSS and
// JavaScript embedded in the binary; it makes no external requests.
//
//	srv := server.New(ix, server.Options{Token: tok})
//	err := srv.ListenAndServe(ctx, "127.0.0.1:8080") // returns after a graceful shutdown when ctx ends
package server
