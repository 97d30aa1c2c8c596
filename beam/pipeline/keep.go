// Keep priority: the order in which the greedy policy considers documents,
// the CLI's own (package cluster's Keep).
//
// A node is compared through its head, the group member the policy ranks
// best. KeepFirst compares input order, which here is (file index, record
// number): the CLI's running record number over the same inputs sorts the
// same way.

package pipeline

import "github.com/reprint/reprint/cluster"

// Keep policies, as the CLI's --keep names them.
const (
	KeepEarliest = string(cluster.KeepEarliest) // earliest dated (undated last), then longest, then smallest ID
	KeepLongest  = string(cluster.KeepLongest)  // longest, then smallest ID
	KeepFirst    = string(cluster.KeepFirst)    // first read
)

// comparePriority orders two documents best-to-keep first, by the policy
// the CLI uses (cluster.Keep).
func comparePriority(keep string, a, b Meta) int {
	return cluster.Keep(keep).Compare(member(a), member(b))
}

func member(m Meta) cluster.Member {
	return cluster.Member{ID: m.ID, Date: m.Date, Bytes: m.Bytes, Seq: m.Seq}
}

// higher reports whether node a ranks before node b.
func higher(keep string, a, b Node) bool { return comparePriority(keep, a.Head, b.Head) < 0 }
