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

// Reworded reuse shares content keys with its source; documents that only
// have the vocabulary in common share few.
func TestContentKeys(t *testing.T) {
	tz := token.New()
	keys := func(text string) []uint64 { return ContentKeys(text, tz.Tokens(text, 0, nil), nil) }
	for _, name := range []string{"none", "light", "random"} {
		var ob gen.Obfuscation
		for _, o := range gen.Obfuscations {
			if o.Name == name {
				ob = o
			}
		}
		hit := 0
		for seed := uint64(1); seed <= 20; seed++ {
			p := gen.ObfuscatedPair(seed, ob, 80, 300)
			if sharedKeys(keys(p.Reuse), keys(p.Source)) >= 2 {
				hit++
			}
		}
		if hit < 18 {
			t.Errorf("%s: %d of 20 reuses share 2 content keys with their source, want >= 18", name, hit)
		}
	}
	// Unrelated documents: the contexts of two different draws.
	far := 0
	for seed := uint64(1); seed <= 20; seed++ {
		x, y := gen.ObfuscatedPair(seed, gen.Obfuscations[0], 80, 300), gen.ObfuscatedPair(seed+100, gen.Obfuscations[0], 80, 300)
		if sharedKeys(keys(x.Source), keys(y.Source)) >= 2 {
			far++
		}
	}
	if far > 2 {
		t.Errorf("%d of 20 unrelated pairs share 2 content keys, want <= 2", far)
	}
	if k := keys(""); len(k) != 0 {
		t.Errorf("empty text: %d keys", len(k))
	}
}
