package align

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/reprint/reprint/lsh"
	"github.com/reprint/reprint/token"
)

// TestIndexFindsShortPassage copies 15-word passages into long, otherwise
// unrelated documents of a 2,000-document collection and asks the index for
// candidates: every copy's pair must be there, and few others.
func TestIndexFindsShortPassage(t *testing.T) {
	s := newSynth(11, 3000)
	const ndocs = 2000
	words := make([][]string, ndocs)
	for d := range words {
		words[d] = s.words(200 + s.rng.IntN(300))
	}
	type copyPair struct {
		from, to int
		edited   bool
	}
	var copies []copyPair
	for k := range 20 {
		from, to := 37*k+5, 1000+41*k
		words[to] = s.words(3000) // a long host
		src := words[from]
		at := s.rng.IntN(len(src) - 15)
		pass := src[at : at+15]
		if k%2 == 1 {
			pass = s.edit(pass, 0.05)
		}
		h := s.rng.IntN(len(words[to]))
		words[to] = slices.Concat(words[to][:h], pass, words[to][h:])
		copies = append(copies, copyPair{from, to, k%2 == 1})
	}
	toks := make([][]token.Token, ndocs)
	ix := newAnchorIndex(DefaultOptions())
	for d := range words {
		_, toks[d] = s.doc(words[d])
		ix.Add(d, toks[d])
	}
	cands := ix.Candidates()
	t.Logf("%d candidate pairs of %d, %d postings", len(cands), ndocs*(ndocs-1)/2, ix.Postings())
	if !slices.IsSortedFunc(cands, func(x, y [2]int) int {
		if x[0] != y[0] {
			return x[0] - y[0]
		}
		return x[1] - y[1]
	}) {
		t.Error("candidates not sorted")
	}
	for _, c := range copies {
		if _, ok := slices.BinarySearchFunc(cands, [2]int{c.from, c.to}, func(x, y [2]int) int {
			if x[0] != y[0] {
				return x[0] - y[0]
			}
			return x[1] - y[1]
		}); !ok {
			t.Errorf("copy from %d into %d not among the candidates", c.from, c.to)
			continue
		}
		// An edited 15-word copy may have fewer than 15 words left to find.
		if ps := Pair(toks[c.from], toks[c.to], DefaultOptions()); len(ps) != 1 && !c.edited {
			t.Errorf("copy from %d into %d: Pair found %d passages", c.from, c.to, len(ps))
		}
	}
	if limit := ndocs * (ndocs - 1) / 2 / 100; len(cands) > limit {
		t.Errorf("%d candidate pairs, more than 1%% of all pairs", len(cands))
	}
	// Determinism: the same documents added in another order give the same
	// candidates.
	ix2 := newAnchorIndex(DefaultOptions())
	for d := ndocs - 1; d >= 0; d-- {
		ix2.Add(d, toks[d])
	}
	if !slices.Equal(cands, ix2.Candidates()) {
		t.Error("candidates depend on the order of Add")
	}
}

func TestIndexMaxDF(t *testing.T) {
	s := newSynth(12, 3000)
	common := s.words(20) // a footer every document carries
	ix := newAnchorIndex(Options{MaxDF: 10})
	for d := range 50 {
		_, toks := s.doc(slices.Concat(s.words(100), common))
		ix.Add(d, toks)
	}
	if c := ix.Candidates(); len(c) != 0 {
		t.Errorf("a phrase in all 50 documents made %d candidate pairs", len(c))
	}
	ix = newAnchorIndex(Options{MaxDF: 100})
	for d := range 50 {
		_, toks := s.doc(slices.Concat(s.words(100), common))
		ix.Add(d, toks)
	}
	if c := ix.Candidates(); len(c) != 50*49/2 {
		t.Errorf("below the cap, the shared phrase made %d pairs, want %d", len(c), 50*49/2)
	}
}

// Candidates against counting by brute force, on documents from a small
// vocabulary (many shared anchors, some above MaxDF), with sparse document
// numbers, on one core and on all.
func TestIndexCandidatesOracle(t *testing.T) {
	s := newSynth(13, 40)
	opt := Options{MaxDF: 6, MinShared: 2}
	const ndocs = 300
	anchors := make([][]uint64, ndocs)
	ix := newAnchorIndex(opt)
	for d := range ndocs {
		_, toks := s.doc(s.words(20 + s.rng.IntN(60)))
		anchors[d] = Anchors(toks, opt, nil)
		ix.Add(3*d+1, toks)
	}
	df := map[uint64]int{}
	for _, as := range anchors {
		for _, h := range as {
			df[h]++
		}
	}
	var want [][2]int
	for x := range ndocs {
		for y := x + 1; y < ndocs; y++ {
			shared := 0
			for _, h := range anchors[x] {
				if _, ok := slices.BinarySearch(anchors[y], h); ok && df[h] <= opt.MaxDF {
					shared++
				}
			}
			if shared >= opt.MinShared {
				want = append(want, [2]int{3*x + 1, 3*y + 1})
			}
		}
	}
	if len(want) < 50 {
		t.Fatalf("only %d pairs expected: the test proves little", len(want))
	}
	got := ix.Candidates()
	if !slices.Equal(got, want) {
		t.Fatalf("%d candidates, brute force %d", len(got), len(want))
	}
	prev := runtime.GOMAXPROCS(1)
	one := ix.Candidates()
	runtime.GOMAXPROCS(prev)
	if !slices.Equal(one, want) {
		t.Fatal("candidates on one core differ")
	}
}

// anchorIndex is how reuse finds candidate pairs: every document's Anchors
// into an lsh.Index with opt's MaxDF and MinShared.
type anchorIndex struct {
	opt     Options
	docs    []uint32
	anchors [][]uint64
}

func newAnchorIndex(opt Options) *anchorIndex { return &anchorIndex{opt: opt.norm()} }

func (a *anchorIndex) Add(doc int, toks []token.Token) {
	a.docs = append(a.docs, uint32(doc))
	a.anchors = append(a.anchors, Anchors(toks, a.opt, nil))
}

func (a *anchorIndex) Postings() (n int) {
	for _, as := range a.anchors {
		n += len(as)
	}
	return n
}

func (a *anchorIndex) Candidates() [][2]int {
	ix := lsh.NewIndex(0, "")
	ix.MaxDF, ix.MinShared = a.opt.MaxDF, a.opt.MinShared
	for i, d := range a.docs {
		ix.Add(d, a.anchors[i])
	}
	cands, err := ix.Candidates(runtime.GOMAXPROCS(0))
	if err != nil {
		panic(err) // in memory: cannot fail
	}
	out := make([][2]int, len(cands))
	for i, p := range cands {
		x, y := lsh.Unpack(p)
		out[i] = [2]int{int(x), int(y)}
	}
	return out
}

// winnowByScan is winnow as its definition reads: each window scanned for
// its rightmost minimum.
func winnowByScan(hs []uint64, w int, dst []uint64) []uint64 {
	w = min(w, len(hs))
	last := -1
	for i := 0; i+w <= len(hs); i++ {
		m := i
		for j := i + 1; j < i+w; j++ {
			if hs[j] <= hs[m] {
				m = j
			}
		}
		if m != last {
			dst = append(dst, hs[m])
			last = m
		}
	}
	return dst
}

// TestWinnowIsScan: the deque's minima are the scan's, ties (few distinct
// hashes) and windows longer than the deque's fixed ring included.
func TestWinnowIsScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for trial := 0; trial < 3000; trial++ {
		n := 1 + rng.IntN(300)
		span := uint64(1 + rng.IntN(6))
		if trial%3 == 0 {
			span = 1 << 62
		}
		hs := make([]uint64, n)
		for i := range hs {
			hs[i] = rng.Uint64N(span)
		}
		w := 1 + rng.IntN(12)
		if trial%10 == 0 {
			w = 60 + rng.IntN(120)
		}
		got, want := winnow(hs, w, nil), winnowByScan(hs, w, nil)
		if !slices.Equal(got, want) {
			t.Fatalf("n %d, w %d, span %d: winnow %v, scan %v", n, w, span, got, want)
		}
	}
}
