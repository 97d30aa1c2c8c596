// The oracle: exact all-pairs Jaccard similarity join, AllPairs/PPJoin
// style (Bayardo et al. 2007; Xiao et al. 2008).
//
// Shingles are ordered globally by rarity: every (shingle, element) entry
// is scattered into 256 buckets by its top hash byte, each bucket is
// sorted in parallel, and each shingle's document frequency read off. A
// shingle that occurs in one document only can never be shared, so it is
// dropped from the sets and only counted (it sorts first, being rarest);
// every other shingle gets a key freq<<40 | dense id, so a set sorted by
// key is in rarity order. Documents are processed by increasing set size.
// A document x probes the inverted index with its first |x|-⌈t|x|⌉+1
// elements (the prefix filter: any y with J(x,y) >= t shares one of them),
// skips postings of sets too small to qualify (the size filter, applied
// once per list since lists grow in size order), and prunes y when the
// count so far plus the remaining positions cannot reach the required
// overlap ⌈t/(1+t)(|x|+|y|)⌉ (the positional filter); then it indexes its
// first |x|-⌈2t/(1+t)|x|⌉+1 elements. Survivors are verified by merging
// the two sorted key lists. All bounds round towards keeping more, so
// the join is exact, which TestOracleMatchesBruteForce checks against the
// O(n²) definition.
//
// Deliberately not done: parallel probing (the join is a small share of
// the oracle's time next to reading and sorting) and suffix filtering.

package bench

import (
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/reprint/reprint/token"
)

// Pair is a pair of documents by number, A < B.
type Pair struct {
	A, B    int32
	Jaccard float64
}

// IsPair is the one test every system's pairs are held to: the Jaccard of
// sets of sizes na and nb sharing inter elements is at least t.
func IsPair(inter, na, nb int, t float64) bool {
	u := na + nb - inter
	return u > 0 && float64(inter)/float64(u) >= t
}

// Intersect counts the common elements of two sorted sets.
func Intersect(a, b []uint64) int { return token.Overlap(a, b) }

// BruteForce compares every pair of sets: the definition, O(n²).
func BruteForce(sets [][]uint64, t float64) []Pair {
	var out []Pair
	for a := range sets {
		for b := a + 1; b < len(sets); b++ {
			o := Intersect(sets[a], sets[b])
			if IsPair(o, len(sets[a]), len(sets[b]), t) {
				out = append(out, Pair{int32(a), int32(b), float64(o) / float64(len(sets[a])+len(sets[b])-o)})
			}
		}
	}
	return out
}

const eps = 1e-9

// ceilDown is ⌈x⌉ computed so that rounding error can only make it smaller.
func ceilDown(x float64) int { return int(math.Ceil(x - eps)) }

type entry struct {
	h   uint64
	ref uint32 // index of the element in the flattened sets
}

// Oracle returns every pair of sets with Jaccard >= t, sorted by (A, B).
func Oracle(sets [][]uint64, t float64) []Pair {
	nd := len(sets)
	offs := make([]int, nd+1)
	for d, s := range sets {
		offs[d+1] = offs[d] + len(s)
	}
	total := offs[nd]
	workers := runtime.GOMAXPROCS(0)

	// Scatter into buckets by top byte.
	var count [257]int
	for _, s := range sets {
		for _, h := range s {
			count[h>>56+1]++
		}
	}
	for b := 1; b <= 256; b++ {
		count[b] += count[b-1]
	}
	ents := make([]entry, total)
	fill := count
	ref := uint32(0)
	for _, s := range sets {
		for _, h := range s {
			ents[fill[h>>56]] = entry{h, ref}
			fill[h>>56]++
			ref++
		}
	}
	// Sort buckets, count shared shingles per bucket, then give them keys.
	keys := make([]uint64, total) // 0 for a shingle in one document only
	var shared [256]int
	parallel(workers, 256, func(b int) {
		bk := ents[count[b]:count[b+1]]
		slices.SortFunc(bk, func(x, y entry) int {
			switch {
			case x.h < y.h:
				return -1
			case x.h > y.h:
				return 1
			}
			return 0
		})
		for i := 0; i < len(bk); {
			j := i + 1
			for j < len(bk) && bk[j].h == bk[i].h {
				j++
			}
			if j-i > 1 {
				shared[b]++
			}
			i = j
		}
	})
	base := 0
	var first [256]int
	for b := range shared {
		first[b] = base
		base += shared[b]
	}
	nShared := base
	parallel(workers, 256, func(b int) {
		bk := ents[count[b]:count[b+1]]
		id := first[b]
		for i := 0; i < len(bk); {
			j := i + 1
			for j < len(bk) && bk[j].h == bk[i].h {
				j++
			}
			if j-i > 1 {
				k := uint64(min(j-i, 1<<24-1))<<40 | uint64(id)
				for _, e := range bk[i:j] {
					keys[e.ref] = k
				}
				id++
			}
			i = j
		}
	})
	ents = nil

	// Reduced sets: shared keys only, sorted; singles counted.
	single := make([]int32, nd)
	red := make([][]uint64, nd)
	parallel(workers, nd, func(d int) {
		ks := keys[offs[d]:offs[d+1]]
		r := ks[:0] // compacts in place: keys are not used again
		for _, k := range ks {
			if k != 0 {
				r = append(r, k)
			}
		}
		slices.Sort(r)
		single[d] = int32(len(ks) - len(r))
		red[d] = r
	})

	size := func(d int32) int { return len(sets[d]) }
	order := make([]int32, 0, nd)
	for d := range sets {
		if len(sets[d]) > 0 {
			order = append(order, int32(d))
		}
	}
	slices.SortStableFunc(order, func(x, y int32) int { return size(x) - size(y) })

	indexPrefix := func(d int32) int {
		n := size(d)
		return min(n, n-ceilDown(2*t/(1+t)*float64(n))+1)
	}
	// Postings in CSR form, filled in processing order.
	type posting struct {
		doc int32
		pos int32 // position in the full rarity order, singles included
	}
	lstart := make([]int, nShared+1)
	for _, d := range order {
		u := int(single[d])
		for i := u; i < indexPrefix(d); i++ {
			lstart[red[d][i-u]&(1<<40-1)+1]++
		}
	}
	for i := 1; i <= nShared; i++ {
		lstart[i] += lstart[i-1]
	}
	post := make([]posting, lstart[nShared])
	lfill := slices.Clone(lstart[:nShared])
	lhead := slices.Clone(lstart[:nShared])

	acc := make([]int32, nd) // overlap so far; -1 pruned
	var touched []int32
	var out []Pair
	for _, x := range order {
		nx, u := size(x), int(single[x])
		rx := red[x]
		probe := min(nx, nx-ceilDown(t*float64(nx))+1)
		minSize := t*float64(nx) - eps
		for i := u; i < probe; i++ {
			l := rx[i-u] & (1<<40 - 1)
			for lhead[l] < lfill[l] && float64(size(post[lhead[l]].doc)) < minSize {
				lhead[l]++
			}
			for _, p := range post[lhead[l]:lfill[l]] {
				y := p.doc
				if acc[y] < 0 {
					continue
				}
				ny := size(y)
				alpha := ceilDown(t / (1 + t) * float64(nx+ny))
				ub := 1 + min(nx-i-1, ny-int(p.pos)-1)
				if acc[y] == 0 {
					touched = append(touched, y)
				}
				if int(acc[y])+ub >= alpha {
					acc[y]++
				} else {
					acc[y] = -1
				}
			}
		}
		for _, y := range touched {
			if acc[y] > 0 {
				o := Intersect(rx, red[y])
				if IsPair(o, nx, size(y), t) {
					a, b := min(x, y), max(x, y)
					out = append(out, Pair{a, b, float64(o) / float64(nx+size(y)-o)})
				}
			}
			acc[y] = 0
		}
		touched = touched[:0]
		for i := u; i < indexPrefix(x); i++ {
			l := rx[i-u] & (1<<40 - 1)
			post[lfill[l]] = posting{x, int32(i)}
			lfill[l]++
		}
	}
	slices.SortFunc(out, func(p, q Pair) int {
		if p.A != q.A {
			return int(p.A - q.A)
		}
		return int(p.B - q.B)
	})
	return out
}

// parallel calls fn(i) for i in [0, n) on workers goroutines.
func parallel(workers, n int, fn func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
