// Obfuscated reuse: a passage of a source document written into another
// document after the edits plagiarists and rewriters make (PAN's "random
// obfuscation"): words shuffled within short windows, words inserted and
// deleted, and words replaced by a synonym; and retellings, which say the
// same thing in new sentences and share only topic words.
//
// Synonyms come from the generated vocabulary: every word has one fixed
// synonym, a word of about the same frequency rank, so that replacing a
// word twice gives the same word, as a thesaurus would. A retelling takes
// the passage's rarest words (its names and topic words) and scatters them
// over freshly drawn sentences of the same length. Everything is drawn from
// streams keyed by the seed, so a pair is the same on every run and
// platform. Cost: linear in the words generated.

package gen

import "slices"

// Obfuscation is how a reused passage is reworded.
type Obfuscation struct {
	Name                    string
	Replace, Insert, Delete float64 // per-word probabilities of a synonym, an inserted word, a deleted word
	Shuffle                 int     // words are shuffled within windows of this many (0 or 1: none)
	Retell                  bool    // write new sentences sharing only the passage's topic words
}

// Obfuscations are the kinds tests and benchmarks draw from, mildest first.
var Obfuscations = []Obfuscation{
	{Name: "none"},
	{Name: "light", Replace: 0.1, Insert: 0.03, Delete: 0.03},
	{Name: "random", Replace: 0.2, Insert: 0.08, Delete: 0.08, Shuffle: 3},
	{Name: "heavy", Replace: 0.3, Insert: 0.1, Delete: 0.1, Shuffle: 5},
	{Name: "retelling", Retell: true},
}

// ReusePair is a generated source and a document that reuses one passage of
// it, with the passage's byte spans, half-open, in both.
type ReusePair struct {
	Source, Reuse            string
	SrcStart, SrcEnd         int
	ReuseStart, ReuseEnd     int
	PassageWords, OtherWords int // words in the source passage; words of context on each side
}

const purposeObfuscate uint64 = 0x0bf5 // a stream purpose apart from rand.go's

// ObfuscatedPair draws a source document with a passage of passageWords
// words in the middle of contextWords words of its own text on each side,
// and a reusing document with the passage, reworded by ob, in the middle of
// other text.
func ObfuscatedPair(seed uint64, ob Obfuscation, passageWords, contextWords int) ReusePair {
	v := getVocab()
	r := newRNG(seed, purposeObfuscate)
	before, passage, after := newText(r, v, contextWords), newText(r, v, passageWords), newText(r, v, contextWords)
	before2, after2 := newText(r, v, contextWords), newText(r, v, contextWords)
	var reworded []sentence
	if ob.Retell {
		reworded = retell(r, v, passage)
	} else {
		reworded = obfuscate(r, v, passage, ob)
	}
	p := ReusePair{PassageWords: passageWords, OtherWords: contextWords}
	p.Source, p.SrcStart, p.SrcEnd = join(v, before, passage, after)
	p.Reuse, p.ReuseStart, p.ReuseEnd = join(v, before2, reworded, after2)
	return p
}

// join renders three runs of sentences as paragraphs and returns the text
// with the span of the middle one.
func join(v *vocab, before, mid, after []sentence) (string, int, int) {
	b := render(nil, v, before, nil)
	b = append(b, "\n\n"...)
	s := len(b)
	b = render(b, v, mid, nil)
	e := len(b)
	b = append(b, "\n\n"...)
	b = render(b, v, after, nil)
	return string(b), s, e
}

// synonym is a word's one synonym: a word a few ranks away, never itself.
func synonym(v *vocab, w int32) int32 {
	if w < 0 {
		return w
	}
	h := newRNG(uint64(w), purposeObfuscate).intn(16) + 1
	s := int(w) + h
	if s >= len(v.words) {
		s = int(w) - h
	}
	return int32(s)
}

// obfuscate returns a reworded copy of ss.
func obfuscate(r *rng, v *vocab, ss []sentence, ob Obfuscation) []sentence {
	out := make([]sentence, 0, len(ss))
	for _, s := range ss {
		t := s
		t.items = nil
		for _, it := range s.items {
			switch {
			case r.chance(ob.Delete):
				continue
			case r.chance(ob.Replace):
				it.w = synonym(v, it.w)
			}
			t.items = append(t.items, it)
			if r.chance(ob.Insert) {
				t.items = append(t.items, newItem(r, v))
			}
		}
		if ob.Shuffle > 1 {
			for i := range t.items {
				t.items[i].punct = 0 // commas would land anywhere: keep sentence ends only
			}
			for k := 0; k+1 < len(t.items); k += ob.Shuffle {
				w := t.items[k:min(len(t.items), k+ob.Shuffle)]
				for i := len(w) - 1; i > 0; i-- {
					j := r.intn(i + 1)
					w[i], w[j] = w[j], w[i]
				}
			}
		}
		if len(t.items) == 0 {
			t.items = append(t.items, newItem(r, v))
		}
		out = append(out, t)
	}
	return out
}

// retell writes new sentences of the passage's length that carry its rarest
// words (a sixth of its words, at most twelve) and nothing else of it.
func retell(r *rng, v *vocab, ss []sentence) []sentence {
	var words []int32
	for _, s := range ss {
		for _, it := range s.items {
			if it.w >= 0 {
				words = append(words, it.w)
			}
		}
	}
	slices.Sort(words)
	words = slices.Compact(words)
	slices.Reverse(words) // highest rank: rarest
	topic := words[:min(len(words), max(1, countItems(ss)/6), 12)]
	out := newText(r, v, countItems(ss))
	for _, w := range topic {
		s := &out[r.intn(len(out))]
		s.items[r.intn(len(s.items))].w = w
	}
	return out
}
