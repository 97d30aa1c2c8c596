// Keep priority: the order in which the greedy policy considers documents,
// the same order as the CLI's (reprint's pairs.go, priority()).
//
// A node is compared through its head, the group member the policy ranks
// best. KeepFirst compares input order, which here is (file index, record
// number): the CLI's running record number over the same inputs sorts the
// same way.

package pipeline

import (
	"cmp"
	"strings"
)

// Keep policies, as the CLI's --keep names them.
const (
	KeepEarliest = "earliest" // earliest dated (undated last), then longest, then smallest ID
	KeepLongest  = "longest"  // longest, then smallest ID
	KeepFirst    = "first"    // first read
)

// comparePriority orders two documents best-to-keep first.
func comparePriority(keep string, a, b Meta) int {
	switch keep {
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

// higher reports whether node a ranks before node b.
func higher(keep string, a, b Node) bool { return comparePriority(keep, a.Head, b.Head) < 0 }
