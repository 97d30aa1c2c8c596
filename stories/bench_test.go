package stories

import "testing"

// BenchmarkBuild clusters 20,000 generated reports (about 30 MB).
func BenchmarkBuild(b *testing.B) {
	docs, _, _ := generated(b, 20000, 1, 0.1)
	var n int64
	for _, d := range docs {
		n += int64(len(d.Text))
	}
	b.SetBytes(n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Build(docs, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkTerms measures term extraction alone: one tokenization and
// classification pass.
func BenchmarkTerms(b *testing.B) {
	docs, _, _ := generated(b, 2000, 1, 0)
	var n int64
	for _, d := range docs {
		n += int64(len(d.Text))
	}
	x := newExtractor()
	b.SetBytes(n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := range docs {
			x.terms(&docs[k])
		}
	}
}
