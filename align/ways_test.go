package align

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/token"
)

// TestSeedWaysAgree checks that the two ways of finding sentence seeds
// (postings, bit sets) give the same seeds with the same cosines, on
// generated reuse of every obfuscation, retellings included, and on pairs
// of long documents where one topic word is in nearly every sentence (the
// case the bit sets are for).
func TestSeedWaysAgree(t *testing.T) {
	tz := token.New()
	o := DefaultOptions()
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
	var total, bitsWay, postWay int
	for k, p := range pairs {
		da := newTextDoc(p[0], tz.Tokens(p[0], 0, nil))
		db := newTextDoc(p[1], tz.Tokens(p[1], 0, nil))
		w := newParaIDF(da, db)
		x := sentenceSeedsPostings(da, db, w, &o)
		y := sentenceSeedsBits(da, db, w, &o)
		order := func(a, b seed) int {
			if c := cmp.Compare(a.i0, b.i0); c != 0 {
				return c
			}
			return cmp.Compare(a.j0, b.j0)
		}
		slices.SortFunc(x, order)
		slices.SortFunc(y, order)
		if fmt.Sprint(x) != fmt.Sprint(y) {
			t.Fatalf("pair %d: postings give %d seeds, bit sets %d:\n%v\n%v", k, len(x), len(y), x, y)
		}
		total += len(x)
		if len(sentenceSeeds(da, db, w, &o)) != len(x) {
			t.Fatalf("pair %d: sentenceSeeds differs from both ways", k)
		}
		if bitsCheaper(da, db, w, &o) {
			bitsWay++
		} else {
			postWay++
		}
	}
	if total == 0 || bitsWay == 0 || postWay == 0 {
		t.Fatalf("the test does not exercise both ways: %d seeds, %d pairs by bit sets, %d by postings", total, bitsWay, postWay)
	}
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
