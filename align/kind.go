// Kinds of reuse, and the entry points that take the texts as well as the
// tokens so that the paraphrase level (para.go) can read words, stems and
// sentence ends, which tokens alone (hashes and spans) do not carry.

package align

import "github.com/reprint/reprint/token"

// The kinds of reuse a passage reports, from its identity.
const (
	KindVerbatim   = "verbatim"   // every aligned word is equal
	KindEdited     = "edited"     // identity at least Options.EditedIdentity
	KindParaphrase = "paraphrase" // fewer equal words: the same content reworded, translated or summarised
)

// kindOf names the kind of reuse of a passage of the given identity.
func kindOf(identity float64, o *Options) string {
	switch {
	case identity >= 1:
		return KindVerbatim
	case identity >= o.EditedIdentity:
		return KindEdited
	}
	return KindParaphrase
}

func classify(ps []Passage, o *Options) []Passage {
	for i := range ps {
		ps[i].Kind = kindOf(ps[i].Identity, o)
	}
	return ps
}

// PairText returns the passages a and b share, as Pair does, and also those
// reworded beyond what exact anchors find: ta and tb are the texts a and b
// were tokenized from (token spans index them). Passages that belong to
// one reused stretch come out as one.
func PairText(ta string, a []token.Token, tb string, b []token.Token, opt Options) []Passage {
	return PrepareText(ta, a, opt).PairText(tb, b)
}

// PrepareText readies a, tokenized from ta, to be aligned with many
// documents by PairText.
func PrepareText(ta string, a []token.Token, opt Options) *Prepared {
	p := Prepare(a, opt)
	if !p.o.ExactOnly {
		p.text, _ = newTextDoc(ta, a)
	}
	return p
}

// PairText returns the passages the prepared document (A) shares with b,
// tokenized from tb, exactly as PairText would. A document prepared without
// its text (Prepare) gets the anchor level only, as from Pair.
func (p *Prepared) PairText(tb string, b []token.Token) []Passage {
	hb := hashes(b)
	ps := p.exact(b, hb)
	if p.text == nil || p.o.ExactOnly {
		return classify(ps, &p.o)
	}
	db, _ := newTextDoc(tb, b)
	return classify(paraPassages(p.toks, b, p.hs, hb, p.text, db, ps, &p.o), &p.o)
}

// PairPrepared returns the passages the prepared document (A) shares with
// q, another prepared document, as p.PairText(q's text, q's tokens) would,
// without building q's tables again: a collection's documents can each be
// prepared once and paired many times. p's options apply. q is only read,
// so one prepared q may serve many goroutines at once, each with its own p.
// When either side was prepared without its text (Prepare), only the anchor
// level runs, as in Pair.
func (p *Prepared) PairPrepared(q *Prepared) []Passage {
	var ps []Passage
	if q.o.Anchor == p.o.Anchor {
		ps = p.exactPrepared(q)
	} else {
		ps = p.exact(q.toks, q.hs)
	}
	if p.text == nil || q.text == nil || p.o.ExactOnly {
		return classify(ps, &p.o)
	}
	return classify(paraPassages(p.toks, q.toks, p.hs, q.hs, p.text, q.text, ps, &p.o), &p.o)
}
