// The peer: github.com/ekzhu/minhash-lsh with its github.com/dgryski/go-minhash
// signatures, used as its README shows, on the same shingles.
//
// Reading, tokenizing and signing run on all cores (a Minhash is not safe
// for concurrent use, so each document gets its own, all with one seed,
// which the peer requires for comparable signatures). Each shingle hash is
// pushed as its 8 little-endian bytes, which the peer hashes again with
// its two seeded FNV-1a functions. The index takes the peer's own (k, l)
// for the threshold (NewMinhashLSH, 32-bit values) and is filled from one
// goroutine, as Add is not safe for concurrent use; Index and Query are the
// peer's. Queries and exact verification of candidates run in parallel
// (Query only reads). Each pair is kept once, from its smaller document.

package bench

import (
	"encoding/binary"
	"runtime"
	"slices"
	"sync"
	"time"

	minhashlsh "github.com/ekzhu/minhash-lsh"
)

// PeerStats breaks the peer's run down.
type PeerStats struct {
	Read       ReadStats
	Insert     time.Duration // Add for every document, then Index
	Query      time.Duration // Query and verification
	K, L       int           // the peer's band parameters
	Candidates int64         // candidate pairs (each unordered pair once)
}

// Peer runs MinHash-LSH with numHash hash functions over the corpus at
// path and returns the verified pairs with Jaccard >= t, and the corpus.
func Peer(path string, ngram int, t float64, numHash int) ([]Pair, *Corpus, PeerStats, error) {
	var st PeerStats
	var mu sync.Mutex
	c := &Corpus{}
	var sigs [][]uint64
	const seed = 1
	var err error
	st.Read, err = Scan(path, ngram, 0, func(_, doc int, id string, sh []uint64) {
		set := slices.Clone(SortedSet(sh))
		mh := minhashlsh.NewMinhash(seed, numHash)
		var b [8]byte
		for _, h := range set {
			binary.LittleEndian.PutUint64(b[:], h)
			mh.Push(b[:])
		}
		sig := mh.Signature()
		mu.Lock()
		for len(c.IDs) <= doc {
			c.IDs = append(c.IDs, "")
			c.Sets = append(c.Sets, nil)
			sigs = append(sigs, nil)
		}
		c.IDs[doc], c.Sets[doc], sigs[doc] = id, set, sig
		mu.Unlock()
	})
	if err != nil {
		return nil, nil, st, err
	}
	t0 := time.Now()
	lsh := minhashlsh.NewMinhashLSH(numHash, t)
	st.K, st.L = lsh.Params()
	for d, sig := range sigs {
		if len(c.Sets[d]) > 0 {
			lsh.Add(d, sig)
		}
	}
	lsh.Index()
	t1 := time.Now()
	st.Insert = t1.Sub(t0)

	workers := runtime.GOMAXPROCS(0)
	found := make([][]Pair, workers)
	cands := make([]int64, workers)
	var wg sync.WaitGroup
	next := make(chan int, 256)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for x := range next {
				sx := c.Sets[x]
				for _, k := range lsh.Query(sigs[x]) {
					y := k.(int)
					if y <= x {
						continue
					}
					cands[w]++
					sy := c.Sets[y]
					o := Intersect(sx, sy)
					if IsPair(o, len(sx), len(sy), t) {
						found[w] = append(found[w], Pair{int32(x), int32(y), float64(o) / float64(len(sx)+len(sy)-o)})
					}
				}
			}
		}(w)
	}
	for x := range sigs {
		if len(c.Sets[x]) > 0 {
			next <- x
		}
	}
	close(next)
	wg.Wait()
	st.Query = time.Since(t1)
	var out []Pair
	for w := range found {
		out = append(out, found[w]...)
		st.Candidates += cands[w]
	}
	slices.SortFunc(out, func(p, q Pair) int {
		if p.A != q.A {
			return int(p.A - q.A)
		}
		return int(p.B - q.B)
	})
	return out, c, st, nil
}
