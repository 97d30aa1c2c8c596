package stories

// unionFind is a disjoint-set forest over 0..n-1 (path halving; a join
// keeps the smaller root, so roots, and what is derived from them, do not
// depend on the order of the joins).
type unionFind []int32

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = int32(i)
	}
	return u
}

// find returns x's root.
func (u unionFind) find(x int32) int32 {
	for u[x] != x {
		u[x] = u[u[x]]
		x = u[x]
	}
	return x
}

// join puts the sets of roots a and b together under the smaller.
func (u unionFind) join(a, b int32) { u[max(a, b)] = min(a, b) }

// union puts the sets of a and b together and reports whether they were
// apart.
func (u unionFind) union(a, b int32) bool {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return false
	}
	u.join(ra, rb)
	return true
}

// relabel returns assign with each group replaced by its set's number,
// sets numbered by their first item, so that the groups a join made are
// numbered as a fresh grouping would number them.
func (u unionFind) relabel(assign []int32) []int32 {
	out := make([]int32, len(assign))
	num := make([]int32, len(u)) // a root's number plus one; 0 for none yet
	next := int32(0)
	for k, g := range assign {
		r := u.find(g)
		if num[r] == 0 {
			next++
			num[r] = next
		}
		out[k] = num[r] - 1
	}
	return out
}

// regroup is what a join of groups returns: assign[:n] relabelled when
// joined, else assign as it is, and joined.
func (u unionFind) regroup(assign []int32, n int, joined bool) ([]int32, bool) {
	if !joined {
		return assign, false
	}
	return u.relabel(assign[:n]), true
}
