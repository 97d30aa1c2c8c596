// Content keys: candidate-generation keys that survive rewording, for the
// pairs exact anchors never bring together (translated, summarised or
// heavily edited reuse).
//
// Each sentence of the content-word view (text.go) gives the pairwise
// combinations of its three lowest term hashes: a bottom-k sketch of its
// stem set, so two sentences that share most of their content words share
// a key with good probability, while two that share one topic word do not.
// Keys go into the same postings as anchors (an Index fed with AddAnchors),
// where MaxDF drops keys common across the collection and MinShared asks
// for several sentences in common. Cost: the content-word view of the
// document, plus three keys a sentence.

package align

import (
	"slices"

	"github.com/reprint/reprint/token"
)

// ContentKeys returns the sorted, distinct content keys of toks, tokenized
// from text: what an Index needs to find pairs that share reworded
// sentences. dst is reused when large enough.
func ContentKeys(text string, toks []token.Token, dst []uint64) []uint64 {
	d := newTextDoc(text, toks)
	dst = dst[:0]
	var low [3]uint64
	for _, s := range d.sents {
		n := 0
		for _, t := range s.terms {
			h := d.vocab[t]
			switch {
			case n < 3:
				low[n] = h
				n++
				slices.Sort(low[:n])
			case h < low[2]:
				low[2] = h
				slices.Sort(low[:])
			}
		}
		for x := 0; x < n; x++ {
			for y := x + 1; y < n; y++ {
				dst = append(dst, token.Mix(low[x]*0x9E3779B97F4A7C15^low[y]))
			}
		}
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}
