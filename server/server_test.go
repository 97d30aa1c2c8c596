package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reprint/reprint/index"
)

const testToken = "test-token-0123456789"

type testServer struct {
	url    string
	ix     *index.Index
	cancel context.CancelFunc
	done   chan error
}

// start runs a real server on a loopback port.
func start(t *testing.T, opt Options) *testServer {
	t.Helper()
	ix, err := index.Open(filepath.Join(t.TempDir(), "idx"), index.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{url: "http://" + ln.Addr().String(), ix: ix, cancel: cancel, done: make(chan error, 1)}
	go func() { ts.done <- New(ix, ix, opt).Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		<-ts.done
		ix.Close()
	})
	return ts
}

type reply struct {
	code int
	body []byte
	hdr  http.Header
}

func (ts *testServer) do(t *testing.T, method, path, token string, body []byte) reply {
	t.Helper()
	req, err := http.NewRequest(method, ts.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "application/json")
	}
	return ts.send(t, req)
}

// send sends req as it is.
func (ts *testServer) send(t *testing.T, req *http.Request) reply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, b, resp.Header}
}

func (r reply) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
}

// isJSONError checks an error reply: the code and a JSON message.
func isJSONError(t *testing.T, what string, r reply, code int) {
	t.Helper()
	var e apiError
	if r.code != code || json.Unmarshal(r.body, &e) != nil || e.Error == "" {
		t.Errorf("%s: got %d %q, want %d with a JSON error", what, r.code, r.body, code)
	}
}

func newsBody(t *testing.T) ([]byte, map[string]apiDoc) {
	t.Helper()
	meta := map[string]apiDoc{}
	mb, err := os.ReadFile("../testdata/news-meta.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(mb)), "\n") {
		var d apiDoc
		json.Unmarshal([]byte(l), &d)
		meta[d.ID] = d
	}
	var buf bytes.Buffer
	docs := map[string]apiDoc{}
	ents, _ := os.ReadDir("../testdata/news")
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join("../testdata/news", e.Name()))
		m := meta[e.Name()]
		d := apiDoc{ID: e.Name(), Text: string(b), Date: m.Date, Source: m.Source}
		docs[d.ID] = d
		line, _ := json.Marshal(d)
		buf.Write(line)
		buf.WriteByte('\n')
	}
	return buf.Bytes(), docs
}

func TestAPI(t *testing.T) {
	ts := start(t, Options{Token: testToken, MaxBodyBytes: 1 << 20})
	body, docs := newsBody(t)

	// Auth: writes need the token, reads do not.
	isJSONError(t, "add without token", ts.do(t, "POST", "/v1/documents", "", body), 401)
	isJSONError(t, "add with a wrong token", ts.do(t, "POST", "/v1/documents", "wrong-token-wrong-token", body), 401)
	r := ts.do(t, "POST", "/v1/documents", testToken, body)
	var add AddResponse
	r.json(t, &add)
	if r.code != 200 || add.Added != len(docs) || len(add.Results) != len(docs) {
		t.Fatalf("add: %d %s", r.code, r.body)
	}
	// One document as a plain object replaces; a bad one is rejected alone.
	one, _ := json.Marshal(apiDoc{ID: "extra", Text: "A short extra text of a few words.", Date: "2020-02-02T10:00:00Z"})
	r = ts.do(t, "POST", "/v1/documents", testToken, append(one, []byte(`{"id": "", "text": "x"}`+"\n"+`{"id": "baddate", "text": "x", "date": "yesterday"}`)...))
	r.json(t, &add)
	if r.code != 200 || add.Added != 1 || add.Rejected != 2 || add.Results[2].Error == "" {
		t.Fatalf("mixed add: %d %s", r.code, r.body)
	}
	isJSONError(t, "malformed JSONL", ts.do(t, "POST", "/v1/documents", testToken, []byte(`{"id": "x", "text": `)), 400)
	isJSONError(t, "unknown field", ts.do(t, "POST", "/v1/documents", testToken, []byte(`{"id": "x", "txt": "y"}`)), 400)
	isJSONError(t, "empty body", ts.do(t, "POST", "/v1/documents", testToken, nil), 400)
	isJSONError(t, "only bad documents", ts.do(t, "POST", "/v1/documents", testToken, []byte(`{"id": "", "text": "y"}`)), 422)
	big := fmt.Sprintf(`{"id": "big", "text": %q}`, strings.Repeat("word ", 300000))
	isJSONError(t, "body over the limit", ts.do(t, "POST", "/v1/documents", testToken, []byte(big)), 413)
	isJSONError(t, "query over the limit", ts.do(t, "POST", "/v1/query", "", []byte(big)), 413)

	// Get.
	r = ts.do(t, "GET", "/v1/documents/001_e55fcabe4c6a2c3c.txt", "", nil)
	var d index.Document
	r.json(t, &d)
	if r.code != 200 || d.Text != docs["001_e55fcabe4c6a2c3c.txt"].Text || d.Source != "SANA" {
		t.Fatalf("get: %d %+v", r.code, d)
	}
	if r := ts.do(t, "GET", "/v1/documents/extra", "", nil); !bytes.Contains(r.body, []byte(`"date":"2020-02-02"`)) {
		t.Fatalf("RFC 3339 date not normalized: %s", r.body)
	}
	isJSONError(t, "get missing", ts.do(t, "GET", "/v1/documents/nope", "", nil), 404)

	// Query by text and by ID.
	q, _ := json.Marshal(index.Query{Text: docs["002_2e28becdaf01947c.txt"].Text, Excerpts: true})
	r = ts.do(t, "POST", "/v1/query", "", q)
	var res index.Result
	r.json(t, &res)
	if r.code != 200 || len(res.NearDuplicates) == 0 || res.NearDuplicates[0].ID != "002_2e28becdaf01947c.txt" ||
		len(res.Passages) == 0 || len(res.Excerpts) != len(res.Passages) {
		t.Fatalf("query text: %d %s", r.code, r.body)
	}
	r = ts.do(t, "POST", "/v1/query", "", []byte(`{"id": "001_e55fcabe4c6a2c3c.txt"}`))
	r.json(t, &res)
	if r.code != 200 || len(res.Passages) == 0 || res.Passages[0].Earliest.ID != "001_e55fcabe4c6a2c3c.txt" || res.Passages[0].Source == "" {
		t.Fatalf("query id: %d %s", r.code, r.body)
	}
	isJSONError(t, "query missing ID", ts.do(t, "POST", "/v1/query", "", []byte(`{"id": "nope"}`)), 404)
	isJSONError(t, "query empty", ts.do(t, "POST", "/v1/query", "", []byte(`{}`)), 400)
	isJSONError(t, "query both", ts.do(t, "POST", "/v1/query", "", []byte(`{"id": "a", "text": "b"}`)), 400)
	isJSONError(t, "query not JSON", ts.do(t, "POST", "/v1/query", "", []byte(`text=hello`)), 400)
	isJSONError(t, "query bad limit", ts.do(t, "POST", "/v1/query", "", []byte(`{"text": "a", "limit": -1}`)), 400)

	// Delete.
	isJSONError(t, "delete without token", ts.do(t, "DELETE", "/v1/documents/extra", "", nil), 401)
	if r := ts.do(t, "DELETE", "/v1/documents/extra", testToken, nil); r.code != 200 {
		t.Fatalf("delete: %d %s", r.code, r.body)
	}
	isJSONError(t, "delete again", ts.do(t, "DELETE", "/v1/documents/extra", testToken, nil), 404)

	// Stats, health, metrics, OpenAPI, errors of routing.
	var st index.Stats
	r = ts.do(t, "GET", "/v1/stats", "", nil)
	r.json(t, &st)
	if st.Documents != uint64(len(docs)) {
		t.Fatalf("stats: %s", r.body)
	}
	if r := ts.do(t, "GET", "/healthz", "", nil); r.code != 200 || !bytes.Contains(r.body, []byte(`"ok"`)) {
		t.Fatalf("healthz: %d %s", r.code, r.body)
	}
	r = ts.do(t, "GET", "/metrics", "", nil)
	for _, m := range []string{`reprint_http_requests_total{code="401",method="POST",route="documents"}`, "reprint_http_request_duration_seconds_bucket",
		"reprint_index_documents 5", "reprint_index_disk_bytes", "reprint_documents_deleted_total 1"} {
		if !bytes.Contains(r.body, []byte(m)) {
			t.Errorf("metrics lack %s", m)
		}
	}
	r = ts.do(t, "GET", "/v1/openapi.json", "", nil)
	var spec struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	r.json(t, &spec)
	for path, ms := range map[string][]string{"/v1/documents": {"post"}, "/v1/documents/{id}": {"get", "delete"},
		"/v1/query": {"post"}, "/v1/stats": {"get"}, "/healthz": {"get"}, "/metrics": {"get"}, "/v1/openapi.json": {"get"}} {
		for _, m := range ms {
			if spec.Paths[path][m] == nil {
				t.Errorf("OpenAPI lacks %s %s", m, path)
			}
		}
	}
	isJSONError(t, "wrong method", ts.do(t, "PUT", "/v1/query", "", nil), 405)
	isJSONError(t, "unknown endpoint", ts.do(t, "GET", "/v1/nothing", "", nil), 404)
	if r := ts.do(t, "GET", "/", "", nil); r.code != 200 || !bytes.Contains(r.body, []byte("Find copies")) ||
		!strings.Contains(r.hdr.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Fatalf("UI: %d", r.code)
	}
	for _, f := range []string{"/app.js", "/style.css"} {
		if r := ts.do(t, "GET", f, "", nil); r.code != 200 || len(r.body) < 100 {
			t.Errorf("%s: %d", f, r.code)
		}
	}
}

// TestConcurrentQueriesAndWrites runs queries in parallel while a writer
// adds documents; nothing fails, and every query sees whole documents.
func TestConcurrentQueriesAndWrites(t *testing.T) {
	ts := start(t, Options{})
	body, docs := newsBody(t)
	if r := ts.do(t, "POST", "/v1/documents", "", body); r.code != 200 {
		t.Fatal(r.code)
	}
	q, _ := json.Marshal(index.Query{Text: docs["000_a2e0a91b0cb3cf6c.txt"].Text})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 40; i++ {
			doc, _ := json.Marshal(apiDoc{ID: fmt.Sprintf("w%d", i), Text: docs["000_a2e0a91b0cb3cf6c.txt"].Text + fmt.Sprintf(" extra %d words here", i)})
			if r := ts.do(t, "POST", "/v1/documents", "", doc); r.code != 200 {
				errs <- fmt.Sprintf("write %d: %d", i, r.code)
			}
		}
		close(stop)
	}()
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 200; n++ {
				select {
				case <-stop:
					return
				default:
				}
				r := ts.do(t, "POST", "/v1/query", "", q)
				var res index.Result
				if r.code != 200 || json.Unmarshal(r.body, &res) != nil || len(res.NearDuplicates) == 0 {
					errs <- fmt.Sprintf("query: %d %.200s", r.code, r.body)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestGracefulShutdown cancels the server while a large write is in
// flight: the write completes and is in the index.
func TestGracefulShutdown(t *testing.T) {
	ix, err := index.Open(filepath.Join(t.TempDir(), "idx"), index.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- New(ix, ix, Options{}).Serve(ctx, ln) }()
	var buf bytes.Buffer
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&buf, `{"id": "d%d", "text": "document number %d says something about item %d and item %d"}`+"\n", i, i, i*7, i*13)
	}
	// The body is sent slowly, so the request is in flight when shutdown starts.
	pr, pw := io.Pipe()
	go func() {
		b := buf.Bytes()
		pw.Write(b[:len(b)/2])
		time.Sleep(300 * time.Millisecond)
		pw.Write(b[len(b)/2:])
		pw.Close()
	}()
	got := make(chan int, 1)
	go func() {
		resp, err := http.Post("http://"+ln.Addr().String()+"/v1/documents", "application/x-ndjson", pr)
		if err != nil {
			got <- -1
			return
		}
		resp.Body.Close()
		got <- resp.StatusCode
	}()
	time.Sleep(100 * time.Millisecond)
	cancel()
	if code := <-got; code != 200 {
		t.Fatalf("in-flight write: %d", code)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if st, _ := ix.Stats(context.Background()); st.Documents != 2000 {
		t.Fatalf("documents after shutdown: %d", st.Documents)
	}
}
