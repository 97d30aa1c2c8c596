package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprint/reprint/token"
	"github.com/zeebo/xxh3"
)

func TestPhysicalShingles(t *testing.T) {
	words, sh := PhysicalShingles([]byte(`{"id":"a","text":"One two, three-four five\nsix. Übung"}`), 5, nil, nil)
	// id a text One two three four five nsix Übung: the JSON keys are
	// words too, and the escaped newline's "n" sticks to "six"; nothing is
	// decoded.
	if len(words) != 10 {
		t.Fatalf("%d words, want 10", len(words))
	}
	if words[9] != xxh3.HashString("Übung") || words[8] != xxh3.HashString("nsix") || words[2] != xxh3.HashString("text") {
		t.Fatal("word hashes are not xxh3 of the word bytes")
	}
	if len(sh) != 10-5+1 {
		t.Fatalf("%d shingles, want 6", len(sh))
	}
	for i := range sh {
		var h uint64
		for _, w := range words[i : i+5] {
			h = h*physPrime + w
		}
		if mix64(h+5) != sh[i] {
			t.Fatalf("shingle %d: rolling hash differs from direct", i)
		}
	}
	if _, sh := PhysicalShingles([]byte("two words"), 5, nil, nil); len(sh) != 1 {
		t.Fatalf("short text: %d shingles, want 1", len(sh))
	}
	if w, sh := PhysicalShingles([]byte(" ,.;\"{}"), 5, nil, nil); len(w)+len(sh) != 0 {
		t.Fatal("punctuation only gave words")
	}
}

func TestPhysicalFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.jsonl")
	lines := []string{`{"text":"a b c d e f"}`, ``, `{"text":"g h"}`, `{}`}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 3} {
		st, err := Physical(path, 5, workers)
		if err != nil {
			t.Fatal(err)
		}
		// Line 1: text a b c d e f = 7 words, 3 shingles; line 3: text g h,
		// 3 words, 1 shingle; the blank line and {} have no words.
		if st.Docs != 2 || st.Words != 10 || st.Shingles != 4 {
			t.Fatalf("workers %d: %+v", workers, st)
		}
	}
	if _, err := Physical(filepath.Join(t.TempDir(), "missing.jsonl"), 5, 0); err == nil {
		t.Fatal("no error for a missing file")
	}
}

// kernelText is the news example, or the file named by
// REPRINT_KERNEL_TEXT (for example one of reprint-realtext's corpora).
func kernelText(b *testing.B) []byte {
	if p := os.Getenv("REPRINT_KERNEL_TEXT"); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	files, _ := filepath.Glob("../testdata/news/*.txt")
	var data []byte
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, d...)
	}
	return data
}

// pieces cuts data at line ends into documents of about size bytes, the
// size of a web page, so that a benchmark works on one document at a time
// as the pipeline does (a 6 MB text tokenized in one call measures cache
// misses on a 24 MB token slice instead).
func pieces(data []byte, size int) [][]byte {
	var out [][]byte
	for len(data) > size {
		i := bytes.IndexByte(data[size:], '\n')
		if i < 0 {
			break
		}
		out = append(out, data[:size+i+1])
		data = data[size+i+1:]
	}
	if len(data) > 0 {
		out = append(out, data)
	}
	return out
}

// BenchmarkKernel compares, on one core and the same bytes, the physical
// reference with package token's tokenizer and shingles: the ratio of
// their MB/s is how far tokenizing is from the machine.
func BenchmarkKernel(b *testing.B) {
	data := kernelText(b)
	docs := pieces(data, 6144)
	b.Run("physical", func(b *testing.B) {
		var words, sh []uint64
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			for _, d := range docs {
				words, sh = PhysicalShingles(d, 5, words, sh[:0])
			}
		}
	})
	texts := make([]string, len(docs))
	for i, d := range docs {
		texts[i] = string(d)
	}
	b.Run("token", func(b *testing.B) {
		tz := token.New()
		var toks []token.Token
		var sh []uint64
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			for _, t := range texts {
				toks = tz.Tokens(t, 0, toks[:0])
				sh = token.Shingles(toks, 5, sh[:0])
			}
		}
	})
}
