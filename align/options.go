// Options gather every knob of passage alignment in one place. The defaults
// were chosen by measurement (align's tests log the figures):
//
//   - Anchor 4: on 15-word passages with 10% of words edited, 3-, 4-, 5- and
//     6-word anchors found 208, 207, 204 and 195 of 300, and none gave a false
//     passage on the example news or on unrelated documents; but 3-word
//     anchors made aligning the news twice as slow as 4 (chance hits on
//     function-word trigrams), and 5 was 1.4 times faster. 4 keeps short
//     edited passages; pass 5 for speed on long reprints.
//   - MaxGap 20: the Alwaght reprint rewrote up to 17 words between copied
//     sentences; bridging that keeps a copied paragraph one passage.
//   - MinIdentity 0.6 and the scores: a match earns 4, a substitution costs 3,
//     a gap of k words 6+2k. Extending past one changed word pays when one
//     more word matches after it; two chance matches among random words
//     never pay.
//   - The paraphrase level: SeedCosine and SeedDice 0.33, ValidCosine 0.34
//     and SentenceGap 4 are Sanchez-Perez et al.'s (CLEF 2014); SummaryGap
//     24 likewise. SummaryContainment 0.6 (para.go, summaryValid): on the
//     PAN 2013 training corpus, end to end, summary 0.554 -> 0.579 and
//     entire 0.8995 -> 0.9002, at a cost of 0.001-0.002 of precision in
//     random and translated reuse; 0.7 gave summary 0.566, 0.5 the same
//     as 0.6. MinSeedTerms 3 and MinSeeds 2 (distinct sentences on both
//     sides) keep retellings apart: with them, no passage joins the
//     example news's retellings, and the PAN 2013 training pairs without
//     reuse get 3 detections in 1,000 pairs (two pages retelling one
//     encyclopedia article sentence by sentence, in their own words; MinSeeds
//     3 would leave 1 and cost translated reuse 0.09 of recall). JoinCosine
//     0.4 and widening to sentences (NoSnap false) were measured on the PAN
//     2013 training corpus (bench/cmd/reprint-pan): entire plagdet 0.881 ->
//     0.888; widening only where a third of the added words are found on
//     the other side (para.go, widen) rather than wherever half of the
//     sentence is held: translation 0.894 -> 0.908 and its precision
//     0.9515 -> 0.9511, random 0.878 -> 0.883, entire 0.902 -> 0.908.

package align

// Options control Pair and Index.
type Options struct {
	MinWords    int     // shortest passage reported, in words of its longer side
	Anchor      int     // anchor n-gram length in words
	MaxGap      int     // unmatched words allowed between two anchors of one passage
	MaxRepeat   int     // anchors occurring more often than this in one document are ignored
	MinIdentity float64 // lowest share of aligned words that are equal

	// Scores of the word alignment, in integer points: a passage is a stretch
	// whose points sum is maximal. A gap of k words costs GapOpen+k*GapExtend.
	Match, Mismatch, GapOpen, GapExtend int

	MinShared int // Index: anchors two documents must share to be a candidate pair
	MaxDF     int // Index: anchors in more documents than this are too common to use

	// The paraphrase level (para.go), used when the texts are given
	// (PairText, PrepareText).
	ExactOnly    bool    // skip the paraphrase level even when texts are given
	SeedCosine   float64 // lowest tf-idf cosine of a sentence pair seed
	SeedDice     float64 // lowest Dice coefficient of its content-term sets
	MinSeedTerms int     // fewest distinct content terms a sentence pair seed shares
	MinSeeds     int     // fewest sentence seeds of a passage without an exact passage in it
	ValidCosine  float64 // lowest cosine of a passage's two sides taken whole
	JoinCosine   float64 // lowest cosine of a lone sentence seed that may join a passage nearby
	NoSnap       bool    // keep passages that are not verbatim to their aligned words instead of widening them to whole sentences where the added words are found on the other side
	SentenceGap  int     // sentences allowed between two seeds of one passage
	SummaryGap   int     // the same, for a pair whose passages look like a summary
	// SummaryContainment is the least share of a summary's weighted terms
	// that its original must hold for a group taken with SummaryGap to be a
	// passage when its two sides' cosine is below ValidCosine.
	SummaryContainment float64

	EditedIdentity float64 // lowest identity of an "edited" passage; below it is "paraphrase"
}

// DefaultOptions returns the options reprint uses unless told otherwise.
func DefaultOptions() Options {
	return Options{
		MinWords:    15,
		Anchor:      4,
		MaxGap:      20,
		MaxRepeat:   8,
		MinIdentity: 0.6,
		Match:       4,
		Mismatch:    3,
		GapOpen:     6,
		GapExtend:   2,
		MinShared:   2,
		MaxDF:       64,

		SeedCosine:         0.33,
		SeedDice:           0.33,
		MinSeedTerms:       3,
		MinSeeds:           2,
		ValidCosine:        0.34,
		JoinCosine:         0.4,
		SentenceGap:        4,
		SummaryGap:         24,
		SummaryContainment: 0.6,
		EditedIdentity:     0.5,
	}
}

// norm fills zero fields with defaults, so Options{MinWords: 30} works.
func (o Options) norm() Options {
	d := DefaultOptions()
	if o.MinWords <= 0 {
		o.MinWords = d.MinWords
	}
	if o.Anchor <= 0 {
		o.Anchor = d.Anchor
	}
	if o.MaxGap == 0 {
		o.MaxGap = d.MaxGap
	} else if o.MaxGap < 0 { // negative asks for no gaps at all
		o.MaxGap = 0
	}
	if o.MinIdentity == 0 {
		o.MinIdentity = d.MinIdentity
	}
	if o.MaxRepeat <= 0 {
		o.MaxRepeat = d.MaxRepeat
	}
	if o.Match <= 0 {
		o.Match, o.Mismatch, o.GapOpen, o.GapExtend = d.Match, d.Mismatch, d.GapOpen, d.GapExtend
	}
	if o.Mismatch < 0 {
		o.Mismatch = -o.Mismatch
	}
	if o.GapOpen < 0 {
		o.GapOpen = -o.GapOpen
	}
	if o.GapExtend <= 0 {
		o.GapExtend = 1
	}
	if o.MinShared <= 0 {
		o.MinShared = d.MinShared
	}
	if o.MaxDF <= 0 {
		o.MaxDF = d.MaxDF
	}
	if o.SeedCosine <= 0 {
		o.SeedCosine = d.SeedCosine
	}
	if o.SeedDice <= 0 {
		o.SeedDice = d.SeedDice
	}
	if o.MinSeedTerms <= 0 {
		o.MinSeedTerms = d.MinSeedTerms
	}
	if o.MinSeeds <= 0 {
		o.MinSeeds = d.MinSeeds
	}
	if o.ValidCosine <= 0 {
		o.ValidCosine = d.ValidCosine
	}
	if o.JoinCosine <= 0 {
		o.JoinCosine = d.JoinCosine
	}
	if o.SentenceGap == 0 {
		o.SentenceGap = d.SentenceGap
	} else if o.SentenceGap < 0 {
		o.SentenceGap = 0
	}
	if o.SummaryGap == 0 {
		o.SummaryGap = d.SummaryGap
	}
	if o.SummaryContainment <= 0 {
		o.SummaryContainment = d.SummaryContainment
	}
	if o.EditedIdentity <= 0 {
		o.EditedIdentity = d.EditedIdentity
	}
	return o
}
