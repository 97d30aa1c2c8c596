package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reprint/reprint/index"
)

// blockingSearcher holds every query until release is closed.
type blockingSearcher struct {
	index.Searcher
	started chan struct{}
	release chan struct{}
}

func (b *blockingSearcher) Query(ctx context.Context, q index.Query) (*index.Result, error) {
	b.started <- struct{}{}
	<-b.release
	return b.Searcher.Query(ctx, q)
}

// serveWith runs a server over s and w on a loopback port.
func serveWith(t *testing.T, s index.Searcher, w index.Writer, opt Options) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- New(s, w, opt).Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + ln.Addr().String()
}

func openIndex(t *testing.T) *index.Index {
	t.Helper()
	ix, err := index.Open(filepath.Join(t.TempDir(), "idx"), index.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// Queries have their own body limit, well below the write limit, and run
// a bounded number at a time: past it, 429 with Retry-After.
func TestQueryLimits(t *testing.T) {
	ts := start(t, Options{MaxBodyBytes: 4 << 20, MaxQueryBytes: 64 << 10})
	text := strings.Repeat("word ", 20000) // 100 KB: a fine document, too large a query
	doc, _ := json.Marshal(apiDoc{ID: "big", Text: text})
	if r := ts.do(t, "POST", "/v1/documents", "", doc); r.code != 200 {
		t.Fatalf("add 100 KB: %d %s", r.code, r.body)
	}
	q, _ := json.Marshal(index.Query{Text: text})
	r := ts.do(t, "POST", "/v1/query", "", q)
	isJSONError(t, "query over its limit", r, 413)
	if !bytes.Contains(r.body, []byte(fmt.Sprint(64<<10))) {
		t.Errorf("413 does not give the limit: %s", r.body)
	}

	ix := openIndex(t)
	bs := &blockingSearcher{Searcher: ix, started: make(chan struct{}, 4), release: make(chan struct{})}
	url := serveWith(t, bs, ix, Options{MaxQueries: 2})
	body := []byte(`{"text": "a few words of a query"}`)
	results := make(chan int, 2)
	for range 2 {
		go func() {
			resp, err := http.Post(url+"/v1/query", "application/json", bytes.NewReader(body))
			if err != nil {
				results <- -1
				return
			}
			resp.Body.Close()
			results <- resp.StatusCode
		}()
	}
	<-bs.started
	<-bs.started
	resp, err := http.Post(url+"/v1/query", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("third query with two slots: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	close(bs.release)
	for range 2 {
		if code := <-results; code != 200 {
			t.Fatalf("held query: %d", code)
		}
	}
}

// The token for reads too; the health check stays open.
func TestTokenForReads(t *testing.T) {
	ts := start(t, Options{Token: testToken, TokenForReads: true})
	for _, p := range []struct{ method, path string }{{"POST", "/v1/query"}, {"GET", "/v1/stats"}, {"GET", "/v1/documents/x"}, {"GET", "/metrics"}} {
		var body []byte
		if p.method == "POST" {
			body = []byte(`{"text": "some words"}`)
		}
		isJSONError(t, p.path+" without token", ts.do(t, p.method, p.path, "", body), 401)
		if r := ts.do(t, p.method, p.path, testToken, body); r.code == 401 {
			t.Errorf("%s with the token: 401", p.path)
		}
	}
	if r := ts.do(t, "GET", "/healthz", "", nil); r.code != 200 {
		t.Errorf("healthz with TokenForReads: %d", r.code)
	}
}

// Cross-site writes, rebinding hosts and made-up methods.
func TestRequestChecks(t *testing.T) {
	ts := start(t, Options{})
	doc := []byte(`{"id": "x", "text": "a few words of a document"}`)
	post := func(ctype, origin, host string) reply {
		req, _ := http.NewRequest("POST", ts.url+"/v1/documents", bytes.NewReader(doc))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if host != "" {
			req.Host = host
		}
		return ts.send(t, req)
	}
	isJSONError(t, "text/plain write (a cross-site form post)", post("text/plain", "", ""), 415)
	isJSONError(t, "form write", post("application/x-www-form-urlencoded", "", ""), 415)
	isJSONError(t, "write from another origin", post("application/json", "http://evil.example", ""), 403)
	if r := post("application/json", strings.Replace(ts.url, "127.0.0.1", "127.0.0.1", 1), ""); r.code != 200 {
		t.Errorf("same-origin write: %d %s", r.code, r.body)
	}
	if r := post("application/x-ndjson; charset=utf-8", "", ""); r.code != 200 {
		t.Errorf("JSONL write: %d %s", r.code, r.body)
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(ts.url, "http://"))
	isJSONError(t, "rebound host", post("application/json", "", "evil.example:"+port), 421)
	req, _ := http.NewRequest("GET", ts.url+"/v1/stats", nil)
	req.Host = "localhost:" + port
	if r := ts.send(t, req); r.code != 200 {
		t.Errorf("localhost: %d", r.code)
	}
	// The stats do not tell where the index lives.
	if r := ts.do(t, "GET", "/v1/stats", "", nil); bytes.Contains(r.body, []byte(`"dir"`)) || r.code != 200 {
		t.Errorf("stats show the index path: %s", r.body)
	}
	// The array form refuses unknown fields like the object form.
	isJSONError(t, "array with an unknown field", ts.do(t, "POST", "/v1/documents", "", []byte(`[{"id": "y", "txt": "z"}]`)), 400)
	// Made-up methods are one label.
	for i := range 20 {
		req, _ := http.NewRequest(fmt.Sprintf("M%d", i), ts.url+"/v1/query", nil)
		ts.send(t, req)
	}
	r := ts.do(t, "GET", "/metrics", "", nil)
	if bytes.Contains(r.body, []byte(`method="M1"`)) || !bytes.Contains(r.body, []byte(`method="other",route="query"`)) {
		t.Errorf("made-up methods in the metrics:\n%s", grepLines(r.body, "reprint_http_requests_total"))
	}
	// The UI cannot be framed.
	if r := ts.do(t, "GET", "/", "", nil); !strings.Contains(r.hdr.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("CSP: %q", r.hdr.Get("Content-Security-Policy"))
	}
	// A read-only server refuses writes.
	ix := openIndex(t)
	url := serveWith(t, ix, nil, Options{})
	resp, err := http.Post(url+"/v1/documents", "application/json", bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("write to a read-only server: %d", resp.StatusCode)
	}
}

func grepLines(b []byte, s string) string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// A body that stalls is cut at the read deadline, and connections past
// the limit wait until one closes.
func TestSlowBodiesAndConnections(t *testing.T) {
	ix := openIndex(t)
	url := serveWith(t, ix, ix, Options{ReadTimeout: 300 * time.Millisecond, MaxConns: 2})
	addr := strings.TrimPrefix(url, "http://")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(c, "POST /v1/documents HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":", addr)
	t0 := time.Now()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 512)
	for {
		if _, err := c.Read(buf); err != nil {
			break // closed or answered and closed
		}
	}
	if d := time.Since(t0); d > 3*time.Second {
		t.Errorf("a stalled body was held %v", d)
	}
	c.Close()
	// Two idle connections take both slots: a third request waits.
	a, _ := net.Dial("tcp", addr)
	b, _ := net.Dial("tcp", addr)
	time.Sleep(50 * time.Millisecond)
	client := &http.Client{Timeout: 200 * time.Millisecond}
	if resp, err := client.Get(url + "/healthz"); err == nil {
		resp.Body.Close()
		t.Errorf("a third connection was served past the limit of 2")
	}
	a.Close()
	b.Close()
	client.Timeout = 5 * time.Second
	resp, err := client.Get(url + "/healthz")
	if err != nil {
		t.Fatalf("after the idle connections closed: %v", err)
	}
	resp.Body.Close()
}

// failingSearcher fails every read with err.
type failingSearcher struct{ err error }

func (f failingSearcher) Query(context.Context, index.Query) (*index.Result, error) {
	return nil, f.err
}
func (f failingSearcher) Get(context.Context, string) (*index.Document, error) { return nil, f.err }
func (f failingSearcher) Stats(context.Context) (index.Stats, error)           { return index.Stats{}, f.err }
func (f failingSearcher) Stories(context.Context, index.StoriesQuery) (*index.StoryList, error) {
	return nil, f.err
}
func (f failingSearcher) Story(context.Context, string, int) (*index.Story, error) { return nil, f.err }

// Failures of the index are 500s that say what happened, not where the
// index lives; a damaged index is never an empty result.
func TestIndexFailures(t *testing.T) {
	const dir = "/srv/secret/archive.idx"
	for _, c := range []struct {
		err  error
		want string
	}{
		{&index.StorageError{Dir: dir, Msg: "write " + dir + "/000002.log: no space left on device"}, "no space left"},
		{fmt.Errorf("index %s: document 7: no text: %w", dir, index.ErrCorrupt), "damaged"},
	} {
		url := serveWith(t, failingSearcher{c.err}, nil, Options{})
		for _, req := range []struct{ method, path, body string }{
			{"POST", "/v1/query", `{"text": "some words"}`}, {"GET", "/v1/documents/x", ""}, {"GET", "/v1/stats", ""},
			{"GET", "/v1/stories", ""}, {"GET", "/v1/stories/s1", ""},
		} {
			hr, _ := http.NewRequest(req.method, url+req.path, strings.NewReader(req.body))
			resp, err := http.DefaultClient.Do(hr)
			if err != nil {
				t.Fatal(err)
			}
			var e apiError
			json.NewDecoder(resp.Body).Decode(&e)
			resp.Body.Close()
			if resp.StatusCode != 500 || !strings.Contains(e.Error, c.want) || strings.Contains(e.Error, "secret") {
				t.Errorf("%s %s over %v: %d %q", req.method, req.path, c.err, resp.StatusCode, e.Error)
			}
		}
	}
}
