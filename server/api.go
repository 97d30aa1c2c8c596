// The JSON API's handlers. Bodies are read through http.MaxBytesReader,
// writes up to MaxBodyBytes and queries up to their own, smaller
// MaxQueryBytes; past the limit the answer is 413 with the limit in the
// message. A documents body is a stream of JSON objects (one, or JSONL) or
// one JSON array of them, unknown fields refused in either form; it is
// decoded whole before anything is added, so a malformed body adds nothing
// (400, naming the document where it broke). Per-document problems (empty
// ID, invalid date) do not fail the others: each document gets its own
// status. A query that cannot be run as asked is a 400, an unknown ID a
// 404, a storage failure or a damaged index a 500 with its message.

package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/index"
)

// apiDoc is a document as the API takes it.
type apiDoc struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	HTML   string `json:"html,omitempty"` // a page instead of a text: its main text is extracted and indexed
	Date   string `json:"date,omitempty"`
	Source string `json:"source,omitempty"`
	URL    string `json:"url,omitempty"`
}

// AddResponse is the answer to POST /v1/documents.
type AddResponse struct {
	Added    int               `json:"added"`
	Replaced int               `json:"replaced"`
	Rejected int               `json:"rejected"`
	Results  []index.AddResult `json:"results"`
	Error    string            `json:"error,omitempty"` // set when no document could be added (422)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// apiError is the body of every error.
type apiError struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, code int, format string, args ...any) {
	writeJSON(w, code, apiError{Error: fmt.Sprintf(format, args...)})
}

// bodyError answers a body that could not be read: 413 past the limit.
func (s *Server) bodyError(w http.ResponseWriter, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeError(w, http.StatusRequestEntityTooLarge, "request body larger than the limit of %d bytes", mbe.Limit)
		return
	}
	writeError(w, http.StatusBadRequest, "bad request body: %v", err)
}

func (s *Server) addDocuments(w http.ResponseWriter, r *http.Request) {
	body := http.MaxBytesReader(w, r.Body, s.opt.MaxBodyBytes)
	docs, err := decodeDocs(body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.bodyError(w, err)
			return
		}
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	if len(docs) == 0 {
		writeError(w, http.StatusBadRequest, "no documents in the body: send one JSON object {\"id\", \"text\", ...} or JSONL")
		return
	}
	in := make([]index.Doc, 0, len(docs))
	var pre []index.AddResult // rejected before the index sees them, by position
	pos := make([]int, 0, len(docs))
	pre = make([]index.AddResult, len(docs))
	for i, d := range docs {
		date, err := normDate(d.Date)
		if err == nil {
			d.Text, err = pageText(d.Text, d.HTML)
		}
		if err != nil {
			pre[i] = index.AddResult{ID: d.ID, Status: index.StatusError, Error: err.Error()}
			continue
		}
		in = append(in, index.Doc{ID: d.ID, Text: d.Text, Date: date, Source: d.Source, URL: d.URL})
		pos = append(pos, i)
	}
	var res []index.AddResult
	if len(in) > 0 {
		res, err = s.write.Add(in)
		if err != nil {
			s.log.Error("add", "error", err)
			writeError(w, http.StatusInternalServerError, "add: %s", publicError(err))
			return
		}
	}
	for k, i := range pos {
		pre[i] = res[k]
	}
	out := AddResponse{Results: pre}
	for _, r := range pre {
		switch r.Status {
		case index.StatusAdded:
			out.Added++
		case index.StatusReplaced:
			out.Replaced++
		default:
			out.Rejected++
		}
	}
	s.met.added.Add(float64(out.Added + out.Replaced))
	code := http.StatusOK
	if out.Added+out.Replaced == 0 {
		code = http.StatusUnprocessableEntity
		out.Error = "no document could be added; see results for each one's reason"
	}
	writeJSON(w, code, out)
}

// decodeDocs reads a stream of JSON objects, or one array of them.
func decodeDocs(r io.Reader) ([]apiDoc, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var docs []apiDoc
	for n := 1; ; n++ {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", n, err)
		}
		t := strings.TrimLeft(string(raw), " \t\r\n")
		if strings.HasPrefix(t, "[") && n == 1 {
			if err := strictUnmarshal(raw, &docs); err != nil {
				return nil, fmt.Errorf("array of documents: %w", err)
			}
			continue
		}
		var d apiDoc
		if err := strictUnmarshal(raw, &d); err != nil {
			return nil, fmt.Errorf("document %d: %w", n, err)
		}
		docs = append(docs, d)
	}
}

func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// pageText is a document's text: text as given, or the main text of the
// HTML page html (extracted as reading a .html file does). Giving both is
// an error, as is a page with no main text.
func pageText(text, html string) (string, error) {
	if html == "" {
		return text, nil
	}
	if text != "" {
		return "", errors.New(`give "text" or "html", not both`)
	}
	t, err := corpus.ExtractHTML([]byte(html), "")
	if err != nil {
		return "", fmt.Errorf("html: %w", err)
	}
	if strings.TrimSpace(t) == "" {
		return "", errors.New("html: the page has no main text")
	}
	return t, nil
}

// normDate accepts the date forms every input takes (corpus.ParseDate) and
// returns YYYY-MM-DD.
func normDate(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	t, err := corpus.ParseDate(s)
	if err != nil {
		return "", fmt.Errorf("date: %w", err)
	}
	return t.Format(time.DateOnly), nil
}

func (s *Server) getDocument(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	d, err := s.search.Get(r.Context(), id)
	if errors.Is(err, index.ErrNotFound) {
		writeError(w, http.StatusNotFound, "no document with ID %q", id)
		return
	}
	if err != nil {
		s.log.Error("get", "id", id, "error", err)
		writeError(w, http.StatusInternalServerError, "%s", publicError(err))
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) deleteDocument(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	found, err := s.write.Delete([]string{id})
	if err != nil {
		s.log.Error("delete", "id", id, "error", err)
		writeError(w, http.StatusInternalServerError, "delete: %s", publicError(err))
		return
	}
	if !found[0] {
		writeError(w, http.StatusNotFound, "no document with ID %q", id)
		return
	}
	s.met.deleted.Inc()
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "deleted": true})
}

func (s *Server) query(w http.ResponseWriter, r *http.Request) {
	release, ok := s.querySlot(w)
	if !ok {
		return
	}
	defer release()
	var aq struct {
		index.Query
		HTML string `json:"html"` // a page instead of a text
	}
	body := http.MaxBytesReader(w, r.Body, s.opt.MaxQueryBytes)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(&aq)
	q := aq.Query
	if err == nil && aq.HTML != "" {
		if q.Text, err = pageText(q.Text, aq.HTML); err != nil {
			writeError(w, http.StatusBadRequest, "%v", err)
			return
		}
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.bodyError(w, err)
			return
		}
		writeError(w, http.StatusBadRequest, "query body: %v; want {\"text\": \"...\"} or {\"id\": \"...\"}", err)
		return
	}
	switch {
	case q.Text == "" && q.ID == "":
		writeError(w, http.StatusBadRequest, "query needs \"text\" or \"id\"")
		return
	case q.Text != "" && q.ID != "":
		writeError(w, http.StatusBadRequest, "query takes \"text\" or \"id\", not both")
		return
	case q.Limit < 0 || q.Limit > 1000:
		writeError(w, http.StatusBadRequest, "limit %d: must be between 0 and 1000", q.Limit)
		return
	case q.MinJaccard < 0 || q.MinJaccard > 1:
		writeError(w, http.StatusBadRequest, "min_jaccard %v: must be in [0, 1]", q.MinJaccard)
		return
	}
	date, err := normDate(q.Date)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	q.Date = date
	res, err := s.search.Query(r.Context(), q)
	switch {
	case errors.Is(err, index.ErrNotFound):
		writeError(w, http.StatusNotFound, "%v", err)
	case r.Context().Err() != nil:
		writeError(w, http.StatusServiceUnavailable, "query cancelled: %v", r.Context().Err())
	case errors.Is(err, index.ErrInvalidQuery):
		writeError(w, http.StatusBadRequest, "%v", err)
	case err != nil:
		s.log.Error("query", "error", err)
		writeError(w, http.StatusInternalServerError, "%s", publicError(err))
	default:
		writeJSON(w, http.StatusOK, res)
	}
}

func (s *Server) stats(w http.ResponseWriter, r *http.Request) {
	st, err := s.search.Stats(r.Context())
	if err != nil {
		s.log.Error("stats", "error", err)
		writeError(w, http.StatusInternalServerError, "%s", publicError(err))
		return
	}
	st.Dir = "" // where the index lives is the operator's business
	writeJSON(w, http.StatusOK, st)
}

// publicError is what a client is told of a failure on the server's side:
// what went wrong and that the log has the rest, without the index's path
// (the operator's business, as in /v1/stats).
func publicError(err error) string {
	var se *index.StorageError
	switch {
	case errors.As(err, &se):
		return "storage failure: " + strings.ReplaceAll(se.Msg, se.Dir, "<index>") + "; the server's log has the details"
	case errors.Is(err, index.ErrCorrupt):
		return "the index is damaged (" + index.ErrCorrupt.Error() + "); the server's log has the details"
	}
	return "internal error: the server's log has the details"
}
