package index

import (
	"context"
	"path/filepath"
	"testing"
)

// Adding generated story documents with and without stories, in batches
// of 500: the difference is the cost of story assignment (one more
// tokenization, the single pass, the members' keys). Run with
// go test ./index -run '^$' -bench 'Add(No)?Stories' -benchtime 1x.
func BenchmarkAddStories(b *testing.B)   { benchAdd(b, Options{}) }
func BenchmarkAddNoStories(b *testing.B) { benchAdd(b, Options{NoStories: true}) }

func benchAdd(b *testing.B, opt Options) {
	docs := genDocs(b, 4000)
	var bytes int64
	for _, d := range docs {
		bytes += int64(len(d.Text))
	}
	b.SetBytes(bytes)
	for b.Loop() {
		opt.Create = true
		ix, err := Open(filepath.Join(b.TempDir(), "idx"), opt)
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < len(docs); i += 500 {
			if _, err := ix.Add(docs[i:min(i+500, len(docs))]); err != nil {
				b.Fatal(err)
			}
		}
		ix.Close()
	}
	b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
}

// A query's story: the cost a text query pays for it (NoStory leaves it out).
func BenchmarkQueryStory(b *testing.B)   { benchQuery(b, false) }
func BenchmarkQueryNoStory(b *testing.B) { benchQuery(b, true) }

func benchQuery(b *testing.B, noStory bool) {
	docs := genDocs(b, 4000)
	ix, err := Open(filepath.Join(b.TempDir(), "idx"), Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Add(docs); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		d := docs[i%len(docs)]
		i += 37
		if _, err := ix.Query(context.Background(), Query{Text: d.Text, Date: d.Date, NoStory: noStory}); err != nil {
			b.Fatal(err)
		}
	}
}
