package corpus

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// benchRecords makes JSONL records from the example news files: a few KB of
// real text each, with the escapes json.Marshal writes (\n, \", \u2019 stays
// raw UTF-8), plus metadata fields, some of them nested, to skip.
func benchRecords(b *testing.B) [][]byte {
	files, _ := filepath.Glob("../testdata/news/*.txt")
	if len(files) == 0 {
		b.Skip("no testdata")
	}
	var recs [][]byte
	for i, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		line, _ := json.Marshal(map[string]any{
			"id": filepath.Base(f), "text": string(text), "date": "2017-10-30T12:00:00Z",
			"source": "SANA", "url": "https://example.com/" + filepath.Base(f),
			"meta": map[string]any{"lang": "en", "tags": []string{"syria", "raqqa"}, "n": i, "score": 0.93},
		})
		recs = append(recs, line)
	}
	return recs
}

// stdDecode is what Decode would do with encoding/json, with field names
// chosen at run time: a map of raw members, then each picked member again.
func stdDecode(line []byte, names *[numFields]string) (Doc, bool) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(line, &m); err != nil {
		return Doc{}, false
	}
	var d Doc
	var id any
	if json.Unmarshal(m[names[fieldText]], &d.Text) != nil || json.Unmarshal(m[names[fieldID]], &id) != nil {
		return Doc{}, false
	}
	d.ID, _ = id.(string)
	for _, f := range []struct {
		i   int
		dst *string
	}{{fieldDate, &d.Date}, {fieldSource, &d.Source}, {fieldURL, &d.URL}} {
		if raw, ok := m[names[f.i]]; ok {
			json.Unmarshal(raw, f.dst)
		}
	}
	d.Date, _ = parseDate(d.Date)
	return d, true
}

// stdStruct is encoding/json at its fastest: fixed field names in struct
// tags, which Options cannot use since the names are chosen at run time.
type stdStruct struct {
	ID     any    `json:"id"`
	Text   string `json:"text"`
	Date   string `json:"date"`
	Source string `json:"source"`
	URL    string `json:"url"`
}

func BenchmarkDecodeJSONL(b *testing.B) {
	recs := benchRecords(b)
	size := 0
	for _, r := range recs {
		size += len(r)
	}
	c, _ := Open([]string{"-"}, Options{})
	records := make([]Record, len(recs))
	for i, r := range recs {
		records[i] = Record{File: "bench", Line: i + 1, kind: kindJSONL, raw: r}
	}
	b.Run("reprint", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, r := range records {
				if _, err := c.Decode(r); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("encoding-json-map", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, r := range recs {
				if _, ok := stdDecode(r, &c.names); !ok {
					b.Fatal("decode failed")
				}
			}
		}
	})
	b.Run("encoding-json-struct", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, r := range recs {
				var s stdStruct
				if err := json.Unmarshal(r, &s); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkScanJSONL measures cutting lines (no decoding), the sequential
// part of a run.
func BenchmarkScanJSONL(b *testing.B) {
	recs := benchRecords(b)
	var data []byte
	for len(data) < 16<<20 {
		for _, r := range recs {
			data = append(append(data, r...), '\n')
		}
	}
	p := filepath.Join(b.TempDir(), "bench.jsonl")
	os.WriteFile(p, data, 0o644)
	c, _ := Open([]string{p}, Options{})
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if err := c.Scan(b.Context(), func(Record) error { return nil }, nil); err != nil {
			b.Fatal(err)
		}
	}
}
