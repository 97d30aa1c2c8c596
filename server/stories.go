// The stories endpoints: a page of stories, and one story with its
// documents in date order (its timeline).
//
//	GET /v1/stories?after=s12&limit=50&min_docs=2
//	GET /v1/stories/{id}?limit=1000
//
// Both take a query slot, like POST /v1/query: a listing reads up to a
// million member keys before it hands back a cursor, and one story reads
// all its members to sort them by date. Parameters are checked before
// anything is read: an unknown parameter or a value out of range is a
// 400, an ID that names no story (or one whose documents were all
// deleted) a 404, an index that keeps no stories a 404 that says so.

package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/reprint/reprint/index"
)

// Limits of the stories endpoints.
const (
	maxStoriesPage = 1000  // stories per page of GET /v1/stories
	maxStoryDocs   = 10000 // documents listed by GET /v1/stories/{id}
	maxMinDocs     = 1 << 30
)

// intParam reads parameter name of v: def when absent, an error message
// when it is not an integer in [lo, hi].
func intParam(v url.Values, name string, def, lo, hi int) (int, string) {
	s := v.Get(name)
	if s == "" {
		return def, ""
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, name + " " + strconv.Quote(s) + ": want an integer from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi)
	}
	return n, ""
}

// onlyParams answers 400 and returns false when v holds a parameter not in
// names: a misspelt limit must not be silently ignored.
func onlyParams(w http.ResponseWriter, v url.Values, names ...string) bool {
next:
	for k := range v {
		for _, n := range names {
			if k == n {
				continue next
			}
		}
		writeError(w, http.StatusBadRequest, "unknown parameter %q (this endpoint takes %v)", k, names)
		return false
	}
	return true
}

func (s *Server) listStories(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	if !onlyParams(w, v, "after", "limit", "min_docs") {
		return
	}
	limit, msg := intParam(v, "limit", 50, 1, maxStoriesPage)
	if msg == "" {
		var minDocs int
		if minDocs, msg = intParam(v, "min_docs", 1, 1, maxMinDocs); msg == "" {
			release, ok := s.querySlot(w)
			if !ok {
				return
			}
			defer release()
			list, err := s.search.Stories(r.Context(), index.StoriesQuery{After: v.Get("after"), Limit: limit, MinDocs: minDocs})
			if err != nil {
				s.storyError(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, list)
			return
		}
	}
	writeError(w, http.StatusBadRequest, "%s", msg)
}

func (s *Server) getStory(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	if !onlyParams(w, v, "limit") {
		return
	}
	limit, msg := intParam(v, "limit", 1000, 1, maxStoryDocs)
	if msg != "" {
		writeError(w, http.StatusBadRequest, "%s", msg)
		return
	}
	release, ok := s.querySlot(w)
	if !ok {
		return
	}
	defer release()
	st, err := s.search.Story(r.Context(), r.PathValue("id"), limit)
	if err != nil {
		s.storyError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// storyError answers a failed stories call.
func (s *Server) storyError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, index.ErrNotFound), errors.Is(err, index.ErrNoStories):
		writeError(w, http.StatusNotFound, "%v", err)
	case errors.Is(err, index.ErrInvalidQuery):
		writeError(w, http.StatusBadRequest, "%v", err)
	case r.Context().Err() != nil:
		writeError(w, http.StatusServiceUnavailable, "cancelled: %v", r.Context().Err())
	default:
		s.log.Error("stories", "error", err)
		writeError(w, http.StatusInternalServerError, "%s", publicError(err))
	}
}
