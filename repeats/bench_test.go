package repeats

import (
	"testing"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/gen"
)

// BenchmarkFind runs the whole engine (both reads, both sorts, the
// confirmation) on generated documents with planted repeats held in
// memory; MB/s is of their text.
func BenchmarkFind(b *testing.B) {
	gd, _, err := gen.Repeats(gen.RepeatsConfig{Seed: 2, Docs: 2000, Spans: 200, SpanWords: 120, MaxCopies: 8, SelfRepeats: 20, WholeDocs: 40})
	if err != nil {
		b.Fatal(err)
	}
	docs := make([]corpus.Doc, len(gd))
	var size int64
	for i, d := range gd {
		docs[i] = corpus.Doc{ID: d.ID, Text: d.Text, Date: d.Date}
		size += int64(len(d.Text))
	}
	b.SetBytes(size)
	for b.Loop() {
		if _, err := Find(docs, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
