package token

import (
	"strings"
	"testing"
)

// general runs the general path alone over the whole text: the reference
// the fast path must match token for token.
func generalTokens(text string) []Token {
	return New().general(text, 0, nil)
}

func sameTokens(t *testing.T, text string) {
	t.Helper()
	got := New().Tokens(text, 0, nil)
	want := generalTokens(text)
	if len(got) != len(want) {
		t.Fatalf("%q: fast path %d tokens, general %d\nfast:    %s\ngeneral: %s", text, len(got), len(want), show(text, got), show(text, want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%q: token %d: fast %+v %q, general %+v %q", text, i, got[i], text[got[i].Start:got[i].End], want[i], text[want[i].Start:want[i].End])
		}
	}
}

func show(text string, toks []Token) string {
	var parts []string
	for _, tk := range toks {
		parts = append(parts, text[tk.Start:tk.End])
	}
	return strings.Join(parts, "|")
}

// fastCases are inputs that exercise each segmentation rule and each
// switch between the fast and the general path.
var fastCases = []string{
	"",
	"Hello, world! It's the U.S. — 3.5% of it.",
	"a.b.c a..b a.1 1.a 1.2.3 1,000,000 3.14; 2;3 a;b a:b:c a: b :a",
	"it's Don't don't 'quoted' ''a'' rock'n'roll o'clock 'n",
	"foo_bar _a __ ___1 a_ 1_ _ _.a a_.b 1_2",
	"http://example.com/path?q=1&r=2#frag user@example.org e-mail x--y",
	"tabs\there\r\nCRLF\rCR\nLF\vVT\fFF  double  space",
	"ÉCOLE école Straße STRASSE naïve café—bar “quoted” ‘single’ Don’t",
	"mixed ascii и кириллица 中文字符 العربية text",
	"a\u0301b e\u0301 \u0301abc \u200dx 👍🏽 x\u00ad y",
	"\xff\xfe bad utf8 \x00 a\xc3 b\xe2\x80 c",
	"WORD " + strings.Repeat("X", 70) + " " + strings.Repeat("Ab", 40) + " end",
	"12:30 1:a a:1 a'1 1'2 1'a .5 5. ,5 5,",
	" leading space and trailing ",
	"\n\nnewlines\n\n",
	"a\u00a0b a\u2009b a\u3000b",
	"don\u2019t a\u2018b 1\u20192 x\u2014y",
	"a.\u0301b a.b\u0301 1.\u03012",
	"a‘b a’b a“b a”b a–b a—b a‐b a•b a…b 1’2 1‘2 ’a ‘a a’ a’’b ’’ “”—–",
	"DON’T Don’T ’TIS l’été a’\u0301b —\u0301 ’\u0301a x”é y…ü",
	"\xe2\x80 \xe2\x80\x99 a\xe2\x80\x99 a\xe2 a\xe2\x80",
	"ÀÉÎÕÜ àéîõü ßẞ ÿŸ Þþ Ðð 1×2 a÷b ×a ÷ À.É é.1 1.é l’été l'été é'é _é é_ é1 1é",
	"é\u0301 e\u0301 É\u0327x Ç\u200dx \xc3 a\xc3 \xc3\x28 \xc3\xc3 é\xc3",
	"Größe STRASSE straße Äpfel ÖFFENTLICH über naïve Noël ‘Château’ “Forêt” — Ève",
}

func TestFastMatchesGeneral(t *testing.T) {
	for _, c := range fastCases {
		sameTokens(t, c)
	}
	for _, c := range []string{sampleASCII(5000), sampleLatin(5000), sampleCyrillic(5000), sampleArabic(5000), sampleCJK(5000)} {
		sameTokens(t, c)
	}
}

func TestFastStartOffset(t *testing.T) {
	text := " date 2017-10-30 Syria’s “considers” it"
	for start := 0; start <= len(text); start++ {
		got := New().Tokens(text, start, nil)
		want := New().general(text, start, nil)
		if show(text, got) != show(text, want) {
			t.Fatalf("start %d: fast %q, general %q", start, show(text, got), show(text, want))
		}
	}
}

func FuzzFastMatchesGeneral(f *testing.F) {
	for _, c := range fastCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sameTokens(t, s)
	})
}

func TestTokensDoNotAllocate(t *testing.T) {
	for _, text := range []string{newsLike, sampleLatin(4000), sampleCyrillic(4000), sampleArabic(4000), sampleCJK(4000)} {
		tz := New()
		dst := tz.Tokens(text, 0, nil) // warm the buffers, size dst
		if n := testing.AllocsPerRun(20, func() { dst = tz.Tokens(text, 0, dst[:0]) }); n != 0 {
			t.Errorf("%.1f allocations a call on %q...", n, text[:40])
		}
	}
}

const newsLike = "“It’s a lie,” the Ministry said on Monday — 3.5% of 1,000 U.S. e-mails… naïve Ève’s café."
