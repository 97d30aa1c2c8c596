package align

import (
	"fmt"
	"testing"

	"github.com/reprint/reprint/token"
)

// BenchmarkPairNews aligns every pair of the example news; bytes are the
// two texts of each pair.
func BenchmarkPairNews(b *testing.B) {
	docs := loadNews(b)
	for _, k := range []int{3, 4, 5} {
		b.Run(fmt.Sprintf("anchor=%d", k), func(b *testing.B) {
			o := DefaultOptions()
			o.Anchor = k
			var n int64
			for x := range docs {
				for y := x + 1; y < len(docs); y++ {
					n += int64(len(docs[x].text) + len(docs[y].text))
				}
			}
			b.SetBytes(n)
			for b.Loop() {
				for x := range docs {
					for y := x + 1; y < len(docs); y++ {
						Pair(docs[x].toks, docs[y].toks, o)
					}
				}
			}
		})
	}
}

// BenchmarkPairSynthetic aligns a 2,000-word document against another with
// a 60-word passage of it inserted, 5% edited.
func BenchmarkPairSynthetic(b *testing.B) {
	s := newSynth(7, 3000)
	src := s.words(2000)
	host := s.words(2000)
	host = append(host[:1000:1000], append(s.edit(src[500:560], 0.05), host[1000:]...)...)
	ta, tokA := s.doc(host)
	tb, tokB := s.doc(src)
	b.SetBytes(int64(len(ta) + len(tb)))
	for b.Loop() {
		Pair(tokA, tokB, DefaultOptions())
	}
}

// BenchmarkIndex adds 2,000 documents of 300 words and lists candidates.
func BenchmarkIndex(b *testing.B) {
	s := newSynth(8, 3000)
	var docs [][]token.Token
	var n int64
	for range 2000 {
		text, toks := s.doc(s.words(300))
		n += int64(len(text))
		docs = append(docs, toks)
	}
	b.SetBytes(n)
	for b.Loop() {
		ix := newAnchorIndex(DefaultOptions())
		for d, toks := range docs {
			ix.Add(d, toks)
		}
		ix.Candidates()
	}
}
