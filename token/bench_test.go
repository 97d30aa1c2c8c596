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
