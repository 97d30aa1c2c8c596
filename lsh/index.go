// Candidate generation by sorting, not hashing into buckets: the one
// postings engine for MinHash band keys (near-duplicates) and for anchor
// n-grams (reused passages).
//
// Every (key, document) posting goes, as it is added, into one of 256
// partitions by the top bits of its key: 16 bytes a posting, in chunks that
// double up to 64 KB, no per-bucket allocation, no map. Chunks are never
// copied to grow (a single flat slice doubling would copy every posting
// about once more and hold up to twice its length), and Candidates()
// needs no partitioning pass: it flattens one partition at a time, freeing
// its chunks, sorts the partitions in parallel, and emits every pair within
// each run of equal keys. Pairs are packed into one
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
const PostingBytes = 16

// Add records the band keys of document doc.
func (ix *Index) Add(doc uint32, keys []uint64) {
	if ix.err != nil {
		// The run fails at Candidates anyway; holding on to postings past
		// the budget would only grow memory.
		return
	}
	for _, k := range keys {
		ix.parts[k>>(64-partBits)].add(Posting{Key: k, Doc: doc})
	}
	ix.n += len(keys)
	if ix.budget > 0 && ix.n >= ix.budget && ix.err == nil {
		ix.err = ix.spill()
	}
}

// Len returns the number of postings held in memory.
func (ix *Index) Len() int { return ix.n }

// chunks holds one partition's postings in order; every chunk but the last
// is full.
type chunks [][]Posting

const (
	firstChunk = 16   // postings in a partition's first chunk: small indexes stay small
	maxChunk   = 4096 // 64 KB
)

func (c *chunks) add(p Posting) {
	n := len(*c)
	if n == 0 || len((*c)[n-1]) == cap((*c)[n-1]) {
		size := firstChunk
		if n > 0 {
			size = min(2*cap((*c)[n-1]), maxChunk)
		}
		*c = append(*c, make([]Posting, 0, size))
		n++
	}
	(*c)[n-1] = append((*c)[n-1], p)
}

func (c chunks) len() int {
	n := 0
	for _, ch := range c {
		n += len(ch)
	}
	return n
}

// flatten appends the postings to dst and lets go of the chunks.
func (c *chunks) flatten(dst []Posting) []Posting {
	for i, ch := range *c {
		dst = append(dst, ch...)
		(*c)[i] = nil
	}
	*c = nil
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
			var buf, tmp []Posting
			for p := range next {
				buf = ix.parts[p].flatten(buf[:0])
				out[p], tmp = ix.pairsOf(buf, tmp)
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
		return mergeCounted(out, ix.MinShared), nil
	}
	return MergeUnique(out), nil
}

// pairsOf sorts one partition and returns the pairs within its runs,
// sorted; unique unless MinShared counts them, and the sort's second
// buffer (tmp, or a larger one), for reuse.
func (ix *Index) pairsOf(ps, tmp []Posting) ([]uint64, []Posting) {
	if cap(tmp) < len(ps) {
		tmp = make([]Posting, len(ps))
	}
	tmp = tmp[:cap(tmp)]
	ps = radixPostings(ps, tmp[:len(ps)])
	var pairs []uint64
	for i := 0; i < len(ps); {
		j := i + 1
		for j < len(ps) && ps[j].Key == ps[i].Key {
			j++
		}
		pairs = ix.appendRun(pairs, ps[i:j])
		i = j
	}
	slices.Sort(pairs)
	if ix.MinShared > 1 {
		return pairs, tmp
	}
	return slices.Compact(pairs), tmp
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
// min times in all, once each.
func mergeCounted(lists [][]uint64, min int) []uint64 {
	all := slices.Concat(lists...)
	slices.Sort(all)
	out := all[:0]
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j] == all[i] {
			j++
		}
		if j-i >= min {
			out = append(out, all[i])
		}
		i = j
	}
	return slices.Clip(out)
}

// radixPostings orders postings by key, then document, as sortPostings
// does, by least-significant-digit radix passes a byte at a time (the
// document's bytes first, unless the postings already come in document
// order, as every engine adds them; then the key's), skipping a byte every
// posting shares, such as a partition's top bits. It needs a second buffer
// as large as ps, which is why spilled runs, bounded by the memory budget,
// keep the comparison sort. tmp is that buffer, of ps's length. It returns
// the sorted postings, in ps's array or tmp's.
func radixPostings(ps, tmp []Posting) []Posting {
	if len(ps) < 256 {
		sortPostings(ps)
		return ps
	}
	var count [256]int
	pass := func(digit func(Posting) byte) {
		clear(count[:])
		for _, p := range ps {
			count[digit(p)]++
		}
		for _, c := range count {
			if c == len(ps) {
				return // every posting has this byte: the pass would change nothing
			}
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, p := range ps {
			d := digit(p)
			tmp[count[d]] = p
			count[d]++
		}
		ps, tmp = tmp, ps
	}
	if !slices.IsSortedFunc(ps, func(x, y Posting) int { return cmp.Compare(x.Doc, y.Doc) }) {
		for shift := uint(0); shift < 32; shift += 8 {
			pass(func(p Posting) byte { return byte(p.Doc >> shift) })
		}
	}
	for shift := uint(0); shift < 64; shift += 8 {
		pass(func(p Posting) byte { return byte(p.Key >> shift) })
	}
	return ps
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
	slices.Sort(all)
	return slices.Compact(all)
}
