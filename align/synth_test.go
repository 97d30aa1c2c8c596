package align

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/reprint/reprint/token"
)

// synth makes deterministic random documents from a vocabulary of a few
// thousand made-up words, drawn with a Zipf law so that some words ("the",
// "of") recur as in real text and chance matches are not rare.
type synth struct {
	rng   *rand.Rand
	zipf  *rand.Zipf
	vocab []string
	tz    *token.Tokenizer
}

func newSynth(seed uint64, vocab int) *synth {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	s := &synth{rng: rng, zipf: rand.NewZipf(rng, 1.1, 2, uint64(vocab-1)), tz: token.New()}
	cons, vows := "bcdfghjklmnprstvwz", "aeiou"
	seen := map[string]bool{}
	for len(s.vocab) < vocab {
		var b strings.Builder
		for k := 1 + rng.IntN(3); k >= 0; k-- {
			b.WriteByte(cons[rng.IntN(len(cons))])
			b.WriteByte(vows[rng.IntN(len(vows))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			s.vocab = append(s.vocab, w)
		}
	}
	return s
}

func (s *synth) word() string { return s.vocab[s.zipf.Uint64()] }

func (s *synth) words(n int) []string {
	w := make([]string, n)
	for i := range w {
		w[i] = s.word()
	}
	return w
}

// edit applies about rate*len(w) random word edits, a third each
// substitutions, insertions and deletions, and never leaves it empty.
func (s *synth) edit(w []string, rate float64) []string {
	var out []string
	for _, x := range w {
		if s.rng.Float64() >= rate {
			out = append(out, x)
			continue
		}
		switch s.rng.IntN(3) {
		case 0:
			out = append(out, s.word())
		case 1:
			out = append(out, s.word(), x)
		case 2:
		}
	}
	if len(out) == 0 {
		out = append(out, s.word())
	}
	return out
}

// doc joins words into text, with some punctuation, and tokenizes it.
func (s *synth) doc(w []string) (string, []token.Token) {
	var b strings.Builder
	for i, x := range w {
		if i > 0 {
			if s.rng.IntN(12) == 0 {
				b.WriteString(". ")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(x)
	}
	text := b.String()
	return text, s.tz.Tokens(text, 0, nil)
}

type trialResult struct {
	found    bool
	boundary int // largest distance, in words, of a found passage end from the truth
	falses   int // passages that do not overlap the inserted one
}

// insertTrial copies a passage of n words from one random document into
// another at a random place, edits it, and aligns the two.
func insertTrial(s *synth, n int, rate float64, opt Options) trialResult {
	src := s.words(400)
	host := s.words(400)
	k := s.rng.IntN(len(src) - n)
	pass := s.edit(src[k:k+n], rate)
	h := s.rng.IntN(len(host))
	host = slices.Concat(host[:h], pass, host[h:])
	_, ta := s.doc(host)
	_, tb := s.doc(src)
	a0, a1, b0, b1 := h, h+len(pass), k, k+n
	var r trialResult
	r.boundary = -1
	for _, p := range Pair(ta, tb, opt) {
		if p.ATok0 >= a1 || p.ATok1 <= a0 || p.BTok0 >= b1 || p.BTok1 <= b0 {
			r.falses++
			continue
		}
		e := max(abs(p.ATok0-a0), abs(p.ATok1-a1), abs(p.BTok0-b0), abs(p.BTok1-b1))
		if !r.found || e < r.boundary {
			r.found, r.boundary = true, e
		}
	}
	return r
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestSyntheticInsertedPassages(t *testing.T) {
	trials := 300
	if testing.Short() {
		trials = 60
	}
	s := newSynth(1, 3000)
	for _, n := range []int{15, 30, 60} {
		for _, rate := range []float64{0, 0.05, 0.10} {
			found, falses := 0, 0
			var errs []int
			for range trials {
				r := insertTrial(s, n, rate, DefaultOptions())
				falses += r.falses
				if r.found {
					found++
					errs = append(errs, r.boundary)
				}
			}
			recall := float64(found) / float64(trials)
			slices.Sort(errs)
			med, p90 := -1, -1
			if len(errs) > 0 {
				med, p90 = errs[len(errs)/2], errs[len(errs)*9/10]
			}
			t.Logf("%2d words, %2.0f%% edits: recall %.3f, boundary error median %d p90 %d, false passages %d",
				n, rate*100, recall, med, p90, falses)
			if n >= 30 && recall < 0.95 {
				t.Errorf("%d words, %.0f%% edits: recall %.3f < 0.95", n, rate*100, recall)
			}
			if n == 15 && recall < 0.6 {
				t.Errorf("15 words, %.0f%% edits: recall %.3f < 0.6", rate*100, recall)
			}
			if med < 0 || med > 2 {
				t.Errorf("%d words, %.0f%% edits: median boundary error %d words > 2", n, rate*100, med)
			}
			if falses > 0 {
				t.Errorf("%d words, %.0f%% edits: %d false passages", n, rate*100, falses)
			}
		}
	}
}

func TestSyntheticUnrelatedShareNothing(t *testing.T) {
	s := newSynth(2, 3000)
	for i := range 300 {
		_, a := s.doc(s.words(500))
		_, b := s.doc(s.words(500))
		if ps := Pair(a, b, DefaultOptions()); len(ps) > 0 {
			t.Fatalf("trial %d: unrelated documents share %d passages: %+v", i, len(ps), ps[0])
		}
	}
}

func TestSyntheticMovedParagraphs(t *testing.T) {
	s := newSynth(3, 3000)
	for trial := range 50 {
		src := s.words(300)
		p1, p2 := src[40:80], src[180:220]
		f := s.words(150)
		host := slices.Concat(f[:50], s.edit(p2, 0.05), f[50:100], s.edit(p1, 0.05), f[100:])
		_, ta := s.doc(host)
		_, tb := s.doc(src)
		ps := Pair(ta, tb, DefaultOptions())
		if len(ps) != 2 {
			t.Fatalf("trial %d: %d passages, want 2: %+v", trial, len(ps), ps)
		}
		// Ordered by A: the moved second paragraph comes first.
		if ps[0].BTok0 < 170 || ps[0].BTok1 > 230 || ps[1].BTok0 < 30 || ps[1].BTok1 > 90 {
			t.Errorf("trial %d: passages map to the wrong places: %+v", trial, ps)
		}
		if ps[0].ATok1 > ps[1].ATok0 {
			t.Errorf("trial %d: passages overlap in A: %+v", trial, ps)
		}
	}
}

// One Prepared document aligned with many others in turn gives exactly what
// Pair gives for each pair: the table's per-call counts must not leak from
// one document to the next.
func TestPreparedMatchesPair(t *testing.T) {
	s := newSynth(3, 300) // a small vocabulary: repeats near MaxRepeat
	src := s.words(600)
	_, ta := s.doc(src)
	p := Prepare(ta, DefaultOptions())
	found := 0
	for i := range 60 {
		words := s.words(200 + i*7)
		if i%2 == 0 {
			k := 100 + s.rng.IntN(10) // the same stretch again and again: counts would pile up
			words = slices.Concat(words[:50], s.edit(src[k:k+80], 0.05), words[50:])
		}
		_, tb := s.doc(words)
		want := Pair(ta, tb, DefaultOptions())
		got := p.Pair(tb)
		if !slices.Equal(got, want) {
			t.Fatalf("document %d: Prepared.Pair\n%+v\nPair\n%+v", i, got, want)
		}
		found += len(want)
	}
	if found < 30 {
		t.Fatalf("only %d passages in 30 documents that share one: the test proves little", found)
	}
	if got := Prepare(ta[:2], DefaultOptions()).Pair(ta); got != nil {
		t.Fatalf("a 2-word document shares passages: %+v", got)
	}
}
