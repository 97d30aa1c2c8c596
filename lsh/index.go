// Candidate generation by grouping postings, not a hash table of buckets:
// the one postings engine for MinHash band keys (near-duplicates) and for anchor
// n-grams (reused passages).
//
// Every (key, document) posting goes, as it is added, into one of 256
// partitions by the top bits of its key: 12 bytes a posting (keys and
// documents in parallel arrays), in chunks that double up to 48 KB, no
// per-bucket allocation, no map. Chunks are never
// copied to grow (a single flat slice doubling would copy every posting
// about once more and hold up to twice its length), and Candidates()
// needs no partitioning pass: it flattens one partition at a time, freeing
// its chunks, groups the partitions' postings by key in parallel (a
// counting scatter by the next key bits, then tiny sorts: grouper),
// and emits every pair within each run of equal keys. Pairs are packed into one
// uint64 (a<<32 | b, a < b), sorted and counted, so the result is the same
// whatever the number of workers.
//
// Two knobs make the same engine serve anchors: MaxDF skips keys held by
// more documents than that (stock phrases: they would add MaxDF² pairs and
// locate nothing), and MinShared keeps only pairs that share at least that
// many keys. Band keys use neither (every shared band is a candidate).
//
// The same shape (sort runs, then merge) is what lets the index spill to
// disk for corpora larger than memory: runs sorted in bounded memory can be
// merged in one pass. Not done here: a cap on run length. A run of m equal
// keys yields m(m-1)/2 pairs; with exact duplicates folded away before
// banding, long runs are real near-duplicate families, whose pairs the user
// asked for.

package lsh

import (
	"cmp"
	"slices"
	"sync"
	"sync/atomic"
)

// Posting is one band key of one document.
type Posting struct {
	Key uint64
	Doc uint32
}

// Index holds the postings of all documents added so far. The zero value
// keeps everything in memory; NewIndex gives one with a memory budget.
type Index struct {
	// MaxDF, when positive, skips every key held by more documents.
	MaxDF int
	// MinShared, when above 1, keeps only pairs sharing at least that many
	// keys.
	MinShared int

	parts     [1 << partBits]chunks // postings held in memory, by the top bits of their keys
	n         int                   // postings held in memory
	budget    int                   // postings held in memory before a spill; 0: no limit
	dir       string                // where runs go
	runs      []string              // spilled run files
	runCounts []int                 // postings written to each run
	err       error                 // first spill error, reported by Candidates
}

// PostingBytes is the memory one band key of one document costs in the index.
const PostingBytes = 12

// Add records the band keys of document doc.
func (ix *Index) Add(doc uint32, keys []uint64) {
	if ix.err != nil {
		// The run fails at Candidates anyway; holding on to postings past
		// the budget would only grow memory.
		return
	}
	most := ix.chunkMax()
	for _, k := range keys {
		ix.parts[k>>(64-partBits)].add(Posting{Key: k, Doc: doc}, most)
	}
	ix.n += len(keys)
	if ix.budget > 0 && ix.n >= ix.budget && ix.err == nil {
		ix.err = ix.spill()
	}
}

// Len returns the number of postings held in memory.
func (ix *Index) Len() int { return ix.n }

// chunks holds one partition's postings in order: full chunks, then the
// one being filled, kept apart so that adding is one append. Keys and
// documents are held in parallel arrays, 12 bytes a posting where a
// Posting, padded, takes 16: a quarter less memory for what is the largest
// thing a run holds after the shingle sets. A partition becomes Postings
// only when it is grouped, one at a time.
type chunks struct {
	full []chunk
	cur  chunk
}

type chunk struct {
	keys []uint64
	docs []uint32
}

const (
	firstChunk = 16   // postings in a partition's first chunk: small indexes stay small
	maxChunk   = 4096 // 48 KB
)

func (c *chunks) add(p Posting, most int) {
	if len(c.cur.keys) == cap(c.cur.keys) {
		c.grow(most)
	}
	c.cur.keys = append(c.cur.keys, p.Key)
	c.cur.docs = append(c.cur.docs, p.Doc)
}

func (c *chunks) grow(most int) {
	size := firstChunk
	if n := cap(c.cur.keys); n > 0 {
		c.full = append(c.full, c.cur)
		size = min(2*n, most)
	}
	c.cur = chunk{keys: make([]uint64, 0, size), docs: make([]uint32, 0, size)}
}

// chunkMax is the largest chunk: maxChunk, or under a budget small enough
// that the partitions' last chunks, part empty, hold at most an eighth of
// it more.
func (ix *Index) chunkMax() int {
	if ix.budget == 0 {
		return maxChunk
	}
	return min(max(ix.budget/(8<<partBits), firstChunk), maxChunk)
}

func (c *chunks) len() int {
	n := len(c.cur.keys)
	for _, ch := range c.full {
		n += len(ch.keys)
	}
	return n
}

// flatten appends the postings to dst and lets go of the chunks.
func (c *chunks) flatten(dst []Posting) []Posting {
	dst = slices.Grow(dst, c.len())
	for _, ch := range append(c.full, c.cur) {
		for i, k := range ch.keys {
			dst = append(dst, Posting{Key: k, Doc: ch.docs[i]})
		}
	}
	*c = chunks{}
	return dst
}

// Pack packs a document pair into one uint64, smaller document first.
func Pack(a, b uint32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(b)
}

// Unpack is the inverse of Pack.
func Unpack(p uint64) (a, b uint32) { return uint32(p >> 32), uint32(p) }

const partBits = 8

// Candidates returns every pair of documents that share a key (MinShared
// keys, among keys held by at most MaxDF documents), packed with Pack,
// sorted and unique. It consumes the postings: the index is empty
// afterwards. An error comes only from spilling to disk.
func (ix *Index) Candidates(workers int) ([]uint64, error) {
	if ix.err != nil {
		ix.removeRuns()
		return nil, ix.err
	}
	if len(ix.runs) > 0 {
		return ix.mergeCandidates()
	}
	if workers < 1 {
		workers = 1
	}
	out := make([][]uint64, len(ix.parts))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each worker reuses its two buffers from partition to
			// partition: fresh ones cost a page fault every 4 KB.
			var buf []Posting
			var g grouper
			for p := range next {
				buf = ix.parts[p].flatten(buf[:0])
				out[p] = ix.pairsOf(buf, &g)
			}
		}()
	}
	for p := range ix.parts {
		next <- p
	}
	close(next)
	wg.Wait()
	ix.n = 0
	if ix.MinShared > 1 {
		return mergeCounted(out, ix.MinShared, workers), nil
	}
	return MergeUnique(out), nil
}

// pairsOf groups one partition's postings by key and returns the pairs
// within its runs of equal keys, sorted; unique unless MinShared counts
// them.
func (ix *Index) pairsOf(ps []Posting, g *grouper) []uint64 {
	ps = g.group(ps)
	// The pairs are counted first, a run of m keys making at most
	// m(m-1)/2, so that the list is allocated once, not grown by copying
	// (growing it took 0.12 CPU-s of the candidates on PAN 2013's content
	// keys).
	most := 0
	for i := 0; i < len(ps); {
		j := i + 1
		for j < len(ps) && ps[j].Key == ps[i].Key {
			j++
		}
		if m := j - i; ix.MaxDF <= 0 || m <= ix.MaxDF {
			most += m * (m - 1) / 2
		}
		i = j
	}
	pairs := make([]uint64, 0, most)
	for i := 0; i < len(ps); {
		j := i + 1
		for j < len(ps) && ps[j].Key == ps[i].Key {
			j++
		}
		pairs = ix.appendRun(pairs, ps[i:j])
		i = j
	}
	g.pairBuf = sortPairs(pairs, g.pairBuf)
	if ix.MinShared > 1 {
		return pairs
	}
	return slices.Compact(pairs)
}

// appendRun appends the pairs of one run of postings with equal keys,
// sorted by document, unless the key is too common.
func (ix *Index) appendRun(pairs []uint64, run []Posting) []uint64 {
	if ix.MaxDF > 0 && len(run) > ix.MaxDF {
		return pairs
	}
	for x := range run {
		for y := x + 1; y < len(run); y++ {
			if run[x].Doc != run[y].Doc {
				pairs = append(pairs, Pack(run[x].Doc, run[y].Doc))
			}
		}
	}
	return pairs
}

// mergeCounted merges sorted lists and keeps the values that occur at least
// min times in all, once each, on up to workers goroutines. The value range
// is cut at quantiles of a sample of the lists into pieces, each piece
// gathered from every list (by binary search: the lists are sorted),
// sorted and counted on its own, and the pieces' results concatenated in
// order. Every occurrence of a value falls in one piece, so the result is
// that of one sort of all the lists, whatever the number of workers; what
// changes is that the sort, a serial step after the parallel grouping
// (0.18 of reuse's 0.28 s of candidates on PAN 2013), runs on every core.
func mergeCounted(lists [][]uint64, min, workers int) []uint64 {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	if workers < 2 || n < 4*radixMin {
		return countSorted(slices.Concat(lists...), min)
	}
	cuts := quantiles(lists, 4*workers)
	// Piece k holds the values in [cuts[k-1], cuts[k]): the first from 0,
	// the last to the end.
	outs := make([][]uint64, len(cuts)+1)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf, scratch []uint64
			var span [][2]int
			for {
				k := int(next.Add(1)) - 1
				if k >= len(outs) {
					return
				}
				// Each list's part of the piece, found first, so that
				// the piece is gathered into a buffer grown once.
				span = span[:0]
				n := 0
				for _, l := range lists {
					lo, hi := 0, len(l)
					if k > 0 {
						lo, _ = slices.BinarySearch(l, cuts[k-1])
					}
					if k < len(cuts) {
						hi, _ = slices.BinarySearch(l, cuts[k])
					}
					span = append(span, [2]int{lo, hi})
					n += hi - lo
				}
				buf = slices.Grow(buf[:0], n)
				for x, l := range lists {
					buf = append(buf, l[span[x][0]:span[x][1]]...)
				}
				scratch = sortPairs(buf, scratch)
				outs[k] = slices.Clone(countRuns(buf, min))
			}
		}()
	}
	wg.Wait()
	return slices.Concat(outs...)
}

// countSorted sorts all and keeps the values that occur at least min
// times, once each, in all's memory.
func countSorted(all []uint64, min int) []uint64 {
	sortPairs(all, nil)
	return slices.Clip(countRuns(all, min))
}

// countRuns keeps, in place, the values of sorted v that occur at least
// min times, once each.
func countRuns(v []uint64, min int) []uint64 {
	out := v[:0]
	for i := 0; i < len(v); {
		j := i + 1
		for j < len(v) && v[j] == v[i] {
			j++
		}
		if j-i >= min {
			out = append(out, v[i])
		}
		i = j
	}
	return out
}

// quantiles returns up to pieces-1 distinct increasing values that cut the
// values of the sorted lists into pieces of about equal size, from a
// sample of each list (64 values, evenly spaced, the more of a list the
// longer it is, so that long lists weigh as much as they hold).
func quantiles(lists [][]uint64, pieces int) []uint64 {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	var sample []uint64
	for _, l := range lists {
		k := max(1, 64*pieces*len(l)/max(1, n))
		for x := range k {
			if len(l) > 0 {
				sample = append(sample, l[x*len(l)/k])
			}
		}
	}
	slices.Sort(sample)
	var cuts []uint64
	for k := 1; k < pieces; k++ {
		c := sample[k*len(sample)/pieces]
		if c > 0 && (len(cuts) == 0 || c > cuts[len(cuts)-1]) {
			cuts = append(cuts, c)
		}
	}
	return cuts
}

// grouper arranges postings so that equal keys are adjacent, which is all
// pairsOf needs: the pairs of a run do not depend on its order, and pairs
// are sorted at the end. One counting pass and one scatter by the 8 to 16
// key bits below the partition's (about one posting a bucket, as band keys
// and anchors are hashes), then each bucket sorted by key, where most hold
// one or two postings: a third of the memory traffic of sorting the
// partition by its 56 remaining key bits. A worker keeps one grouper, so
// its second buffer and its counts are allocated once, not per partition.
type grouper struct {
	tmp     []Posting
	count   []int32
	pairBuf []uint64 // sortPairs' scratch
}

// group returns ps grouped, in the grouper's buffer or, for a small
// partition, in ps; it is valid until the next call.
func (g *grouper) group(ps []Posting) []Posting {
	if len(ps) < 256 {
		sortPostings(ps)
		return ps
	}
	if cap(g.tmp) < len(ps) {
		g.tmp = make([]Posting, len(ps))
	}
	tmp := g.tmp[:len(ps)]
	bits := min(max(bitsFor(len(ps)), 8), 16)
	shift := uint(64 - partBits - bits)
	mask := uint64(1)<<bits - 1
	if cap(g.count) < 1<<bits {
		g.count = make([]int32, 1<<16)
	}
	count := g.count[:1<<bits]
	clear(count)
	for _, p := range ps {
		count[(p.Key>>shift)&mask]++
	}
	sum := int32(0)
	for b, c := range count {
		count[b] = sum // where bucket b starts
		sum += c
	}
	for _, p := range ps {
		b := (p.Key >> shift) & mask
		tmp[count[b]] = p
		count[b]++ // after the scatter: where bucket b ends
	}
	lo := int32(0)
	for _, hi := range count {
		if hi-lo > 1 {
			sortByKey(tmp[lo:hi])
		}
		lo = hi
	}
	return tmp
}

// bitsFor is the number of bits needed to count to n.
func bitsFor(n int) int {
	b := 0
	for n > 0 {
		b++
		n >>= 1
	}
	return b
}

// sortByKey orders a bucket's postings by key: insertion sort for the few
// postings most buckets hold, the standard sort past that.
func sortByKey(ps []Posting) {
	if len(ps) > 16 {
		slices.SortFunc(ps, func(x, y Posting) int { return cmp.Compare(x.Key, y.Key) })
		return
	}
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Key < ps[j-1].Key; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// sortPostings orders postings by key, then document.
func sortPostings(ps []Posting) {
	slices.SortFunc(ps, func(x, y Posting) int {
		switch {
		case x.Key < y.Key:
			return -1
		case x.Key > y.Key:
			return 1
		case x.Doc < y.Doc:
			return -1
		case x.Doc > y.Doc:
			return 1
		}
		return 0
	})
}

// MergeUnique merges sorted lists into one sorted list without duplicates.
func MergeUnique(lists [][]uint64) []uint64 {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	all := make([]uint64, 0, n)
	for _, l := range lists {
		all = append(all, l...)
	}
	sortPairs(all, nil)
	return slices.Compact(all)
}
