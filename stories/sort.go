// Sorting and selecting the terms of one vector, the hot inner step of
// weighing and of the single pass: vectors are short (Terms = 48 terms,
// centroids at most 2 × CentroidTerms before pruning, a document's raw
// terms a few hundred), and sorting them through slices.SortFunc paid a
// call of the comparator per comparison, a quarter of the single pass.
// These are the same orders with the comparison inlined: insertion sort up
// to 24 terms, quicksort (median of three) above. Both orders are total on
// a vector (its hashes are distinct), so any correct sort gives the same
// sequence as any other; nothing here may be used on terms with repeated
// hashes, where an unstable sort's order of equal hashes would change
// any sum taken in that order.
//
// heaviest selects the k heaviest terms without ordering them
// (quickselect, expected linear): enough where only the set counts, and a
// sort of k afterwards where the order does too.

package stories

// heavier reports whether a comes before b in byWeight's order: heavier,
// or as heavy with the smaller hash.
func heavier(a, b term) bool { return a.w > b.w || (a.w == b.w && a.h < b.h) }

// sortByHash sorts v by hash; v's hashes must be distinct.
func sortByHash(v []term) {
	for len(v) > 24 {
		p := pivotByHash(v)
		i, j := 0, len(v)-1
		for i <= j {
			for v[i].h < p {
				i++
			}
			for v[j].h > p {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		// Recurse into the smaller side, loop on the larger.
		if j+1 < len(v)-i {
			sortByHash(v[:j+1])
			v = v[i:]
		} else {
			sortByHash(v[i:])
			v = v[:j+1]
		}
	}
	for i := 1; i < len(v); i++ {
		t := v[i]
		j := i
		for j > 0 && v[j-1].h > t.h {
			v[j] = v[j-1]
			j--
		}
		v[j] = t
	}
}

func pivotByHash(v []term) uint64 {
	a, b, c := v[0].h, v[len(v)/2].h, v[len(v)-1].h
	if a > b {
		a, b = b, a
	}
	if b > c {
		b = c
	}
	if a > b {
		b = a
	}
	return b
}

// sortByWeight sorts v in byWeight's order; v's hashes must be distinct.
func sortByWeight(v []term) {
	for len(v) > 24 {
		p := pivotByWeight(v)
		i, j := 0, len(v)-1
		for i <= j {
			for heavier(v[i], p) {
				i++
			}
			for heavier(p, v[j]) {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		if j+1 < len(v)-i {
			sortByWeight(v[:j+1])
			v = v[i:]
		} else {
			sortByWeight(v[i:])
			v = v[:j+1]
		}
	}
	for i := 1; i < len(v); i++ {
		t := v[i]
		j := i
		for j > 0 && heavier(t, v[j-1]) {
			v[j] = v[j-1]
			j--
		}
		v[j] = t
	}
}

func pivotByWeight(v []term) term {
	a, b, c := v[0], v[len(v)/2], v[len(v)-1]
	if heavier(b, a) {
		a, b = b, a
	}
	if heavier(c, b) {
		b = c
	}
	if heavier(b, a) {
		b = a
	}
	return b
}

// heaviest reorders v so that v[:k] holds its k heaviest terms (in
// byWeight's order, which is total on distinct hashes), in no particular
// order; v's hashes must be distinct.
func heaviest(v []term, k int) {
	lo, hi := 0, len(v) // the k-th heaviest lies in v[lo:hi]
	for k > lo && k < hi && hi-lo > 24 {
		p := pivotByWeight(v[lo:hi])
		i, j := lo, hi-1
		for i <= j {
			for heavier(v[i], p) {
				i++
			}
			for heavier(p, v[j]) {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		// v[lo:j+1] ≥ p ≥ v[i:hi], and v[j+1:i] equal p.
		switch {
		case k <= j+1:
			hi = j + 1
		case k >= i:
			lo = i
		default:
			return
		}
	}
	if k > lo && k < hi {
		sortByWeight(v[lo:hi])
	}
}
