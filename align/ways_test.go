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

// TestSeedsPrefix checks that the prefix-filtered seeds are exactly those
// of scoring every sentence pair (seedsEverySentence), with the same
// cosines bit for bit, on generated reuse of every obfuscation,
// retellings included, and on pairs of long documents where one topic word
// is in nearly every sentence (what prefix filtering skips), under the
// default options and under looser and stricter Dice and term counts.
func TestSeedsPrefix(t *testing.T) {
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
		for k, p := range pairs {
			da := newTextDoc(p[0], tz.Tokens(p[0], 0, nil))
			db := newTextDoc(p[1], tz.Tokens(p[1], 0, nil))
			want := seedsEverySentence(da, db, newParaIDF(da, db), &o)
			sc := new(pairScratch)
			sc.share(da, db)
			got := sc.seeds(da, db, &o)
			if !slices.IsSortedFunc(got, order) {
				t.Fatalf("pair %d: seeds out of order", k)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("options %+v, pair %d: prefix filtering gives %d seeds, every sentence pair %d:\n%v\n%v", o, k, len(got), len(want), got, want)
			}
			total += len(got)
		}
		if total == 0 {
			t.Fatalf("options %+v: no seeds at all", o)
		}
	}
}

// seedsEverySentence is the definition of sentence seeds, computed the
// slow way: every pair of sentences scored.
func seedsEverySentence(da, db *textDoc, w paraIDF, o *Options) []seed {
	var seeds []seed
	for i, s := range da.sents {
		na := 0.0
		for k, t := range s.terms {
			wt := s.tf[k] * w.idfA[t]
			na += wt * wt
		}
		for j, sb := range db.sents {
			nb := 0.0
			for k, t := range sb.terms {
				wt := sb.tf[k] * w.idfB[t]
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
					wt := s.tf[k] * w.idfA[t]
					dot += wt * sb.tf[y] * w.idfB[jb]
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
	doc := func(s string) *textDoc { return newTextDoc(s, tz.Tokens(s, 0, nil)) }
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
