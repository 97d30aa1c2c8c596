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
	order := make([]int, len(ms))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return k.Compare(ms[a], ms[b]) })
	return order
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
