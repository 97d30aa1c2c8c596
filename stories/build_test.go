package stories

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/reprint/reprint/corpus"
	"github.com/zeebo/xxh3"
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

// TestIDsDoNotDecide renames every document of an undated corpus, whose
// single pass has no dates to order it by: the stories must hold the same
// documents whatever they are called and whatever order they come in.
func TestIDsDoNotDecide(t *testing.T) {
	docs, _, _ := generated(t, 1200, 9, 1)
	partition := func(docs []corpus.Doc, back map[string]string) map[string]string {
		res, err := Build(docs, Options{})
		if err != nil {
			t.Fatal(err)
		}
		first := map[string]string{} // each document's story, named by its first document's original ID
		for _, s := range res.Stories {
			name := ""
			for _, id := range s.Docs {
				if o := back[id]; name == "" || o < name {
					name = o
				}
			}
			for _, id := range s.Docs {
				first[back[id]] = name
			}
		}
		return first
	}
	same := map[string]string{}
	for _, d := range docs {
		same[d.ID] = d.ID
	}
	want := partition(docs, same)
	for seed := range 3 {
		back := map[string]string{}
		renamed := slices.Clone(docs)
		for i := range renamed {
			renamed[i].ID = strconv.FormatUint(xxh3.HashString(strconv.Itoa(seed)+docs[i].ID), 16)
			back[renamed[i].ID] = docs[i].ID
		}
		slices.Reverse(renamed)
		if got := partition(renamed, back); !maps.Equal(got, want) {
			diff := 0
			for id, s := range want {
				if got[id] != s {
					diff++
				}
			}
			t.Errorf("renamed (seed %d): %d of %d documents' stories differ", seed, diff, len(docs))
		}
	}
}

// TestDensity checks that a document amid others of its event is denser
// than one at the event's edge, and one alone the least dense.
func TestDensity(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	vs := eventDocs(rng, 10, 1000)
	// An outlier of the event: 2 of its terms and 10 words of its own.
	edge := []term{{h: 1001, w: 0.3}, {h: 1002, w: 0.3}}
	for k := range 10 {
		edge = append(edge, term{h: 1<<41 + uint64(k), w: 0.3})
	}
	sortByHash(edge)
	alone := []term{{h: 1 << 42, w: 1}}
	vs = append(vs, edge, alone)
	opt := Options{}.WithDefaults()
	dens := density(&opt, len(vs), itemsOf(vs))
	for k := range 10 {
		if dens[k] <= dens[10] {
			t.Errorf("member %d: density %.3f, not above the edge's %.3f", k, dens[k], dens[10])
		}
	}
	if dens[11] != 0 || dens[10] <= 0 {
		t.Errorf("edge %.3f, alone %.3f: want the edge above 0 and the lone one at 0", dens[10], dens[11])
	}
}

// TestDensestFirst checks that the densest come first within a day and
// that days keep their order, undated last.
func TestDensestFirst(t *testing.T) {
	items := []item{{id: "a", day: 5}, {id: "b", day: 5}, {id: "c", day: noDay}, {id: "d", day: noDay}, {id: "e", day: 3}}
	order := []int32{4, 0, 1, 2, 3}          // canonical: day 3, day 5, undated
	dens := []float32{0, 0.1, 0.9, 0.2, 0.7} // by canonical place
	densestFirst(order, items, dens)
	if want := []int32{4, 1, 0, 3, 2}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
}
