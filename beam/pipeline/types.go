// The element types that flow between the pipeline's stages, and their
// coders.
//
// Every type that crosses a shuffle has a hand-written binary coder
// (registered in register.go): fixed 8-byte words for shingle sets, varints
// for counts, length-prefixed strings. Beam's default struct coding goes
// through schemas, which do not cover every unsigned type and cost more per
// element; sets are most of the shuffled bytes, so they are written as they
// are held. Not done: compression of sets (delta/varint coding would save
// little on mixed 64-bit hashes).

package pipeline

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/reprint/reprint/neardup"
)

// FileIn is one input file and its place in the input order.
type FileIn struct {
	Index int64  // position among the inputs, after glob expansion
	Path  string // local path or any Beam filesystem path (gs://, s3://, ...)
	Name  string // the kept corpus's file name for this input
}

// Meta is what is kept of a document once it is hashed: the fields the keep
// policy orders by, and the exact-duplicate key.
type Meta struct {
	Seq   uint64 // input order: file index << 40 | record number in the file
	ID    string
	Date  string
	Bytes int64  // text length
	Hash  uint64 // token.TextHash of the normalized text
	Words int64  // tokens
}

// Doc is a hashed document: its Meta, its sorted duplicate-free shingle set
// and its band keys.
type Doc struct {
	Meta
	Set  []uint64
	Keys []uint64
}

// Set is a document's sorted, duplicate-free shingle set.
type Set struct{ S []uint64 }

// Post is one document in one band bucket.
type Post struct {
	Seq   uint64
	Hash  uint64
	Words int64
}

// Half is a candidate pair (A, B) carrying A's set, on its way to B's.
type Half struct {
	A   uint64
	Set []uint64
}

// Edge is a verified pair of text groups, by their representatives' Seq.
type Edge struct {
	A, B   uint64
	Inter  int64
	NA, NB int64 // set sizes
	J      float64
}

// Group is a set of documents with the same normalized text. Rep is the
// first in input order (whose set stands for all); Head is the one the keep
// policy ranks best, through which the group takes part in clustering.
type Group struct {
	Rep     uint64
	Head    Meta
	Members []Meta // in input order, Rep first
}

// EdgeA is an Edge joined with its A side's group.
type EdgeA struct {
	E  Edge
	GA Group
}

// Node is a text group in the clustering graph.
type Node struct {
	Rep  uint64
	Head Meta
}

// NodeEdge is an edge of the clustering graph with its similarity.
type NodeEdge struct {
	U, V Node
	J    float64
}

// Adj is one end of a NodeEdge seen from Self: Other is a neighbour that
// ranks higher (Higher) or lower in keep priority.
type Adj struct {
	Self, Other Node
	Sim         float64
	Higher      bool
}

// Nbr is a lower-priority neighbour and the similarity to it.
type Nbr struct {
	N   Node
	Sim float64
}

// State is a node's state in the greedy rounds.
type State struct {
	Self    Node
	Pending int64 // higher-priority neighbours not yet heard from
	Status  int64 // undecided, kept or removed
	HasBest bool  // a kept higher-priority neighbour is known
	Best    Node  // the best such neighbour so far
	BestSim float64
	Lower   []Nbr
}

// Msg tells a node the final status of one higher-priority neighbour.
type Msg struct {
	From Node
	Kept bool
	Sim  float64
}

// Decision is the outcome for one text group's head.
type Decision struct {
	N    Node
	Kept bool
	By   Node // the kept node this one was removed under
	Sim  float64
}

// Link is an undirected edge of the components graph seen from Self.
type Link struct {
	Self, Other Node
}

// Statuses of a node in the greedy rounds.
const (
	undecided int64 = iota
	kept
	removed
)

// wbuf and rbuf are the coders' byte writer and reader.
type wbuf struct{ b []byte }

func (w *wbuf) u(x uint64)  { w.b = binary.AppendUvarint(w.b, x) }
func (w *wbuf) i(x int64)   { w.b = binary.AppendVarint(w.b, x) }
func (w *wbuf) f(x float64) { w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(x)) }
func (w *wbuf) s(x string)  { w.u(uint64(len(x))); w.b = append(w.b, x...) }
func (w *wbuf) bool(x bool) {
	if x {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}
func (w *wbuf) words(x []uint64) {
	w.u(uint64(len(x)))
	for _, v := range x {
		w.b = binary.LittleEndian.AppendUint64(w.b, v)
	}
}

type rbuf struct {
	b   []byte
	err error
}

var errShort = errors.New("pipeline: short element")

func (r *rbuf) u() uint64 {
	x, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return x
}
func (r *rbuf) i() int64 {
	x, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return x
}
func (r *rbuf) f() float64 {
	if len(r.b) < 8 {
		r.fail()
		return 0
	}
	x := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return math.Float64frombits(x)
}
func (r *rbuf) s() string {
	n := r.u()
	if uint64(len(r.b)) < n {
		r.fail()
		return ""
	}
	x := string(r.b[:n])
	r.b = r.b[n:]
	return x
}
func (r *rbuf) bool() bool {
	if len(r.b) < 1 {
		r.fail()
		return false
	}
	x := r.b[0] == 1
	r.b = r.b[1:]
	return x
}
func (r *rbuf) words() []uint64 {
	n := r.u()
	if uint64(len(r.b)) < 8*n {
		r.fail()
		return nil
	}
	x := make([]uint64, n)
	for i := range x {
		x[i] = binary.LittleEndian.Uint64(r.b[8*i:])
	}
	r.b = r.b[8*n:]
	return x
}
func (r *rbuf) fail() {
	if r.err == nil {
		r.err = errShort
	}
	r.b = nil
}

func (m Meta) put(w *wbuf) {
	w.u(m.Seq)
	w.s(m.ID)
	w.s(m.Date)
	w.i(m.Bytes)
	w.u(m.Hash)
	w.i(m.Words)
}
func getMeta(r *rbuf) Meta {
	return Meta{Seq: r.u(), ID: r.s(), Date: r.s(), Bytes: r.i(), Hash: r.u(), Words: r.i()}
}
func (n Node) put(w *wbuf) { w.u(n.Rep); n.Head.put(w) }
func getNode(r *rbuf) Node { return Node{Rep: r.u(), Head: getMeta(r)} }

// One encoder and decoder per registered type. They are plain functions,
// not generic ones, because Beam ships coders to workers by name.

func encFileIn(x FileIn) ([]byte, error) {
	var w wbuf
	w.i(x.Index)
	w.s(x.Path)
	w.s(x.Name)
	return w.b, nil
}
func decFileIn(b []byte) (FileIn, error) {
	r := rbuf{b: b}
	x := FileIn{Index: r.i(), Path: r.s(), Name: r.s()}
	return x, r.err
}

func encMeta(x Meta) ([]byte, error) { var w wbuf; x.put(&w); return w.b, nil }
func decMeta(b []byte) (Meta, error) {
	r := rbuf{b: b}
	x := getMeta(&r)
	return x, r.err
}

func encDoc(x Doc) ([]byte, error) {
	var w wbuf
	x.Meta.put(&w)
	w.words(x.Set)
	w.words(x.Keys)
	return w.b, nil
}
func decDoc(b []byte) (Doc, error) {
	r := rbuf{b: b}
	x := Doc{Meta: getMeta(&r)}
	x.Set = r.words()
	x.Keys = r.words()
	return x, r.err
}

func encSet(x Set) ([]byte, error) { var w wbuf; w.words(x.S); return w.b, nil }
func decSet(b []byte) (Set, error) {
	r := rbuf{b: b}
	x := Set{S: r.words()}
	return x, r.err
}

func encPost(x Post) ([]byte, error) {
	var w wbuf
	w.u(x.Seq)
	w.u(x.Hash)
	w.i(x.Words)
	return w.b, nil
}
func decPost(b []byte) (Post, error) {
	r := rbuf{b: b}
	x := Post{Seq: r.u(), Hash: r.u(), Words: r.i()}
	return x, r.err
}

func encHalf(x Half) ([]byte, error) { var w wbuf; w.u(x.A); w.words(x.Set); return w.b, nil }
func decHalf(b []byte) (Half, error) {
	r := rbuf{b: b}
	x := Half{A: r.u(), Set: r.words()}
	return x, r.err
}

func (x Edge) put(w *wbuf) {
	w.u(x.A)
	w.u(x.B)
	w.i(x.Inter)
	w.i(x.NA)
	w.i(x.NB)
	w.f(x.J)
}
func getEdge(r *rbuf) Edge {
	return Edge{A: r.u(), B: r.u(), Inter: r.i(), NA: r.i(), NB: r.i(), J: r.f()}
}
func encEdge(x Edge) ([]byte, error) { var w wbuf; x.put(&w); return w.b, nil }
func decEdge(b []byte) (Edge, error) {
	r := rbuf{b: b}
	x := getEdge(&r)
	return x, r.err
}

func (x Group) put(w *wbuf) {
	w.u(x.Rep)
	x.Head.put(w)
	w.u(uint64(len(x.Members)))
	for _, m := range x.Members {
		m.put(w)
	}
}
func getGroup(r *rbuf) Group {
	x := Group{Rep: r.u(), Head: getMeta(r)}
	n := r.u()
	for i := uint64(0); i < n && r.err == nil; i++ {
		x.Members = append(x.Members, getMeta(r))
	}
	return x
}
func encGroup(x Group) ([]byte, error) { var w wbuf; x.put(&w); return w.b, nil }
func decGroup(b []byte) (Group, error) {
	r := rbuf{b: b}
	x := getGroup(&r)
	return x, r.err
}

func encEdgeA(x EdgeA) ([]byte, error) { var w wbuf; x.E.put(&w); x.GA.put(&w); return w.b, nil }
func decEdgeA(b []byte) (EdgeA, error) {
	r := rbuf{b: b}
	x := EdgeA{E: getEdge(&r), GA: getGroup(&r)}
	return x, r.err
}

func encNode(x Node) ([]byte, error) { var w wbuf; x.put(&w); return w.b, nil }
func decNode(b []byte) (Node, error) {
	r := rbuf{b: b}
	x := getNode(&r)
	return x, r.err
}

func encNodeEdge(x NodeEdge) ([]byte, error) {
	var w wbuf
	x.U.put(&w)
	x.V.put(&w)
	w.f(x.J)
	return w.b, nil
}
func decNodeEdge(b []byte) (NodeEdge, error) {
	r := rbuf{b: b}
	x := NodeEdge{U: getNode(&r), V: getNode(&r), J: r.f()}
	return x, r.err
}

func encAdj(x Adj) ([]byte, error) {
	var w wbuf
	x.Self.put(&w)
	x.Other.put(&w)
	w.f(x.Sim)
	w.bool(x.Higher)
	return w.b, nil
}
func decAdj(b []byte) (Adj, error) {
	r := rbuf{b: b}
	x := Adj{Self: getNode(&r), Other: getNode(&r), Sim: r.f(), Higher: r.bool()}
	return x, r.err
}

func encState(x State) ([]byte, error) {
	var w wbuf
	x.Self.put(&w)
	w.i(x.Pending)
	w.i(x.Status)
	w.bool(x.HasBest)
	x.Best.put(&w)
	w.f(x.BestSim)
	w.u(uint64(len(x.Lower)))
	for _, n := range x.Lower {
		n.N.put(&w)
		w.f(n.Sim)
	}
	return w.b, nil
}
func decState(b []byte) (State, error) {
	r := rbuf{b: b}
	x := State{Self: getNode(&r), Pending: r.i(), Status: r.i(), HasBest: r.bool(), Best: getNode(&r), BestSim: r.f()}
	n := r.u()
	for i := uint64(0); i < n && r.err == nil; i++ {
		x.Lower = append(x.Lower, Nbr{N: getNode(&r), Sim: r.f()})
	}
	return x, r.err
}

func encMsg(x Msg) ([]byte, error) {
	var w wbuf
	x.From.put(&w)
	w.bool(x.Kept)
	w.f(x.Sim)
	return w.b, nil
}
func decMsg(b []byte) (Msg, error) {
	r := rbuf{b: b}
	x := Msg{From: getNode(&r), Kept: r.bool(), Sim: r.f()}
	return x, r.err
}

func encDecision(x Decision) ([]byte, error) {
	var w wbuf
	x.N.put(&w)
	w.bool(x.Kept)
	x.By.put(&w)
	w.f(x.Sim)
	return w.b, nil
}
func decDecision(b []byte) (Decision, error) {
	r := rbuf{b: b}
	x := Decision{N: getNode(&r), Kept: r.bool(), By: getNode(&r), Sim: r.f()}
	return x, r.err
}

func encLink(x Link) ([]byte, error) { var w wbuf; x.Self.put(&w); x.Other.put(&w); return w.b, nil }
func decLink(b []byte) (Link, error) {
	r := rbuf{b: b}
	x := Link{Self: getNode(&r), Other: getNode(&r)}
	return x, r.err
}

func encPair(x neardup.Pair) ([]byte, error) {
	var w wbuf
	w.s(x.A)
	w.s(x.B)
	w.f(x.Jaccard)
	w.f(x.ContainmentA)
	w.f(x.ContainmentB)
	return w.b, nil
}
func decPair(b []byte) (neardup.Pair, error) {
	r := rbuf{b: b}
	x := neardup.Pair{A: r.s(), B: r.s(), Jaccard: r.f(), ContainmentA: r.f(), ContainmentB: r.f()}
	return x, r.err
}

func encRemoved(x neardup.Removed) ([]byte, error) {
	var w wbuf
	w.s(x.ID)
	w.f(x.Jaccard)
	return w.b, nil
}
func decRemoved(b []byte) (neardup.Removed, error) {
	r := rbuf{b: b}
	x := neardup.Removed{ID: r.s(), Jaccard: r.f()}
	return x, r.err
}

func encInFlight(x InFlight) ([]byte, error) {
	var w wbuf
	w.u(x.To)
	x.M.From.put(&w)
	w.bool(x.M.Kept)
	w.f(x.M.Sim)
	return w.b, nil
}
func decInFlight(b []byte) (InFlight, error) {
	r := rbuf{b: b}
	x := InFlight{To: r.u(), M: Msg{From: getNode(&r), Kept: r.bool(), Sim: r.f()}}
	return x, r.err
}
