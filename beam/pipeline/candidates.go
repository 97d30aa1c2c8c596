// From hashed documents to verified edges.
//
//	docs ─► exact groups     GroupByKey on the text hash (Meta only, no sets)
//	docs ─► band postings    one (band key, Post) per band per document, never per shingle
//	     ─► GroupByKey       a bucket per band key
//	     ─► candidate pairs  of group representatives, A < B
//	     ─► verify           CoGroupByKey with A's set, then with B's set; exact Jaccard
//
// Exact duplicates need no separate filtering before banding: documents
// with the same normalized text have the same set, so the same signature
// and the same band key in every band. Every bucket that holds one member
// of a text group holds all of them, and collapsing a bucket to the
// smallest Seq per text gives the group's representative, as the CLI's
// folding does.
//
// Verification is a two-step join: candidates keyed by A meet A's set and
// travel on, set in hand, to B, where B's set is; so each candidate pair
// carries one set through the shuffle. A pair found in several bands is
// sent once per band and deduplicated at A. Not done: combiner-side
// deduplication of pairs, and dropping documents that are in no candidate
// pair before the set join (both cut shuffle bytes; neither changes
// results).

package pipeline

import (
	"cmp"
	"context"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/reprint/reprint/token"
)

var (
	candCount = beam.NewCounter("reprint", "candidate_pairs")
	edgeCount = beam.NewCounter("reprint", "verified_pairs")
)

// groupsFn builds the exact-duplicate groups from the documents that share
// a text hash (and, against a hash collision, a word count).
type groupsFn struct {
	Keep string
}

func (f *groupsFn) ProcessElement(_ uint64, metas func(*Meta) bool, emit func(uint64, Group)) {
	var all []Meta
	var m Meta
	for metas(&m) {
		all = append(all, m)
	}
	slices.SortFunc(all, func(a, b Meta) int { return cmp.Or(cmp.Compare(a.Words, b.Words), cmp.Compare(a.Seq, b.Seq)) })
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j].Words == all[i].Words {
			j++
		}
		g := Group{Rep: all[i].Seq, Members: all[i:j:j]}
		g.Head = g.Members[0]
		for _, x := range g.Members[1:] {
			if comparePriority(f.Keep, x, g.Head) < 0 {
				g.Head = x
			}
		}
		emit(g.Rep, g)
		i = j
	}
}

// docMeta keys a document's Meta by its text hash.
func docMeta(d Doc) (uint64, Meta) { return d.Hash, d.Meta }

// docSet keys a document's set by its Seq.
func docSet(d Doc) (uint64, Set) { return d.Seq, Set{S: d.Set} }

// postings emits one posting per band key.
func postings(d Doc, emit func(uint64, Post)) {
	for _, k := range d.Keys {
		emit(k, Post{Seq: d.Seq, Hash: d.Hash, Words: d.Words})
	}
}

// bucketPairs emits the candidate pairs of one band bucket: every pair of
// distinct texts, each by its representative (smallest Seq), A < B.
func bucketPairs(_ uint64, posts func(*Post) bool, emit func(uint64, uint64)) {
	type text struct {
		h uint64
		w int64
	}
	rep := map[text]uint64{}
	var p Post
	for posts(&p) {
		k := text{p.Hash, p.Words}
		if r, ok := rep[k]; !ok || p.Seq < r {
			rep[k] = p.Seq
		}
	}
	if len(rep) < 2 {
		return
	}
	reps := make([]uint64, 0, len(rep))
	for _, r := range rep {
		reps = append(reps, r)
	}
	slices.Sort(reps)
	for i, a := range reps {
		for _, b := range reps[i+1:] {
			emit(a, b)
		}
	}
}

// joinA sends each distinct candidate (A, B) on to B with A's set.
func joinA(a uint64, sets func(*Set) bool, bs func(*uint64) bool, emit func(uint64, Half)) {
	var set Set
	if !sets(&set) {
		return
	}
	var all []uint64
	var b uint64
	for bs(&b) {
		all = append(all, b)
	}
	slices.Sort(all)
	all = slices.Compact(all)
	for _, b := range all {
		emit(b, Half{A: a, Set: set.S})
	}
}

// joinBFn computes the exact Jaccard of each (A, B) at B and emits the
// edges at or above Min.
type joinBFn struct {
	Min     float64
	Counted bool // count candidates and verified pairs
}

func (f *joinBFn) ProcessElement(ctx context.Context, b uint64, sets func(*Set) bool, halves func(*Half) bool, emit func(Edge)) {
	var set Set
	if !sets(&set) {
		return
	}
	var h Half
	for halves(&h) {
		inter := token.Overlap(h.Set, set.S)
		j := float64(inter) / float64(len(h.Set)+len(set.S)-inter)
		if f.Counted {
			candCount.Inc(ctx, 1)
		}
		if j >= f.Min {
			if f.Counted {
				edgeCount.Inc(ctx, 1)
			}
			emit(Edge{A: h.A, B: b, Inter: int64(inter), NA: int64(len(h.Set)), NB: int64(len(set.S)), J: j})
		}
	}
}

// verify computes exact Jaccard for the pairs in cands (KV<A, B>) from the
// sets (KV<Seq, Set>), keeping those at or above min.
func verify(s beam.Scope, sets, cands beam.PCollection, min float64, counted bool) beam.PCollection {
	halves := beam.ParDo(s, joinA, beam.CoGroupByKey(s, sets, cands))
	return beam.ParDo(s, &joinBFn{Min: min, Counted: counted}, beam.CoGroupByKey(s, sets, halves))
}
