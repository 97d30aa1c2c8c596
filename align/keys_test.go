package align

import (
	"testing"

	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/token"
)

func sharedKeys(x, y []uint64) int {
	n := 0
	for len(x) > 0 && len(y) > 0 {
		switch {
		case x[0] < y[0]:
			x = x[1:]
		case x[0] > y[0]:
			y = y[1:]
		default:
			n++
			x, y = x[1:], y[1:]
		}
	}
	return n
}

// Reworded reuse shares content keys with its source, more often than it
// shares exact anchors; retellings and unrelated documents share few.
func TestContentKeys(t *testing.T) {
	tz := token.New()
	keys := func(text string) []uint64 { return ContentKeys(text, tz.Tokens(text, 0, nil), nil) }
	anchors := func(text string) []uint64 { return Anchors(tz.Tokens(text, 0, nil), DefaultOptions(), nil) }
	want := map[string]int{"none": 20, "light": 20, "random": 18, "heavy": 14, "retelling": 0}
	for _, ob := range gen.Obfuscations {
		hit, byAnchors := 0, 0
		for seed := uint64(1); seed <= 20; seed++ {
			p := gen.ObfuscatedPair(seed, ob, 80, 300)
			if sharedKeys(keys(p.Reuse), keys(p.Source)) >= 5 { // reuse's MinShared
				hit++
			}
			if sharedKeys(anchors(p.Reuse), anchors(p.Source)) >= 2 {
				byAnchors++
			}
		}
		t.Logf("%s: %d of 20 share 5 content keys, %d share 2 anchors", ob.Name, hit, byAnchors)
		if w, ok := want[ob.Name]; ok && !ob.Retell && hit < w {
			t.Errorf("%s: %d of 20 reuses share 5 content keys with their source, want >= %d", ob.Name, hit, w)
		}
		if ob.Retell && hit > 2 {
			t.Errorf("%s: %d of 20 retellings share 5 content keys, want <= 2", ob.Name, hit)
		}
		if !ob.Retell && hit < byAnchors {
			t.Errorf("%s: content keys make %d candidates, exact anchors %d", ob.Name, hit, byAnchors)
		}
	}
	// Unrelated documents: the contexts of two different draws.
	far := 0
	for seed := uint64(1); seed <= 20; seed++ {
		x, y := gen.ObfuscatedPair(seed, gen.Obfuscations[0], 80, 300), gen.ObfuscatedPair(seed+100, gen.Obfuscations[0], 80, 300)
		if sharedKeys(keys(x.Source), keys(y.Source)) >= 5 {
			far++
		}
	}
	if far > 2 {
		t.Errorf("%d of 20 unrelated pairs share 5 content keys, want <= 2", far)
	}
	if k := keys(""); len(k) != 0 {
		t.Errorf("empty text: %d keys", len(k))
	}
}

// Spellings that the tokenizer hashes as one word get one stem whichever
// of them the process-wide cache meets first, so keys do not depend on the
// order in which workers fill it.
func TestStemIsAFunctionOfTheTokenHash(t *testing.T) {
	tz := token.New()
	for _, spellings := range [][2]string{{"ﬁnding", "finding"}, {"STRASSE", "Straße"}, {"don’t", "don't"}, {"Ｒａｑｑａ", "raqqa"}} {
		a, b := tz.Tokens(spellings[0], 0, nil), tz.Tokens(spellings[1], 0, nil)
		if len(a) != 1 || len(b) != 1 || a[0].Hash != b[0].Hash {
			t.Fatalf("%q and %q are not one token: %v %v", spellings[0], spellings[1], a, b)
		}
		first, second := newStemCache(), newStemCache()
		ha := first.get(a[0].Hash, spellings[0])
		hb := second.get(b[0].Hash, spellings[1])
		if ha != hb {
			t.Errorf("%q and %q: stems %x and %x depend on which the cache met first", spellings[0], spellings[1], ha, hb)
		}
	}
}
