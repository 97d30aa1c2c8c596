// Chaining: which segments belong to one passage.
//
// A dynamic program over segments sorted by their start in A, as in
// minimap2: a segment may follow any of the previous maxPred segments that
// starts before it in both documents and ends at most MaxGap words before it
// in each (overlaps are trimmed off the later segment along its diagonal).
// A link scores the words it adds minus a cost for the gap, growing with the
// shift between diagonals (an insertion or deletion) more than with the
// words both sides lost (a substitution). Chains are then read off greedily
// from the best-scoring end, each segment used once, so a pair of documents
// yields several chains, in any order relative to each other: moved
// paragraphs are separate chains.
//
// Deliberately not done: chaining across more than MaxGap words. A long
// insertion splits a passage in two; both halves are still reported.

package align

import "slices"

const maxPred = 64 // predecessors examined per segment

// link is one segment of a chain, trimmed by shift words at its start.
type link struct {
	seg   segment
	shift int
}

// chains groups segments into co-linear chains, each in order of position.
// The chains and the program's tables live in sc, valid until its next
// use: a pair's chains are aligned and dropped before the next pair's are
// made.
func chains(segs []segment, maxGap int, sc *chainScratch) [][]link {
	n := len(segs)
	if n == 0 {
		return nil
	}
	sc.score = slices.Grow(sc.score[:0], n)[:n]
	sc.pred = slices.Grow(sc.pred[:0], n)[:n]
	sc.shift = slices.Grow(sc.shift[:0], n)[:n]
	score, pred, shift := sc.score, sc.pred, sc.shift
	for k, s := range segs {
		score[k], pred[k], shift[k] = float64(s.n), -1, 0
		for p := k - 1; p >= 0 && p >= k-maxPred; p-- {
			q := segs[p]
			if q.i >= s.i || q.j >= s.j || q.i+q.n > s.i+s.n || q.j+q.n > s.j+s.n {
				continue
			}
			sh := max(0, q.i+q.n-s.i, q.j+q.n-s.j)
			if sh >= s.n {
				continue
			}
			ga, gb := s.i+sh-(q.i+q.n), s.j+sh-(q.j+q.n)
			if ga > maxGap || gb > maxGap {
				continue
			}
			c := score[p] + float64(s.n-sh) - gapCost(ga, gb)
			if c > score[k] {
				score[k], pred[k], shift[k] = c, p, sh
			}
		}
	}
	order := slices.Grow(sc.order[:0], n)[:n]
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(x, y int) int {
		switch {
		case score[x] > score[y]:
			return -1
		case score[x] < score[y]:
			return 1
		}
		return 0
	})
	used := fill(sc.used, n, false)
	// Every segment goes to one chain, so the links fit in n: the chains
	// are cut from one buffer, which is never grown while they are.
	links := slices.Grow(sc.links[:0], n)
	out := sc.out[:0]
	for _, k := range order {
		if used[k] {
			continue
		}
		start := len(links)
		for p := k; p >= 0 && !used[p]; p = pred[p] {
			used[p] = true
			links = append(links, link{segs[p], shift[p]})
		}
		c := links[start:len(links):len(links)]
		c[len(c)-1].shift = 0 // its predecessor, if any, is another chain's
		slices.Reverse(c)
		out = append(out, c)
	}
	sc.order, sc.used, sc.links, sc.out = order, used, links, out
	return out
}

// chainScratch is chains' working memory, reused across pairs.
type chainScratch struct {
	score []float64
	pred  []int
	shift []int
	order []int
	used  []bool
	links []link
	out   [][]link
}

// gapCost is the chaining penalty for skipping ga words of A and gb of B.
func gapCost(ga, gb int) float64 {
	d := ga - gb
	if d < 0 {
		d = -d
	}
	return 0.5*float64(d) + 0.25*float64(min(ga, gb))
}
