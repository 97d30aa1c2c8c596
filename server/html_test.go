package server

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/reprint/reprint/index"
)

// A page is indexed and queried for its main text: the site's template
// does not count, so the same article under another template finds it.
func TestHTMLDocumentsAndQueries(t *testing.T) {
	ts := start(t, Options{Token: testToken, MaxBodyBytes: 1 << 20})
	var article strings.Builder
	for i := range 10 {
		fmt.Fprintf(&article, "<p>The harbour authority said on Monday that berth %d would close for repairs after the storm damaged its cranes, and that ships would use the northern quay.</p>", i+1)
	}
	page := func(site string) string {
		return "<html><head><title>" + site + "</title></head><body><nav>" + strings.Repeat("<a href=/x>"+site+" menu</a> ", 30) +
			"</nav><article><h1>Berths close</h1>" + article.String() + "</article><footer>" + site + " footer, contact, privacy</footer></body></html>"
	}
	body, _ := json.Marshal(map[string]string{"id": "gazette", "html": page("Gazette")})
	r := ts.do(t, "POST", "/v1/documents", testToken, body)
	var add AddResponse
	r.json(t, &add)
	if r.code != 200 || add.Added != 1 {
		t.Fatalf("add html: %d %s", r.code, r.body)
	}
	d := ts.do(t, "GET", "/v1/documents/gazette", "", nil)
	var doc index.Document
	d.json(t, &doc)
	if strings.Contains(doc.Text, "<") || strings.Contains(doc.Text, "menu") || !strings.Contains(doc.Text, "berth 3 would close") {
		t.Errorf("stored text is not the page's main text: %q", doc.Text)
	}
	q, _ := json.Marshal(map[string]string{"html": page("Courier")})
	r = ts.do(t, "POST", "/v1/query", "", q)
	var res index.Result
	r.json(t, &res)
	if r.code != 200 || len(res.NearDuplicates) != 1 || res.NearDuplicates[0].ID != "gazette" {
		t.Fatalf("query html: %d %s", r.code, r.body)
	}
	both, _ := json.Marshal(map[string]string{"text": "x", "html": "<p>x</p>"})
	isJSONError(t, "text and html", ts.do(t, "POST", "/v1/query", "", both), 400)
	empty, _ := json.Marshal(map[string]string{"id": "e", "html": "<html><body></body></html>"})
	r = ts.do(t, "POST", "/v1/documents", testToken, empty)
	if r.code != 422 || !strings.Contains(string(r.body), "no main text") {
		t.Errorf("page without text: %d %s", r.code, r.body)
	}
}
