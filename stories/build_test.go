package stories

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// majorityReference is majority by its definition: count, for every pair
// of items, the runs that put them together; join the pairs more than
// half of the runs do, and close under transitivity.
func majorityReference(runs [][]int32) []int32 {
	n := len(runs[0])
	label := make([]int32, n)
	for i := range label {
		label[i] = int32(i)
	}
	relabel := func(from, to int32) {
		for i := range label {
			if label[i] == from {
				label[i] = to
			}
		}
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			c := 0
			for _, r := range runs {
				if r[i] == r[j] {
					c++
				}
			}
			if 2*c > len(runs) && label[i] != label[j] {
				relabel(max(label[i], label[j]), min(label[i], label[j]))
			}
		}
	}
	// Number the groups by first item.
	num := map[int32]int32{}
	out := make([]int32, n)
	for i, l := range label {
		g, ok := num[l]
		if !ok {
			g = int32(len(num))
			num[l] = g
		}
		out[i] = g
	}
	return out
}

func TestMajorityMatchesPairCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(40)
		runs := make([][]int32, 1+rng.IntN(maxPasses))
		for r := range runs {
			groups := 1 + rng.IntN(n)
			runs[r] = make([]int32, n)
			for k := range runs[r] {
				runs[r][k] = int32(rng.IntN(groups))
			}
		}
		want := majorityReference(runs)
		in := make([][]int32, len(runs))
		for r := range runs {
			in[r] = slices.Clone(runs[r])
		}
		got := majority(in)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d, %d runs of %d items: majority %v, pair counts give %v", trial, len(runs), n, got, want)
		}
		for r := range runs {
			if !slices.Equal(in[r], runs[r]) {
				t.Fatalf("trial %d: majority changed run %d", trial, r)
			}
		}
	}
}

// Items 0 and 1 are together in two runs of three, 2 and 3 in all three,
// 1 and 2 in one only: two groups, numbered by their first item.
func TestMajorityExample(t *testing.T) {
	runs := [][]int32{
		{0, 0, 1, 1},
		{0, 0, 0, 0},
		{0, 1, 2, 2},
	}
	if got, want := majority(runs), []int32{0, 0, 1, 1}; !slices.Equal(got, want) {
		t.Errorf("majority %v, want %v", got, want)
	}
}

// fill's centroids are the sums of their members' vectors, added in
// member order, pruned to the CentroidTerms heaviest (ties: smaller hash)
// and sorted by hash.
func TestFillSumsMembers(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n, groups, centroidTerms = 300, 17, 24
	items := make([][]term, n)
	assign := make([]int32, n)
	for k := range items {
		seen := map[uint64]bool{}
		for len(items[k]) < 1+rng.IntN(40) {
			h := uint64(rng.IntN(200)) * 0x9E3779B97F4A7C15
			if !seen[h] {
				seen[h] = true
				items[k] = append(items[k], term{h: h, w: float32(rng.IntN(8)) / 8})
			}
		}
		slices.SortFunc(items[k], byHash)
		assign[k] = int32(rng.IntN(groups))
	}
	gr := newGrouper(0.3, -1, DefaultQueryTerms, centroidTerms)
	for range groups {
		gr.open()
	}
	gr.fill(n, func(k int) ([]term, int32) { return items[k], noDay }, assign)
	for g := range groups {
		sum := map[uint64]float32{}
		for k := range items {
			if assign[k] == int32(g) {
				for _, t := range items[k] {
					sum[t.h] += t.w
				}
			}
		}
		var want []term
		for h, w := range sum {
			want = append(want, term{h: h, w: w})
		}
		slices.SortFunc(want, byWeight)
		if len(want) > centroidTerms {
			want = want[:centroidTerms]
		}
		slices.SortFunc(want, byHash)
		if got := gr.groups[g].centroid; !slices.Equal(got, want) {
			t.Fatalf("group %d: centroid %v, want %v", g, got, want)
		}
	}
}

func TestPassesValidated(t *testing.T) {
	for _, p := range []int{-1, maxPasses + 1} {
		if _, err := Build(nil, Options{Passes: p}); err == nil {
			t.Errorf("passes %d accepted", p)
		}
	}
	for _, p := range []int{1, DefaultPasses} {
		if res, err := Build(nil, Options{Passes: p}); err != nil || len(res.Stories) != 0 {
			t.Errorf("passes %d, no documents: %d stories, error %v", p, len(res.Stories), err)
		}
	}
	docs := readNews(t)
	for _, p := range []int{1, 2, DefaultPasses, maxPasses} {
		res, err := Build(docs, Options{Passes: p})
		if err != nil {
			t.Fatalf("passes %d: %v", p, err)
		}
		seen := map[string]int{}
		for _, s := range res.Stories {
			for _, id := range s.Docs {
				seen[id]++
			}
		}
		for _, d := range docs {
			if seen[d.ID] != 1 {
				t.Errorf("passes %d: document %s is in %d stories", p, d.ID, seen[d.ID])
			}
		}
	}
}
