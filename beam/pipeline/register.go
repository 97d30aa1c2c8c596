// Registration of every function, DoFn, emitter, iterator and coder with
// Beam, so that workers (which re-run this binary with --worker) find them
// by name and call them without reflection.

package pipeline

import (
	"context"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/reprint/reprint/neardup"
)

func typeOf[T any]() reflect.Type { return reflect.TypeOf((*T)(nil)).Elem() }

func init() {
	beam.RegisterCoder(typeOf[FileIn](), encFileIn, decFileIn)
	beam.RegisterCoder(typeOf[Meta](), encMeta, decMeta)
	beam.RegisterCoder(typeOf[Doc](), encDoc, decDoc)
	beam.RegisterCoder(typeOf[Set](), encSet, decSet)
	beam.RegisterCoder(typeOf[Post](), encPost, decPost)
	beam.RegisterCoder(typeOf[Half](), encHalf, decHalf)
	beam.RegisterCoder(typeOf[Edge](), encEdge, decEdge)
	beam.RegisterCoder(typeOf[Group](), encGroup, decGroup)
	beam.RegisterCoder(typeOf[EdgeA](), encEdgeA, decEdgeA)
	beam.RegisterCoder(typeOf[Node](), encNode, decNode)
	beam.RegisterCoder(typeOf[NodeEdge](), encNodeEdge, decNodeEdge)
	beam.RegisterCoder(typeOf[Adj](), encAdj, decAdj)
	beam.RegisterCoder(typeOf[State](), encState, decState)
	beam.RegisterCoder(typeOf[Msg](), encMsg, decMsg)
	beam.RegisterCoder(typeOf[InFlight](), encInFlight, decInFlight)
	beam.RegisterCoder(typeOf[Decision](), encDecision, decDecision)
	beam.RegisterCoder(typeOf[Link](), encLink, decLink)
	beam.RegisterCoder(typeOf[Entry](), encEntry, decEntry)
	beam.RegisterCoder(typeOf[neardup.Pair](), encPair, decPair)
	beam.RegisterCoder(typeOf[neardup.Removed](), encRemoved, decRemoved)

	register.Function1x2(docID)
	register.Function3x0(laterSeqs)
	register.Function1x2(docMeta)
	register.Function1x2(docSet)
	register.Function2x0(postings)
	register.Function3x0(bucketPairs)
	register.Function4x0(joinA)
	register.Function1x2(edgeA)
	register.Function4x0(joinGroupA)
	register.Function5x0(joinGroupB)
	register.Function3x0(groupPairs)
	register.Function2x2(toOneState)
	register.Function2x2(toOneMsg)
	register.Function2x0(links)
	register.Function1x2(toOneEdge)
	register.Function2x2(decisionPair)
	register.Function4x1(withSim)
	register.Function5x0(membersFn)
	register.Function1x2(toOnePair)
	register.Function2x2(toOneEntry)
	register.Function1x2(fileIndex)

	register.DoFn3x1[context.Context, FileIn, func(Doc), error](&hashFn{})
	register.DoFn4x0[context.Context, Doc, func(*uint64) bool, func(Doc)](&dropSeqsFn{})
	register.DoFn3x0[uint64, func(*Meta) bool, func(uint64, Group)](&groupsFn{})
	register.DoFn5x0[context.Context, uint64, func(*Set) bool, func(*Half) bool, func(Edge)](&joinBFn{})
	register.DoFn2x0[NodeEdge, func(uint64, Adj)](&adjFn{})
	register.DoFn5x0[uint64, func(*Adj) bool, func(uint64, State), func(uint64, Msg), func(uint64, Decision)](&initFn{})
	register.DoFn6x1[uint64, func(*State) bool, func(*Msg) bool, func(uint64, State), func(uint64, Msg), func(uint64, Decision), error](&roundFn{})
	register.DoFn5x1[context.Context, int, func(*State) bool, func(*InFlight) bool, func(uint64, Decision), error](&finishFn{})
	register.DoFn3x0[uint64, func(*Link) bool, func(NodeEdge)](&starFn{})
	register.DoFn3x1[int, func(*NodeEdge) bool, func(uint64, Decision), error](&unionFn{})
	register.DoFn3x1[context.Context, int, func(*neardup.Pair) bool, error](&writePairsFn{})
	register.DoFn3x1[context.Context, int, func(*Entry) bool, error](&writeClustersFn{})
	register.DoFn4x1[context.Context, int64, func(*FileIn) bool, func(*int64) bool, error](&writeKeptFn{})

	register.Emitter1[Doc]()
	register.Emitter1[uint64]()
	register.Emitter1[Edge]()
	register.Emitter1[neardup.Pair]()
	register.Emitter1[NodeEdge]()
	register.Emitter2[uint64, Post]()
	register.Emitter2[uint64, uint64]()
	register.Emitter2[uint64, Half]()
	register.Emitter2[uint64, Group]()
	register.Emitter2[uint64, EdgeA]()
	register.Emitter2[uint64, Adj]()
	register.Emitter2[uint64, State]()
	register.Emitter2[uint64, Msg]()
	register.Emitter2[uint64, Decision]()
	register.Emitter2[uint64, Link]()
	register.Emitter2[string, neardup.Removed]()
	register.Emitter2[int64, int64]()

	register.Iter1[uint64]()
	register.Iter1[int64]()
	register.Iter1[Meta]()
	register.Iter1[Post]()
	register.Iter1[Set]()
	register.Iter1[Half]()
	register.Iter1[Edge]()
	register.Iter1[Group]()
	register.Iter1[EdgeA]()
	register.Iter1[Adj]()
	register.Iter1[State]()
	register.Iter1[Msg]()
	register.Iter1[InFlight]()
	register.Iter1[Decision]()
	register.Iter1[Link]()
	register.Iter1[NodeEdge]()
	register.Iter1[neardup.Pair]()
	register.Iter1[Entry]()
	register.Iter1[FileIn]()
}
