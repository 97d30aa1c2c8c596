// The passage record every command, the index and the service print: a
// link between two documents with what trace found about it. One function
// builds it, so `reprint reuse` and `reprint index query` describe the same
// alignment with the same fields and the same rounding.

package trace

import "math"

// Passage is a stretch of text two documents share. Spans are byte offsets
// into each document's text exactly as read, half-open, on word
// boundaries.
type Passage struct {
	A           string  `json:"a"`
	AStart      int     `json:"a_start"`
	AEnd        int     `json:"a_end"`
	B           string  `json:"b"`
	BStart      int     `json:"b_start"`
	BEnd        int     `json:"b_end"`
	Words       int     `json:"words"`       // equal words
	Score       float64 `json:"score"`       // alignment score, in units of one matching word
	Identity    float64 `json:"identity"`    // equal words over aligned columns
	Kind        string  `json:"kind"`        // "verbatim", "edited" or "paraphrase" (align's kinds of reuse)
	Direction   string  `json:"direction"`   // "a->b", "b->a" or "unknown"
	Group       string  `json:"group"`       // passage group (the same text wherever it occurs)
	Boilerplate bool    `json:"boilerplate"` // the group is a source's own repeated text
	// ATextOf and BTextOf say what a side's offsets are offsets into when
	// it is not the document's bytes as read: "extracted" (the main text
	// of an HTML page) or "decoded" (a page converted to UTF-8).
	ATextOf string `json:"a_text_of,omitempty"`
	BTextOf string `json:"b_text_of,omitempty"`
}

// Passage returns link i of the links given to Build as a Passage, with
// docs the documents given to Build.
func (r Result) Passage(docs []Doc, l Link, i int) Passage {
	info := r.Links[i]
	p := l.P
	return Passage{
		A: docs[l.A].ID, AStart: p.AStart, AEnd: p.AEnd,
		B: docs[l.B].ID, BStart: p.BStart, BEnd: p.BEnd,
		Words: p.Words, Score: p.Score, Identity: math.Round(p.Identity*1e4) / 1e4, Kind: p.Kind,
		Direction: info.Direction, Group: r.Groups[info.Group].ID, Boilerplate: info.Boilerplate,
		ATextOf: docs[l.A].TextOf, BTextOf: docs[l.B].TextOf,
	}
}
