package align

import (
	"fmt"
	"testing"

	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/token"
)

// overlap is the share of [s0,e0) covered by [s1,e1).
func overlap(s0, e0, s1, e1 int) float64 {
	return float64(max(0, min(e0, e1)-max(s0, s1))) / float64(max(1, e0-s0))
}

// TestObfuscatedPassagesFound aligns generated reuse of every obfuscation
// with PairText and checks that the passage is found as one passage, with
// its spans (character recall and precision on both sides), and of the
// expected kind; retellings must give nothing at all.
func TestObfuscatedPassagesFound(t *testing.T) {
	tz := token.New()
	kinds := map[string][]string{
		"none":   {KindVerbatim},
		"light":  {KindEdited},
		"random": {KindEdited, KindParaphrase},
		"heavy":  {KindEdited, KindParaphrase},
	}
	const seeds = 30
	for _, ob := range gen.Obfuscations {
		found, pieces := 0, 0
		var rec, prec float64
		for seed := uint64(1); seed <= seeds; seed++ {
			p := gen.ObfuscatedPair(seed, ob, 80, 300)
			a, b := tz.Tokens(p.Reuse, 0, nil), tz.Tokens(p.Source, 0, nil)
			ps := PairText(p.Reuse, a, p.Source, b, DefaultOptions())
			if ob.Retell {
				for _, q := range ps {
					t.Errorf("seed %d: a retelling is reported as a %s passage: %q / %q", seed, q.Kind,
						p.Reuse[q.AStart:q.AEnd], p.Source[q.BStart:q.BEnd])
				}
				continue
			}
			hit := 0
			for _, q := range ps {
				ra := overlap(p.ReuseStart, p.ReuseEnd, q.AStart, q.AEnd)
				rb := overlap(p.SrcStart, p.SrcEnd, q.BStart, q.BEnd)
				if ra == 0 || rb == 0 {
					t.Errorf("%s seed %d: a passage outside the reused one: %+v", ob.Name, seed, q)
					continue
				}
				hit++
				rec += (ra + rb) / 2
				prec += (overlap(q.AStart, q.AEnd, p.ReuseStart, p.ReuseEnd) + overlap(q.BStart, q.BEnd, p.SrcStart, p.SrcEnd)) / 2
				checkBoundaries(t, p.Reuse, q.AStart, q.AEnd)
				checkBoundaries(t, p.Source, q.BStart, q.BEnd)
				eq := 0
				for _, op := range Diff(a, b, q) {
					if op.Kind == Equal {
						eq += op.A1 - op.A0
					}
				}
				if eq != q.Words || q.Words == 0 || q.Score <= 0 || q.Score > float64(q.Words) {
					t.Errorf("%s seed %d: Diff marks %d words equal, the passage says %d, score %.1f", ob.Name, seed, eq, q.Words, q.Score)
				}
				if want := kinds[ob.Name]; !contains(want, q.Kind) {
					t.Errorf("%s seed %d: kind %q (identity %.2f), want one of %v", ob.Name, seed, q.Kind, q.Identity, want)
				}
			}
			if hit > 0 {
				found++
				pieces += hit
			}
		}
		if ob.Retell {
			continue
		}
		rec /= float64(max(1, pieces))
		prec /= float64(max(1, pieces))
		gran := float64(pieces) / float64(max(1, found))
		t.Logf("%s: found %d/%d, granularity %.2f, recall %.3f, precision %.3f", ob.Name, found, seeds, gran, rec, prec)
		if found < seeds*9/10 || gran > 1.1 || rec < 0.8 || prec < 0.9 {
			t.Errorf("%s: found %d/%d, granularity %.2f, recall %.3f, precision %.3f; want >= 90%%, <= 1.1, >= 0.8, >= 0.9",
				ob.Name, found, seeds, gran, rec, prec)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// A paragraph and two retellings of it written by hand: the same event, the
// same names and topic words, in other sentences. (A rewording that follows
// the original sentence by sentence, keeping its phrases, is a paraphrase
// and is reported as one; these tell the story on their own.) Neither retelling may be
// reported as reuse of the paragraph or of each other; the paragraph with
// two of its sentences copied into other text must be.
const (
	handOriginal = `The flood reached the old town of Melk on Tuesday night after the Danube rose four metres in two days. Firefighters evacuated three hundred residents from the riverside streets and the mayor closed the bridge to all traffic. Volunteers filled sandbags outside the abbey until the early morning, while the regional government promised emergency funds for shopkeepers whose cellars were flooded. By Wednesday the water had begun to recede, leaving mud and broken furniture along the embankment.`
	handRetell1  = `Residents of Melk spent a sleepless night as the swollen Danube spilled into the historic centre. Hundreds of people living near the river were moved to safety by firefighters, and the town's bridge was shut. Outside the famous abbey, volunteers worked through the night stacking sandbags. Regional officials said shop owners with flooded basements would receive emergency money. The river started to fall on Wednesday, but the embankment was covered in mud.`
	handRetell2  = `Austria's worst flooding in a decade hit Melk this week. Water from the Danube covered the lower town, and the authorities told families near the river to go. Firefighters used boats. The bridge stayed closed for a day. Local businesses counted their losses once the river went down, and the province said it would help them pay for repairs.`
	handFiller   = `The council met on Monday to discuss the budget for next year. Several members asked for more money for schools and libraries, and the treasurer warned that taxes might have to rise. A decision is expected next month after a public consultation. `
)

func TestHandMadeRetellingsNotReported(t *testing.T) {
	tz := token.New()
	texts := []string{handOriginal, handRetell1, handRetell2}
	for x := range texts {
		for y := range texts {
			if x == y {
				continue
			}
			a, b := tz.Tokens(texts[x], 0, nil), tz.Tokens(texts[y], 0, nil)
			for _, p := range PairText(texts[x], a, texts[y], b, DefaultOptions()) {
				t.Errorf("retellings %d and %d share a %s passage: %q / %q", x, y, p.Kind,
					texts[x][p.AStart:p.AEnd], texts[y][p.BStart:p.BEnd])
			}
		}
	}
	// Two sentences of the original, lightly edited, inside other text.
	copied := handFiller + `Firefighters evacuated three hundred residents from the riverside streets, and the mayor closed the bridge to traffic. Volunteers filled sandbags outside the abbey until early morning, while the regional government promised emergency funds for the shopkeepers whose cellars had flooded. ` + handFiller
	a, b := tz.Tokens(copied, 0, nil), tz.Tokens(handOriginal, 0, nil)
	ps := PairText(copied, a, handOriginal, b, DefaultOptions())
	if len(ps) != 1 {
		t.Fatalf("copied sentences: %d passages, want 1: %s", len(ps), fmt.Sprint(ps))
	}
	if got := copied[ps[0].AStart:ps[0].AEnd]; got[:12] != "Firefighters" || got[len(got)-7:] != "flooded" {
		t.Errorf("copied passage spans %q", got)
	}
}
