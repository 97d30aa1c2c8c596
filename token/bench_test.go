package token

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func newsText(b *testing.B) string {
	files, _ := filepath.Glob("../testdata/news/*.txt")
	var sb strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		sb.Write(data)
	}
	return sb.String()
}

func benchTokens(b *testing.B, text string) {
	tz := New()
	var toks []Token
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		toks = tz.Tokens(text, 0, toks[:0])
	}
}

// BenchmarkTokens is the news example: English with typographic quotes
// and dashes, so mostly but not only ASCII.
func BenchmarkTokens(b *testing.B) { benchTokens(b, newsText(b)) }

// BenchmarkTokensScript is generated text of each script, 64 KB each.
func BenchmarkTokensScript(b *testing.B) {
	for _, s := range []struct {
		name string
		gen  func(int) string
	}{
		{"ASCII", sampleASCII},
		{"Latin", sampleLatin},
		{"Cyrillic", sampleCyrillic},
		{"Arabic", sampleArabic},
		{"CJK", sampleCJK},
	} {
		b.Run(s.name, func(b *testing.B) { benchTokens(b, s.gen(64<<10)) })
	}
}

func BenchmarkTokensShingles(b *testing.B) {
	text := newsText(b)
	tz := New()
	var toks []Token
	var sh []uint64
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		toks = tz.Tokens(text, 0, toks[:0])
		sh = Shingles(toks, 5, sh[:0])
	}
}

// BenchmarkTokensShortDocs tokenizes 100-byte documents, one call each, as
// a corpus of package descriptions does: ns/doc is the tokenizer's share of
// the per-document cost.
func BenchmarkTokensShortDocs(b *testing.B) {
	text := sampleASCII(100 << 10)
	var docs []string
	for len(text) > 100 {
		i := 100 + strings.IndexByte(text[100:], ' ')
		if i < 100 {
			break
		}
		docs = append(docs, text[:i])
		text = text[i+1:]
	}
	tz := New()
	var toks []Token
	var sh []uint64
	b.SetBytes(int64(100 * len(docs)))
	for b.Loop() {
		for _, d := range docs {
			toks = tz.Tokens(d, 0, toks[:0])
			sh = Shingles(toks, 5, sh[:0])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(docs)), "ns/doc")
}
