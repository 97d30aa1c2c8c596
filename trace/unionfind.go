// Union-find with path halving and union by size: near-constant time per
// operation, and the representative is a plain index, so results do not
// depend on map order.

package trace

type unionFind struct{ parent, size []int }

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int, n), size: make([]int, n)}
	for i := range u.parent {
		u.parent[i], u.size[i] = i, 1
	}
	return u
}

func (u *unionFind) find(x int) int {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

func (u *unionFind) union(x, y int) {
	x, y = u.find(x), u.find(y)
	if x == y {
		return
	}
	if u.size[x] < u.size[y] || u.size[x] == u.size[y] && y < x {
		x, y = y, x
	}
	u.parent[y] = x
	u.size[x] += u.size[y]
}
