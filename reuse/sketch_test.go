package reuse

import (
	"math/rand/v2"
	"testing"

	"github.com/reprint/reprint/align"
	"github.com/reprint/reprint/token"
)

// TestDFSketchUpperBound: a key's count is never below the documents
// that hold it, also across the rows' doubling, and it tells rare keys
// (in at most 64 documents, reuse's MaxDF) from common ones for nearly
// every key.
func TestDFSketchUpperBound(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	s := newDFSketch(0)
	df := map[uint64]int{}
	keys := make([]uint64, 5000)
	for k := range keys {
		keys[k] = r.Uint64()
	}
	startLg := s.lg
	for doc := 0; doc < 300; doc++ {
		seen := map[uint64]bool{}
		var ks []uint64
		for range 4000 {
			// A few keys common to many documents, most rare.
			k := keys[r.IntN(len(keys))]
			if r.IntN(4) > 0 {
				k = r.Uint64()
			}
			if !seen[k] {
				seen[k] = true
				ks = append(ks, k)
				df[k]++
			}
		}
		s.add(ks)
	}
	if s.lg == startLg {
		t.Fatalf("1.2M postings did not grow rows of 2^%d", s.lg)
	}
	right := 0
	for k, n := range df {
		c := s.count(k)
		if c < min(n, 255) {
			t.Fatalf("key %x: count %d below its document frequency %d", k, c, n)
		}
		if (c <= 64) == (n <= 64) {
			right++
		}
	}
	if right < len(df)*999/1000 {
		t.Errorf("%d of %d keys taken for common or rare wrongly", len(df)-right, len(df))
	}
}

// TestDFSketchFull: rows held to a budget stop growing, and once they
// would have to grow past it the sketch says it is full.
func TestDFSketchFull(t *testing.T) {
	s := newDFSketch(1 << 16) // two rows of 2^15
	if s.lg > 15 || s.maxLg != 15 {
		t.Fatalf("rows of 2^%d, at most 2^%d, for a budget of 64 KiB", s.lg, s.maxLg)
	}
	keys := make([]uint64, 1<<14)
	for k := range keys {
		keys[k] = uint64(k) * 0x9E3779B97F4A7C15
	}
	for range 2 {
		s.add(keys)
		if s.full {
			t.Fatalf("full at %d postings, %d counters a row", s.n, 1<<s.lg)
		}
	}
	if s.lg != 15 {
		t.Fatalf("rows of 2^%d for %d postings", s.lg, s.n)
	}
	s.add(keys)
	if !s.full {
		t.Errorf("%d postings for rows of at most 2^15: not full", s.n)
	}
}

// TestSharedKeysSameAnswers: leaving out the keys the sketch counted once
// changes no MayShare answer over every pair of a collection whose
// documents share subject terms and copied passages, and it does leave
// keys out.
func TestSharedKeysSameAnswers(t *testing.T) {
	docs := topicDocs(40)
	opt := align.DefaultOptions()
	tz := token.New()
	df := newDFSketch(0)
	toks := make([][]token.Token, len(docs))
	once := 0
	for k, d := range docs {
		toks[k] = tz.Tokens(d.Text, 0, nil)
		df.add(align.ContentKeys(d.Text, toks[k], nil))
	}
	for k, d := range docs {
		for _, key := range align.ContentKeys(d.Text, toks[k], nil) {
			if df.count(key) == 1 {
				once++
			}
		}
	}
	if once == 0 {
		t.Fatal("no key counted once: the test shows nothing")
	}
	rare := func(k uint64) bool { return df.count(k) <= opt.MaxDF }
	all, shared := make([]*align.Prepared, len(docs)), make([]*align.Prepared, len(docs))
	for k, d := range docs {
		all[k] = align.PrepareKeyed(d.Text, toks[k], opt, rare)
		shared[k] = align.PrepareKeyed(d.Text, toks[k], opt, df.shared(opt.MaxDF))
	}
	pass := 0
	for x := range docs {
		for y := x + 1; y < len(docs); y++ {
			want := all[x].MayShare(all[y])
			if got := shared[x].MayShare(shared[y]); got != want {
				t.Errorf("%s, %s: MayShare %v without the keys counted once, %v with them", docs[x].ID, docs[y].ID, got, want)
			}
			if want {
				pass++
			}
		}
	}
	t.Logf("%d keys counted once left out; %d of %d pairs pass", once, pass, len(docs)*(len(docs)-1)/2)
	if pass == 0 {
		t.Error("no pair passes: the test shows nothing")
	}
}

// TestSharedIsDefinition checks the evidence filter's rare-key test, one
// unsigned comparison, against its definition (counted in at least two
// documents and at most maxDF), for every count a counter holds.
func TestSharedIsDefinition(t *testing.T) {
	df := newDFSketch(0)
	keys := make([]uint64, 256)
	for c := range keys {
		keys[c] = uint64(c+1) * 0x9E3779B97F4A7C15
		for range c {
			df.add(keys[c : c+1])
		}
	}
	for _, maxDF := range []int{0, 1, 2, 3, 64, 254, 255, 1000} {
		rare := df.shared(maxDF)
		for c, k := range keys {
			if got := df.count(k); got != c {
				t.Fatalf("key %d counted %d times, the sketch says %d", c, c, got)
			}
			if want := c >= 2 && c <= maxDF; rare(k) != want {
				t.Errorf("maxDF %d, count %d: rare %v, want %v", maxDF, c, rare(k), want)
			}
		}
	}
}

// A sketch that outgrows its share of MemLimit turns the evidence filter
// off, and the run says so: every candidate is aligned, none left out.
func TestSketchFullIsReported(t *testing.T) {
	docs := topicDocs(40)
	roomy, err := Find(docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tight, err := Find(docs, Options{MemLimit: 1 << 12, TmpDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if roomy.Stats.SketchFull {
		t.Error("the sketch filled up with the default memory")
	}
	if !tight.Stats.SketchFull {
		t.Fatal("a 4 KiB limit held the sketch of 40 documents' keys")
	}
	if tight.Stats.PairsAligned != tight.Stats.Candidates {
		t.Errorf("%d of %d candidates aligned with the filter off", tight.Stats.PairsAligned, tight.Stats.Candidates)
	}
	if tight.Stats.Passages < roomy.Stats.Passages {
		t.Errorf("%d passages with the filter off, %d with it", tight.Stats.Passages, roomy.Stats.Passages)
	}
}
