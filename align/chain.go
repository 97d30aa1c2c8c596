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
func chains(segs []segment, maxGap int) [][]link {
	n := len(segs)
	if n == 0 {
		return nil
	}
	score := make([]float64, n)
	pred := make([]int, n)
	shift := make([]int, n)
	for k, s := range segs {
		score[k], pred[k] = float64(s.n), -1
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
	order := make([]int, n)
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
	used := make([]bool, n)
	var out [][]link
	for _, k := range order {
		if used[k] {
			continue
		}
		var c []link
		for p := k; p >= 0 && !used[p]; p = pred[p] {
			used[p] = true
			c = append(c, link{segs[p], shift[p]})
		}
		c[len(c)-1].shift = 0 // its predecessor, if any, is another chain's
		slices.Reverse(c)
		out = append(out, c)
	}
	return out
}

// gapCost is the chaining penalty for skipping ga words of A and gb of B.
func gapCost(ga, gb int) float64 {
	d := ga - gb
	if d < 0 {
		d = -d
	}
	return 0.5*float64(d) + 0.25*float64(min(ga, gb))
}
