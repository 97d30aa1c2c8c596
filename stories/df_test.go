package stories

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// The df table counts as a map does: documents of random terms, many
// sharing a home slot (a few hashes' high bits agree), through addCounts,
// merge of split tables, and growth from the smallest size.
func TestDFTableIsAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	type ref struct {
		n     int64
		form  string
		dated bool
	}
	want := map[uint64]*ref{}
	whole, parts := newDF(), [2]*dfTable{newDF(), newDF()}
	for d := 0; d < 3000; d++ {
		seen := map[uint64]bool{}
		var raw []rawTerm
		for k := rng.IntN(40); k > 0; k-- {
			// Hashes from a small range collide in their home slots
			// (the high bits of h times a constant) more than random ones.
			h := uint64(rng.IntN(5000)) + 1
			if rng.IntN(3) == 0 {
				h <<= 40
			}
			if seen[h] {
				continue
			}
			seen[h] = true
			r := rawTerm{h: h, form: "w" + strconv.Itoa(rng.IntN(50))}
			if rng.IntN(10) == 0 {
				r.kinds = kindNumber
			}
			raw = append(raw, r)
		}
		counts := whole.addCounts(raw, nil, true)
		parts[d%2].add(raw)
		for i, r := range raw {
			e := want[r.h]
			if e == nil {
				e = &ref{form: r.form}
				want[r.h] = e
			}
			e.n++
			e.form = min(e.form, r.form)
			e.dated = e.dated || r.kinds != 0
			if counts[i] != e.n {
				t.Fatalf("doc %d: count of %x = %d, want %d", d, r.h, counts[i], e.n)
			}
		}
	}
	merged := newDF()
	merged.merge(parts[0])
	merged.merge(parts[1])
	for _, tab := range []*dfTable{whole, merged} {
		if tab.len() != len(want) || tab.docs != 3000 {
			t.Fatalf("%d terms in %d documents, want %d in 3000", tab.len(), tab.docs, len(want))
		}
		for h, e := range want {
			form, dated, ok := tab.form(h)
			if !ok || tab.count(h) != e.n || form != e.form || dated != e.dated {
				t.Fatalf("term %x: %d %q %v %v, want %d %q %v", h, tab.count(h), form, dated, ok, e.n, e.form, e.dated)
			}
		}
		if tab.count(1<<63) != 0 {
			t.Fatal("an absent term has a count")
		}
		if _, _, ok := tab.form(1 << 63); ok {
			t.Fatal("an absent term has a form")
		}
	}
}
