// Content keys: candidate-generation keys that survive rewording, for
// reused text whose runs of equal words are broken (translated and back,
// synonyms swapped, words shuffled, summarised).
//
// A document's key is the pair of two consecutive content words, each
// reduced to its Snowball stem (text.go: stopwords and numbers dropped,
// across sentence ends), so "the bombing of the city's eastern districts"
// and "bombings in the eastern district of the city" share "eastern
// district"; an exact 4-word anchor needs four equal words in a row, which
// an edit every few words never leaves. Keys go into package lsh, where
// MaxDF drops those common across the collection ("united state") and
// MinShared asks for several in common (reuse's default is 5): two
// documents on one subject share a few rare stem pairs by chance, a reused
// passage shares many.
//
// Measured on the PAN 2013 training corpus (5,057 documents; listed pairs
// with reuse that become candidates, against every rare 4-word anchor at
// MinShared 2): 101,327 candidate pairs instead of 130,230; verbatim
// 1,000 of 1,000 both ways, random obfuscation 967 against 968, cyclic
// translation 983 against 908, summaries 238 against 233.
//
// Cost: a stem lookup per word (the process-wide cache of text.go) and one
// key per content word, about half the postings of the 4-word anchors.

package align

import (
	"slices"

	"github.com/reprint/reprint/token"
)

// ContentKeys returns the sorted, distinct content keys of toks, tokenized
// from text: the stem pairs of consecutive content words. dst is reused
// when large enough.
func ContentKeys(text string, toks []token.Token, dst []uint64) []uint64 {
	dst = dst[:0]
	tabs := tablePool.Get().(*docTables)
	defer tablePool.Put(tabs)
	memo := &tabs.memo // token hash -> stem hash, 0 for none
	memo.reset(len(toks) / 2)
	var prev uint64
	for _, t := range toks {
		if t.Start < 0 || t.End > len(text) || t.Start >= t.End {
			continue
		}
		h, ok := uint64(0), false
		if t.Hash != 0 {
			h, ok = memo.get(t.Hash)
		}
		if !ok {
			h = stems.get(t.Hash, text[t.Start:t.End])
			if t.Hash != 0 {
				memo.put(t.Hash, h)
			}
		}
		if h == 0 {
			continue
		}
		if prev != 0 {
			dst = append(dst, token.Mix(prev*0x9E3779B97F4A7C15^h))
		}
		prev = h
	}
	token.SortHashes(dst)
	return slices.Compact(dst)
}
