// Keep policies: which document of a cluster stays. The CLI's dedup, the
// repeated-span remover and the Beam pipeline all order documents with
// Keep.Compare, so they keep the same document of the same cluster.

package cluster

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Keep is the policy that decides which document of a cluster stays.
type Keep string

const (
	// KeepEarliest keeps the earliest dated document, then the longest, then
	// the smallest ID; undated documents come after dated ones.
	KeepEarliest Keep = "earliest"
	// KeepLongest keeps the longest document, then the smallest ID.
	KeepLongest Keep = "longest"
	// KeepFirst keeps the document read first.
	KeepFirst Keep = "first"
)

// ParseKeep returns the policy named s; "" is KeepEarliest.
func ParseKeep(s string) (Keep, error) {
	switch k := Keep(s); k {
	case "":
		return KeepEarliest, nil
	case KeepEarliest, KeepLongest, KeepFirst:
		return k, nil
	}
	return "", fmt.Errorf("keep policy %q: must be earliest, longest or first", s)
}

// Member is what a keep policy looks at in a document.
type Member struct {
	ID    string
	Date  string // YYYY-MM-DD or "" when unknown; compared as a string
	Bytes int64  // text length
	Seq   uint64 // input order
}

// Compare orders two documents best-to-keep first; it is total when IDs
// are distinct.
func (k Keep) Compare(a, b Member) int {
	switch k {
	case KeepFirst:
		return cmp.Compare(a.Seq, b.Seq)
	case KeepLongest:
		return cmp.Or(-cmp.Compare(a.Bytes, b.Bytes), strings.Compare(a.ID, b.ID))
	}
	if (a.Date == "") != (b.Date == "") {
		if a.Date == "" {
			return 1
		}
		return -1
	}
	return cmp.Or(strings.Compare(a.Date, b.Date), -cmp.Compare(a.Bytes, b.Bytes), strings.Compare(a.ID, b.ID))
}

// Order returns the indexes of ms, best to keep first.
func (k Keep) Order(ms []Member) []int {
	if keys, ok := k.sortKeys(ms); ok {
		// The same order, by a number that stands for everything Compare
		// looks at before the ID: a dedup of a million documents sorted a
		// third of them, and comparing date strings through ms was most of
		// that serial step.
		slices.SortFunc(keys, func(a, b keyed) int {
			return cmp.Or(cmp.Compare(a.key, b.key), strings.Compare(a.id, b.id))
		})
		order := make([]int, len(keys))
		for r, x := range keys {
			order[r] = int(x.i)
		}
		return order
	}
	order := make([]int, len(ms))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return k.Compare(ms[a], ms[b]) })
	return order
}

// keyed is a member's sort key, its ID for ties, and its index.
type keyed struct {
	key uint64
	id  string
	i   int
}

// sortKeys returns, for the earliest and longest policies, a key per member
// whose order is Compare's up to the ID: the date as the number YYYYMMDD
// (a missing date above them all) in the top bits, then the length,
// inverted. false when a date is not written YYYY-MM-DD or a length does
// not fit in 36 bits: then Order compares members as Compare does.
func (k Keep) sortKeys(ms []Member) ([]keyed, bool) {
	if k != KeepEarliest && k != KeepLongest && k != "" {
		return nil, false
	}
	const bytesBits = 36
	out := make([]keyed, len(ms))
	for i, m := range ms {
		if m.Bytes < 0 || m.Bytes >= 1<<bytesBits {
			return nil, false
		}
		key := uint64(1<<bytesBits - 1 - m.Bytes)
		if k != KeepLongest {
			day, ok := dayNumber(m.Date)
			if !ok {
				return nil, false
			}
			key |= day << bytesBits
		}
		out[i] = keyed{key: key, id: m.ID, i: i}
	}
	return out, true
}

// dayNumber maps "" to the largest number (undated members go last) and a
// date written YYYY-MM-DD to a number in the order of the strings.
func dayNumber(d string) (uint64, bool) {
	if d == "" {
		return 1 << 27, true // above every YYYYMMDD (< 10^8 < 2^27)
	}
	if len(d) != 10 || d[4] != '-' || d[7] != '-' {
		return 0, false
	}
	var n uint64
	for i, c := range []byte(d) {
		if i == 4 || i == 7 {
			continue
		}
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true // YYYYMMDD: fixed-width digits keep the strings' order
}

// Mode is how near-duplicate pairs form clusters.
type Mode string

const (
	// ModeGreedy clusters do not chain: every removed document is a
	// near-duplicate of the document kept for it (Greedy).
	ModeGreedy Mode = "greedy"
	// ModeComponents are transitive clusters: connected components of the
	// near-duplicate graph (Components).
	ModeComponents Mode = "components"
)

// ParseMode returns the mode named s; "" is ModeGreedy.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case "":
		return ModeGreedy, nil
	case ModeGreedy, ModeComponents:
		return m, nil
	}
	return "", fmt.Errorf("cluster mode %q: must be greedy or components", s)
}
