package server

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzDecodeDocs: any body decodes to documents or an error, never a
// panic; unknown fields are refused in the object and the array form
// alike; what decodes survives a round trip through JSON lines.
func FuzzDecodeDocs(f *testing.F) {
	f.Add([]byte(`{"id": "a", "text": "b"}`))
	f.Add([]byte(`{"id": "a", "text": "b"}` + "\n" + `{"id": "c", "text": "d", "date": "2020-01-01"}`))
	f.Add([]byte(`[{"id": "a", "text": "b"}, {"id": "c", "text": "d"}]`))
	f.Add([]byte(`[{"id": "a", "txt": "b"}]`))
	f.Add([]byte(`[] []`))
	f.Fuzz(func(t *testing.T, body []byte) {
		docs, err := decodeDocs(bytes.NewReader(body))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		for _, d := range docs {
			line, _ := json.Marshal(d)
			buf.Write(line)
			buf.WriteByte('\n')
		}
		again, err := decodeDocs(&buf)
		if err != nil || len(again) != len(docs) {
			t.Fatalf("round trip of %d documents: %d, %v", len(docs), len(again), err)
		}
		for i := range docs {
			if again[i] != docs[i] {
				t.Fatalf("document %d: %+v -> %+v", i, docs[i], again[i])
			}
		}
	})
}

// FuzzNormDate: any date string is normalized to YYYY-MM-DD or refused.
func FuzzNormDate(f *testing.F) {
	for _, s := range []string{"", "2020-01-02", "2020-01-02T10:00:00Z", "yesterday", "2020-13-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := normDate(s)
		if err != nil || d == "" {
			return
		}
		if d2, err := normDate(d); err != nil || d2 != d {
			t.Fatalf("%q -> %q -> %q, %v", s, d, d2, err)
		}
	})
}
