package neardup

import (
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/reprint/reprint/cluster"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/token"
)

// family builds a corpus of unrelated documents and edited copies of some
// of them, deterministically.
func family(seed uint64, n, words int, editRate float64) []corpus.Doc {
	r := rand.New(rand.NewPCG(seed, seed+1))
	vocab := make([]string, 3000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%dq%d", i, r.IntN(9))
	}
	var docs []corpus.Doc
	for i := 0; i < n; i++ {
		ws := make([]string, words)
		for j := range ws {
			ws[j] = vocab[r.IntN(len(vocab))]
		}
		docs = append(docs, corpus.Doc{ID: fmt.Sprintf("d%04d", i), Text: strings.Join(ws, " ")})
		if i%3 == 0 { // a copy with edits
			cp := slices.Clone(ws)
			for j := range cp {
				if r.Float64() < editRate {
					cp[j] = vocab[r.IntN(len(vocab))]
				}
			}
			docs = append(docs, corpus.Doc{ID: fmt.Sprintf("d%04dc", i), Text: strings.Join(cp, " "), Date: "2020-01-02"})
		}
	}
	return docs
}

// bruteForce returns the exact pairs at or above t by comparing all pairs.
func bruteForce(docs []corpus.Doc, ngram int, t float64) map[[2]string]float64 {
	tz := token.New()
	sets := make([][]uint64, len(docs))
	for i, d := range docs {
		sets[i] = token.ShingleSet(tz.Tokens(d.Text, d.Start, nil), ngram, nil)
	}
	out := map[[2]string]float64{}
	for i := range docs {
		for j := i + 1; j < len(docs); j++ {
			in := token.Overlap(sets[i], sets[j])
			jac := float64(in) / float64(len(sets[i])+len(sets[j])-in)
			if jac >= t {
				a, b := docs[i].ID, docs[j].ID
				if a > b {
					a, b = b, a
				}
				out[[2]string{a, b}] = jac
			}
		}
	}
	return out
}

func TestPairsAgainstBruteForce(t *testing.T) {
	docs := family(1, 600, 120, 0.02)
	res, err := Find(docs, Options{Threshold: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	want := bruteForce(docs, 5, 0.8)
	got := res.Pairs()
	if len(want) < 100 {
		t.Fatalf("test corpus has only %d true pairs", len(want))
	}
	found := 0
	for i, p := range got {
		if p.A >= p.B {
			t.Fatalf("pair %d not ordered: %q %q", i, p.A, p.B)
		}
		if i > 0 && (got[i-1].A > p.A || got[i-1].A == p.A && got[i-1].B >= p.B) {
			t.Fatalf("pairs not sorted at %d", i)
		}
		j, ok := want[[2]string{p.A, p.B}]
		if !ok {
			t.Fatalf("reported pair %v is below the threshold", p)
		}
		if j != p.Jaccard {
			t.Fatalf("pair %v: jaccard %v, exact %v", p, p.Jaccard, j)
		}
		found++
	}
	if recall := float64(found) / float64(len(want)); recall < 0.99 {
		t.Fatalf("recall %.3f (%d of %d)", recall, found, len(want))
	}
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	docs := family(2, 600, 80, 0.05)
	var ref []Pair
	var refC []Cluster
	for _, w := range []int{1, 2, 5} {
		res, err := Find(docs, Options{Workers: w, Threshold: 0.7})
		if err != nil {
			t.Fatal(err)
		}
		p, c := res.Pairs(), res.Clusters(cluster.KeepEarliest, cluster.ModeGreedy)
		if ref == nil {
			ref, refC = p, c
			if len(ref) == 0 {
				t.Fatal("no pairs")
			}
			continue
		}
		if !slices.Equal(p, ref) || fmt.Sprint(c) != fmt.Sprint(refC) {
			t.Fatalf("workers=%d changed the result", w)
		}
	}
}

func TestExactDuplicatesAfterNormalization(t *testing.T) {
	text := "The statement said that the U.S. and its alliance are misleading the international community about Syria."
	docs := []corpus.Doc{
		{ID: "a", Text: text},
		{ID: "b", Text: strings.ToUpper(text)},
		{ID: "c", Text: strings.ReplaceAll(text, " ", "\n  ")},
		{ID: "d", Text: "Something else entirely, with no words in common at all, none whatsoever here."},
	}
	res, err := Find(docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := res.Pairs()
	if len(got) != 3 || res.Stats.ExactDocs != 2 {
		t.Fatalf("pairs %v, exact %d", got, res.Stats.ExactDocs)
	}
	for _, p := range got {
		if p.Jaccard != 1 || p.ContainmentA != 1 || p.ContainmentB != 1 {
			t.Fatalf("exact duplicate pair %v", p)
		}
	}
	cl := res.Clusters(cluster.KeepFirst, cluster.ModeGreedy)
	if len(cl) != 1 || cl[0].Kept != "a" || len(cl[0].Removed) != 2 {
		t.Fatalf("clusters %+v", cl)
	}
}

// chain builds A~B, B~C, A≁C: each step replaces a share of the words.
func chain() []corpus.Doc {
	r := rand.New(rand.NewPCG(9, 9))
	ws := make([]string, 400)
	for i := range ws {
		ws[i] = fmt.Sprintf("x%d", r.IntN(100000))
	}
	a := slices.Clone(ws)
	b := slices.Clone(ws)
	for i := 0; i < len(b); i += 45 {
		b[i] = "changed" + fmt.Sprint(i)
	}
	c := slices.Clone(b)
	for i := 22; i < len(c); i += 45 {
		c[i] = "again" + fmt.Sprint(i)
	}
	return []corpus.Doc{
		{ID: "A", Text: strings.Join(a, " "), Date: "2020-01-01"},
		{ID: "B", Text: strings.Join(b, " "), Date: "2020-01-02"},
		{ID: "C", Text: strings.Join(c, " "), Date: "2020-01-03"},
	}
}

func TestClustersDoNotChain(t *testing.T) {
	docs := chain()
	res, err := Find(docs, Options{Threshold: 0.7})
	if err != nil {
		t.Fatal(err)
	}
	ex := bruteForce(docs, 5, 0.7)
	if _, ok := ex[[2]string{"A", "B"}]; !ok {
		t.Fatalf("test setup: A and B not near-duplicates: %v", ex)
	}
	if _, ok := ex[[2]string{"A", "C"}]; ok {
		t.Fatalf("test setup: A and C near-duplicates: %v", ex)
	}
	greedy := res.Clusters(cluster.KeepEarliest, cluster.ModeGreedy)
	if len(greedy) != 1 || greedy[0].Kept != "A" || len(greedy[0].Removed) != 1 || greedy[0].Removed[0].ID != "B" {
		t.Fatalf("greedy clusters %+v", greedy)
	}
	comp := res.Clusters(cluster.KeepEarliest, cluster.ModeComponents)
	if len(comp) != 1 || comp[0].Kept != "A" || len(comp[0].Removed) != 2 {
		t.Fatalf("component clusters %+v", comp)
	}
	if comp[0].Removed[1].Jaccard >= 0.7 {
		t.Fatalf("C's similarity to A should be below the threshold: %+v", comp[0].Removed)
	}
}

func TestKeepPolicies(t *testing.T) {
	text := strings.Repeat("alpha beta gamma delta epsilon zeta eta theta ", 6)
	docs := []corpus.Doc{
		{ID: "z-first", Text: text, Date: "2021-05-01"},
		{ID: "m-longest", Text: text + " iota", Date: "2021-06-01"},
		{ID: "a-earliest", Text: text + " kappa", Date: "2019-01-01"},
		{ID: "b-undated", Text: text + " lambda mu nu"},
	}
	res, err := Find(docs, Options{Threshold: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	for keep, want := range map[cluster.Keep]string{cluster.KeepEarliest: "a-earliest", cluster.KeepLongest: "b-undated", cluster.KeepFirst: "z-first"} {
		cl := res.Clusters(keep, cluster.ModeGreedy)
		if len(cl) != 1 || cl[0].Kept != want {
			t.Errorf("keep %s: %+v, want %s kept", keep, cl, want)
		}
	}
}

func TestBadOptions(t *testing.T) {
	for _, o := range []Options{{Threshold: 1.5}, {Threshold: -1}, {NGram: -2}, {Perm: 3}} {
		if _, err := Find(nil, o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
}

func TestEmptyDocumentsAreReported(t *testing.T) {
	var problems []string
	docs := []corpus.Doc{{ID: "a", Text: "... !!!"}, {ID: "b", Text: "real words here"}, {ID: "b", Text: "dup id"}}
	res, err := Find(docs, Options{OnProblem: func(p *corpus.Problem) { problems = append(problems, p.Reason) }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Docs != 1 || res.Stats.Skipped != 2 || len(problems) != 2 {
		t.Fatalf("stats %+v problems %q", res.Stats, problems)
	}
}

func TestSpillingGivesTheSameResult(t *testing.T) {
	docs := family(4, 1500, 100, 0.03)
	// Exact duplicates too, so the spilled path compares stored sets.
	docs = append(docs, corpus.Doc{ID: "dup-a", Text: docs[0].Text}, corpus.Doc{ID: "dup-b", Text: strings.ToUpper(docs[3].Text)})
	mem, err := Find(docs, Options{Threshold: 0.7})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	disk, err := Find(docs, Options{Threshold: 0.7, MemLimit: 64 << 10, TmpDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := disk.Close(); err != nil {
			t.Error(err)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("%d temp files left behind", len(left))
		}
	}()
	if disk.Stats.SpilledRuns < 2 || disk.Stats.SetDiskBytes == 0 {
		t.Fatalf("nothing spilled: %+v", disk.Stats)
	}
	if mem.Stats.SpilledRuns != 0 || mem.Stats.SetDiskBytes != 0 {
		t.Fatalf("unlimited run spilled: %+v", mem.Stats)
	}
	if !slices.Equal(mem.Pairs(), disk.Pairs()) || len(mem.Pairs()) == 0 {
		t.Fatalf("pairs differ: %d in memory, %d spilled", len(mem.Pairs()), len(disk.Pairs()))
	}
	for _, mode := range []cluster.Mode{cluster.ModeGreedy, cluster.ModeComponents} {
		if fmt.Sprint(mem.Clusters(cluster.KeepEarliest, mode)) != fmt.Sprint(disk.Clusters(cluster.KeepEarliest, mode)) {
			t.Fatalf("clusters differ in mode %s", mode)
		}
	}
}

// Two different IDs with one hash are both kept, and a repeat of either is
// found, so a hash collision can neither drop a document nor let a
// repeated ID through.
func TestIDTableSurvivesHashCollisions(t *testing.T) {
	docs := []docInfo{{ID: "a"}, {ID: "b"}, {ID: "c"}}
	var ids idTable
	for n, d := range docs {
		const same = 42 // every ID hashes alike
		if _, ok := ids.claim(same, d.ID, docs, int32(n)); ok {
			t.Fatalf("%q reported as a repeat before it was added", d.ID)
		}
	}
	for n, d := range docs {
		first, ok := ids.claim(42, d.ID, docs, int32(len(docs)+n))
		if !ok || first != int32(n) {
			t.Errorf("repeat of %q: first %d, %v; want %d", d.ID, first, ok, n)
		}
	}
	if _, ok := ids.claim(42, "d", docs, int32(2*len(docs))); ok {
		t.Error("a new ID with a taken hash reported as a repeat")
	}
}

// Workers leave a text another record had byte for byte untokenized, and
// under heavy exact duplication with several workers a copy is often met
// before the record it copies; pairs and clusters must not change with the
// number of workers, and every copy must pair with the near-duplicates of
// its text.
func TestExactDuplicatesAcrossWorkers(t *testing.T) {
	base := family(3, 40, 80, 0.05)
	var docs []corpus.Doc
	for round := 0; round < 4; round++ {
		for _, d := range base {
			d.ID = fmt.Sprintf("%s-%d", d.ID, round)
			docs = append(docs, d)
		}
	}
	one, err := Find(base, Options{Workers: 1, Threshold: 0.7})
	if err != nil {
		t.Fatal(err)
	}
	var ref []Pair
	for _, w := range []int{1, 2, 4, 8} {
		for rep := 0; rep < 5; rep++ {
			res, err := Find(docs, Options{Workers: w, Threshold: 0.7})
			if err != nil {
				t.Fatal(err)
			}
			if want := 3*len(base) + one.Stats.ExactDocs; res.Stats.ExactDocs != want {
				t.Fatalf("workers=%d: %d exact duplicates, want %d", w, res.Stats.ExactDocs, want)
			}
			p := res.Pairs()
			if ref == nil {
				ref = p
				continue
			}
			if !slices.Equal(p, ref) {
				t.Fatalf("workers=%d changed the pairs", w)
			}
		}
	}
	// The collector signs what no worker did, with the same result.
	signInCollector = true
	res, err := Find(docs, Options{Workers: 4, Threshold: 0.7})
	signInCollector = false
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Pairs(), ref) {
		t.Fatal("pairs differ when the collector signs")
	}
	// Every copy of a text pairs with every copy of the others in its family.
	if want := len(one.Pairs())*16 + len(base)*6; len(ref) != want {
		t.Errorf("%d pairs, want %d (each pair of the base 16 times, plus the copies of each text among themselves)", len(ref), want)
	}
}

// get returns the document stored for key, for the tests: the collector
// only ever asks with getOrPut.
func (t *hashTable) get(key uint64) (int32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(t.slots) - 1)
	for i := key & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.val == 0 {
			return 0, false
		}
		if s.key == key {
			return s.val - 1, true
		}
	}
}

// The collector's hash table against a map, through growth, replacement
// and keys that share their low bits.
func TestHashTableIsAMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var tab hashTable
	ref := map[uint64]int32{}
	for i := 0; i < 20000; i++ {
		k := r.Uint64()
		if i%3 == 0 {
			k = uint64(r.IntN(64)) << 40 // same low bits: long probe runs
		}
		if i%7 == 0 && len(ref) > 0 {
			for old := range ref {
				k = old // replace an existing key
				break
			}
		}
		tab.put(k, int32(i))
		ref[k] = int32(i)
		q := r.Uint64() // almost always absent
		got, ok := tab.get(q)
		want, wok := ref[q]
		if ok != wok || got != want {
			t.Fatalf("get(%x) = %d, %v; want %d, %v", q, got, ok, want, wok)
		}
	}
	for k, want := range ref {
		if got, ok := tab.get(k); !ok || got != want {
			t.Fatalf("get(%x) = %d, %v; want %d", k, got, ok, want)
		}
	}
	if tab.n != len(ref) {
		t.Errorf("%d entries, want %d", tab.n, len(ref))
	}
}

// A text met before byte for byte is not tokenized again (rawTexts); the
// result must be the one of tokenizing every copy: the same pairs, exact
// duplicates, kept documents and skips, whatever the workers, including
// the copies whose first record did not become a document (its ID was
// taken) and copies that differ from a text only once normalized.
func TestByteIdenticalCopiesAreNotTokenized(t *testing.T) {
	base := family(5, 30, 90, 0.05)
	var docs []corpus.Doc
	add := func(id, text string) { docs = append(docs, corpus.Doc{ID: id, Text: text}) }
	for _, d := range base {
		add(d.ID, d.Text)
	}
	rejected := base[1].Text + " and a sentence of its own"
	add(base[0].ID, rejected) // a taken ID: this record makes no document
	add("copy-of-rejected", rejected)
	add("copy-of-rejected-2", rejected)
	for i, d := range base[:10] {
		add(fmt.Sprintf("copy-%d", i), d.Text)
		add(fmt.Sprintf("upper-%d", i), strings.ToUpper(d.Text)) // equal once normalized
		add(fmt.Sprintf("copy-again-%d", i), d.Text)
	}
	add("no-words", "  ... ")
	add("no-words-again", "  ... ")

	type outcome struct {
		pairs     []Pair
		exact     int
		kept      []cluster.Decision
		skipped   int
		untouched int
	}
	run := func(workers int, tokenizeAll bool) outcome {
		rawInCollector = tokenizeAll
		defer func() { rawInCollector = false }()
		res, err := Find(docs, Options{Workers: workers, Threshold: 0.7})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Close()
		return outcome{res.Pairs(), res.Stats.ExactDocs, res.Decisions(cluster.KeepLongest, cluster.ModeGreedy), res.Stats.Skipped, res.Stats.CopiesNotTokenized}
	}
	ref := run(1, true)
	if ref.untouched != 0 {
		t.Fatalf("%d copies left untokenized with rawInCollector set", ref.untouched)
	}
	if ref.exact < 31 || ref.skipped != 3 {
		t.Fatalf("reference run: %d exact duplicates, %d skipped; want at least 31 and 3", ref.exact, ref.skipped)
	}
	for _, w := range []int{1, 2, 4} {
		got := run(w, false)
		if !slices.Equal(got.pairs, ref.pairs) || got.exact != ref.exact || got.skipped != ref.skipped || !reflect.DeepEqual(got.kept, ref.kept) {
			t.Fatalf("workers=%d: %d pairs, %d exact, %d skipped; tokenizing every copy gives %d, %d, %d (or the kept documents differ)",
				w, len(got.pairs), got.exact, got.skipped, len(ref.pairs), ref.exact, ref.skipped)
		}
		// One worker meets every first record before its copies, so the
		// 20 byte-identical copies of a document skip tokenizing; the
		// copies of the rejected record's text are tokenized by the
		// collector, since that record made no document.
		if w == 1 && got.untouched != 20 {
			t.Errorf("workers=1: %d copies not tokenized, want 20", got.untouched)
		}
	}
}
