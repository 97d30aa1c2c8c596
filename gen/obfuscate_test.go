package gen

import (
	"strings"
	"testing"

	"github.com/reprint/reprint/token"
)

func TestObfuscatedPairDeterministic(t *testing.T) {
	for _, ob := range Obfuscations {
		x, y := ObfuscatedPair(7, ob, 80, 120), ObfuscatedPair(7, ob, 80, 120)
		if x != y {
			t.Errorf("%s: two draws with one seed differ", ob.Name)
		}
		if z := ObfuscatedPair(8, ob, 80, 120); z.Source == x.Source {
			t.Errorf("%s: seeds 7 and 8 give the same source", ob.Name)
		}
	}
}

// words returns the normalized words of text.
func words(text string) []string {
	tz := token.New()
	var out []string
	for _, tk := range tz.Tokens(text, 0, nil) {
		out = append(out, tz.Normalize(text[tk.Start:tk.End]))
	}
	return out
}

func TestObfuscatedPairSpansAndRates(t *testing.T) {
	for _, ob := range Obfuscations {
		for seed := uint64(1); seed <= 20; seed++ {
			p := ObfuscatedPair(seed, ob, 60, 100)
			src, reuse := p.Source[p.SrcStart:p.SrcEnd], p.Reuse[p.ReuseStart:p.ReuseEnd]
			if n := len(words(src)); n != 60 {
				t.Fatalf("%s seed %d: source passage has %d words, want 60", ob.Name, seed, n)
			}
			if strings.TrimSpace(src) != src || strings.TrimSpace(reuse) != reuse {
				t.Fatalf("%s seed %d: spans carry surrounding space", ob.Name, seed)
			}
			if ob.Name == "none" && src != reuse {
				t.Fatalf("seed %d: unobfuscated passage differs:\n%s\n%s", seed, src, reuse)
			}
		}
		// Share of the source passage's words kept in place, over many draws.
		kept, total := 0, 0
		for seed := uint64(1); seed <= 50; seed++ {
			p := ObfuscatedPair(seed, ob, 60, 100)
			a, b := words(p.Source[p.SrcStart:p.SrcEnd]), words(p.Reuse[p.ReuseStart:p.ReuseEnd])
			set := map[string]int{}
			for _, w := range b {
				set[w]++
			}
			for _, w := range a {
				if set[w] > 0 {
					set[w]--
					kept++
				}
			}
			total += len(a)
		}
		share := float64(kept) / float64(total)
		want := 1 - ob.Replace - ob.Delete
		if ob.Retell {
			if share > 0.5 {
				t.Errorf("retelling keeps %.2f of the passage's words, want a retelling's few", share)
			}
			continue
		}
		// Chance matches and synonyms drawn back onto words of the passage
		// add a little; edits never keep more than they spare.
		if share < want-0.05 || share > want+0.1 {
			t.Errorf("%s keeps %.2f of the words, want about %.2f", ob.Name, share, want)
		}
	}
}
