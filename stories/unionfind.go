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
