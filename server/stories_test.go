package server

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprint/reprint/index"
)

// The stories endpoints over the example news: a query says the story,
// the story lists its documents in date order, listings page; bad IDs
// and parameters are JSON 404s and 400s.
func TestStoriesAPI(t *testing.T) {
	ts := start(t, Options{Token: testToken})
	body, docs := newsBody(t)
	r := ts.do(t, "POST", "/v1/documents", testToken, body)
	var add AddResponse
	r.json(t, &add)
	if r.code != 200 {
		t.Fatalf("add: %d %s", r.code, r.body)
	}
	addedTo := map[string]string{}
	for _, res := range add.Results {
		addedTo[res.ID] = res.Story
	}
	const id000, id001, id002, id003 = "000_a2e0a91b0cb3cf6c.txt", "001_e55fcabe4c6a2c3c.txt", "002_2e28becdaf01947c.txt", "003_42714ab1c9b3c169.txt"

	// A pasted text: the story it would join.
	q, _ := json.Marshal(map[string]string{"text": docs[id001].Text, "date": "2017-10-30"})
	var res index.Result
	r = ts.do(t, "POST", "/v1/query", "", q)
	r.json(t, &res)
	if r.code != 200 || res.Story == nil || !res.Story.Joined || res.Story.ID == "" {
		t.Fatalf("query: %d %s", r.code, r.body)
	}
	sid := res.Story.ID
	if addedTo[id000] != sid || addedTo[id001] != sid || addedTo[id002] == sid || addedTo[id002] == "" {
		t.Errorf("the add's results say stories %v; 001's text joins %s", addedTo, sid)
	}
	inStory := map[string]bool{}
	for _, d := range res.Story.Docs {
		inStory[d.ID] = true
	}
	if !inStory[id000] || !inStory[id001] || inStory[id002] || inStory[id003] {
		t.Errorf("001's story holds %v: want 000 and 001, not 002 or 003", res.Story.Docs)
	}
	// A query by ID says the document's own story.
	var byID index.Result
	ts.do(t, "POST", "/v1/query", "", []byte(`{"id": "`+id000+`"}`)).json(t, &byID)
	if byID.Story == nil || byID.Story.ID != sid || !byID.Story.Joined {
		t.Errorf("query by ID: story %+v, want %s", byID.Story, sid)
	}
	var none index.Result
	ts.do(t, "POST", "/v1/query", "", []byte(`{"id": "`+id000+`", "no_story": true}`)).json(t, &none)
	if none.Story != nil {
		t.Error("no_story: a story in the result")
	}

	// The story: documents in date order, with dates and sources.
	var st index.Story
	r = ts.do(t, "GET", "/v1/stories/"+sid, "", nil)
	r.json(t, &st)
	if r.code != 200 || st.ID != sid || st.Size != len(st.Docs) || st.Size < 2 || st.Last != "2017-10-31" || len(st.Terms) == 0 {
		t.Fatalf("story: %d %s", r.code, r.body)
	}
	for i, d := range st.Docs {
		if d.Date == "" || d.Source == "" || i > 0 && st.Docs[i-1].Date > d.Date {
			t.Errorf("story documents not dated, sourced and in date order: %+v", st.Docs)
		}
	}
	if st.First != st.Docs[0].Date {
		t.Errorf("first %s, earliest document %s", st.First, st.Docs[0].Date)
	}
	// limit cuts the documents and says how many.
	var cut index.Story
	ts.do(t, "GET", "/v1/stories/"+sid+"?limit=1", "", nil).json(t, &cut)
	if len(cut.Docs) != 1 || cut.DocsCut != st.Size-1 || cut.Docs[0] != st.Docs[0] {
		t.Errorf("limit=1: %+v", cut)
	}

	// Listings: all documents once; pages of one give the same.
	var all index.StoryList
	r = ts.do(t, "GET", "/v1/stories", "", nil)
	r.json(t, &all)
	n := 0
	for _, s := range all.Stories {
		n += s.Size
	}
	if r.code != 200 || n != 5 || all.Next != "" {
		t.Fatalf("stories: %d %s", r.code, r.body)
	}
	var paged []index.Story
	after := ""
	for range 10 {
		var p index.StoryList
		path := "/v1/stories?limit=1"
		if after != "" {
			path += "&after=" + after
		}
		ts.do(t, "GET", path, "", nil).json(t, &p)
		if len(p.Stories) > 1 {
			t.Fatalf("limit=1 gave %d stories", len(p.Stories))
		}
		paged = append(paged, p.Stories...)
		if after = p.Next; after == "" {
			break
		}
	}
	if len(paged) != len(all.Stories) {
		t.Errorf("pages of one: %d stories, whole listing %d", len(paged), len(all.Stories))
	}
	var big index.StoryList
	ts.do(t, "GET", "/v1/stories?min_docs=2", "", nil).json(t, &big)
	if len(big.Stories) != 1 || big.Stories[0].ID != sid {
		t.Errorf("min_docs=2: %+v", big.Stories)
	}

	for _, path := range []string{"/v1/stories/nope", "/v1/stories/s999", "/v1/stories/s0", "/v1/stories/s01", "/v1/stories/s-1",
		"/v1/stories/s99999999999999999999", "/v1/stories/%00", "/v1/stories/s1%0A"} {
		isJSONError(t, "GET "+path, ts.do(t, "GET", path, "", nil), 404)
	}
	for _, path := range []string{"/v1/stories?limit=0", "/v1/stories?limit=1001", "/v1/stories?limit=x", "/v1/stories?min_docs=0",
		"/v1/stories?after=nope", "/v1/stories?limt=5", "/v1/stories/" + sid + "?limit=0", "/v1/stories/" + sid + "?limit=10001",
		"/v1/stories/" + sid + "?after=s1"} {
		isJSONError(t, "GET "+path, ts.do(t, "GET", path, "", nil), 400)
	}
	isJSONError(t, "POST /v1/stories", ts.do(t, "POST", "/v1/stories", testToken, []byte(`{}`)), 405)
	isJSONError(t, "DELETE a story", ts.do(t, "DELETE", "/v1/stories/"+sid, testToken, nil), 405)

	// Deleting a document takes it out of its story.
	if r := ts.do(t, "DELETE", "/v1/documents/"+id000, testToken, nil); r.code != 200 {
		t.Fatalf("delete: %d", r.code)
	}
	var after1 index.Story
	ts.do(t, "GET", "/v1/stories/"+sid, "", nil).json(t, &after1)
	if after1.Size != st.Size-1 {
		t.Errorf("after deleting 000 the story has %d documents, before %d", after1.Size, st.Size)
	}

	// Metrics say how much the next load would replay.
	if r := ts.do(t, "GET", "/metrics", "", nil); !strings.Contains(string(r.body), "reprint_index_story_pending_documents 5") ||
		!strings.Contains(string(r.body), "reprint_index_story_state_bytes 0") {
		t.Errorf("metrics lack the stories gauges")
	}

	// The OpenAPI description has the endpoints.
	var spec struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	ts.do(t, "GET", "/v1/openapi.json", "", nil).json(t, &spec)
	for _, p := range []string{"/v1/stories", "/v1/stories/{id}"} {
		if spec.Paths[p]["get"] == nil {
			t.Errorf("OpenAPI lacks GET %s", p)
		}
	}
}

// An index without stories answers the stories endpoints with a 404 that
// says so, and its query results carry no story.
func TestStoriesAPINoStories(t *testing.T) {
	ix, err := index.Open(filepath.Join(t.TempDir(), "idx"), index.Options{Create: true, NoStories: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	url := serveWith(t, ix, ix, Options{})
	for _, p := range []string{"/v1/stories", "/v1/stories/s1"} {
		resp, err := http.Get(url + p)
		if err != nil {
			t.Fatal(err)
		}
		var e apiError
		json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != 404 || e.Error == "" {
			t.Errorf("%s: %d %q", p, resp.StatusCode, e.Error)
		}
	}
}

// The stories endpoints take query slots: with every slot held by a
// running query, they answer 429 with Retry-After.
func TestStoriesAPISlots(t *testing.T) {
	ix := openIndex(t)
	bs := &blockingSearcher{Searcher: ix, started: make(chan struct{}, 1), release: make(chan struct{})}
	url := serveWith(t, bs, ix, Options{MaxQueries: 1})
	done := make(chan int, 1)
	go func() {
		resp, err := http.Post(url+"/v1/query", "application/json", strings.NewReader(`{"text": "a few words"}`))
		if err != nil {
			done <- -1
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	<-bs.started
	for _, p := range []string{"/v1/stories", "/v1/stories/s1"} {
		resp, err := http.Get(url + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s with every slot held: %d", p, resp.StatusCode)
		}
	}
	close(bs.release)
	if code := <-done; code != 200 {
		t.Fatalf("held query: %d", code)
	}
	// Slots free again: an empty index lists no stories and has no s1.
	resp, _ := http.Get(url + "/v1/stories")
	var list index.StoryList
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(list.Stories) != 0 || list.Next != "" {
		t.Errorf("stories of an empty index: %d %+v", resp.StatusCode, list)
	}
	if resp, _ := http.Get(url + "/v1/stories/s1"); resp.StatusCode != 404 {
		t.Errorf("s1 of an empty index: %d", resp.StatusCode)
	}
}
