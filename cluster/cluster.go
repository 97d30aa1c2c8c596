// Both policies are deterministic: ties in similarity go to the kept
// document that comes first in the priority order, and the priority order
// itself is total (the caller breaks its last ties by ID).

package cluster

// Edge is a verified near-duplicate pair.
type Edge struct {
	A, B int
	Sim  float64
}

// Decision is what happens to one document.
type Decision struct {
	Kept bool
	By   int     // the kept document this one was removed under; -1 when kept
	Sim  float64 // similarity to By
}

// Greedy keeps documents in priority order unless an already kept
// near-duplicate exists. order lists every document 0..n-1 once.
func Greedy(n int, order []int, edges []Edge) []Decision {
	rank := ranks(n, order)
	adj := adjacency(n, edges)
	out := make([]Decision, n)
	for _, d := range order {
		best, bestSim := -1, -1.0
		for _, e := range adj[d] {
			o := e.A
			if o == d {
				o = e.B
			}
			if rank[o] > rank[d] || !out[o].Kept {
				continue
			}
			if e.Sim > bestSim || (e.Sim == bestSim && rank[o] < rank[best]) {
				best, bestSim = o, e.Sim
			}
		}
		if best < 0 {
			out[d] = Decision{Kept: true, By: -1}
		} else {
			out[d] = Decision{By: best, Sim: bestSim}
		}
	}
	return out
}

// Components keeps the highest-priority document of each connected
// component and removes the rest under it; sim gives the similarity of a
// removed document to its kept one, which need not be an edge.
func Components(n int, order []int, edges []Edge, sim func(a, b int) float64) []Decision {
	rank := ranks(n, order)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, e := range edges {
		a, b := find(e.A), find(e.B)
		if a == b {
			continue
		}
		// The root is always the component's best-ranked document.
		if rank[a] < rank[b] {
			parent[b] = a
		} else {
			parent[a] = b
		}
	}
	out := make([]Decision, n)
	for d := 0; d < n; d++ {
		r := find(d)
		if r == d {
			out[d] = Decision{Kept: true, By: -1}
		} else {
			out[d] = Decision{By: r, Sim: sim(d, r)}
		}
	}
	return out
}

func ranks(n int, order []int) []int {
	rank := make([]int, n)
	for i, d := range order {
		rank[d] = i
	}
	return rank
}

func adjacency(n int, edges []Edge) [][]Edge {
	deg := make([]int, n)
	for _, e := range edges {
		deg[e.A]++
		deg[e.B]++
	}
	adj := make([][]Edge, n)
	for i := range adj {
		adj[i] = make([]Edge, 0, deg[i])
	}
	for _, e := range edges {
		adj[e.A] = append(adj[e.A], e)
		adj[e.B] = append(adj[e.B], e)
	}
	return adj
}
