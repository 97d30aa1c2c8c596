package stories

import (
	"math/rand/v2"
	"testing"

	"github.com/reprint/reprint/corpus"
)

// The date terms eventday.go reads are the ones terms.go makes.
func TestEventDayReadsTheTextsDates(t *testing.T) {
	x := newExtractor()
	for _, c := range []struct {
		text      string
		doy, year int
	}{
		{"The quake struck Qeshm on November 27, 2005, at noon.", 304 + 27, 2005},
		{"Lohan entered the clinic on May 3. Her lawyer spoke in May 2013 again.", 120 + 3, 2013},
		{"It happened on 28 April, officials said.", 90 + 28, 0},
		{"No date here at all, only 2009.", 0, 0},
	} {
		var v []term
		for _, r := range x.terms(&corpus.Doc{Text: c.text}) {
			v = append(v, term{h: r.h, w: float32(r.tf)})
		}
		sortByHash(v)
		if doy, year := eventDay(v); doy != c.doy || year != c.year {
			t.Errorf("%q: day %d year %d, want %d %d", c.text, doy, year, c.doy, c.year)
		}
	}
}

func TestPlurality(t *testing.T) {
	for _, c := range []struct {
		xs   []int
		want int
	}{
		{[]int{5, 5, 0, 0, 0}, 5},
		{[]int{5, 5, 6, 7, 8, 9}, 0}, // a third of those naming one
		{[]int{5, 5, 5, 6, 6, 7, 8}, 5},
		{[]int{5, 5, 6, 6}, 0}, // a tie
		{[]int{5, 0, 0}, 0},    // one member only
		{nil, 0},
	} {
		if got := plurality(c.xs); got != c.want {
			t.Errorf("plurality(%v) = %d, want %d", c.xs, got, c.want)
		}
	}
}

// dayDocs makes n vectors of one event's reports (eventDocs) that name
// the day: the month-and-day term of month and day, and for year > 0 the
// month-and-year term, at the weight of the vector's heaviest term.
func dayDocs(rng *rand.Rand, n int, base uint64, month, day, year int, w float32) [][]term {
	hash := map[dateTerm]uint64{}
	for h, d := range dateTerms {
		hash[d] = h
	}
	vs := eventDocs(rng, n, base)
	for i, v := range vs {
		v = append(v, term{h: hash[dateTerm{month: int16(month), day: int16(day)}], w: w})
		if year > 0 {
			v = append(v, term{h: hash[dateTerm{month: int16(month), year: int16(year)}], w: w * 3 / 4})
		}
		vs[i] = topNormalized(v, len(v))
	}
	return vs
}

// Two fragments of one event that name days a day apart join; fragments
// that name days a week apart, or the same day of other years, do not.
func TestJoinByEventDay(t *testing.T) {
	for _, c := range []struct {
		name         string
		m2, d2, y2   int
		wantJoined   bool
		sameTermBase bool
	}{
		{"a day apart", 5, 3, 2013, true, true},
		{"the same day", 5, 2, 2013, true, true},
		{"the same day, no year on one side", 5, 2, 0, true, true},
		{"a week apart", 5, 9, 2013, false, true},
		{"the same day of another year", 5, 2, 2008, false, true},
		{"the same day, other events", 5, 2, 2013, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 5))
			a := dayDocs(rng, 6, 1000, 5, 2, 2013, 0.4)
			base := uint64(1000)
			if !c.sameTermBase {
				base = 5000 // other event words, other kind words too
			}
			b := dayDocs(rng, 5, base, c.m2, c.d2, c.y2, 0.4)
			if !c.sameTermBase {
				for i := range b {
					for k := range b[i] {
						if b[i][k].h <= 12 {
							b[i][k].h += 1 << 41
						}
					}
					sortByHash(b[i])
				}
			}
			vs, assign, _, gr := twoGroups(a, b)
			out, joined := joinByEventDay(gr, len(vs), itemsOf(vs), assign, isDateTerm)
			if joined != c.wantJoined {
				t.Fatalf("joined %v, want %v", joined, c.wantJoined)
			}
			want := 1
			if !c.wantJoined {
				want = 2
			}
			seen := map[int32]bool{}
			for _, g := range out {
				seen[g] = true
			}
			if len(seen) != want {
				t.Errorf("%d groups, want %d: %v", len(seen), want, out)
			}
		})
	}
}

// Dated documents keep the window: fragments naming the same day whose
// own dates are a year apart are two events.
func TestJoinByEventDayKeepsTheWindow(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 6))
	a, b := dayDocs(rng, 6, 1000, 5, 2, 0, 0.4), dayDocs(rng, 5, 1000, 5, 2, 0, 0.4)
	vs := append(a, b...)
	assign := make([]int32, len(vs))
	days := make([]int32, len(vs))
	for k := range vs {
		days[k] = 15000
		if k >= len(a) {
			assign[k], days[k] = 1, 15365
		}
	}
	item := func(k int) ([]term, int32) { return vs[k], days[k] }
	opt := Options{}.WithDefaults()
	gr := rebuild(&opt, len(vs), item, assign)
	if _, joined := joinByEventDay(gr, len(vs), item, assign, isDateTerm); joined {
		t.Error("joined stories a year apart")
	}
	days = days[:0]
	for range vs {
		days = append(days, 15000)
	}
	gr = rebuild(&opt, len(vs), item, assign)
	if _, joined := joinByEventDay(gr, len(vs), item, assign, isDateTerm); !joined {
		t.Error("did not join the same stories on the same days")
	}
}

func isDateTerm(h uint64) bool { _, ok := dateTerms[h]; return ok }
