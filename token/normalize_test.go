package token

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// normalizeRef is normalization written the plain way, every step always
// applied: what normalizeSlow, with its shortcuts, must equal.
func normalizeRef(w string) string {
	b := cases.Fold().Bytes(norm.NFKC.Bytes([]byte(w)))
	var out []byte
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if f, ok := punctFold[r]; ok {
			out = append(out, f)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return string(out)
}

var normalizeCases = []string{
	"Straße", "STRASSE", "ǅungla", "ﬁle", "Ｕ.Ｓ", "Don’t", "«quoted»", "x‐y", "−5", "ﹸ", "Ω", "K", "ΣΑΣ",
	"e\u0301", "Å", "İstanbul", "ß", "ﬀ", "①", "㎏", "Москва", "القاهرة", "東京", "\xff\xfe", "a\u0301\u0327",
}

func TestNormalizeMatchesReference(t *testing.T) {
	tz := New()
	for _, w := range normalizeCases {
		if got, want := string(tz.normalizeSlow(w)), normalizeRef(w); got != want {
			t.Errorf("%q: normalized to %q, reference %q", w, got, want)
		}
	}
}

func FuzzNormalizeMatchesReference(f *testing.F) {
	for _, w := range normalizeCases {
		f.Add(w)
	}
	tz := New() // one Tokenizer throughout, so stale buffers would show
	f.Fuzz(func(t *testing.T, w string) {
		if got, want := string(tz.normalizeSlow(w)), normalizeRef(w); got != want {
			t.Fatalf("%q: normalized to %q, reference %q", w, got, want)
		}
	})
}
