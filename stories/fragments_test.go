package stories

import (
	"math/rand/v2"
	"testing"
)

// Two fragments of one event, each too tight for the refinement to
// mend, join; two look-alike events, or fragments that name days a week
// apart, do not.
func TestJoinFragments(t *testing.T) {
	for _, c := range []struct {
		name       string
		base2      uint64 // the second group's event
		d1, d2     int    // the days they name (May), 0 none
		wantJoined bool
	}{
		{"one event", 1000, 0, 0, true},
		{"one event, one day", 1000, 2, 2, true},
		{"one event, a day named on one side only", 1000, 2, 0, true},
		{"one event's words, days a week apart", 1000, 2, 9, false},
		{"two events of one kind", 2000, 0, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 13))
			var a, b [][]term
			if c.d1 > 0 {
				a = dayDocs(rng, 10, 1000, 5, c.d1, 0, 0.1)
			} else {
				a = eventDocs(rng, 10, 1000)
			}
			if c.d2 > 0 {
				b = dayDocs(rng, 8, c.base2, 5, c.d2, 0, 0.1)
			} else {
				b = eventDocs(rng, 8, c.base2)
			}
			vs, assign, opt, gr := twoGroups(a, b)
			out, joined := joinFragments(gr, len(vs), itemsOf(vs), assign, opt.TopicThreshold, 0, isDateTerm)
			if joined != c.wantJoined {
				t.Fatalf("joined %v, want %v", joined, c.wantJoined)
			}
			if joined && out[0] != out[len(vs)-1] {
				t.Fatalf("joined, but not the two groups: %v", out)
			}
		})
	}
}

// A fragment whose members name two days with no plurality is not taken
// for one event's, so the graph alone does not join it.
func TestJoinFragmentsMixedDays(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 13))
	a := append(dayDocs(rng, 5, 1000, 5, 2, 0, 0.02), dayDocs(rng, 5, 1000, 5, 20, 0, 0.02)...)
	b := dayDocs(rng, 8, 1000, 5, 2, 0, 0.02)
	vs, assign, opt, gr := twoGroups(a, b)
	if out, joined := joinFragments(gr, len(vs), itemsOf(vs), assign, opt.TopicThreshold, 0, isDateTerm); joined {
		t.Fatalf("joined a fragment of mixed days: %v", out)
	}
	if day, _ := groupDays(2, len(vs), itemsOf(vs), assign); day[0] != mixedDays || day[1] != 120+2 {
		t.Fatalf("group days %v, want [%d %d]", day, mixedDays, 122)
	}
}

// twoGroups is a and b's vectors in one list, a in group 0 and b in group
// 1, with the default options and the grouper of those two groups.
func twoGroups(a, b [][]term) ([][]term, []int32, Options, *grouper) {
	vs := append(a, b...)
	assign := make([]int32, len(vs))
	for k := len(a); k < len(vs); k++ {
		assign[k] = 1
	}
	opt := Options{}.WithDefaults()
	return vs, assign, opt, rebuild(&opt, len(vs), itemsOf(vs), assign)
}
