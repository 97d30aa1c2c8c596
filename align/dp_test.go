package align

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/reprint/reprint/token"
)

// TestRunPrunedIsFull checks the pruned DP against the full band (runFull,
// the DP as it was before pruning) on random word sequences: few distinct
// words, so that ties between paths are everywhere, random bands and
// scores, both modes, and for global alignments lower bounds from the
// diagonal path up to the best score itself (the tightest bound, where a
// cutoff that were not strict would drop tied paths).
func TestRunPrunedIsFull(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	al, ref := new(aligner), new(aligner)
	full := int64(0)
	for it := range 20000 {
		vocab := 1 + r.IntN(6)
		ha := randWords(r, r.IntN(40), vocab)
		hb := randWords(r, r.IntN(40), vocab)
		if it%4 == 0 { // mostly equal sequences, the case pruning is for
			hb = editWords(r, ha, vocab)
		}
		o := DefaultOptions()
		if it%3 == 0 {
			o.Match, o.Mismatch, o.GapOpen, o.GapExtend = 1+r.IntN(5), r.IntN(5), r.IntN(8), 1+r.IntN(3)
		}
		o = o.norm()
		dlo, dhi := -r.IntN(12), r.IntN(12)
		freeEnd := it%2 == 0
		want, wi, wj, ws := ref.runFull(ha, hb, dlo, dhi, &o, freeEnd, nil)
		lbs := []int32{0} // ignored in free-end mode
		if !freeEnd {
			lbs = []int32{neg, diagScore(ha, hb, &o), int32(ws), int32(ws) - 1}
		}
		n, m, l, h := len(ha), len(hb), dlo, dhi
		if !freeEnd {
			l, h = min(l, 0, m-n), max(h, 0, m-n)
		}
		for _, lb := range lbs {
			for i := 1; i <= n; i++ {
				full += int64(max(0, min(m, i+h)-max(0, i+l)+1))
			}
			got, gi, gj, gs := al.run(ha, hb, dlo, dhi, &o, freeEnd, lb, nil)
			if gi != wi || gj != wj || gs != ws || !reflect.DeepEqual(got, want) {
				t.Fatalf("freeEnd %v, lb %d, band [%d,%d], %+v\na %v\nb %v\npruned: %v (%d,%d) %d\nfull:   %v (%d,%d) %d",
					freeEnd, lb, dlo, dhi, o, ha, hb, got, gi, gj, gs, want, wi, wj, ws)
			}
		}
	}
	if al.fallbacks != 0 {
		t.Errorf("%d alignments fell back to the full band with a valid bound", al.fallbacks)
	}
	t.Logf("cells: %d pruned, %d in the bands", al.cells, full)
	if al.cells >= full {
		t.Errorf("pruning computed %d cells, the bands hold %d", al.cells, full)
	}
}

func randWords(r *rand.Rand, n, vocab int) []uint64 {
	s := make([]uint64, n)
	for k := range s {
		s[k] = word(r.IntN(vocab))
	}
	return s
}

// word is the hash of word number x, spread like the tokenizer's: run's
// filters take the top bits of a hash.
func word(x int) uint64 { return token.Mix(uint64(x) + 1) }

// editWords is a with a few words substituted, and runs of up to eight
// words inserted or deleted (the runs an insertion or deletion of the DP
// follows past the cells of the row above).
func editWords(r *rand.Rand, a []uint64, vocab int) []uint64 {
	b := make([]uint64, 0, len(a)+4)
	for x := 0; x < len(a); x++ {
		w := a[x]
		switch r.IntN(16) {
		case 0:
			b = append(b, word(r.IntN(vocab)))
		case 1:
			b = append(b, w)
			for range 1 + r.IntN(8) {
				b = append(b, word(r.IntN(vocab)))
			}
		case 2:
			x += r.IntN(8)
		default:
			b = append(b, w)
		}
	}
	return b
}

// runFull is run as it was before pruning: every cell of the band, the
// reference TestRunPrunedIsFull holds the pruned DP to.
func (al *aligner) runFull(ha, hb []uint64, dlo, dhi int, o *Options, freeEnd bool, dst []Op) ([]Op, int, int, int) {
	n, m := len(ha), len(hb)
	if !freeEnd {
		dlo, dhi = min(dlo, 0, m-n), max(dhi, 0, m-n)
	}
	dlo, dhi = max(dlo, -n), min(dhi, m)
	w := dhi - dlo + 1
	if cap(al.prev) < m+2 {
		al.prev, al.cur, al.f = make([]int32, m+2), make([]int32, m+2), make([]int32, m+2)
	}
	prev, cur, f := al.prev[:m+2], al.cur[:m+2], al.f[:m+2]
	if cap(al.tb) < (n+1)*w {
		al.tb = make([]byte, (n+1)*w)
	}
	tb := al.tb[:(n+1)*w]
	match, mis := int32(o.Match), int32(o.Mismatch)
	open, ext := int32(o.GapOpen+o.GapExtend), int32(o.GapExtend)

	for j := range prev {
		prev[j], f[j] = neg, neg
	}
	prev[0] = 0
	for j := 1; j <= min(m, dhi); j++ {
		prev[j] = -(open + int32(j-1)*ext)
		t := byte(fromE)
		if j > 1 {
			t |= extE
		}
		tb[j-dlo] = t
	}
	best, bi, bj := int32(0), 0, 0
	for i := 1; i <= n; i++ {
		jlo, jhi := max(0, i+dlo), min(m, i+dhi)
		if jlo > jhi {
			break // the band has left the matrix (free end only)
		}
		row := tb[i*w-i-dlo:] // row[j] is cell (i,j)
		if jlo > 0 {
			cur[jlo-1] = neg
		}
		if jhi < m {
			cur[jhi+1], f[jhi+1] = neg, neg
		}
		e := int32(neg)
		j := jlo
		if j == 0 {
			cur[0] = -(open + int32(i-1)*ext)
			f[0] = cur[0]
			t := byte(fromF)
			if i > 1 {
				t |= extF
			}
			row[0] = t
			j = 1
		}
		ai := ha[i-1]
		if j <= jhi {
			// The cells by the pruned DP's own recurrence: what this
			// reference checks is the pruning, every cell of the band kept.
			cr := cur[j : jhi+1]
			cellRow(prev[j:jhi+1], f[j:jhi+1], cr, row[j:jhi+1], hb[j-1:jhi], ai, cur[j-1], prev[j-1], e, match, mis, open, ext)
			if freeEnd {
				// The best cell, the first of the highest as the scan
				// meets them, looked for after the row so that the
				// cell loop has no branch on it.
				for k, h := range cr {
					if h > best {
						best, bi, bj = h, i, j+k
					}
				}
			}
		}
		prev, cur = cur, prev
	}
	al.prev, al.cur = prev, cur
	if !freeEnd {
		bi, bj = n, m
		best = prev[m]
	}

	// Trace back from (bi,bj) to (0,0), then emit the steps in order.
	steps := al.steps[:0]
	i, j, state := bi, bj, 0
	for i > 0 || j > 0 {
		t := tb[i*w+j-i-dlo]
		switch state {
		case 0:
			switch t & 3 {
			case fromDiag:
				if ha[i-1] == hb[j-1] {
					steps = append(steps, Equal)
				} else {
					steps = append(steps, Subst)
				}
				i, j = i-1, j-1
			case fromE:
				state = 1
			default:
				state = 2
			}
		case 1:
			steps = append(steps, Insert)
			j--
			if t&extE == 0 {
				state = 0
			}
		default:
			steps = append(steps, Delete)
			i--
			if t&extF == 0 {
				state = 0
			}
		}
	}
	al.steps = steps
	for k := len(steps) - 1; k >= 0; k-- {
		switch s := steps[k]; s {
		case Equal, Subst:
			dst = appendOp(dst, s, i, i+1, j, j+1)
			i, j = i+1, j+1
		case Insert:
			dst = appendOp(dst, s, i, i, j, j+1)
			j++
		case Delete:
			dst = appendOp(dst, s, i, i+1, j, j)
			i++
		}
	}
	return dst, bi, bj, int(best)
}

// TestGlobalIsFull checks global, with its bounds from the diagonal path,
// a narrow band first and its last alignment, against the full band on
// long, mostly equal sequences with bands wide enough for the narrow pass
// to run.
func TestGlobalIsFull(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	al, ref := new(aligner), new(aligner)
	o := DefaultOptions().norm()
	for range 2000 {
		vocab := 2 + r.IntN(30)
		ha := randWords(r, r.IntN(300), vocab)
		hb := editWords(r, ha, vocab)
		if r.IntN(3) == 0 {
			hb = editWords(r, hb, vocab)
		}
		margin := r.IntN(60)
		dl := len(hb) - len(ha)
		dlo, dhi := min(0, dl)-margin, max(0, dl)+margin
		// Each alignment twice, then in a wider band: the second and
		// third come from global's memory of the last one.
		for _, w := range []int{0, 0, 1 + r.IntN(20)} {
			want, _, _, _ := ref.runFull(ha, hb, dlo-w, dhi+w, &o, false, nil)
			if got := al.global(ha, hb, dlo-w, dhi+w, &o, nil); !reflect.DeepEqual(got, want) {
				t.Fatalf("band [%d,%d]\na %v\nb %v\nglobal: %v\nfull:   %v", dlo-w, dhi+w, ha, hb, got, want)
			}
		}
		// The same length and band, other words: not the memory's.
		hc := slices.Clone(hb)
		if len(hc) > 0 {
			hc[r.IntN(len(hc))] = word(vocab + 1)
		}
		want, _, _, _ := ref.runFull(ha, hc, dlo, dhi, &o, false, nil)
		if got := al.global(ha, hc, dlo, dhi, &o, nil); !reflect.DeepEqual(got, want) {
			t.Fatalf("after a change of one word: band [%d,%d]\na %v\nb %v\nglobal: %v\nfull:   %v", dlo, dhi, ha, hc, got, want)
		}
	}
	if al.fallbacks != 0 {
		t.Errorf("%d alignments fell back to the full band", al.fallbacks)
	}
}

// TestRunInsertionRun aligns a text with itself with a run of new words
// inserted, under the tightest bound (the best score): the insertion
// leaves the cells the row above kept, along the run score plus bound
// stays exactly at the best score, and a cutoff one point off, or a run
// stopped a cell early, would lose the path.
func TestRunInsertionRun(t *testing.T) {
	o := DefaultOptions().norm()
	al, ref := new(aligner), new(aligner)
	for _, k := range []int{1, 5, 17} {
		for _, run := range []int{1, 3, 8, 15} {
			var ha []uint64
			for x := range 40 {
				ha = append(ha, word(x))
			}
			hb := slices.Clone(ha[:k])
			for x := range run {
				hb = append(hb, word(1000+x))
			}
			hb = append(hb, ha[k:]...)
			for _, pair := range [][2][]uint64{{ha, hb}, {hb, ha}} {
				a, b := pair[0], pair[1]
				dlo, dhi := -run-2, run+2
				want, _, _, ws := ref.runFull(a, b, dlo, dhi, &o, false, nil)
				got, _, _, gs := al.run(a, b, dlo, dhi, &o, false, int32(ws), nil)
				if gs != ws || !reflect.DeepEqual(got, want) {
					t.Fatalf("k %d run %d: pruned %v (%d), full %v (%d)", k, run, got, gs, want, ws)
				}
			}
		}
	}
	if al.fallbacks != 0 {
		t.Errorf("%d alignments fell back to the full band with the best score as bound", al.fallbacks)
	}
}

// FuzzRunPruned holds the pruned DP to the full band on any two word
// sequences (a byte a word, from a vocabulary of vocab words), band and
// mode, with the diagonal path's score and the best score as bounds.
func FuzzRunPruned(f *testing.F) {
	f.Add([]byte("abcdefghij"), []byte("abcxxdefghij"), uint8(3), uint8(4), uint8(26), false)
	f.Add([]byte("aaaaaaaa"), []byte("aaaa"), uint8(2), uint8(2), uint8(1), true)
	f.Fuzz(func(t *testing.T, da, db []byte, lo, hi, vocab uint8, freeEnd bool) {
		if len(da) > 200 || len(db) > 200 {
			return
		}
		ha, hb := make([]uint64, len(da)), make([]uint64, len(db))
		for k, c := range da {
			ha[k] = word(int(c) % (int(vocab) + 1))
		}
		for k, c := range db {
			hb[k] = word(int(c) % (int(vocab) + 1))
		}
		o := DefaultOptions().norm()
		dlo, dhi := -int(lo%64), int(hi%64)
		al, ref := new(aligner), new(aligner)
		want, wi, wj, ws := ref.runFull(ha, hb, dlo, dhi, &o, freeEnd, nil)
		lbs := []int32{0}
		if !freeEnd {
			lbs = []int32{diagScore(ha, hb, &o), int32(ws)}
		}
		for _, lb := range lbs {
			got, gi, gj, gs := al.run(ha, hb, dlo, dhi, &o, freeEnd, lb, nil)
			if gi != wi || gj != wj || gs != ws || !reflect.DeepEqual(got, want) {
				t.Fatalf("lb %d: pruned %v (%d,%d) %d, full %v (%d,%d) %d", lb, got, gi, gj, gs, want, wi, wj, ws)
			}
		}
		if al.fallbacks != 0 {
			t.Fatalf("%d fallbacks with valid bounds", al.fallbacks)
		}
		if !freeEnd {
			if got := al.global(ha, hb, dlo, dhi, &o, nil); !reflect.DeepEqual(got, want) {
				t.Fatalf("global %v, full %v", got, want)
			}
		}
	})
}

// TestPathBoundIsAPath checks realign's bound (pathBound: the exact
// passages of a fragment along their own paths, diagonals between) against
// the best score of the fragment's band, on edited copies inside unrelated
// words: it is never above it, so the alignment it bounds is the one
// without it, op for op and with no fallback, and it is below the
// diagonal's bound often enough to save cells.
func TestPathBoundIsAPath(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	o := DefaultOptions().norm()
	toks := func(hs []uint64) []token.Token {
		ts := make([]token.Token, len(hs))
		for k, h := range hs {
			ts[k] = token.Token{Start: 2 * k, End: 2*k + 1, Hash: h}
		}
		return ts
	}
	bounded, cellsWith, cellsWithout := 0, int64(0), int64(0)
	for range 400 {
		const vocab = 5000
		src := randWords(r, 40+r.IntN(160), vocab)
		ha := slices.Concat(randWords(r, r.IntN(30), vocab), src, randWords(r, r.IntN(30), vocab))
		hb := slices.Concat(randWords(r, r.IntN(30), vocab), editWords(r, src, vocab), randWords(r, r.IntN(30), vocab))
		ps := Pair(toks(ha), toks(hb), o)
		if len(ps) == 0 {
			continue
		}
		f := fragment{a0: ps[0].ATok0, a1: ps[len(ps)-1].ATok1, b0: ps[0].BTok0, b1: ps[len(ps)-1].BTok1}
		for _, p := range ps {
			f.a0, f.a1, f.b0, f.b1 = min(f.a0, p.ATok0), max(f.a1, p.ATok1), min(f.b0, p.BTok0), max(f.b1, p.BTok1)
		}
		f.a0, f.b0 = max(0, f.a0-r.IntN(8)), max(0, f.b0-r.IntN(8))
		f.a1, f.b1 = min(len(ha), f.a1+r.IntN(8)), min(len(hb), f.b1+r.IntN(8))
		dl := (f.b1 - f.b0) - (f.a1 - f.a0)
		dlo, dhi := min(0, dl)-diffMargin, max(0, dl)+diffMargin
		fa, fb := ha[f.a0:f.a1], hb[f.b0:f.b1]
		lb := pathBound(ha, hb, f, ps, dlo, dhi, &o)
		_, _, _, best := new(aligner).runFull(fa, fb, dlo, dhi, &o, false, nil)
		if lb > int32(best) {
			t.Fatalf("bound %d above the best path's score %d", lb, best)
		}
		if lb > diagScore(fa, fb, &o) {
			bounded++
		}
		with, without := new(aligner), new(aligner)
		got := with.globalFrom(fa, fb, dlo, dhi, &o, lb, nil)
		want := without.global(fa, fb, dlo, dhi, &o, nil)
		if !reflect.DeepEqual(got, want) || with.fallbacks != 0 {
			t.Fatalf("bounded alignment differs (%d fallbacks):\n%v\n%v", with.fallbacks, got, want)
		}
		cellsWith += with.cells
		cellsWithout += without.cells
	}
	if bounded < 100 || cellsWith >= cellsWithout {
		t.Errorf("%d of 400 fragments bounded above the diagonal; %d cells with the bound, %d without", bounded, cellsWith, cellsWithout)
	}
	t.Logf("%d fragments bounded above the diagonal; %d cells with the bound, %d without", bounded, cellsWith, cellsWithout)
}
