package align

import (
	"fmt"
	"testing"

	"github.com/reprint/reprint/gen"
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

// BenchmarkObfuscated aligns generated reuse of each obfuscation (an
// 80-word passage in 1,000 words of other text on each side) with the
// anchor level alone (Pair), with PairText, and with PairPrepared on two
// documents prepared beforehand, side by side; bytes are both texts.
func BenchmarkObfuscated(b *testing.B) {
	tz := token.New()
	for _, ob := range gen.Obfuscations {
		p := gen.ObfuscatedPair(3, ob, 80, 500)
		ta, tb := p.Reuse, p.Source
		a, c := tz.Tokens(ta, 0, nil), tz.Tokens(tb, 0, nil)
		opt := DefaultOptions()
		b.Run(ob.Name+"/Pair", func(b *testing.B) {
			b.SetBytes(int64(len(ta) + len(tb)))
			for b.Loop() {
				Pair(a, c, opt)
			}
		})
		b.Run(ob.Name+"/PairText", func(b *testing.B) {
			b.SetBytes(int64(len(ta) + len(tb)))
			for b.Loop() {
				PairText(ta, a, tb, c, opt)
			}
		})
		pa, pc := PrepareText(ta, a, opt), PrepareText(tb, c, opt)
		b.Run(ob.Name+"/PairPrepared", func(b *testing.B) {
			b.SetBytes(int64(len(ta) + len(tb)))
			for b.Loop() {
				pa.PairPrepared(pc)
			}
		})
	}
}
