// Greedy clustering in rounds, without a central union-find.
//
// The CLI keeps documents in priority order and removes each one that has
// an already kept near-duplicate of higher priority, under the most
// similar such document (ties to the higher priority). The same decisions
// follow from a local rule: a node is removed as soon as any higher-
// priority neighbour is kept, and kept once every higher-priority neighbour
// is known to be removed. Each round is one CoGroupByKey of node states
// with the messages of the round before: a node that has just decided tells
// its lower-priority neighbours. A removed node stays until it has heard
// from every higher neighbour, so that the one it is removed under is the
// CLI's choice; a node that has decided and heard everything leaves the
// rounds with its Decision. Only nodes with edges take part; a group with
// none is kept without a round.
//
// Beam pipelines are graphs without loops, so the rounds are unrolled:
// Rounds of them (--rounds). A round in which nothing is left to do costs
// one empty shuffle. The number of rounds needed is the longest chain of
// decisions (a path a>b>c>... of alternating kept and removed nodes needs
// one round per node); near-duplicate families are small and shallow, so
// a few rounds finish nearly everything. Whatever is still undecided after
// the last round (states and messages in flight) goes to one worker, which
// runs the same step function to the end: the result is exact whatever
// --rounds is, and the counter greedy_leftover_nodes says how much that
// worker had to do.

package pipeline

import (
	"context"
	"fmt"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
)

var leftover = beam.NewCounter("reprint", "greedy_leftover_nodes")

// adjFn emits both ends of an edge, oriented by priority.
type adjFn struct{ Keep string }

func (f *adjFn) ProcessElement(e NodeEdge, emit func(uint64, Adj)) {
	hi, lo := e.U, e.V
	if higher(f.Keep, lo, hi) {
		hi, lo = lo, hi
	}
	emit(hi.Rep, Adj{Self: hi, Other: lo, Sim: e.J})
	emit(lo.Rep, Adj{Self: lo, Other: hi, Sim: e.J, Higher: true})
}

// initFn builds a node's state from its edges and takes its first step.
type initFn struct{ Keep string }

func (f *initFn) ProcessElement(_ uint64, adj func(*Adj) bool, states func(uint64, State), msgs func(uint64, Msg), decs func(uint64, Decision)) {
	var st State
	var a Adj
	for adj(&a) {
		st.Self = a.Self
		if a.Higher {
			st.Pending++
		} else {
			st.Lower = append(st.Lower, Nbr{N: a.Other, Sim: a.Sim})
		}
	}
	slices.SortFunc(st.Lower, func(x, y Nbr) int { return compareRep(x.N, y.N) })
	emitStep(f.Keep, &st, nil, states, msgs, decs)
}

// roundFn is one round: a node's state meets the messages sent to it.
type roundFn struct{ Keep string }

func (f *roundFn) ProcessElement(_ uint64, stIter func(*State) bool, msgIter func(*Msg) bool, states func(uint64, State), msgs func(uint64, Msg), decs func(uint64, Decision)) error {
	var st State
	if !stIter(&st) {
		var m Msg
		if msgIter(&m) {
			return fmt.Errorf("greedy: message from %q to a node that has left the rounds", m.From.Head.ID)
		}
		return nil
	}
	var in []Msg
	var m Msg
	for msgIter(&m) {
		in = append(in, m)
	}
	emitStep(f.Keep, &st, in, states, msgs, decs)
	return nil
}

func emitStep(keep string, st *State, in []Msg, states func(uint64, State), msgs func(uint64, Msg), decs func(uint64, Decision)) {
	out, dec, done := step(keep, st, in)
	for _, o := range out {
		msgs(o.to, o.m)
	}
	if done {
		decs(st.Self.Rep, dec)
	} else {
		states(st.Self.Rep, *st)
	}
}

type addressed struct {
	to uint64
	m  Msg
}

// step applies a node's incoming messages and, when the node decides,
// returns the messages for its lower neighbours; done means the node has
// decided and heard from every higher neighbour.
func step(keep string, st *State, in []Msg) (out []addressed, dec Decision, done bool) {
	for _, m := range in {
		st.Pending--
		if !m.Kept {
			continue
		}
		if !st.HasBest || m.Sim > st.BestSim || (m.Sim == st.BestSim && higher(keep, m.From, st.Best)) {
			st.HasBest, st.Best, st.BestSim = true, m.From, m.Sim
		}
	}
	if st.Status == undecided {
		switch {
		case st.HasBest:
			st.Status = removed
		case st.Pending == 0:
			st.Status = kept
		}
		if st.Status != undecided {
			for _, n := range st.Lower {
				out = append(out, addressed{to: n.N.Rep, m: Msg{From: st.Self, Kept: st.Status == kept, Sim: n.Sim}})
			}
		}
	}
	if st.Status == undecided || st.Pending > 0 {
		return out, Decision{}, false
	}
	dec = Decision{N: st.Self, Kept: st.Status == kept}
	if !dec.Kept {
		dec.By, dec.Sim = st.Best, st.BestSim
	}
	return out, dec, true
}

func compareRep(a, b Node) int {
	switch {
	case a.Rep < b.Rep:
		return -1
	case a.Rep > b.Rep:
		return 1
	}
	return 0
}

// toOne keys anything by 0, to gather it on one worker.
func toOneState(_ uint64, s State) (int, State) { return 0, s }
func toOneMsg(to uint64, m Msg) (int, InFlight) {
	return 0, InFlight{To: to, M: m}
}

// InFlight is a message in flight after the last round.
type InFlight struct {
	To uint64
	M  Msg
}

// finishFn runs the rounds left after the unrolled ones on one worker.
type finishFn struct{ Keep string }

func (f *finishFn) ProcessElement(ctx context.Context, _ int, stIter func(*State) bool, msgIter func(*InFlight) bool, decs func(uint64, Decision)) error {
	states := map[uint64]*State{}
	var st State
	for stIter(&st) {
		s := st
		states[s.Self.Rep] = &s
	}
	leftover.Inc(ctx, int64(len(states)))
	inbox := map[uint64][]Msg{}
	var am InFlight
	for msgIter(&am) {
		inbox[am.To] = append(inbox[am.To], am.M)
	}
	for len(states) > 0 {
		reps := make([]uint64, 0, len(states))
		for r := range states {
			reps = append(reps, r)
		}
		slices.Sort(reps)
		next := map[uint64][]Msg{}
		progress := false
		for _, r := range reps {
			in := inbox[r]
			st := states[r]
			before := *st
			out, dec, done := step(f.Keep, st, in)
			for _, o := range out {
				next[o.to] = append(next[o.to], o.m)
			}
			if done {
				decs(r, dec)
				delete(states, r)
			}
			if done || len(in) > 0 || len(out) > 0 || before.Status != st.Status {
				progress = true
			}
		}
		for to := range next {
			if _, ok := states[to]; !ok {
				return fmt.Errorf("greedy: message to a node that has left the rounds")
			}
		}
		if !progress {
			return fmt.Errorf("greedy: %d nodes cannot decide", len(states))
		}
		inbox = next
	}
	return nil
}

// greedy computes the Decision (KV<Rep, Decision>) of every node of the
// clustering graph in rounds.
func greedy(s beam.Scope, graph beam.PCollection, keep string, rounds int) beam.PCollection {
	s = s.Scope("Greedy")
	adj := beam.ParDo(s, &adjFn{Keep: keep}, graph)
	states, msgs, dec0 := beam.ParDo3(s, &initFn{Keep: keep}, beam.GroupByKey(s, adj))
	decs := []beam.PCollection{dec0}
	for i := 0; i < rounds; i++ {
		rs := s.Scope(fmt.Sprintf("Round%d", i+1))
		var d beam.PCollection
		states, msgs, d = beam.ParDo3(rs, &roundFn{Keep: keep}, beam.CoGroupByKey(rs, states, msgs))
		decs = append(decs, d)
	}
	fs := s.Scope("Finish")
	last := beam.ParDo(fs, &finishFn{Keep: keep}, beam.CoGroupByKey(fs, beam.ParDo(fs, toOneState, states), beam.ParDo(fs, toOneMsg, msgs)))
	return beam.Flatten(s, append(decs, last)...)
}
