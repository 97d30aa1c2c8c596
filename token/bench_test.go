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

func BenchmarkTokens(b *testing.B) {
	text := newsText(b)
	tz := New()
	var toks []Token
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		toks = tz.Tokens(text, 0, toks[:0])
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
