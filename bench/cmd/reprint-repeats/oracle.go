// The exact oracle: the same definition of a repeated span as the repeats
// engine, computed the plain way. Every window of minWords normalized words
// becomes a string key (the words joined by a zero byte) in a map to its
// first place, visiting documents in keep order and positions in order;
// every other place of the key is a removed window; consecutive removed
// windows with the same kept offset join into one span. No hashing, no
// sorting of records, no spilling, no second read: what the engine does to
// scale is exactly what is left out, so equal output checks it.
//
// Costs: the map holds every distinct window's words, about minWords×7
// bytes a word of text, so it is for small corpora only.

package main

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/reprint/reprint/cluster"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/token"
)

type place struct {
	ID    string `json:"id"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// oracleSpan has the shape of a line of reprint repeats --spans.
type oracleSpan struct {
	ID    string `json:"id"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Words int    `json:"words"`
	Kept  place  `json:"kept"`
}

type odoc struct {
	d     corpus.Doc
	seq   int
	toks  []token.Token
	words []string
}

// oracleFile reads a corpus as every command does (problems and repeated
// IDs skipped) and returns its spans and its number of words.
func oracleFile(path string, minWords int, keep cluster.Keep) ([]oracleSpan, int, error) {
	c, err := corpus.Open([]string{path}, corpus.Options{})
	if err != nil {
		return nil, 0, err
	}
	defer c.Close()
	tz := token.New()
	var docs []odoc
	seen := map[string]bool{}
	words := 0
	err = c.Scan(context.Background(), func(r corpus.Record) error {
		d, err := c.Decode(r)
		if err != nil || seen[d.ID] {
			return nil
		}
		toks := tz.Tokens(d.Text, d.Start, nil)
		if len(toks) == 0 {
			return nil
		}
		seen[d.ID] = true
		od := odoc{d: d, seq: r.Seq, toks: toks}
		for _, t := range toks {
			od.words = append(od.words, tz.Normalize(d.Text[t.Start:t.End]))
		}
		words += len(toks)
		docs = append(docs, od)
		return nil
	}, func(*corpus.Problem) {})
	if err != nil {
		return nil, 0, err
	}
	return oracle(docs, minWords, keep), words, nil
}

func oracle(docs []odoc, w int, keep cluster.Keep) []oracleSpan {
	ms := make([]cluster.Member, len(docs))
	for i, d := range docs {
		ms[i] = cluster.Member{ID: d.d.ID, Date: d.d.Date, Bytes: int64(len(d.d.Text)), Seq: uint64(d.seq)}
	}
	key := func(d, p int) string { return strings.Join(docs[d].words[p:p+w], "\x00") }
	first := map[string][2]int{}
	for _, d := range keep.Order(ms) {
		for p := 0; p+w <= len(docs[d].words); p++ {
			if _, ok := first[key(d, p)]; !ok {
				first[key(d, p)] = [2]int{d, p}
			}
		}
	}
	type sp struct{ doc, kdoc, start, end, kstart int }
	var out []oracleSpan
	for d := range docs {
		var spans []sp
		open := map[[2]int]int{}
		for p := 0; p+w <= len(docs[d].words); p++ {
			f := first[key(d, p)]
			if f == [2]int{d, p} {
				continue
			}
			k := [2]int{f[0], f[1] - p}
			if i, ok := open[k]; ok && spans[i].end == p-1+w {
				spans[i].end = p + w
				continue
			}
			open[k] = len(spans)
			spans = append(spans, sp{d, f[0], p, p + w, f[1]})
		}
		slices.SortFunc(spans, func(x, y sp) int {
			return cmp.Or(cmp.Compare(x.start, y.start), cmp.Compare(x.kdoc, y.kdoc), cmp.Compare(x.kstart, y.kstart))
		})
		for _, s := range spans {
			t, kt := docs[d].toks, docs[s.kdoc].toks
			ke := s.kstart + s.end - s.start
			out = append(out, oracleSpan{ID: docs[d].d.ID, Start: t[s.start].Start, End: t[s.end-1].End, Words: s.end - s.start,
				Kept: place{ID: docs[s.kdoc].d.ID, Start: kt[s.kstart].Start, End: kt[ke-1].End}})
		}
	}
	return out
}
