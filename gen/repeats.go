// Corpora with planted exact repeats, for the repeated-span remover: a
// number of spans of known words are each inserted, between sentences,
// into several documents (some twice into one), and some documents are
// nothing but one planted span. Every occurrence's byte span is recorded,
// so a test can check that each planted span is left in exactly one
// document and that nothing else was removed. The words on either side of
// an occurrence are numbers found nowhere else, so a planted repeat is
// maximal exactly at its recorded span. Filler text is drawn from
// the same Zipf-like vocabulary as the rest of the package; at 50 words a
// chance repeat of filler has a probability far below 1e-30.

package gen

import (
	"errors"
	"fmt"
)

// Purposes of the random streams of this file, apart from generate.go's.
const (
	purposeRepeatPlan uint64 = 0x7265_7065_0001 + iota
	purposeRepeatSpan
	purposeRepeatDoc
)

// RepeatsConfig describes a corpus with planted repeats.
type RepeatsConfig struct {
	Seed      uint64
	Docs      int // documents with filler text (besides WholeDocs); 0 means 200
	DocWords  int // filler words per document, about; 0 means 300
	Spans     int // planted spans; 0 means 20
	SpanWords int // words per planted span, about (at least 60 % of it); 0 means 80
	MaxCopies int // occurrences of a span, from 2 to this; 0 means 6
	// SelfRepeats is how many spans are planted twice in one document (as
	// well as elsewhere).
	SelfRepeats int
	// WholeDocs is how many documents are one planted span and nothing
	// else; they are dated after every other document and come last, so
	// under any keep policy they lose everything.
	WholeDocs int
}

func (c RepeatsConfig) withDefaults() (RepeatsConfig, error) {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.Docs, 200)
	def(&c.DocWords, 300)
	def(&c.Spans, 20)
	def(&c.SpanWords, 80)
	def(&c.MaxCopies, 6)
	switch {
	case c.Docs < 2 || c.DocWords < 1 || c.Spans < 1 || c.SpanWords < 5:
		return c, errors.New("gen: repeats: Docs must be at least 2, DocWords and Spans at least 1, SpanWords at least 5")
	case c.MaxCopies < 2 || c.MaxCopies > c.Docs:
		return c, fmt.Errorf("gen: repeats: MaxCopies %d must be between 2 and Docs", c.MaxCopies)
	case c.SelfRepeats < 0 || c.SelfRepeats > c.Spans || c.WholeDocs < 0:
		return c, errors.New("gen: repeats: SelfRepeats must be between 0 and Spans, WholeDocs not negative")
	}
	return c, nil
}

// Planted is one planted span and where it went.
type Planted struct {
	Span        int          `json:"span"`
	Words       int          `json:"words"`
	Occurrences []Occurrence `json:"occurrences"` // in document order, then offset
}

// Occurrence is one place a planted span was put: bytes of the document's
// Text, from the first word's first byte to the last word's last byte.
type Occurrence struct {
	ID    string `json:"id"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Repeats makes the corpus cfg describes: documents in id order ("r00000",
// ...), and where every planted span is.
func Repeats(cfg RepeatsConfig) ([]Doc, []Planted, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	v := getVocab()
	r := newRNG(cfg.Seed, purposeRepeatPlan)
	spans := make([][]sentence, cfg.Spans)
	for i := range spans {
		sr := newRNG(cfg.Seed, purposeRepeatSpan, uint64(i))
		spans[i] = newText(sr, v, cfg.SpanWords*6/10+sr.intn(cfg.SpanWords*8/10+1))
	}
	// Which spans go into which documents: each span into 2..MaxCopies
	// distinct documents; the first SelfRepeats twice into its first one.
	n := cfg.Docs
	into := make([][]int, n) // document → spans, in insertion order
	for i := range spans {
		copies := 2 + r.intn(cfg.MaxCopies-1)
		seen := map[int]bool{}
		for len(seen) < copies {
			d := r.intn(n)
			if seen[d] {
				continue
			}
			seen[d] = true
			into[d] = append(into[d], i)
			if i < cfg.SelfRepeats && len(seen) == 1 {
				into[d] = append(into[d], i)
			}
		}
	}
	planted := make([]Planted, cfg.Spans)
	for i := range planted {
		planted[i] = Planted{Span: i, Words: countItems(spans[i])}
	}
	var docs []Doc
	width := len(fmt.Sprint(n + cfg.WholeDocs))
	for d := 0; d < n; d++ {
		dr := newRNG(cfg.Seed, purposeRepeatDoc, uint64(d))
		filler := newText(dr, v, max(1, cfg.DocWords/2+dr.intn(cfg.DocWords+1)))
		// Distinct sentence boundaries, so planted spans never touch.
		ins := into[d]
		bounds := pickBounds(dr, len(filler)+1, len(ins))
		var ss []sentence
		type mark struct{ span, first, last int }
		var marks []mark
		// The words next to a planted span are numbers no other place
		// has, so a span's repeat ends exactly where it was planted.
		fence := func(s sentence, atEnd bool, k int) sentence {
			n := item{w: -int32(1_000_000 + d*100 + 2*k)}
			if atEnd {
				n.w--
				s.items = append(append([]item(nil), s.items...), n)
			} else {
				s.items = append([]item{n}, s.items...)
			}
			return s
		}
		k := 0
		for b := 0; b <= len(filler); b++ {
			for k < len(ins) && bounds[k] == b {
				if len(ss) > 0 {
					ss[len(ss)-1] = fence(ss[len(ss)-1], true, k)
				}
				first := countItems(ss)
				ss = append(ss, spans[ins[k]]...)
				marks = append(marks, mark{ins[k], first, countItems(ss) - 1})
				if b < len(filler) {
					filler[b] = fence(filler[b], false, k)
				}
				k++
			}
			if b < len(filler) {
				ss = append(ss, filler[b])
			}
		}
		var ws []int
		text := string(render(nil, v, ss, &ws))
		id := fmt.Sprintf("r%0*d", width, d)
		for _, m := range marks {
			planted[m.span].Occurrences = append(planted[m.span].Occurrences, Occurrence{ID: id, Start: ws[2*m.first], End: ws[2*m.last+1]})
		}
		docs = append(docs, Doc{ID: id, Text: text, Date: epoch.AddDate(0, 0, dr.intn(365)).Format("2006-01-02"), Source: "gen"})
	}
	for w := 0; w < cfg.WholeDocs; w++ {
		i := w % cfg.Spans
		var ws []int
		text := string(render(nil, v, spans[i], &ws))
		id := fmt.Sprintf("r%0*d", width, n+w)
		planted[i].Occurrences = append(planted[i].Occurrences, Occurrence{ID: id, Start: ws[0], End: ws[len(ws)-1]})
		docs = append(docs, Doc{ID: id, Text: text, Date: epoch.AddDate(2, 0, w).Format("2006-01-02"), Source: "gen"})
	}
	return docs, planted, nil
}

// pickBounds returns k sentence boundaries out of m, sorted; distinct
// while k <= m, so that no two planted spans are adjacent.
func pickBounds(r *rng, m, k int) []int {
	out := make([]int, 0, k)
	used := map[int]bool{}
	for len(out) < k {
		b := r.intn(m)
		if used[b] && len(used) < m {
			continue
		}
		used[b] = true
		out = append(out, b)
	}
	for i := 1; i < len(out); i++ { // insertion sort: k is small
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
