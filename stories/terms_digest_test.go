package stories

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/gen"
	"github.com/zeebo/xxh3"
)

// termsDigest hashes everything the extractor returns for docs, in order.
func termsDigest(t *testing.T, docs []corpus.Doc) string {
	x := newExtractor()
	h := xxh3.New()
	for i := range docs {
		for _, r := range x.terms(&docs[i]) {
			fmt.Fprintf(h, "%x %d %d %q\n", r.h, r.tf, r.kinds, r.form)
		}
		fmt.Fprintln(h)
	}
	return fmt.Sprintf("%x", h.Sum64())
}

// The extractor's output on a fixed corpus, pinned: changing how terms are
// extracted must not change what they are (the index's stories depend on
// it). A deliberate change of terms updates the digest.
func TestTermsDigest(t *testing.T) {
	var docs []corpus.Doc
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Seed = 1500, 3
	if _, err := gen.Generate(cfg, func(d gen.Doc) error {
		docs = append(docs, corpus.Doc{ID: d.ID, Text: d.Text})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	docs = append(docs, streamDocs(t, 1500, 3)...)
	files, _ := filepath.Glob("../testdata/news/*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, corpus.Doc{ID: f, Text: string(b)})
	}
	for _, s := range []string{
		"东京大学的研究人员周二表示，日本の研究者は、カタカナとひらがなを使う。北京",
		"Palin's speech on April 28, 2009 in Juneau.\nOBAMA REVERSES BUSH ON SPECIES PROTECTION MEASURE\nIn May 2010 the 3rd of June, Mr. Smith’s dog.",
		"A B C 1 2 3 x y z 'quoted' «Guillemets» (Paren) [Bracket] • Bullet: Colon! Bang? Dec 1st, Sept 2017 jan 5",
		"monday Monday MONDAY said Said SAID the The THE sept Sept SEPT",
		"",
	} {
		docs = append(docs, corpus.Doc{ID: "s", Text: s})
	}
	const want = "2f12e4bb38601134"
	if got := termsDigest(t, docs); got != want {
		t.Errorf("terms digest %s, want %s", got, want)
	}
}

// isIdeograph's shortcut leaves out no character of the three scripts.
func TestIsIdeographShortcut(t *testing.T) {
	for r := rune(0); r < 0x2E80; r++ {
		if unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) {
			t.Fatalf("%U is an ideograph below U+2E80", r)
		}
	}
}

// newest keeps what sorting and taking the largest keeps.
func TestNewest(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 3000; trial++ {
		n := 1 + rng.IntN(3000)
		ids := make([]int32, n)
		for i, v := range rng.Perm(4 * n)[:n] {
			ids[i] = int32(v)
		}
		k := 1 + rng.IntN(n)
		if trial%3 == 0 {
			k = min(n, 1+rng.IntN(64))
		}
		want := slices.Clone(ids)
		slices.Sort(want)
		want = want[n-k:]
		got := slices.Clone(ids)
		newest(got, k)
		got = got[:k]
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: n %d k %d: newest kept %v, want %v", trial, n, k, got, want)
		}
	}
}
