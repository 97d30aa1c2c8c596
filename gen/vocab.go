// The synthetic vocabulary: 50,000 pseudo-words built from syllables, ranked
// by length so that short words are frequent as in real languages, and
// drawn with Zipf–Mandelbrot weights 1/(rank+3).
//
// Weights are integers (2^40 / (rank+3)), and a word is drawn by a
// multiply-high of a random 64-bit value into the total weight, then a
// guide table of 65,536 buckets and a short linear scan of the cumulative
// weights: two or three memory reads per word, and the same result on every
// platform. About 2% of the words carry an accented letter, so the
// tokenizer's non-ASCII path is exercised, and 4% are proper names that are
// always capitalized.

package gen

import (
	"math/bits"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// VocabSize is the number of distinct words in the synthetic vocabulary.
const VocabSize = 50000

const guideBits = 16

type vocab struct {
	words  []string
	proper []bool
	cum    []uint64 // cum[i] = sum of weights 0..i
	total  uint64
	guide  []int32 // guide[b] = first i with cum[i] > b*total>>guideBits
}

var (
	vocabOnce sync.Once
	theVocab  *vocab
)

func getVocab() *vocab {
	vocabOnce.Do(func() { theVocab = buildVocab() })
	return theVocab
}

var (
	onsets = strings.Fields("b c d f g h j k l m n p r s t v w z br cr dr fr gr pr tr st sp ch sh th pl bl cl gl sl qu sc sk sm sn")
	nuclei = strings.Fields("a e i o u a e i o a e ai ea ou io ia ee oo au")
	codas  = strings.Fields("n r s t l m nd st rt ck ng x ll ss th")
	accent = map[byte]string{'a': "á", 'e': "é", 'i': "í", 'o': "ö", 'u': "ü"}
)

func syllable(r *rng, sb *strings.Builder, first bool) {
	if !first || r.chance(0.8) {
		sb.WriteString(onsets[r.intn(len(onsets))])
	}
	sb.WriteString(nuclei[r.intn(len(nuclei))])
	if r.chance(0.35) {
		sb.WriteString(codas[r.intn(len(codas))])
	}
}

func buildVocab() *vocab {
	r := newRNG(purposeVocab)
	seen := make(map[string]bool, VocabSize)
	words := make([]string, 0, VocabSize)
	var sb strings.Builder
	for len(words) < VocabSize {
		sb.Reset()
		n := 1
		switch x := r.intn(100); {
		case x < 50:
			n = 2
		case x < 80:
			n = 3
		case x < 92:
			n = 4
		case x < 100 && len(words) > 2000:
			n = 1 + r.intn(5)
		}
		for i := 0; i < n; i++ {
			syllable(r, &sb, i == 0)
		}
		w := sb.String()
		if seen[w] {
			continue
		}
		seen[w] = true
		words = append(words, w)
	}
	// Short words first: rank follows length, ties keep generation order.
	sort.SliceStable(words, func(i, j int) bool { return len(words[i]) < len(words[j]) })
	v := &vocab{words: words, proper: make([]bool, len(words))}
	for i := range words {
		if i < 1000 {
			continue
		}
		if r.chance(0.02) {
			w := []byte(words[i])
			for k := 1; k < len(w); k++ {
				if a, ok := accent[w[k]]; ok {
					words[i] = string(w[:k]) + a + string(w[k+1:])
					break
				}
			}
		}
		v.proper[i] = r.chance(0.04)
	}
	v.cum = make([]uint64, len(words))
	var total uint64
	for i := range words {
		total += (1 << 40) / uint64(i+3)
		v.cum[i] = total
	}
	v.total = total
	v.guide = make([]int32, 1<<guideBits+1)
	i := 0
	for b := range v.guide {
		edge := uint64(b) * total >> guideBits // fits: total < 2^45
		for i < len(words)-1 && v.cum[i] <= edge {
			i++
		}
		v.guide[b] = int32(i)
	}
	return v
}

// sample draws a word rank.
func (v *vocab) sample(r *rng) int32 {
	u, _ := bits.Mul64(r.next(), v.total)
	i := v.guide[u<<guideBits/v.total]
	for v.cum[i] <= u {
		i++
	}
	return i
}

// capitalize upper-cases the first letter of w.
func capitalize(dst []byte, w string) []byte {
	c := w[0]
	if c >= 'a' && c <= 'z' {
		dst = append(dst, c-'a'+'A')
		return append(dst, w[1:]...)
	}
	r, size := utf8.DecodeRuneInString(w)
	dst = utf8.AppendRune(dst, unicode.ToUpper(r))
	return append(dst, w[size:]...)
}

var outletSuffixes = strings.Fields("Herald Times Post Gazette Tribune Courier Daily Review Journal Observer Chronicle News Wire Press Ledger Dispatch Sentinel Monitor")

// outlets returns n deterministic outlet names.
func outlets(n int) []string {
	v := getVocab()
	r := newRNG(purposeVocab, 2)
	seen := map[string]bool{}
	out := make([]string, 0, n)
	for len(out) < n {
		w := v.words[2000+r.intn(8000)]
		name := "The " + string(capitalize(nil, w)) + " " + outletSuffixes[r.intn(len(outletSuffixes))]
		if seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, name)
	}
	return out
}
