// The paraphrase level: passages that survive synonym swaps, reordering,
// translation and back, and summarising, found from sentences that say the
// same thing, then joined with the exact passages into one passage per case.
//
// After Sanchez-Perez, Sidorov and Gelbukh (CLEF 2014), the best system of
// PAN 2013's text alignment task:
//
//  1. Seeds: every pair of sentences (one in each document) whose content
//     terms (text.go) are similar both as weighted vectors (tf-idf cosine,
//     idf over the sentences of the two documents) and as sets (Dice), and
//     share at least MinSeedTerms distinct terms. The exact passages of the
//     anchor level are seeds too, spanning the sentences they hold most of
//     (held).
//  2. Extension, in two stages. Sentence seeds in a sentence an exact
//     passage touches are dropped (the exact alignment says where it went).
//     The others are grouped by position, alternately in A and in B, where
//     consecutive seeds are at most SentenceGap sentences apart, until
//     neither side splits a group further.
//  3. Validation: a group of sentence seeds must hold seeds in at least
//     MinSeeds distinct sentences on each side, and its two sides, taken
//     whole, must still be similar (cosine at least ValidCosine); a group
//     that fails is grouped again with a gap one smaller, down to zero.
//     Then the exact passages, the validated groups and the lone seeds of
//     cosine at least JoinCosine are grouped the same way; a group of lone
//     seeds only is dropped. Paraphrase evidence thus stands on its own and
//     never rides on an exact passage nearby. In a group of one-to-one
//     reuse (joined), a lone seed whose sentence a piece of the group
//     holds some of on one side while the seed lies more than a
//     neighbouring sentence from that piece on the other is an echo and
//     leaves the group (echoes); of two pieces of which one holds most of
//     the other's text on one side while they lie apart on the other (a
//     repeated paragraph matched twice), the smaller leaves the group and
//     stands alone (rival); a group that loses a member is grouped again.
//     Then sentence seeds at the group's ends whose sentence on one side
//     is better matched by another seed of the group, more than one
//     sentence away, or next door when that sentence is no longer than its
//     better match (so no merge of two), are dropped (trimEchoes). Each of
//     these rests on one fact of reuse: one stretch of text goes to one
//     place, so evidence that puts one sentence in two places far apart
//     holds an echo of topic words or a repeat, neither of which may
//     stretch a passage over the text between.
//     Each group is one passage, from its first to its last seed in each
//     document, widened to whole sentences (unless it is one verbatim
//     exact passage, or NoSnap) on each side where a third of the words it
//     would add there are found in the other side's sentence at that end
//     (widen), and never to the end of a run of words cut at
//     maxSentWords, which is no sentence bound (snap).
//  4. Summaries: when a pair's evidence is spread at least three times
//     wider on one side than on the other and holds no long exact passage,
//     the pair is taken for a summary and the gap on the spread side is
//     SummaryGap, since a summary's sentences each draw on sentences far
//     apart in the original; a group taken so whose two sides' cosine falls
//     below ValidCosine still stands when the summary's weighted terms are
//     contained in the original (SummaryContainment). The spread is taken
//     over the exact passages and each compact-side sentence's best seed,
//     so that far, weaker echoes of one sentence do not make one-to-one
//     reuse look like a summary; and some stretch of that evidence, cut
//     where the spread side leaves more than SummaryGap sentences between
//     two pieces, must be three times wider on its own (compressed), so
//     that pieces of a short document reused one-to-one far apart in a
//     long one are not a summary either.
//  5. Filtering: passages are kept greedily, longest first, and one that
//     overlaps a kept passage in either document by more than half of its
//     own length is dropped, so that each stretch of text is reported once,
//     against its best match.
//
// Why a seed is trustworthy: two retellings of one event share topic words
// (a city, "coalition", "civilians") in many sentences, but rarely three or
// more distinct content words in one sentence pair with a third of each
// sentence's content in common, and almost never in two sentence pairs
// close together on both sides. Requiring seeds in MinSeeds sentences on
// both sides, both measures and a whole-group check is what keeps
// retellings apart; one seed alone is never a passage. What it does not
// keep apart: two texts that retell one source sentence by sentence (two
// pages drawing on one encyclopedia article), which look like reuse
// because, sentence by sentence, they are (3 of PAN 2013's 1,000 training
// pairs without reuse get such a passage).
//
// Cost: the seeds (seeds.go: the two vocabularies, then postings or bit
// sets of the sentences that share terms), and for the pairs that go on,
// the idf of the terms grouping reads, the grouping (the echo and rival tests are quadratic in
// a group's pieces, a handful), one scan of the words at each end of a
// passage against the other side's sentence there (widen), and one banded
// realignment per reported passage for its identity and score. A pair without an exact passage
// whose seeds lie in fewer than MinSeeds sentences of either side ends
// after its seeds: on PAN 2013, 84,147 of reuse's 101,327 candidate pairs
// (most of which reuse no longer aligns: evidence.go). Deliberately not done: synonyms from a lexical
// database; stems and the tf-idf cosine already carry the translated and
// random-obfuscation cases, and a synonym table would add shared "content"
// between retellings.

package align

import (
	"math"
	"slices"

	"github.com/reprint/reprint/token"
)

// seed is a piece of evidence that sentences i0..i1 of A and j0..j1 of B
// share text: one similar sentence pair, or an exact passage.
type seed struct {
	i0, i1, j0, j1 int // sentence ranges, inclusive
	a0, a1, b0, b1 int // token ranges, half-open
	exact          bool
	cos            float64 // the sentence pair's cosine; 1 for an exact passage
	lone           bool    // a sentence seed outside any validated group: it may only join others
}

// sentOf returns the sentence holding token k.
func (d *textDoc) sentOf(k int) int {
	i, _ := slices.BinarySearchFunc(d.sents, k, func(s sentence, k int) int {
		switch {
		case s.t1 <= k:
			return -1
		case s.t0 > k:
			return 1
		}
		return 0
	})
	return min(i, len(d.sents)-1)
}

// paraIDF gives the idf of every term of both documents, over the
// sentences of both, and which term of B each term of A is. Each idf is
// computed the first time it is asked for: the groups of a pair read the
// terms of a few stretches, and a long document's whole vocabulary, which
// most pairs never read, cost a table lookup in the other's each.
type paraIDF struct {
	idfA, idfB []float64 // by vocab index; negative until computed
	inB        []int32   // A's vocab index -> B's, -1 if B lacks the term
	sc         *pairScratch
	da, db     *textDoc
	ln         float64 // lnN
}

// a is the idf of A's term t.
func (w paraIDF) a(t int32) float64 {
	if v := w.idfA[t]; v >= 0 {
		return v
	}
	v := w.sc.idfOfA(w.da, w.db, w.ln, t)
	w.idfA[t] = v
	return v
}

// b is the idf of B's term j.
func (w paraIDF) b(j int32) float64 {
	if v := w.idfB[j]; v >= 0 {
		return v
	}
	v := w.sc.idfOfB(w.da, w.db, w.ln, j)
	w.idfB[j] = v
	return v
}

// logInt caches natural logarithms of small counts: idf = log n - log df.
var logInt = func() []float64 {
	t := make([]float64, 1<<12)
	for k := 1; k < len(t); k++ {
		t[k] = math.Log(float64(k))
	}
	return t
}()

func logOf(n int32) float64 {
	if int(n) < len(logInt) {
		return logInt[n]
	}
	return math.Log(float64(n))
}

// exactSeed turns an exact passage into a seed over the sentences it holds
// (held). The seeds of every sentence it touches are dropped all the same
// (paraPassages): their similarity is the passage's own words.
func exactSeed(da, db *textDoc, p Passage) seed {
	i0, i1 := da.held(p.ATok0, p.ATok1)
	j0, j1 := db.held(p.BTok0, p.BTok1)
	return seed{i0, i1, j0, j1, p.ATok0, p.ATok1, p.BTok0, p.BTok1, true, 1, false}
}

// held returns the first and last sentences of tokens t0..t1-1, leaving out
// a first or last sentence of which the range holds less than half, unless
// it is the only one: a word or two an alignment carries across a sentence
// end does not put the passage in the next sentence.
func (d *textDoc) held(t0, t1 int) (int, int) {
	s0, s1 := d.sentOf(t0), d.sentOf(t1-1)
	if s0 < s1 {
		if s := d.sents[s0]; 2*(s.t1-t0) < s.t1-s.t0 {
			s0++
		}
	}
	if s0 < s1 {
		if s := d.sents[s1]; 2*(t1-s.t0) < s.t1-s.t0 {
			s1--
		}
	}
	return s0, s1
}

// groups cuts seeds, by their position in A (or B), where the next seed
// starts more than gap sentences after every earlier one ends.
func groups(seeds []seed, gap int, byA bool) [][]seed {
	lo := func(s seed) int {
		if byA {
			return s.i0
		}
		return s.j0
	}
	hi := func(s seed) int {
		if byA {
			return s.i1
		}
		return s.j1
	}
	if len(seeds) == 0 {
		return nil
	}
	slices.SortStableFunc(seeds, func(x, y seed) int { return lo(x) - lo(y) })
	var out [][]seed
	start, end := 0, -1
	for k, s := range seeds {
		if k > start && lo(s) > end+gap+1 {
			out = append(out, seeds[start:k])
			start = k
		}
		if k == start || hi(s) > end {
			end = hi(s)
		}
	}
	return append(out, seeds[start:])
}

// gaps are the sentences allowed between two seeds of a group in A and in B.
type gaps struct{ a, b int }

// smaller is g with both gaps one smaller, down to zero.
func (g gaps) smaller() (gaps, bool) {
	if g.a == 0 && g.b == 0 {
		return g, false
	}
	return gaps{max(0, g.a-1), max(0, g.b-1)}, true
}

// split groups seeds alternately by A and by B until neither splits.
func split(seeds []seed, g gaps, byA, otherStable bool, dst [][]seed) [][]seed {
	gap := g.b
	if byA {
		gap = g.a
	}
	gs := groups(seeds, gap, byA)
	if len(gs) == 0 {
		return dst
	}
	if len(gs) == 1 {
		if otherStable {
			return append(dst, gs[0])
		}
		return split(gs[0], g, !byA, true, dst)
	}
	for _, x := range gs {
		dst = split(x, g, !byA, false, dst)
	}
	return dst
}

// fragment is a group of seeds: the token and sentence spans it covers on
// both sides, and the seeds it holds of each kind.
type fragment struct {
	a0, a1, b0, b1 int
	i0, i1, j0, j1 int
	exact, para    int
}

// hull is the span of a group of seeds.
func hull(g []seed) fragment {
	f := fragment{a0: g[0].a0, a1: g[0].a1, b0: g[0].b0, b1: g[0].b1, i0: g[0].i0, i1: g[0].i1, j0: g[0].j0, j1: g[0].j1}
	for _, s := range g {
		f.a0, f.a1, f.b0, f.b1 = min(f.a0, s.a0), max(f.a1, s.a1), min(f.b0, s.b0), max(f.b1, s.b1)
		f.i0, f.i1, f.j0, f.j1 = min(f.i0, s.i0), max(f.i1, s.i1), min(f.j0, s.j0), max(f.j1, s.j1)
		if s.exact {
			f.exact++
		} else {
			f.para++
		}
	}
	return f
}

// extendPara groups sentence seeds with gap and keeps the groups that hold
// seeds in at least MinSeeds distinct sentences on each side and whose two
// sides are similar taken whole; a group that fails is grouped again with a
// gap one smaller.
func extendPara(seeds []seed, gap gaps, da, db *textDoc, w paraIDF, o *Options, dst []fragment) []fragment {
	for _, g := range split(slices.Clone(seeds), gap, true, false, nil) {
		if gap.a == gap.b {
			g = trimEchoes(g)
		}
		f := hull(g)
		if distinct(g, true) >= o.MinSeeds && distinct(g, false) >= o.MinSeeds &&
			(rangeCosine(da, db, f.i0, f.i1, f.j0, f.j1, w) >= o.ValidCosine || summaryValid(da, db, f, gap, w, o)) {
			dst = append(dst, f)
		} else if less, ok := gap.smaller(); ok && len(g) > 1 {
			dst = extendPara(g, less, da, db, w, o, dst)
		}
	}
	return dst
}

// trimEchoes drops, from either end of a group of one-to-one reuse (not a
// summary), sentence seeds whose sentence on one side is better matched
// (higher cosine) by another seed of the group: one sentence that shares
// topic words with several sentences of the other document must not
// stretch the passage over them. It repeats while an end goes.
func trimEchoes(g []seed) []seed {
	g = slices.Clone(g)
	for len(g) > 1 {
		drop := -1
		for _, byA := range []bool{true, false} {
			lo, hi := 0, 0
			for k, s := range g {
				if pos(s, byA) < pos(g[lo], byA) {
					lo = k
				}
				if end(s, byA) > end(g[hi], byA) {
					hi = k
				}
			}
			for _, k := range []int{lo, hi} {
				if echo(g, k) {
					drop = k
					break
				}
			}
			if drop >= 0 {
				break
			}
		}
		if drop < 0 {
			break
		}
		g = slices.Delete(g, drop, drop+1)
	}
	return g
}

func pos(s seed, byA bool) int {
	if byA {
		return s.i0
	}
	return s.j0
}

func end(s seed, byA bool) int {
	if byA {
		return s.i1
	}
	return s.j1
}

// echo reports whether g[k] is a sentence seed whose sentence in A or in B
// has a stronger seed elsewhere in g.
func echo(g []seed, k int) bool {
	s := g[k]
	if s.exact {
		return false
	}
	for x, t := range g {
		if x == k || t.exact || t.cos <= s.cos {
			continue
		}
		// A sentence split in two, or two merged, is matched next door,
		// and is longer than either part.
		if t.i0 == s.i0 && (far(t.j0, s.j0) || !holdsMore(s.a1-s.a0, t.b1-t.b0)) ||
			t.j0 == s.j0 && (far(t.i0, s.i0) || !holdsMore(s.b1-s.b0, t.a1-t.a0)) {
			return true
		}
	}
	return false
}

// holdsMore reports whether a sentence of n words holds more than its best
// match of m words could account for (a quarter more), as a sentence that
// two sentences were merged into, or split from, does.
func holdsMore(n, m int) bool { return 4*n >= 5*m }

// far reports whether sentences x and y are not neighbours.
func far(x, y int) bool { return x-y > 1 || y-x > 1 }

// distinct counts the sentences of A (or B) that seeds of g start in.
func distinct(g []seed, sideA bool) int {
	var xs []int
	for _, s := range g {
		if sideA {
			xs = append(xs, s.i0)
		} else {
			xs = append(xs, s.j0)
		}
	}
	slices.Sort(xs)
	return len(slices.Compact(xs))
}

// termCount is one term of a bag of sentences and its count.
type termCount struct {
	t int32
	n float64
}

// bag returns the terms of sentences s0..s1 of d with their counts, sorted
// by term, so that sums over it come out the same on every run.
func (d *textDoc) bag(s0, s1 int) []termCount {
	var out []termCount
	for _, s := range d.sents[s0 : s1+1] {
		for k, t := range s.terms {
			out = append(out, termCount{t, s.tf[k]})
		}
	}
	slices.SortFunc(out, func(x, y termCount) int { return int(x.t) - int(y.t) })
	n := 0
	for _, c := range out {
		if n > 0 && out[n-1].t == c.t {
			out[n-1].n += c.n
			continue
		}
		out[n] = c
		n++
	}
	return out[:n]
}

// rangeCosine is the tf-idf cosine of sentences i0..i1 of A and j0..j1 of B,
// each taken as one bag of terms.
func rangeCosine(da, db *textDoc, i0, i1, j0, j1 int, w paraIDF) float64 {
	ma, mb := da.bag(i0, i1), db.bag(j0, j1)
	var dot, na, nb float64
	for _, c := range mb {
		y := c.n * w.b(c.t)
		nb += y * y
	}
	for _, c := range ma {
		x := c.n * w.a(c.t)
		na += x * x
		if jb := w.inB[c.t]; jb >= 0 {
			if k, ok := slices.BinarySearchFunc(mb, jb, func(c termCount, t int32) int { return int(c.t) - int(t) }); ok {
				dot += x * mb[k].n * w.b(jb)
			}
		}
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// paraPassages joins the exact passages of a and b with their similar
// sentences into one passage per reused stretch.
//
// In two stages: sentence seeds are first grouped and validated among
// themselves, so that paraphrase evidence stands on its own and never rides
// on an exact passage nearby; then exact passages and validated groups are
// joined where they lie within SentenceGap sentences of each other on both
// sides. Sentence seeds in a sentence that an exact passage covers are
// dropped first: the exact alignment already says where that sentence went.
func paraPassages(a, b []token.Token, ha, hb []uint64, da, db *textDoc, exact []Passage, o *Options) []Passage {
	if len(da.sents) == 0 || len(db.sents) == 0 {
		return exact
	}
	sc := scratchPool.Get().(*pairScratch)
	defer scratchPool.Put(sc)
	// Sentence seeds in a sentence an exact passage covers are dropped,
	// so they are not looked for (the seeds of the other sentences and
	// their cosines do not depend on them).
	var coveredA, coveredB []bool
	var trusted []seed
	if len(exact) > 0 {
		coveredA, coveredB = make([]bool, len(da.sents)), make([]bool, len(db.sents))
	}
	for _, p := range exact {
		trusted = append(trusted, exactSeed(da, db, p))
		for i, last := da.sentOf(p.ATok0), da.sentOf(p.ATok1-1); i <= last; i++ {
			coveredA[i] = true
		}
		for j, last := db.sentOf(p.BTok0), db.sentOf(p.BTok1-1); j <= last; j++ {
			coveredB[j] = true
		}
	}
	sc.share(da, db)
	seeds := sc.seeds(da, db, coveredA, coveredB, o)
	if len(exact) == 0 && !spread(seeds, o.MinSeeds) {
		// Without an exact passage, only a group of sentence seeds in
		// MinSeeds sentences on each side makes a passage, and no subset
		// of these seeds is one: most candidate pairs of a collection end
		// here, before any table of the pair is built.
		return nil
	}
	w := sc.paraIDF(da, db)
	al := alignerPool.Get().(*aligner)
	defer alignerPool.Put(al)
	g := gaps{o.SentenceGap, o.SentenceGap}
	if o.SummaryGap > o.SentenceGap {
		switch summarySide(exact, trusted, seeds, o) {
		case 'a':
			g = gaps{o.SummaryGap, o.SentenceGap}
		case 'b':
			g = gaps{o.SentenceGap, o.SummaryGap}
		}
	}
	return oneToOne(joinEvidence(a, b, ha, hb, da, db, exact, trusted, seeds, g, w, al, o, nil))
}

// joinEvidence groups sentence seeds into validated fragments with gap,
// lets lone strong seeds join them, groups those with the exact passages
// (trusted) and returns a passage for each group.
func joinEvidence(a, b []token.Token, ha, hb []uint64, da, db *textDoc, exact []Passage, trusted, seeds []seed, gap gaps, w paraIDF, al *aligner, o *Options, ps []Passage) []Passage {
	frags := extendPara(seeds, gap, da, db, w, o, nil)
	trusted = slices.Clone(trusted)
	for _, f := range frags {
		trusted = append(trusted, seed{f.i0, f.i1, f.j0, f.j1, f.a0, f.a1, f.b0, f.b1, false, 0, false})
	}
	for _, s := range seeds {
		if s.cos >= o.JoinCosine && !inFragment(s, frags) {
			s.lone = true
			trusted = append(trusted, s)
		}
	}
	for _, g := range joined(trusted, gap, gap.a == gap.b) {
		if gap.a == gap.b {
			g = trimEchoes(g)
		}
		f := hull(g)
		if len(g) == 1 && f.exact == 1 && (o.NoSnap || identityOf(exact, f) >= 1) {
			// One exact passage alone: keep it as the anchor level made it.
			for _, p := range exact {
				if p.ATok0 == f.a0 && p.ATok1 == f.a1 && p.BTok0 == f.b0 && p.BTok1 == f.b1 {
					ps = append(ps, p)
					break
				}
			}
			continue
		}
		if !o.NoSnap {
			f = widen(a, b, ha, hb, da, db, f)
		}
		if p, ok := realign(a, b, ha, hb, f, exactOf(exact, g), al, o); ok {
			ps = append(ps, p)
		}
	}
	return ps
}

// summaryEcho is the length, in equal words, from which an exact passage is
// a reuse of its own rather than a phrase a summary kept.
const summaryEcho = 40

// summarySide tells whether a pair looks like a summary: 'b' when the
// evidence (exact passages and sentence seeds) is spread at least three
// times wider in B than in A, A holding the summary; 'a' the other way
// round; 0 when it does not, or when an exact passage of summaryEcho words
// or more is among it: a summary is made of short echoes of its original,
// and a long exact passage is a reuse of its own.
func summarySide(exact []Passage, trusted, seeds []seed, o *Options) byte {
	for _, p := range exact {
		if p.Words >= summaryEcho {
			return 0
		}
	}
	// The spread of each side is taken over the exact passages and, of the
	// sentence seeds, each sentence's best on the other side: a sentence
	// of one-to-one reuse that also echoes a few sentences far away
	// (shared topic words) would otherwise make the evidence look spread,
	// while each sentence of a summary is best matched far from the last.
	la, lb := bestSpread(trusted, seeds, true), bestSpread(trusted, seeds, false)
	side := byte(0)
	switch {
	case len(trusted)+len(seeds) < 2:
		return 0
	case lb[1] >= 3*lb[0]:
		side = 'b'
	case la[0] >= 3*la[1]:
		side = 'a'
	default:
		return 0
	}
	if !compressed(trusted, seeds, side == 'b', o.SummaryGap) {
		return 0
	}
	// The summary itself is dense with evidence: most of its sentences
	// echo the original. A compact side that owes its shortness to a stray
	// seed or two is not a summary.
	covered := map[int]bool{}
	lo, hi := -1, -1
	for _, g := range [][]seed{trusted, seeds} {
		for _, s := range g {
			x0, x1 := s.i0, s.i1
			if side == 'a' {
				x0, x1 = s.j0, s.j1
			}
			for x := x0; x <= x1; x++ {
				covered[x] = true
			}
			if lo < 0 || x0 < lo {
				lo = x0
			}
			hi = max(hi, x1)
		}
	}
	if len(covered) < summaryMinSentences || 2*len(covered) < hi-lo+1 {
		return 0
	}
	return side
}

// bestSpread returns the token spans, in A and in B, of bestEvidence: to
// tell whether A is spread, the best of each sentence of B is asked (la,
// byB), and the other way round.
func bestSpread(trusted, seeds []seed, byB bool) [2]int {
	ev := bestEvidence(trusted, seeds, byB)
	if len(ev) == 0 {
		return [2]int{}
	}
	f := hull(ev)
	return [2]int{f.a1 - f.a0, f.b1 - f.b0}
}

// bestEvidence returns the exact passages (trusted), then the seeds that
// are the best (highest cosine) of their sentence in A, or with byB in B.
func bestEvidence(trusted, seeds []seed, byB bool) []seed {
	best := map[int]float64{}
	key := func(s seed) int {
		if byB {
			return s.j0
		}
		return s.i0
	}
	for _, s := range seeds {
		if c, ok := best[key(s)]; !ok || s.cos > c {
			best[key(s)] = s.cos
		}
	}
	var ev []seed
	for _, g := range [][]seed{trusted, seeds} {
		for _, s := range g {
			if s.exact || s.cos >= best[key(s)] {
				ev = append(ev, s)
			}
		}
	}
	return ev
}

// compressed reports whether some stretch of the evidence, cut where the
// spread side (B when spreadB) leaves more than gap sentences between two
// pieces, is itself spread at least three times wider there than on the
// compact side. The evidence is the exact passages and each compact-side
// sentence's best seed, as in bestSpread. A summary's evidence is spread
// within the passage it summarises; one-to-one reuse of several passages
// of a short document, placed far apart in a long one, is spread only
// across the gaps between them, which no summary's grouping would bridge.
func compressed(trusted, seeds []seed, spreadB bool, gap int) bool {
	ev := bestEvidence(trusted, seeds, !spreadB)
	for _, c := range groups(ev, gap, !spreadB) {
		if len(c) < 2 {
			continue
		}
		f := hull(c)
		la, lb := f.a1-f.a0, f.b1-f.b0
		if spreadB && lb >= 3*la || !spreadB && la >= 3*lb {
			return true
		}
	}
	return false
}

// summaryMinSentences is the fewest sentences of a summary that must echo
// the original.
const summaryMinSentences = 3

// snap returns the bounds of the first and last sentences of token range
// [t0,t1), except where that bound is the end of a run cut at maxSentWords
// (cut), which is no sentence bound: there it keeps t0 or t1.
func (d *textDoc) snap(t0, t1 int) (int, int) {
	if k := d.sentOf(t0); k == 0 || !cut(d.sents[k-1]) {
		t0 = d.sents[k].t0
	}
	if s := d.sents[d.sentOf(t1-1)]; !cut(s) {
		t1 = s.t1
	}
	return t0, t1
}

// widen moves each end of f, on each side, to the bound of its sentence
// (snap) where the words it would add there are found in the other side's
// sentence at that end, at least a third of them (reused, among the words
// of four letters or more). A paraphrase's evidence is whole sentences, so
// its ends are sentence bounds already; an exact passage ends at its last
// aligned word, and the rest of the sentence is reuse only if the other
// side holds it too: a translated or shuffled sentence keeps many of its
// words in some order, while the words of a sentence that only borders the
// reused text meet the other's by chance (topic words). A third is the
// share of content a seed's sentences have in common (SeedDice).
func widen(a, b []token.Token, ha, hb []uint64, da, db *textDoc, f fragment) fragment {
	a0, a1 := da.snap(f.a0, f.a1)
	b0, b1 := db.snap(f.b0, f.b1)
	sa0, sa1 := da.sents[da.sentOf(f.a0)], da.sents[da.sentOf(f.a1-1)]
	sb0, sb1 := db.sents[db.sentOf(f.b0)], db.sents[db.sentOf(f.b1-1)]
	w := f
	if reused(a, ha, a0, f.a0, hb, sb0.t0, sb0.t1) {
		w.a0 = a0
	}
	if reused(a, ha, f.a1, a1, hb, sb1.t0, sb1.t1) {
		w.a1 = a1
	}
	if reused(b, hb, b0, f.b0, ha, sa0.t0, sa0.t1) {
		w.b0 = b0
	}
	if reused(b, hb, f.b1, b1, ha, sa1.t0, sa1.t1) {
		w.b1 = b1
	}
	return w
}

// reused reports whether at least a third of the words of four letters or
// more (shorter ones are mostly function words, which any two sentences
// share) of tokens x0..x1 of X (hashes hx) occur among tokens y0..y1 of
// the other document (hashes hy), and at least one does. Ranges are a
// sentence or less, so the quadratic scan costs little.
func reused(x []token.Token, hx []uint64, x0, x1 int, hy []uint64, y0, y1 int) bool {
	n, k := 0, 0
	for i := x0; i < x1; i++ {
		if x[i].End-x[i].Start < 4 {
			continue
		}
		n++
		if slices.Contains(hy[y0:y1], hx[i]) {
			k++
		}
	}
	return k > 0 && 3*k >= n
}

// cut reports whether a sentence is a run of words cut at maxSentWords
// rather than ended by punctuation: its end, and the next one's start, are
// no sentence bounds, so a passage is not widened to them (text without
// punctuation, such as a list, would otherwise gain up to a unit of words
// it does not share).
func cut(s sentence) bool { return s.t1-s.t0 >= maxSentWords }

// identityOf is the identity of the exact passage with f's span, 0 if none.
func identityOf(exact []Passage, f fragment) float64 {
	for _, p := range exact {
		if p.ATok0 == f.a0 && p.ATok1 == f.a1 && p.BTok0 == f.b0 && p.BTok1 == f.b1 {
			return p.Identity
		}
	}
	return 0
}

// inFragment reports whether seed s lies inside one of the fragments.
func inFragment(s seed, frags []fragment) bool {
	for _, f := range frags {
		if s.i0 >= f.i0 && s.i1 <= f.i1 && s.j0 >= f.j0 && s.j1 <= f.j1 {
			return true
		}
	}
	return false
}

// joined groups the trusted evidence and the lone seeds with gap and drops
// a group of lone seeds only. In one-to-one reuse (oneToOne) it also drops
// the lone seeds that echo the group's other evidence (echoes) and takes
// out the smaller of two rival pieces (rival), which becomes a group of its
// own (oneToOne, after realign, keeps it only where it does not repeat a
// longer passage); a group that loses a member is grouped again, since
// that member may have been all that bridged two parts of it.
func joined(trusted []seed, gap gaps, oneToOne bool) [][]seed {
	var out [][]seed
	for _, g := range split(trusted, gap, true, false, nil) {
		if g = dropLone(g); len(g) == 0 {
			continue
		}
		if !oneToOne {
			out = append(out, g)
			continue
		}
		kept := slices.DeleteFunc(slices.Clone(g), func(s seed) bool { return s.lone && echoes(s, g) })
		var alone []seed
		if x := rival(kept); x >= 0 {
			alone = []seed{kept[x]}
			kept = slices.Delete(kept, x, x+1)
		}
		if len(kept) == len(g) {
			out = append(out, g)
			continue
		}
		out = append(out, joined(kept, gap, oneToOne)...)
		if alone != nil {
			out = append(out, alone)
		}
	}
	return out
}

// echoes reports whether lone seed s falls inside another (not lone) piece
// of evidence of g on one side and more than a neighbouring sentence away
// from it on the other: that piece already says where the sentence went,
// so s is the same sentence sharing topic words with one elsewhere, not
// more of the passage. (A sentence beside a piece on both sides, even in
// swapped order, may be reuse: obfuscation reorders neighbours.)
func echoes(s seed, g []seed) bool {
	for _, t := range g {
		if t.lone {
			continue
		}
		// Inside: the piece holds some of the seed's sentence.
		inA, inB := s.a0 < t.a1 && t.a0 < s.a1, s.b0 < t.b1 && t.b0 < s.b1
		if inA && apart(s.j0, s.j1, t.j0, t.j1) > 1 || inB && apart(s.i0, s.i1, t.i0, t.i1) > 1 {
			return true
		}
	}
	return false
}

// rival returns the index of the smaller of two pieces of evidence of g
// (exact passages or validated groups) of which one lies inside the other
// on one side and far from it on the other, -1 if none do: both say where
// one stretch went, as when the same text is repeated in one document, and
// joined into one passage they would span the text between.
func rival(g []seed) int {
	size := func(s seed) int { return s.a1 - s.a0 + s.b1 - s.b0 }
	for x, s := range g {
		if s.lone {
			continue
		}
		for y, t := range g {
			if y == x || t.lone || size(t) < size(s) || size(t) == size(s) && y > x {
				continue
			}
			oa := 2*(min(s.a1, t.a1)-max(s.a0, t.a0)) > min(s.a1-s.a0, t.a1-t.a0)
			ob := 2*(min(s.b1, t.b1)-max(s.b0, t.b0)) > min(s.b1-s.b0, t.b1-t.b0)
			if oa && apart(s.j0, s.j1, t.j0, t.j1) > 1 || ob && apart(s.i0, s.i1, t.i0, t.i1) > 1 {
				return x
			}
		}
	}
	return -1
}

// apart is how many sentences range x0..x1 lies from y0..y1: 0 when they
// overlap, 1 when they are neighbours.
func apart(x0, x1, y0, y1 int) int {
	switch {
	case x1 < y0:
		return y0 - x1
	case y1 < x0:
		return x0 - y1
	}
	return 0
}

// dropLone returns g when it holds an exact passage or a validated group,
// which vouches for the lone seeds joined to it, and nothing otherwise: lone
// seeds by themselves are never a passage.
func dropLone(g []seed) []seed {
	for _, s := range g {
		if !s.lone {
			return g
		}
	}
	return nil
}

// pieceScore is the summed score of the maximal-scoring pieces of a path,
// as appendPieces cuts them: what the word alignment earns inside a passage
// whose whole path may score below zero (a paraphrase), so that Score keeps
// meaning "equal words, less the edits between them" for every kind.
func pieceScore(ops []Op, o *Options) int {
	s, e, sc := bestRange(ops, o)
	if e == s {
		return 0
	}
	return sc + pieceScore(ops[:s], o) + pieceScore(ops[e:], o)
}

// realign measures a fragment with one banded global alignment: its equal
// words, identity and score; spans are the fragment's, on word boundaries.
// members are the exact passages of its group, whose paths the alignment
// may follow (pathBound).
func realign(a, b []token.Token, ha, hb []uint64, f fragment, members []Passage, al *aligner, o *Options) (Passage, bool) {
	p := Passage{ATok0: f.a0, ATok1: f.a1, BTok0: f.b0, BTok1: f.b1}
	if max(f.a1-f.a0, f.b1-f.b0) < o.MinWords || f.a1 <= f.a0 || f.b1 <= f.b0 {
		return p, false
	}
	dl := (f.b1 - f.b0) - (f.a1 - f.a0)
	dlo, dhi := min(0, dl)-diffMargin, max(0, dl)+diffMargin
	lb := pathBound(ha, hb, f, members, dlo, dhi, o)
	ops := al.globalFrom(ha[f.a0:f.a1], hb[f.b0:f.b1], dlo, dhi, o, lb, al.scored[:0])
	al.scored = ops // only its sums are kept, so the next realign may reuse it
	cols := 0
	for _, op := range ops {
		n := max(op.A1-op.A0, op.B1-op.B0)
		cols += n
		if op.Kind == Equal {
			p.Words += n
		}
	}
	p.Identity = float64(p.Words) / float64(max(1, cols))
	p.Score = float64(pieceScore(ops, o)) / float64(o.Match)
	p.AStart, p.AEnd = a[p.ATok0].Start, a[p.ATok1-1].End
	p.BStart, p.BEnd = b[p.BTok0].Start, b[p.BTok1-1].End
	return p, true
}

// exactOf returns the exact passages among the seeds of group g.
func exactOf(exact []Passage, g []seed) []Passage {
	var ms []Passage
	for _, s := range g {
		if !s.exact {
			continue
		}
		for _, p := range exact {
			if p.ATok0 == s.a0 && p.ATok1 == s.a1 && p.BTok0 == s.b0 && p.BTok1 == s.b1 {
				ms = append(ms, p)
				break
			}
		}
	}
	return ms
}

// pathBound is the score of one path through fragment f, in the band
// [dlo,dhi] of its diagonals: through the exact passages of its group
// (members) that follow one another in both documents, each along the path
// the anchor level found for it (its Score), and between them, and from
// the fragment's corners to them, along diagScore's path. A path's score
// is a lower bound of the best one, which lets the fragment's alignment
// skip the cells that cannot beat it (run) and find the same path: on
// PAN 2013 the exact passages hold most of a fragment's equal words, and
// the narrow band global tries first is no bound where their indels shift
// the diagonal. The gaps of two pieces that meet are charged two openings
// here, one on the path, which only lowers the bound. A member whose path
// could leave the band (its start's diagonal, give or take its gap
// columns) is left out: the bound must be a path of the band. neg when
// no member is usable.
func pathBound(ha, hb []uint64, f fragment, members []Passage, dlo, dhi int, o *Options) int32 {
	slices.SortFunc(members, func(x, y Passage) int { return x.ATok0 - y.ATok0 })
	lb, used := int32(0), false
	i, j := f.a0, f.b0
	for _, p := range members {
		if p.ATok0 < i || p.BTok0 < j || p.ATok1 > f.a1 || p.BTok1 > f.b1 || p.Words == 0 || p.Identity <= 0 {
			continue
		}
		cols := int(math.Round(float64(p.Words) / p.Identity))
		g := 2*cols - (p.ATok1 - p.ATok0) - (p.BTok1 - p.BTok0) // gap columns
		off := (p.BTok0 - f.b0) - (p.ATok0 - f.a0)
		if g < 0 || off-g < dlo || off+g > dhi {
			continue
		}
		lb += diagScore(ha[i:p.ATok0], hb[j:p.BTok0], o) + int32(math.Round(p.Score*float64(o.Match)))
		i, j, used = p.ATok1, p.BTok1, true
	}
	if !used {
		return neg
	}
	return lb + diagScore(ha[i:f.a1], hb[j:f.b1], o)
}

// oneToOne keeps passages longest first and drops those that overlap a kept
// one, in either document, by more than half of their own length.
func oneToOne(ps []Passage) []Passage {
	order := slices.Clone(ps)
	slices.SortStableFunc(order, func(x, y Passage) int {
		lx, ly := x.ATok1-x.ATok0+x.BTok1-x.BTok0, y.ATok1-y.ATok0+y.BTok1-y.BTok0
		if lx != ly {
			return ly - lx
		}
		return comparePassages(x, y)
	})
	var kept []Passage
	for _, p := range order {
		ok := true
		for _, q := range kept {
			oa := min(p.ATok1, q.ATok1) - max(p.ATok0, q.ATok0)
			ob := min(p.BTok1, q.BTok1) - max(p.BTok0, q.BTok0)
			if 2*oa > p.ATok1-p.ATok0 || 2*ob > p.BTok1-p.BTok0 {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, p)
		}
	}
	slices.SortFunc(kept, comparePassages)
	return kept
}

// summaryValid tells whether a group taken with a summary's gaps holds
// together as a summary: the tf-idf weight of the compact side's terms
// that the spread side has too, over all of the compact side's, reaches
// SummaryContainment. The cosine of the two sides (ValidCosine) is the
// wrong test there: a summary of 600 bytes drawn from 5,000 shares most of
// its words with its original, but the original's own words, which the
// summary left out, weigh the cosine down (PAN 2013 summaries: 41 of 238
// cases found nothing; with this test summary plagdet 0.554 -> 0.579).
func summaryValid(da, db *textDoc, f fragment, gap gaps, w paraIDF, o *Options) bool {
	if gap.a == gap.b {
		return false
	}
	ma, mb := da.bag(f.i0, f.i1), db.bag(f.j0, f.j1)
	var in, all float64
	if gap.b > gap.a { // A is the summary
		for _, c := range ma {
			x := c.n * w.a(c.t)
			all += x
			if jb := w.inB[c.t]; jb >= 0 {
				if _, ok := slices.BinarySearchFunc(mb, jb, func(c termCount, t int32) int { return int(c.t) - int(t) }); ok {
					in += x
				}
			}
		}
	} else {
		inA := map[int32]bool{}
		for _, c := range ma {
			if jb := w.inB[c.t]; jb >= 0 {
				inA[jb] = true
			}
		}
		for _, c := range mb {
			y := c.n * w.b(c.t)
			all += y
			if inA[c.t] {
				in += y
			}
		}
	}
	return all > 0 && in/all >= o.SummaryContainment
}
