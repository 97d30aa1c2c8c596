package token

import (
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/zeebo/xxh3"
)

func spans(t *testing.T, text string) []string {
	t.Helper()
	tz := New()
	var out []string
	for _, tk := range tz.Tokens(text, 0, nil) {
		out = append(out, text[tk.Start:tk.End])
	}
	return out
}

func TestTokensSpans(t *testing.T) {
	got := strings.Join(spans(t, "  Hello, world! It's the U.S. — 3.5% of it."), "|")
	want := "Hello|world|It's|the|U.S|3.5|of|it"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestTokensStartOffset(t *testing.T) {
	text := " date 2017-10-30 Syria considers"
	tz := New()
	toks := tz.Tokens(text, 17, nil)
	if len(toks) != 2 || text[toks[0].Start:toks[0].End] != "Syria" {
		t.Fatalf("tokens after header: %+v", toks)
	}
}

func TestNormalizationFolds(t *testing.T) {
	tz := New()
	pairs := [][2]string{
		{"Don’t", "don't"},
		{"ＡＢＣ", "abc"},        // NFKC folds full-width letters
		{"STRASSE", "straße"}, // case folding, not just lower-casing
		{"Ｕ.Ｓ", "u.s"},
		{"“Raqqa”", "\"raqqa\""},
	}
	for _, p := range pairs {
		a := tz.Tokens(p[0], 0, nil)
		b := tz.Tokens(p[1], 0, nil)
		if len(a) != len(b) {
			t.Fatalf("%q vs %q: %d vs %d tokens", p[0], p[1], len(a), len(b))
		}
		for i := range a {
			if a[i].Hash != b[i].Hash {
				t.Errorf("%q and %q hash differently (%q vs %q)", p[0], p[1], tz.Normalize(p[0]), tz.Normalize(p[1]))
			}
		}
	}
	if New().Normalize("Hello") == New().Normalize("World") {
		t.Fatal("distinct words normalize alike")
	}
}

func TestCJKWithoutSpaces(t *testing.T) {
	got := spans(t, "我们喜欢读书。東京タワー")
	if len(got) < 5 {
		t.Fatalf("CJK text split into too few tokens: %q", got)
	}
	for _, w := range got {
		if utf8.RuneCountInString(w) > 5 {
			t.Errorf("token %q is a whole phrase, not a word", w)
		}
	}
}

func TestPunctuationOnlyIsNoToken(t *testing.T) {
	if got := spans(t, " ... --- !!! 👍 “” "); len(got) != 0 {
		t.Fatalf("punctuation gave tokens %q", got)
	}
}

func TestShinglesRollingMatchesDirect(t *testing.T) {
	tz := New()
	toks := tz.Tokens("a b c d e f g h i j k l m n o p", 0, nil)
	for _, n := range []int{1, 2, 3, 5, 8} {
		got := Shingles(toks, n, nil)
		if len(got) != len(toks)-n+1 {
			t.Fatalf("n=%d: %d shingles", n, len(got))
		}
		for i := range got {
			var h uint64
			for _, tk := range toks[i : i+n] {
				h = h*shinglePrime + tk.Hash
			}
			if want := Mix(h + uint64(n)); got[i] != want {
				t.Fatalf("n=%d shingle %d: rolling %x, direct %x", n, i, got[i], want)
			}
		}
	}
}

func TestShinglesShortText(t *testing.T) {
	tz := New()
	toks := tz.Tokens("two words", 0, nil)
	if got := Shingles(toks, 5, nil); len(got) != 1 {
		t.Fatalf("short text: %d shingles, want 1", len(got))
	}
	if got := Shingles(nil, 5, nil); len(got) != 0 {
		t.Fatalf("empty text: %d shingles", len(got))
	}
}

func TestShinglesOrderMatters(t *testing.T) {
	tz := New()
	a := Shingles(tz.Tokens("one two three", 0, nil), 3, nil)
	b := Shingles(tz.Tokens("three two one", 0, nil), 3, nil)
	if a[0] == b[0] {
		t.Fatal("shingle hash ignores word order")
	}
}

func FuzzTokens(f *testing.F) {
	f.Add("Hello, world! It’s 2017-10-30.")
	f.Add("我们喜欢读书。")
	f.Add("\xff\xfe bad utf8 \x00")
	f.Fuzz(func(t *testing.T, s string) {
		tz := New()
		toks := tz.Tokens(s, 0, nil)
		prev := 0
		for _, tk := range toks {
			if tk.Start < prev || tk.End <= tk.Start || tk.End > len(s) {
				t.Fatalf("bad span %d:%d (prev end %d, len %d)", tk.Start, tk.End, prev, len(s))
			}
			prev = tk.End
		}
		if len(Shingles(toks, 5, nil)) == 0 && len(toks) > 0 {
			t.Fatal("tokens but no shingles")
		}
	})
}

func TestTextHashIsXXH3OfTokenHashes(t *testing.T) {
	for _, n := range []int{0, 1, 5, 127, 128, 129, 1000, 4097} {
		toks := make([]Token, n)
		var b []byte
		for i := range toks {
			toks[i].Hash = Mix(uint64(i) + 1)
			b = binary.LittleEndian.AppendUint64(b, toks[i].Hash)
		}
		if got, want := TextHash(toks), xxh3.Hash(b); got != want {
			t.Fatalf("%d tokens: TextHash %x, xxh3 of the bytes %x", n, got, want)
		}
	}
	a := TextHash([]Token{{Hash: 1}, {Hash: 2}})
	if b := TextHash([]Token{{Hash: 2}, {Hash: 1}}); a == b {
		t.Fatal("TextHash ignores order")
	}
}
