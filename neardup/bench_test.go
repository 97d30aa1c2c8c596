package neardup

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/gen"
)

func genDocs(b *testing.B, n int) []corpus.Doc {
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Passages = n, 0
	var docs []corpus.Doc
	if _, err := gen.Generate(cfg, func(d gen.Doc) error {
		docs = append(docs, corpus.Doc{ID: d.ID, Text: d.Text, Date: d.Date, Source: d.Source})
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	return docs
}

// BenchmarkFind measures detection on documents already in memory.
func BenchmarkFind(b *testing.B) {
	docs := genDocs(b, 20000)
	var n int64
	for _, d := range docs {
		n += int64(len(d.Text))
	}
	b.SetBytes(n)
	for b.Loop() {
		if _, err := Find(docs, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunJSONL measures detection end to end from a JSONL file.
func BenchmarkRunJSONL(b *testing.B) {
	path := filepath.Join(b.TempDir(), "c.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Passages = 20000, 0
	if _, err := gen.WriteJSONL(f, cfg); err != nil {
		b.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	for b.Loop() {
		c, err := corpus.Open([]string{path}, corpus.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Run(context.Background(), c, Options{}); err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}
