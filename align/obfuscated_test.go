package align

import (
	"fmt"
	"strings"
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

// handReworded follows sentences 2 to 4 of handOriginal one by one in other
// words, keeping no four words in a row: reuse the paraphrase level finds.
const handReworded = `Firefighters took three hundred people out of their homes in the riverside streets, and the bridge was closed by the mayor to every vehicle. Outside the abbey volunteers were filling sandbags until early in the morning, and emergency funds were promised by the regional government to shopkeepers with flooded cellars. On Wednesday the water was receding, and mud and broken furniture lay along the embankment. `

// TestRetoldSentenceDoesNotStretchPassage checks that a reworded stretch of
// the original is found as one passage from its first sentence to its last,
// and that a sentence a little further on which tells one of its facts
// again (sharing its topic words with a sentence the passage already
// holds) does not stretch the passage over the unrelated sentences between.
func TestRetoldSentenceDoesNotStretchPassage(t *testing.T) {
	tz := token.New()
	retold := `Prices at the market rose again this week. The school choir sang at the town festival on Sunday. ` +
		`Volunteers were still filling sandbags near the abbey in the morning, and emergency funds for shopkeepers were promised by the regional government. `
	for _, c := range []struct{ name, text string }{
		{"reworded", handFiller + handReworded + handFiller},
		{"reworded and retold", handFiller + handReworded + retold + handFiller},
	} {
		a, b := tz.Tokens(c.text, 0, nil), tz.Tokens(handOriginal, 0, nil)
		ps := PairText(c.text, a, handOriginal, b, DefaultOptions())
		if len(ps) != 1 {
			t.Errorf("%s: %d passages, want 1: %v", c.name, len(ps), ps)
			continue
		}
		got := c.text[ps[0].AStart:ps[0].AEnd]
		if !strings.HasPrefix(got, "Firefighters took") || !strings.HasSuffix(got, "along the embankment") {
			t.Errorf("%s: the passage spans %q, want the reworded sentences", c.name, got)
		}
		if ps[0].Kind != KindParaphrase {
			t.Errorf("%s: kind %q, want %q", c.name, ps[0].Kind, KindParaphrase)
		}
	}
}

// TestRepeatedParagraphMatchedOnce checks that when the original holds a
// paragraph twice (a page quoting its old and new wording) and the copy
// holds it once, lightly edited, the passage covers one of the repeats, not
// both and the text between.
func TestRepeatedParagraphMatchedOnce(t *testing.T) {
	tz := token.New()
	para := `Volunteers filled sandbags outside the abbey until the early morning, while the regional government promised emergency funds for shopkeepers whose cellars were flooded. `
	original := `Before the change the page read as follows. ` + para + `The page was then revised by the editors, who removed a paragraph on tourism and added a note on funding. After the change it read: ` + para + `Nothing else on the page changed.`
	copied := handFiller + `Volunteers filled sandbags outside the abbey until early morning, while the regional government promised emergency funds for the shopkeepers whose cellars had flooded. ` + handFiller
	a, b := tz.Tokens(copied, 0, nil), tz.Tokens(original, 0, nil)
	ps := PairText(copied, a, original, b, DefaultOptions())
	if len(ps) != 1 {
		t.Fatalf("%d passages, want 1: %v", len(ps), ps)
	}
	if got := original[ps[0].BStart:ps[0].BEnd]; len(got) > len(para)+20 || !strings.HasPrefix(got, "Volunteers") {
		t.Errorf("the passage spans %q in the original, want one repeat", got)
	}
}

// TestRetellingBesideReuseNotJoined writes, right after a heavily
// obfuscated copy of a generated passage, a retelling of the same passage
// (new sentences carrying its topic words), and checks that the passage is
// still found and that no passage reaches into the retelling: sentences
// that only share the passage's topic words must not be taken for more of
// it, though they lie next to it and match sentences it holds.
func TestRetellingBesideReuseNotJoined(t *testing.T) {
	tz := token.New()
	heavy, retelling := gen.Obfuscations[3], gen.Obfuscations[4]
	if heavy.Name != "heavy" || !retelling.Retell {
		t.Fatalf("obfuscations are %q and %q", heavy.Name, retelling.Name)
	}
	const seeds = 30
	found, into := 0, 0
	for seed := uint64(1); seed <= seeds; seed++ {
		p := gen.ObfuscatedPair(seed, heavy, 80, 300)
		r := gen.ObfuscatedPair(seed, retelling, 80, 300)
		if r.Source != p.Source {
			t.Fatalf("seed %d: the two pairs have different sources", seed)
		}
		retold := r.Reuse[r.ReuseStart:r.ReuseEnd]
		doc := p.Reuse[:p.ReuseEnd] + " " + retold + p.Reuse[p.ReuseEnd:]
		r0, r1 := p.ReuseEnd+1, p.ReuseEnd+1+len(retold)
		a, b := tz.Tokens(doc, 0, nil), tz.Tokens(p.Source, 0, nil)
		hit := false
		for _, q := range PairText(doc, a, p.Source, b, DefaultOptions()) {
			if overlap(p.ReuseStart, p.ReuseEnd, q.AStart, q.AEnd) > 0 {
				hit = true
			}
			if n := min(q.AEnd, r1) - max(q.AStart, r0); n > 0 {
				into++
				t.Errorf("seed %d: a %s passage takes %d bytes of the retelling: %q", seed, q.Kind, n, doc[max(q.AStart, r0):min(q.AEnd, r1)])
			}
		}
		if hit {
			found++
		}
	}
	t.Logf("found %d/%d, %d passages reach into the retelling", found, seeds, into)
	if found < seeds*9/10 {
		t.Errorf("found %d/%d reused passages, want >= 90%%", found, seeds)
	}
}
