package align

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/token"
)

func keyed(t testing.TB, text string, rare func(uint64) bool) *Prepared {
	t.Helper()
	return PrepareKeyed(text, token.New().Tokens(text, 0, nil), DefaultOptions(), rare)
}

func everyKey(uint64) bool { return true }

// candidateKeys is reuse's default MinShared for content keys: pairs
// sharing fewer are never candidates, so the filter is not asked.
const candidateKeys = 5

// TestMayShareKeepsReuse: every generated pair that shares candidateKeys
// content keys and in which PairText finds a passage must pass the
// filter, both ways round.
func TestMayShareKeepsReuse(t *testing.T) {
	tz := token.New()
	for _, ob := range gen.Obfuscations {
		pass, n := 0, 0
		for seed := uint64(1); seed <= 30; seed++ {
			g := gen.ObfuscatedPair(seed, ob, 80, 300)
			a, b := tz.Tokens(g.Reuse, 0, nil), tz.Tokens(g.Source, 0, nil)
			if sharedKeys(ContentKeys(g.Reuse, a, nil), ContentKeys(g.Source, b, nil)) < candidateKeys {
				continue
			}
			p, q := keyed(t, g.Reuse, everyKey), keyed(t, g.Source, everyKey)
			if p.MayShare(q) != q.MayShare(p) {
				t.Errorf("%s seed %d: MayShare is not symmetric", ob.Name, seed)
			}
			n++
			if p.MayShare(q) {
				pass++
			}
			if ps := PairText(g.Reuse, a, g.Source, b, DefaultOptions()); len(ps) > 0 && !p.MayShare(q) {
				t.Errorf("%s seed %d: a pair with %d passages fails MayShare", ob.Name, seed, len(ps))
			}
		}
		t.Logf("%s: %d of %d candidate pairs pass", ob.Name, pass, n)
	}
}

// TestMayShareNews: the reprint 000 of 001 passes; pairs sharing no
// rare key do not, and documents never keyed always do.
func TestMayShareNews(t *testing.T) {
	docs := loadNews(t)
	opt := DefaultOptions()
	p := PrepareText(docs[0].text, docs[0].toks, opt)
	q := PrepareText(docs[1].text, docs[1].toks, opt)
	if !p.MayShare(q) {
		t.Error("documents not prepared by PrepareKeyed must pass")
	}
	p = PrepareKeyed(docs[0].text, docs[0].toks, opt, everyKey)
	if !p.MayShare(q) || !q.MayShare(p) {
		t.Error("a pair with one side not keyed must pass")
	}
	q = PrepareKeyed(docs[1].text, docs[1].toks, opt, everyKey)
	if !p.MayShare(q) || !q.MayShare(p) {
		t.Errorf("%s, which reprints %s, fails MayShare", docs[0].name, docs[1].name)
	}
	// The same passages as PrepareText's, whatever the keys.
	if got, want := p.PairPrepared(q), PrepareText(docs[0].text, docs[0].toks, opt).PairPrepared(q); !reflect.DeepEqual(got, want) {
		t.Errorf("PrepareKeyed pairs to %d passages, PrepareText to %d", len(got), len(want))
	}
	// The retellings of 001 (002, 003, 004) share topic words with it and
	// with each other, never a passage: the filter must turn some of
	// those pairs away, or it filters nothing.
	turned, pairs := 0, 0
	for x := 1; x < len(docs); x++ {
		for y := x + 1; y < len(docs); y++ {
			px := PrepareKeyed(docs[x].text, docs[x].toks, opt, everyKey)
			py := PrepareKeyed(docs[y].text, docs[y].toks, opt, everyKey)
			pairs++
			if !px.MayShare(py) {
				turned++
			}
		}
	}
	t.Logf("retellings: %d of %d pairs turned away", turned, pairs)
	if turned == 0 {
		t.Error("every pair of retellings passes the filter")
	}
	none := func(uint64) bool { return false }
	p = PrepareKeyed(docs[0].text, docs[0].toks, opt, none)
	if p.MayShare(q) {
		t.Error("a pair without a rare key in common passes")
	}
	opt.ExactOnly = true
	if p = PrepareKeyed(docs[0].text, docs[0].toks, opt, none); !p.MayShare(q) {
		t.Error("a document prepared ExactOnly has no keys and must pass")
	}
}

// TestMayShareShapes builds the two shapes by hand: keys in one sentence
// pair only do not pass, keys on one diagonal do, and keys two to a
// sentence pair in two sentences on each side do.
func TestMayShareShapes(t *testing.T) {
	filler := "Weather stayed mild across the valley. Markets opened late on Friday. "
	one := "Ancient glaciers carved granite basins. "
	two := "Copper smelters poisoned northern rivers. "
	cases := []struct {
		name string
		a, b string
		want bool
	}{
		{"nothing in common", filler, "Orchards bloomed early this spring. Bakers sold fresh bread daily.", false},
		{"one sentence pair", one + filler, "Ancient glaciers left granite basins everywhere. Trains ran slowly.", true}, // "ancient glacier" and "granit basin" on one diagonal
		{"one sentence pair, reordered", one + filler, "Granite basins, carved long ago. Later, ancient glaciers melted.", false},
		{"two sentence pairs, reordered", one + filler + two, "Granite basins, long ago. Ancient glaciers melted. Rivers ran clear. Northern rivers, poisoned. Copper smelters closed.", true},
	}
	for _, c := range cases {
		p, q := keyed(t, c.a, everyKey), keyed(t, c.b, everyKey)
		if got := p.MayShare(q); got != c.want {
			t.Errorf("%s: MayShare %v, want %v", c.name, got, c.want)
		}
	}
}

// TestDiagonalNear: the table of diagonals, with the sort once it is half
// full, finds two matches on one diagonal within the gap exactly when a
// look at every pair of matches does.
func TestDiagonalNear(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	sc := keyPool.Get().(*keyScratch)
	seen := map[[2]bool]int{} // (found, past the table)
	for trial := range 400 {
		n := 1 + r.IntN(1500) // past diagSlots/2 the sort decides
		span := 1 + r.IntN(200000)
		ms := make([]match, n)
		for k := range ms {
			ms[k] = match{i: int32(r.IntN(span)), j: int32(r.IntN(span))}
		}
		want := false
		for x := range ms {
			for y := x + 1; y < len(ms); y++ {
				if ms[x].j-ms[x].i == ms[y].j-ms[y].i && abs32(ms[x].i-ms[y].i) <= 20 {
					want = true
				}
			}
		}
		sc.cur++
		sc.n = 0
		got := false
		for _, m := range ms {
			if sc.near(m, 20) {
				got = true
				break
			}
		}
		if !got && 2*sc.n >= diagSlots {
			got = sortedNear(ms, 20)
		}
		seen[[2]bool{got, 2*sc.n >= diagSlots}]++
		if got != want {
			t.Fatalf("trial %d (%d matches over %d): found %v, want %v", trial, n, span, got, want)
		}
	}
	if len(seen) < 4 {
		t.Errorf("trials cover %v, not both answers with and without the sort", seen)
	}
}

// mayShareOracle is MayShare's rule by brute force over every pair of
// matches.
func mayShareOracle(p, q *Prepared) bool {
	var ms []match
	for x, h := range p.keys.keys {
		for y, g := range q.keys.keys {
			if h != g {
				continue
			}
			for _, a := range p.keys.sites[p.keys.start[x]:p.keys.start[x+1]] {
				for _, b := range q.keys.sites[q.keys.start[y]:q.keys.start[y+1]] {
					ms = append(ms, match{a.tok, b.tok, a.sent, b.sent})
				}
			}
		}
	}
	cell := map[[2]int32]int{}
	for x, m := range ms {
		cell[[2]int32{m.si, m.sj}]++
		for _, n := range ms[:x] {
			if m.j-m.i == n.j-n.i && abs32(m.i-n.i) <= int32(p.o.MaxGap) {
				return true
			}
		}
	}
	as, bs := map[int32]bool{}, map[int32]bool{}
	for c, n := range cell {
		if n+cell[[2]int32{c[0] + 1, c[1]}]+cell[[2]int32{c[0], c[1] + 1}]+cell[[2]int32{c[0] + 1, c[1] + 1}] >= 2 {
			as[c[0]], bs[c[1]] = true, true
		}
	}
	return len(as) >= p.o.MinSeeds && len(bs) >= p.o.MinSeeds
}

// fuzzText makes words from a vocabulary of vocab pseudo-words, a sentence
// end after every byte that is a multiple of 7.
func fuzzText(data []byte, vocab int) string {
	var b []byte
	for _, c := range data {
		w := int(c) % vocab
		b = append(b, "bcdfgklmnprstvz"[w%15], "aeiou"[w/15%5], "bcdfgklmnprstvz"[w/75%15], 'x')
		if c%7 == 0 {
			b = append(b, '.')
		}
		b = append(b, ' ')
	}
	return string(b)
}

func FuzzMayShare(f *testing.F) {
	f.Add([]byte("abcdefghijklmnopqrstuvwxyz"), []byte("xxabcdefghijklmnopqrsyyz"), uint8(26))
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), []byte("aaaaaaaaaaaaaaaaaaaaa"), uint8(2))
	f.Add([]byte("the quick brown fox jumps over the lazy dog again and again"), []byte("over the lazy dog the quick brown fox jumps"), uint8(40))
	f.Add([]byte("kiwi fruit grows. in new zealand. kiwi fruit is green. it grew in china"), []byte("china grew kiwi fruit first. green fruit. new zealand grows it"), uint8(90))
	f.Fuzz(func(t *testing.T, da, db []byte, vocab uint8) {
		ta, tb := fuzzText(da, int(vocab)+1), fuzzText(db, int(vocab)+1)
		rare := func(k uint64) bool { return k%5 != 0 }
		p, q := keyed(t, ta, rare), keyed(t, tb, rare)
		got, want := p.MayShare(q), mayShareOracle(p, q)
		if got != want {
			t.Fatalf("MayShare %v, the rule by brute force %v:\n%q\n%q", got, want, ta, tb)
		}
		if q.MayShare(p) != got {
			t.Fatalf("MayShare is not symmetric:\n%q\n%q", ta, tb)
		}
	})
}

// TestPrepareContentThenKeyRare: a document prepared by PrepareContent has
// ContentKeys' keys, and keyed later by KeyRare it is PrepareKeyed's
// document: the same MayShare answers and passages; KeyRare(nil) leaves
// it PrepareText's.
func TestPrepareContentThenKeyRare(t *testing.T) {
	tz := token.New()
	opt := DefaultOptions()
	// Rare: about half of the keys, by a bit of the hash.
	half := func(k uint64) bool { return k>>17&1 == 0 }
	var texts []string
	for _, ob := range gen.Obfuscations {
		for seed := uint64(1); seed <= 4; seed++ {
			g := gen.ObfuscatedPair(seed, ob, 80, 300)
			texts = append(texts, g.Reuse, g.Source)
		}
	}
	texts = append(texts, "", "the of and", "One two three.")
	var keyedDocs, laterDocs, plainDocs, unkeyedDocs []*Prepared
	for _, text := range texts {
		toks := tz.Tokens(text, 0, nil)
		c := PrepareContent(text, toks, opt)
		if got, want := c.ContentKeys(nil), ContentKeys(text, toks, nil); !slices.Equal(got, want) {
			t.Fatalf("%.40q: PrepareContent's keys %x, ContentKeys %x", text, got, want)
		}
		c.KeyRare(half)
		c.KeyRare(everyKey) // keyed already: no change
		u := PrepareContent(text, toks, opt)
		u.KeyRare(nil)
		keyedDocs = append(keyedDocs, PrepareKeyed(text, toks, opt, half))
		laterDocs = append(laterDocs, c)
		plainDocs = append(plainDocs, PrepareText(text, toks, opt))
		unkeyedDocs = append(unkeyedDocs, u)
	}
	for x := range texts {
		for y := range texts {
			if x == y {
				continue
			}
			if got, want := laterDocs[x].MayShare(laterDocs[y]), keyedDocs[x].MayShare(keyedDocs[y]); got != want {
				t.Errorf("%d, %d: MayShare %v after KeyRare, %v from PrepareKeyed", x, y, got, want)
			}
			if !unkeyedDocs[x].MayShare(unkeyedDocs[y]) {
				t.Errorf("%d, %d: documents left unkeyed must pass MayShare", x, y)
			}
			want := plainDocs[x].PairPrepared(plainDocs[y])
			for _, got := range [][]Passage{laterDocs[x].PairPrepared(laterDocs[y]), unkeyedDocs[x].PairPrepared(unkeyedDocs[y])} {
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%d, %d: passages %+v, PrepareText's %+v", x, y, got, want)
				}
			}
		}
	}
}
