// Options gather every knob of passage alignment in one place, with defaults
// chosen by measurement on the example news and on generated corpora (see
// align_synth_test.go): anchors of 4 words keep a 15-word passage with one
// or two edited words findable, while 3-word anchors made retellings of the
// same story chain into false passages.

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
	return o
}
