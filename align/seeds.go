// Sentence seeds, and the pairs that end before any table is built.
//
// Most candidate pairs of a collection share topic words and nothing else:
// on PAN 2013, 87,797 of reuse's 101,327 candidate pairs yield no passage,
// and 84,147 of them have no exact passage and fewer than two sentence
// seeds. Reuse turns 48,887 of them away before aligning them at all
// (MayShare, evidence.go); of the rest, 39,000 are aligned for nothing.
// Without an exact passage only a validated group of seeds in
// MinSeeds sentences on each side makes a passage, so such a pair ends
// right after its seeds (paraPassages), and the seeds are built to cost
// little when there are none:
//
//   - The shared terms come from one pass over the smaller vocabulary
//     (kept as contiguous sorted hashes), each term testing a Bloom filter
//     of the other's and only those that pass looked up in it by galloping
//     (the larger is the side a run of pairs shares in reuse, so its
//     filter stays in cache; a merge of the two, the earlier way,
//     mispredicted a branch a step: 129-149 -> 119-126 ms on 20,000 PAN
//     pairs, BenchmarkPANPairs), into scratch arrays reused across pairs
//     through a pool (nothing allocated per pair, and the arrays by
//     vocabulary undone entry by entry, not refilled); each shared term's
//     postings range in B is copied to a table by A's vocabulary then, so
//     that the sentences of A read it from there, not from B's tables,
//     which are not in cache; idf is computed only for the terms of the
//     sentence pairs that are scored, and for pairs that go on to
//     grouping, for the terms the grouping reads (paraIDF).
//   - Only A's sentences holding MinSeedTerms shared terms are looked at,
//     found from the shared terms' postings in A.
//   - A seed shares at least α distinct terms with its sentence s of A:
//     MinSeedTerms, raised where Dice asks more (2n/(|s|+|t|) ≥ SeedDice
//     with |t| ≥ n needs 2n/(|s|+n) ≥ SeedDice). The sentences of B holding
//     α of s's shared terms are counted the cheaper way for s: walking the
//     terms' postings (the sum of their frequencies in B) or a saturating
//     bit-sliced counter over bit sets of B's sentences (α words per term
//     per 64 sentences, whatever the frequencies: topic words in most
//     sentences of both documents make the postings quadratic).
//   - Only those sentence pairs are scored (shared count, Dice, cosine),
//     each by looking s's shared terms up in the other sentence's sorted
//     terms, summed in s's term order; and not those whose Dice with the
//     count of s's shared terms they hold (exact from the postings, at
//     most all of them from the bit sets) falls below SeedDice.
//
// Cost per pair: the two vocabularies, plus the postings or bit-set words
// of the sentences of A with MinSeedTerms shared terms, plus the scored
// sentence pairs; sentences an exact passage covers are left out on both
// sides, since their seeds would be dropped. The seeds and their cosines, bit for bit, are those of
// scoring every sentence pair (TestSeedsExact); on PAN 2013 the passages
// of reuse are byte-identical to the earlier postings and bit-set ways.
// Tried and dropped: prefix filtering (walking the postings of all but
// the α-1 commonest shared terms of s, then testing those in bit sets):
// choosing them cost what skipping their postings saved.

package align

import (
	"math"
	"math/bits"
	"slices"
	"sync"
)

// pairScratch is the per-pair working memory of the paraphrase level,
// reused across pairs through scratchPool.
type pairScratch struct {
	inB []int32 // A's vocab index -> B's, -1 if B lacks the term
	inA []int32 // B's vocab index -> A's, -1
	// A's vocab index -> the shared term's postings in B and its bit set
	// (countBits), set by share for the shared terms only: read per
	// sentence of A from here, where share put them in term order, not
	// from B's tables, which are not in cache.
	bt      []bTerm
	idfA    []float64 // paraIDF tables, when built
	idfB    []float64
	normB   []float64 // B's sentences' squared norms, -1 until computed
	count   []int32   // B's sentences: s's shared terms each holds; zero between sentences of A
	touched []int32   // B's sentences whose count is not zero
	sets    []uint64  // bit sets of B's sentences, nw words each
	level   []uint64  // the bit-sliced counter
	sh      []int     // one sentence's shared terms, as indexes into its terms
	jb      []int32   // for each of sh: B's vocab index,
	wa      []float64 // its tf-idf weight in the sentence of A,
	ib      []float64 // and its idf on B's side
	cands   []int32
	candN   []int32    // by countPostings: the shared terms each of cands holds
	alpha   []int      // fewest shared terms of a seed, by the count of its A sentence's terms
	alphaOf [2]float64 // the MinSeedTerms and SeedDice alpha was made for
	ways    [2]int     // sentences counted by postings and by bit sets, for tests
	sharedA []int32    // A's vocab indexes of the shared terms
	perSent []int32    // A's sentences: shared terms each holds
	pass    []int32    // probeVocab: the terms that passed the other side's filter
}

var scratchPool = sync.Pool{New: func() any { return new(pairScratch) }}

// fill returns s resized to n, every element v.
func fill[T any](s []T, n int, v T) []T {
	if cap(s) < n {
		s = make([]T, n)
	}
	s = s[:n]
	for k := range s {
		s[k] = v
	}
	return s
}

// share finds the terms da and db share: the smaller vocabulary (B's on a
// tie), in hash order, probes the other's filter and then the other's
// vocabulary, so the shared terms come in hash order, as a merge of the
// two would give them, whichever side probes. The probes cost the smaller
// side's length, and the larger side is the one a collection's runs of
// pairs share (reuse's runOrder), whose filter is in cache.
func (sc *pairScratch) share(da, db *textDoc) {
	// inB and inA are -1 up to their capacity but for the last pair's
	// shared terms, which are undone here: a pair costs what it shares,
	// not the length of both vocabularies (a long document's is paired
	// thousands of times).
	inB, inA := sc.inB[:cap(sc.inB)], sc.inA[:cap(sc.inA)]
	for _, ka := range sc.sharedA {
		inA[inB[ka]], inB[ka] = -1, -1
	}
	sc.sharedA = sc.sharedA[:0]
	sc.inB, sc.inA = allUnset(inB, len(da.vocab)), allUnset(inA, len(db.vocab))
	if cap(sc.bt) < len(da.vocab) {
		sc.bt = make([]bTerm, len(da.vocab))
	}
	sc.bt = sc.bt[:len(da.vocab)]
	if len(da.byHash) < len(db.byHash) {
		sc.probeVocab(da, db, db, true)
		return
	}
	sc.probeVocab(db, da, db, false)
}

// allUnset returns s, -1 throughout, at length n: s itself when it is
// long enough, else a new slice.
func allUnset(s []int32, n int) []int32 {
	if len(s) >= n {
		return s[:n]
	}
	return fill(make([]int32, 0, n), n, -1)
}

// bTerm is where a term of A that B holds is in B: its postings,
// post[lo:hi], and its bit set in pairScratch.sets, -1 until built.
type bTerm struct{ lo, hi, row int32 }

// shared records A's term ka as B's term jb.
func (sc *pairScratch) shared(db *textDoc, ka, jb int32) {
	sc.inB[ka], sc.inA[jb] = jb, ka
	sc.bt[ka] = bTerm{db.start[jb], db.start[jb+1], -1}
	sc.sharedA = append(sc.sharedA, ka)
}

// probeVocab records (shared), in hash order, every term s and l both
// hold, s being A when sIsA: s's terms each test l's filter, and only
// those that pass are looked for in l's by galloping from the last one
// found.
func (sc *pairScratch) probeVocab(s, l, db *textDoc, sIsA bool) {
	// The filter's answers first, gathered without a branch (a third or
	// so of a vocabulary passes, as unpredictably as the words), then
	// the search for those that passed.
	pass := slices.Grow(sc.pass[:0], len(s.byHash))[:len(s.byHash)]
	n, f := 0, l.filter
	for y, h := range s.byHash {
		m := bloomMask(h)
		miss := f.bits[h>>f.shift&(uint64(len(f.bits))-1)]&m ^ m // 0 when both bits are set
		pass[n] = int32(y)
		n += int(1 ^ (miss|-miss)>>63)
	}
	sc.pass = pass
	x := l.byHash
	from := 0
	for _, y := range pass[:n] {
		h := s.byHash[y]
		lo, hi := from, from+1
		for hi < len(x) && x[hi] < h {
			lo, hi = hi, hi+2*(hi-lo)
		}
		hi = min(hi, len(x))
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if x[m] < h {
				lo = m + 1
			} else {
				hi = m
			}
		}
		from = lo
		if lo < len(x) && x[lo] == h {
			ka, jb := l.idxOf[lo], s.idxOf[y]
			if sIsA {
				ka, jb = jb, ka
			}
			sc.shared(db, ka, jb)
		}
	}
}

// lnN is the log of the sentences of both documents, idf's numerator.
func lnN(da, db *textDoc) float64 { return logOf(int32(len(da.sents) + len(db.sents))) }

// idfOfA is the idf of A's term t over the sentences of both documents.
func (sc *pairScratch) idfOfA(da, db *textDoc, ln float64, t int32) float64 {
	df := da.df[t]
	if sc.inB[t] >= 0 {
		b := sc.bt[t]
		df += b.hi - b.lo // db.df of the term
	}
	return ln - logOf(df)
}

// idfOfB is the same for B's term j.
func (sc *pairScratch) idfOfB(da, db *textDoc, ln float64, j int32) float64 {
	df := db.df[j]
	if ka := sc.inA[j]; ka >= 0 {
		df += da.df[ka]
	}
	return ln - logOf(df)
}

// paraIDF returns the idf of every term of both documents, backed by the
// scratch arrays (valid until the scratch is reused). An idf is never
// negative (a term's sentences are among those of both documents), so -1
// marks one not yet computed.
func (sc *pairScratch) paraIDF(da, db *textDoc) paraIDF {
	sc.idfA = fill(sc.idfA, len(da.vocab), -1)
	sc.idfB = fill(sc.idfB, len(db.vocab), -1)
	return paraIDF{idfA: sc.idfA, idfB: sc.idfB, inB: sc.inB, sc: sc, da: da, db: db, ln: lnN(da, db)}
}

// minOverlap fills sc.alpha: for a sentence of A with n distinct terms,
// the fewest terms a seed of it shares, MinSeedTerms or what Dice asks
// when the other sentence holds nothing else (its best case).
func (sc *pairScratch) minOverlap(maxTerms int, o *Options) {
	key := [2]float64{float64(o.MinSeedTerms), o.SeedDice}
	if len(sc.alpha) > maxTerms && sc.alphaOf == key {
		return
	}
	sc.alphaOf = key
	sc.alpha = sc.alpha[:0]
	for ls := 0; ls <= max(maxTerms, 2*maxSentWords); ls++ {
		n := o.MinSeedTerms
		for n < ls && 2*float64(n)/float64(ls+n) < o.SeedDice {
			n++
		}
		sc.alpha = append(sc.alpha, n)
	}
}

// seeds returns the similar sentence pairs of da and db (sentenceSeeds's
// definition), ordered by A's sentence, then B's, leaving out those in a
// sentence of A or B marked in skipA or skipB (nil: none). share must have
// run.
func (sc *pairScratch) seeds(da, db *textDoc, skipA, skipB []bool, o *Options) []seed {
	if len(sc.sharedA) < o.MinSeedTerms {
		return nil
	}
	// Only A's sentences that hold MinSeedTerms shared terms are looked
	// at, found from the shared terms' postings in A.
	sc.perSent = fill(sc.perSent, len(da.sents), 0)
	for _, k := range sc.sharedA {
		for _, i := range da.post[da.start[k]:da.start[k+1]] {
			sc.perSent[i]++
		}
	}
	ln := lnN(da, db)
	nw := (len(db.sents) + 63) / 64
	sc.normB = fill(sc.normB, len(db.sents), -1)
	// count is zero throughout between sentences of A (countPostings
	// resets what it counted), so it is only grown, not cleared.
	if cap(sc.count) < len(db.sents) {
		sc.count = make([]int32, len(db.sents))
	}
	sc.count = sc.count[:len(db.sents)]
	sc.sets = sc.sets[:0]
	for _, k := range sc.sharedA { // no bit set built yet
		sc.bt[k].row = -1
	}
	var seeds []seed
	sc.minOverlap(0, o) // for every sentence's count of terms, cut as they are at maxSentWords words
	for i := range da.sents {
		if int(sc.perSent[i]) < o.MinSeedTerms || skipA != nil && skipA[i] {
			continue
		}
		s := &da.sents[i]
		// perSent is the count of s's shared terms: those fewer than a
		// seed of s needs end here, before s's terms are read.
		m := int(sc.perSent[i])
		if len(s.terms) >= len(sc.alpha) {
			sc.minOverlap(len(s.terms), o)
		}
		alpha := sc.alpha[len(s.terms)]
		if m < alpha {
			continue
		}
		// Without a branch: whether B holds a term is a coin toss the
		// processor cannot predict, and this runs for every term of
		// every sentence of A that gets this far.
		sh := slices.Grow(sc.sh[:0], len(s.terms))[:len(s.terms)]
		n, inB := 0, sc.inB
		for k, t := range s.terms {
			sh[n] = k
			n += int(1 ^ uint32(inB[t])>>31) // inB is -1 for a term B lacks
		}
		sc.sh = sh[:n]
		// B's sentence counts of the shared terms, read only now: B's
		// tables are not in cache, and most sentences end above.
		post := 0
		for _, k := range sc.sh {
			b := sc.bt[s.terms[k]]
			post += int(b.hi - b.lo)
		}
		// The sentences of B holding alpha of s's shared terms, by
		// whichever way costs less for this sentence.
		sc.cands = sc.cands[:0]
		byBits := m*alpha*nw < 2*post
		if byBits {
			sc.countBits(s, alpha, nw, db)
			sc.ways[1]++
		} else {
			sc.countPostings(s, alpha, post, db)
			sc.ways[0]++
		}
		na, first, weighed := -1.0, len(seeds), false
		for c, j := range sc.cands {
			if skipB != nil && skipB[j] {
				continue
			}
			// The shared terms the sentence can hold: counted exactly by
			// the postings (each lists a sentence once), at most m by the
			// bit sets. Dice with that many is an upper bound of the
			// seed's, so a sentence it rules out is not scored.
			most := m
			if !byBits {
				most = int(sc.candN[c])
			}
			if most < o.MinSeedTerms || 2*float64(most)/float64(len(s.terms)+int(db.nterms[j])) < o.SeedDice {
				continue
			}
			sb := &db.sents[j]
			if !weighed { // the shared terms' weights, once per sentence of A
				weighed = true
				sc.jb, sc.wa, sc.ib = sc.jb[:0], sc.wa[:0], sc.ib[:0]
				for _, k := range sc.sh {
					t := s.terms[k]
					jb := sc.inB[t]
					sc.jb = append(sc.jb, jb)
					sc.wa = append(sc.wa, s.tf[k]*sc.idfOfA(da, db, ln, t))
					sc.ib = append(sc.ib, sc.idfOfB(da, db, ln, jb))
				}
			}
			n, dot := 0, 0.0
			for q, jb := range sc.jb {
				if y, ok := slices.BinarySearch(sb.terms, jb); ok {
					n++
					wt := sc.wa[q]
					dot += wt * sb.tf[y] * sc.ib[q]
				}
			}
			dice := 2 * float64(n) / float64(len(s.terms)+len(sb.terms))
			if n < o.MinSeedTerms || dice < o.SeedDice {
				continue
			}
			if na < 0 { // in s's term order, as every way sums it
				na = 0
				for k, t := range s.terms {
					wt := s.tf[k] * sc.idfOfA(da, db, ln, t)
					na += wt * wt
				}
			}
			cos := 0.0
			if nb := sc.normOf(da, db, ln, int(j)); na > 0 && nb > 0 {
				cos = dot / math.Sqrt(na*nb)
			}
			if cos >= o.SeedCosine {
				seeds = append(seeds, seed{i, i, int(j), int(j), s.t0, s.t1, sb.t0, sb.t1, false, cos, false})
			}
		}
		slices.SortFunc(seeds[first:], func(x, y seed) int { return x.j0 - y.j0 })
	}
	return seeds
}

// countPostings lists in sc.cands the sentences of B that hold at least
// alpha of sentence s's shared terms (sc.sh), with that count in sc.candN,
// by walking each term's postings: the sum of their sentence frequencies
// in B, post. Counts go back to zero for the next sentence of A through the
// sentences touched, so no stamp is read per posting.
func (sc *pairScratch) countPostings(s *sentence, alpha, post int, db *textDoc) {
	// touched has room for every posting, so that each is written and
	// kept only on its sentence's first count, without a branch (which
	// one is first is as unpredictable as the postings).
	count := sc.count
	touched := slices.Grow(sc.touched[:0], post)[:post]
	nt := 0
	for _, k := range sc.sh {
		b := sc.bt[s.terms[k]]
		for _, j := range db.post[b.lo:b.hi] {
			c := count[j] + 1
			count[j] = c
			touched[nt] = j
			nt += int(uint32(c-2) >> 31) // 1 when c is 1
		}
	}
	touched = touched[:nt]
	sc.candN = sc.candN[:0]
	for _, j := range touched {
		if c := count[j]; int(c) >= alpha {
			sc.cands = append(sc.cands, j)
			sc.candN = append(sc.candN, c)
		}
		count[j] = 0
	}
	sc.touched = touched
}

// countBits is countPostings with a bit set of B's sentences for each
// shared term (built the first time a term is asked for) and a saturating
// bit-sliced counter of alpha bit sets: level c holds the sentences that
// hold more than c of the terms so far. It costs alpha words per term per
// 64 sentences of B, whatever the terms' frequencies: topic words that
// recur in most sentences of both documents make the postings quadratic.
func (sc *pairScratch) countBits(s *sentence, alpha, nw int, db *textDoc) {
	sc.level = fill(sc.level, alpha*nw, 0)
	for _, k := range sc.sh {
		b := &sc.bt[s.terms[k]]
		r := b.row
		if r < 0 {
			r = int32(len(sc.sets))
			b.row = r
			sc.sets = append(sc.sets, make([]uint64, nw)...)
			for _, j := range db.post[b.lo:b.hi] {
				sc.sets[int(r)+int(j>>6)] |= 1 << (j & 63)
			}
		}
		x := sc.sets[r : int(r)+nw]
		for c := alpha - 1; c > 0; c-- {
			hi, lo := sc.level[c*nw:(c+1)*nw], sc.level[(c-1)*nw:c*nw]
			for q := range x {
				hi[q] |= lo[q] & x[q]
			}
		}
		for q := range x {
			sc.level[q] |= x[q]
		}
	}
	for q, word := range sc.level[(alpha-1)*nw:] {
		for word != 0 {
			sc.cands = append(sc.cands, int32(q<<6+bits.TrailingZeros64(word)))
			word &= word - 1
		}
	}
}

// normOf is the squared tf-idf norm of B's sentence j, computed once per
// pair: only sentences that are scored need one.
func (sc *pairScratch) normOf(da, db *textDoc, ln float64, j int) float64 {
	if v := sc.normB[j]; v >= 0 {
		return v
	}
	v := 0.0
	s := &db.sents[j]
	for k, t := range s.terms {
		wt := s.tf[k] * sc.idfOfB(da, db, ln, t)
		v += wt * wt
	}
	sc.normB[j] = v
	return v
}

// spread reports whether seeds lie in at least n distinct sentences on
// each side: what a group of sentence seeds needs to stand (MinSeeds).
func spread(seeds []seed, n int) bool {
	return distinct(seeds, true) >= n && distinct(seeds, false) >= n
}
