// Scoring: pairs are compared by document ID, so systems that number
// documents differently still agree; a pair is the two IDs in byte order.

package bench

// IDPair is a pair of document IDs with A < B byte-wise.
type IDPair struct{ A, B string }

// MakeIDPair orders a and b.
func MakeIDPair(a, b string) IDPair {
	if b < a {
		a, b = b, a
	}
	return IDPair{a, b}
}

// IDPairs turns numbered pairs into a set of ID pairs.
func IDPairs(ids []string, ps []Pair) map[IDPair]bool {
	m := make(map[IDPair]bool, len(ps))
	for _, p := range ps {
		m[MakeIDPair(ids[p.A], ids[p.B])] = true
	}
	return m
}

// Score returns recall and precision of found against truth. An empty
// truth gives recall 1; an empty found gives precision 1.
func Score(found, truth map[IDPair]bool) (recall, precision float64) {
	hit := 0
	for p := range found {
		if truth[p] {
			hit++
		}
	}
	recall, precision = 1, 1
	if len(truth) > 0 {
		recall = float64(hit) / float64(len(truth))
	}
	if len(found) > 0 {
		precision = float64(hit) / float64(len(found))
	}
	return recall, precision
}
