package align

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/token"
)

// TestSeedsExact checks that the seeds (pairScratch.seeds: counted by
// postings or bit sets, scored where alpha terms are shared) are exactly
// those of scoring every sentence pair (seedsEverySentence), with the same
// cosines bit for bit, on generated reuse of every obfuscation, retellings
// included, and on pairs of long documents where one topic word is in
// nearly every sentence (where the bit sets are taken), under the default
// options and under looser and stricter Dice and term counts.
func TestSeedsExact(t *testing.T) {
	tz := token.New()
	var pairs [][2]string
	for _, ob := range gen.Obfuscations {
		for seed := uint64(1); seed <= 10; seed++ {
			p := gen.ObfuscatedPair(seed, ob, 80, 300)
			pairs = append(pairs, [2]string{p.Reuse, p.Source})
		}
	}
	r := rand.New(rand.NewPCG(7, 9))
	vocab := strings.Fields("coalition city river bridge market council strike vote rebels airport school hospital minister election " +
		"harbour storm flood fire court judge police army border talks treaty summit trade tariff grain oil bank")
	long := func() string {
		var b strings.Builder
		for range 150 {
			b.WriteString("Raqqa ")
			for range 8 + r.IntN(8) {
				b.WriteString(vocab[r.IntN(len(vocab))] + " ")
			}
			b.WriteString(". ")
		}
		return b.String()
	}
	for range 5 {
		pairs = append(pairs, [2]string{long(), long()})
	}
	loose, strict := DefaultOptions(), DefaultOptions()
	loose.SeedDice, loose.MinSeedTerms = 0.1, 2
	strict.SeedDice, strict.MinSeedTerms = 0.6, 4
	order := func(a, b seed) int {
		if c := cmp.Compare(a.i0, b.i0); c != 0 {
			return c
		}
		return cmp.Compare(a.j0, b.j0)
	}
	for _, o := range []Options{DefaultOptions(), loose, strict} {
		total := 0
		var ways [2]int
		for k, p := range pairs {
			da, _ := newTextDoc(p[0], tz.Tokens(p[0], 0, nil))
			db, _ := newTextDoc(p[1], tz.Tokens(p[1], 0, nil))
			want := seedsEverySentence(da, db, newParaIDF(da, db), &o)
			sc := new(pairScratch)
			sc.share(da, db)
			got := sc.seeds(da, db, nil, nil, &o)
			if !slices.IsSortedFunc(got, order) {
				t.Fatalf("pair %d: seeds out of order", k)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("options %+v, pair %d: the seeds are %d, every sentence pair %d:\n%v\n%v", o, k, len(got), len(want), got, want)
			}
			total += len(got)
			ways[0], ways[1] = ways[0]+sc.ways[0], ways[1]+sc.ways[1]
		}
		if total == 0 || ways[0] == 0 || ways[1] == 0 {
			t.Fatalf("options %+v: the test does not exercise both ways: %d seeds, %d sentences by postings, %d by bit sets", o, total, ways[0], ways[1])
		}
	}
}

// TestShareIsMerge checks that the shared terms of two documents (share:
// the smaller vocabulary probing the other's filter, the filter's answers
// gathered without a branch) are those a merge of the two vocabularies
// gives, in hash order, each mapped to the other side's index both ways,
// whichever side is the smaller, with one scratch reused across pairs.
func TestShareIsMerge(t *testing.T) {
	tz := token.New()
	var docs []*textDoc
	for _, ob := range gen.Obfuscations {
		for seed := uint64(1); seed <= 4; seed++ {
			p := gen.ObfuscatedPair(seed, ob, 40+20*int(seed), 300)
			for _, text := range []string{p.Reuse, p.Source} {
				d, _ := newTextDoc(text, tz.Tokens(text, 0, nil))
				docs = append(docs, d)
			}
		}
	}
	sc := new(pairScratch)
	for x, da := range docs {
		for _, db := range docs[max(0, x-3) : x+1] {
			sc.share(da, db)
			inB := map[uint64]int32{}
			for jb, h := range db.vocab {
				inB[h] = int32(jb)
			}
			var want []int32
			for _, h := range da.byHash {
				if _, ok := inB[h]; ok {
					want = append(want, int32(slices.Index(da.vocab, h)))
				}
			}
			if !slices.Equal(sc.sharedA, want) {
				t.Fatalf("docs %d: shared %v, the merge %v", x, sc.sharedA, want)
			}
			for ka, h := range da.vocab {
				jb, ok := inB[h]
				if !ok {
					jb = -1
				}
				if sc.inB[ka] != jb || jb >= 0 && sc.inA[jb] != int32(ka) {
					t.Fatalf("docs %d: term %d of A is %d of B, want %d", x, ka, sc.inB[ka], jb)
				}
			}
		}
	}
}

// newParaIDF returns the idf tables of a pair, as paraPassages builds them.
func newParaIDF(da, db *textDoc) paraIDF {
	sc := new(pairScratch)
	sc.share(da, db)
	return sc.paraIDF(da, db)
}

// seedsEverySentence is the definition of sentence seeds, computed the
// slow way: every pair of sentences scored.
func seedsEverySentence(da, db *textDoc, w paraIDF, o *Options) []seed {
	var seeds []seed
	for i, s := range da.sents {
		na := 0.0
		for k, t := range s.terms {
			wt := s.tf[k] * w.a(t)
			na += wt * wt
		}
		for j, sb := range db.sents {
			nb := 0.0
			for k, t := range sb.terms {
				wt := sb.tf[k] * w.b(t)
				nb += wt * wt
			}
			n, dot := 0, 0.0
			for k, t := range s.terms {
				jb := w.inB[t]
				if jb < 0 {
					continue
				}
				if y, ok := slices.BinarySearch(sb.terms, jb); ok {
					n++
					wt := s.tf[k] * w.a(t)
					dot += wt * sb.tf[y] * w.b(jb)
				}
			}
			dice := 2 * float64(n) / float64(len(s.terms)+len(sb.terms))
			cos := 0.0
			if na > 0 && nb > 0 {
				cos = dot / math.Sqrt(na*nb)
			}
			if n >= o.MinSeedTerms && dice >= o.SeedDice && cos >= o.SeedCosine {
				seeds = append(seeds, seed{i, i, j, j, s.t0, s.t1, sb.t0, sb.t1, false, cos, false})
			}
		}
	}
	return seeds
}

// TestProbeIsMerge checks that probing a Bloom filter finds the same
// segments as merging the two sorted n-gram lists, either side probing,
// with repeated n-grams (dropped past MaxRepeat) on both sides.
func TestProbeIsMerge(t *testing.T) {
	tz := token.New()
	r := rand.New(rand.NewPCG(3, 4))
	words := strings.Fields("a b c d e f g h i j k l m n o p")
	text := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(words[r.IntN(len(words))] + " ")
		}
		return b.String()
	}
	for k := range 50 {
		shared := text(40)
		ta := text(r.IntN(300)) + shared + text(r.IntN(50)) + shared
		tb := text(r.IntN(500)) + shared + text(r.IntN(80))
		a := sortedAnchors(token.Shingles(tz.Tokens(ta, 0, nil), 4, nil))
		b := sortedAnchors(token.Shingles(tz.Tokens(tb, 0, nil), 4, nil))
		for _, rep := range []int{1, 8, 1000} {
			want := mergeSegments(a, b, 4, rep)
			if got := probeSegments(a, b, newBloom(b), true, 4, rep); !slices.Equal(got, want) {
				t.Fatalf("case %d, MaxRepeat %d: a probing b gives %v, the merge %v", k, rep, got, want)
			}
			if got := probeSegments(b, a, newBloom(a), false, 4, rep); !slices.Equal(got, want) {
				t.Fatalf("case %d, MaxRepeat %d: b probing a gives %v, the merge %v", k, rep, got, want)
			}
			if rep == 1000 && len(want) == 0 {
				t.Fatalf("case %d: no segments between texts that share 40 words", k)
			}
		}
	}
}

// TestSortedAnchorsOrder checks the radix sort against a comparison sort,
// on lists long enough to take it, with repeated hashes.
func TestSortedAnchorsOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 255, 256, 1000, 5000} {
		hs := make([]uint64, n)
		for k := range hs {
			hs[k] = r.Uint64()
			if k > 0 && r.IntN(5) == 0 {
				hs[k] = hs[r.IntN(k)] // a repeated n-gram
			}
		}
		got := sortedAnchors(hs)
		want := make([]anchorPos, n)
		for p, h := range hs {
			want[p] = anchorPos{h, int32(p)}
		}
		slices.SortFunc(want, func(x, y anchorPos) int {
			if x.h != y.h {
				return cmp.Compare(x.h, y.h)
			}
			return cmp.Compare(x.p, y.p)
		})
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: the radix sort's order differs from the comparison sort's", n)
		}
	}
}

// TestSummaryValid checks the summary test: a compact side whose words the
// spread side holds passes, one about something else does not, and
// without a summary's gaps the test never applies.
func TestSummaryValid(t *testing.T) {
	tz := token.New()
	doc := func(s string) *textDoc { d, _ := newTextDoc(s, tz.Tokens(s, 0, nil)); return d }
	long := doc(strings.Repeat("The council voted on the harbour budget after a long debate. ", 3) +
		"Fishermen protested outside the town hall about quotas. " +
		"The mayor promised new funds for the harbour wall repairs. " +
		"Storm damage last winter had closed the northern pier. ")
	summary := doc("The council voted on the harbour budget. The mayor promised funds for pier repairs after storm damage.")
	other := doc("Volcanic ash grounded flights across the continent. Airlines cancelled routes to the islands.")
	o := DefaultOptions()
	whole := func(a, b *textDoc) fragment {
		return fragment{i0: 0, i1: len(a.sents) - 1, j0: 0, j1: len(b.sents) - 1}
	}
	summaryGaps := gaps{o.SentenceGap, o.SummaryGap} // A compact, B spread
	if !summaryValid(summary, long, whole(summary, long), summaryGaps, newParaIDF(summary, long), &o) {
		t.Error("a summary whose words its original holds is not valid")
	}
	if summaryValid(other, long, whole(other, long), summaryGaps, newParaIDF(other, long), &o) {
		t.Error("an unrelated text passes as a summary")
	}
	if summaryValid(summary, long, whole(summary, long), gaps{o.SentenceGap, o.SentenceGap}, newParaIDF(summary, long), &o) {
		t.Error("the summary test applies without a summary's gaps")
	}
	// B compact, A spread: the same, the other way round.
	if !summaryValid(long, summary, whole(long, summary), gaps{o.SummaryGap, o.SentenceGap}, newParaIDF(long, summary), &o) {
		t.Error("a summary on the B side is not valid")
	}
}

// sentSeed is a sentence seed of sentence i of A and j of B, with token
// spans of ten words a sentence.
func sentSeed(i, j int, cos float64) seed {
	return seed{i, i, j, j, 10 * i, 10*i + 10, 10 * j, 10*j + 10, false, cos, false}
}

// longA is s with its sentence of A twice as long.
func longA(s seed) seed {
	s.a1 += s.a1 - s.a0
	return s
}

// TestTrimEchoes checks that a group of one-to-one reuse loses, from its
// ends, the seeds of a sentence that is better matched elsewhere in the
// group (an echo of shared topic words far away), on either side, and
// keeps a sentence split in two (matched next door, and longer than
// either part) and a seed whose sentences have no better match.
func TestTrimEchoes(t *testing.T) {
	spans := func(g []seed) string {
		var b strings.Builder
		for _, s := range g {
			fmt.Fprintf(&b, "%d>%d ", s.i0, s.j0)
		}
		return b.String()
	}
	diagonal := []seed{sentSeed(3, 22, 0.69), sentSeed(4, 23, 0.92), sentSeed(5, 24, 0.54), sentSeed(7, 26, 0.87)}
	cases := []struct {
		name string
		in   []seed
		want string
	}{
		{"echoes before and after, in B", append([]seed{sentSeed(3, 14, 0.37), sentSeed(3, 19, 0.41), sentSeed(7, 30, 0.5)}, diagonal...), "3>22 4>23 5>24 7>26 "},
		{"echo in A", append([]seed{sentSeed(0, 24, 0.4)}, diagonal...), "3>22 4>23 5>24 7>26 "},
		// Sentence 7 of A, twice as long as 26 of B, was split into 26 and 27.
		{"split sentence", append([]seed{longA(sentSeed(7, 27, 0.45))}, diagonal...), "3>22 4>23 5>24 7>26 7>27 "},
		// No longer than 26, its best match, it holds nothing more for 27.
		{"neighbour no split", append([]seed{sentSeed(7, 27, 0.45)}, diagonal...), "3>22 4>23 5>24 7>26 "},
		{"weak but alone", append([]seed{sentSeed(9, 28, 0.34)}, diagonal...), "3>22 4>23 5>24 7>26 9>28 "},
		{"echo inside is kept", append([]seed{sentSeed(4, 25, 0.35)}, diagonal...), "3>22 4>23 4>25 5>24 7>26 "},
	}
	for _, c := range cases {
		got := trimEchoes(c.in)
		slices.SortFunc(got, func(x, y seed) int { return cmp.Or(x.i0-y.i0, x.j0-y.j0) })
		if spans(got) != c.want {
			t.Errorf("%s: kept %s, want %s", c.name, spans(got), c.want)
		}
	}
}

// TestSummarySideByBestMatch checks that a pair is taken for a summary by
// where each sentence's best match lies: one-to-one reuse whose first
// sentence also echoes sentences far away in the other document is not a
// summary, while a compact side whose sentences are each best matched far
// from the previous one's is, on either side.
func TestSummarySideByBestMatch(t *testing.T) {
	o := DefaultOptions()
	oneToOne := []seed{sentSeed(3, 3, 0.35), sentSeed(3, 44, 0.41), sentSeed(3, 22, 0.69), sentSeed(4, 23, 0.92),
		sentSeed(5, 24, 0.54), sentSeed(6, 25, 0.6), sentSeed(7, 26, 0.87)}
	if side := summarySide(nil, nil, oneToOne, &o); side != 0 {
		t.Errorf("one-to-one reuse with far echoes of one sentence taken for a summary (side %c)", side)
	}
	summary := []seed{sentSeed(0, 2, 0.5), sentSeed(1, 9, 0.6), sentSeed(2, 17, 0.45), sentSeed(3, 26, 0.55), sentSeed(4, 31, 0.7)}
	if side := summarySide(nil, nil, summary, &o); side != 'b' {
		t.Errorf("a summary in A of sentences spread over B: side %q, want 'b'", side)
	}
	var swapped []seed
	for _, s := range summary {
		swapped = append(swapped, sentSeed(s.j0, s.i0, s.cos))
	}
	if side := summarySide(nil, nil, swapped, &o); side != 'a' {
		t.Errorf("a summary in B: side %q, want 'a'", side)
	}
}
