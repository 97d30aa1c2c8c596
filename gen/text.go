// Documents as sentences of word items, rendered to text on demand.
//
// A document is kept as structure, not bytes: sentences of items, each item
// a vocabulary rank (or a number) with its trailing comma and quotation or
// possessive marks. Edits (substitute, insert, delete a word; move a
// sentence) work on that structure, and capitals and sentence punctuation
// follow from it when the text is rendered, so an edited copy is still
// well-formed text. Rendering can report every word's byte span, which is
// how inserted passages get exact spans in both documents.

package gen

import "strconv"

const (
	flagPoss   uint8 = 1 << iota // renders word's
	flagQOpen                    // an opening quotation mark before the word
	flagQClose                   // a closing quotation mark after the word
)

// item is one word: w >= 0 is a vocabulary rank, w < 0 the number -w.
type item struct {
	w     int32
	punct byte // ',' or ';' after the word, when not last in its sentence
	flags uint8
}

type sentence struct {
	items []item
	term  byte // '.', '?' or '!'
	para  bool // a paragraph break follows
}

// Edits counts the edits applied to make a copy.
type Edits struct {
	Subs  int `json:"subs"`
	Ins   int `json:"ins"`
	Dels  int `json:"dels"`
	Moves int `json:"moves"`
}

func newItem(r *rng, v *vocab) item {
	it := item{}
	if r.chance(0.015) {
		if r.chance(0.5) {
			it.w = -int32(1900 + r.intn(130))
		} else {
			it.w = -int32(1 + r.intn(500))
		}
	} else {
		it.w = v.sample(r)
		if r.chance(0.02) {
			it.flags |= flagPoss
		}
	}
	return it
}

// newText draws a document of about words words.
func newText(r *rng, v *vocab, words int) []sentence {
	var out []sentence
	for words > 0 {
		n := 5 + r.intn(12) + r.intn(12)
		if n > words || words-n < 3 {
			n = words
		}
		words -= n
		s := sentence{items: make([]item, n), term: '.'}
		for i := range s.items {
			s.items[i] = newItem(r, v)
			if i < n-1 {
				switch x := r.intn(1000); {
				case x < 70:
					s.items[i].punct = ','
				case x < 75:
					s.items[i].punct = ';'
				}
			}
		}
		if n >= 4 && r.chance(0.12) {
			a := r.intn(n - 2)
			b := a + 1 + r.intn(min(8, n-a-1))
			s.items[a].flags |= flagQOpen
			s.items[b].flags |= flagQClose
		}
		switch x := r.intn(100); {
		case x < 6:
			s.term = '?'
		case x < 9:
			s.term = '!'
		}
		s.para = r.chance(0.25)
		out = append(out, s)
	}
	return out
}

func countItems(ss []sentence) int {
	n := 0
	for _, s := range ss {
		n += len(s.items)
	}
	return n
}

// render appends the text of ss to dst. When spans is not nil, it appends
// the byte span [start, end) of every word (possessive included, quotation
// marks and punctuation excluded), two ints per item.
func render(dst []byte, v *vocab, ss []sentence, spans *[]int) []byte {
	first := true
	for si, s := range ss {
		for i, it := range s.items {
			if !first {
				if i == 0 && ss[si-1].para {
					dst = append(dst, '\n', '\n')
				} else {
					dst = append(dst, ' ')
				}
			}
			first = false
			if it.flags&flagQOpen != 0 {
				dst = append(dst, '"')
			}
			start := len(dst)
			if it.w < 0 {
				dst = strconv.AppendInt(dst, int64(-it.w), 10)
			} else if w := v.words[it.w]; i == 0 || v.proper[it.w] {
				dst = capitalize(dst, w)
			} else {
				dst = append(dst, w...)
			}
			if it.flags&flagPoss != 0 {
				dst = append(dst, '\'', 's')
			}
			if spans != nil {
				*spans = append(*spans, start, len(dst))
			}
			if i == len(s.items)-1 {
				dst = append(dst, s.term)
			} else if it.punct != 0 {
				dst = append(dst, it.punct)
			}
			if it.flags&flagQClose != 0 {
				dst = append(dst, '"')
			}
		}
	}
	return dst
}

// edit returns a copy of ss in which each word is, with probability rate,
// substituted (half the time), deleted or followed by an inserted word, and
// with about rate×sentences sentence moves when moves is set.
func edit(r *rng, v *vocab, ss []sentence, rate float64, moves bool) ([]sentence, Edits) {
	var ed Edits
	out := make([]sentence, 0, len(ss))
	for _, s := range ss {
		ns := sentence{items: make([]item, 0, len(s.items)+2), term: s.term, para: s.para}
		for _, it := range s.items {
			if !r.chance(rate) {
				ns.items = append(ns.items, it)
				continue
			}
			switch r.intn(4) {
			case 0, 1:
				nw := newItem(r, v)
				nw.punct, nw.flags = it.punct, it.flags
				ns.items = append(ns.items, nw)
				ed.Subs++
			case 2:
				ed.Dels++
			case 3:
				ns.items = append(ns.items, it, newItem(r, v))
				ed.Ins++
			}
		}
		if len(ns.items) > 0 {
			out = append(out, ns)
		}
	}
	if moves && len(out) > 1 {
		ed.Moves = r.round(rate * float64(len(out)))
		for k := 0; k < ed.Moves; k++ {
			from := r.intn(len(out))
			s := out[from]
			out = append(out[:from], out[from+1:]...)
			to := r.intn(len(out) + 1)
			out = append(out, sentence{})
			copy(out[to+1:], out[to:])
			out[to] = s
		}
	}
	return out, ed
}

// cut returns the words [a, a+n) of ss as sentences of their own: a cut
// sentence keeps its end mark only where the original sentence ended there,
// and gets a full stop otherwise.
func cut(ss []sentence, a, n int) []sentence {
	var out []sentence
	pos := 0
	for _, s := range ss {
		lo, hi := max(a-pos, 0), min(a+n-pos, len(s.items))
		if lo < hi {
			ns := sentence{items: append([]item(nil), s.items[lo:hi]...), term: '.'}
			if hi == len(s.items) {
				ns.term = s.term
			}
			for i := range ns.items {
				ns.items[i].flags &^= flagQOpen | flagQClose
			}
			out = append(out, ns)
		}
		pos += len(s.items)
	}
	return out
}
