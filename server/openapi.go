// The OpenAPI 3 description of the API, written by hand (openapi.json,
// embedded) rather than generated: the API is small, and a hand-written
// description says what a generator cannot (limits, auth, why a status).
// A test checks that every route the server registers is described.

package server

import (
	_ "embed"
	"net/http"
)

//go:embed openapi.json
var openapiJSON []byte

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openapiJSON)
}
