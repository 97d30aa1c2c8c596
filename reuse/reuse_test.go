package reuse

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/token"
)

func newsReuse(t *testing.T, opt Options) *Result {
	t.Helper()
	c, err := corpus.Open([]string{"../testdata/news"}, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	opt.OnProblem = func(p *corpus.Problem) { t.Errorf("problem: %v", p) }
	res, err := Run(context.Background(), c, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestReuseNews(t *testing.T) {
	res := newsReuse(t, Options{})
	if len(res.Passages) == 0 {
		t.Fatal("no passages")
	}
	for _, p := range res.Passages {
		if p.A != "000_a2e0a91b0cb3cf6c.txt" || p.B != "001_e55fcabe4c6a2c3c.txt" {
			t.Errorf("passage between %s and %s", p.A, p.B)
		}
		if p.Direction != "unknown" {
			t.Errorf("direction %q without a date for 000", p.Direction)
		}
	}
	if !slices.IsSortedFunc(res.Passages, func(x, y Passage) int { return x.AStart - y.AStart }) {
		t.Error("passages not sorted by a_start")
	}
	meta, err := corpus.ReadMeta("../testdata/news-meta.jsonl", nil)
	if err != nil {
		t.Fatal(err)
	}
	withMeta := newsReuse(t, Options{Meta: meta})
	if withMeta.Stats.MetaMatched != 5 || withMeta.Stats.MetaUnmatched != 0 {
		t.Errorf("meta matched %d, unmatched %d", withMeta.Stats.MetaMatched, withMeta.Stats.MetaUnmatched)
	}
	for _, p := range withMeta.Passages {
		if p.Direction != "b->a" {
			t.Errorf("direction %q with dates, want b->a (SANA's 001 first)", p.Direction)
		}
	}
	for _, g := range withMeta.Groups {
		if g.Source < 0 || g.Occurrences[g.Source].ID != "001_e55fcabe4c6a2c3c.txt" || g.Occurrences[g.Source].Source != "SANA" {
			t.Errorf("group %s: source %d %s", g.ID, g.Source, g.SourceStatus)
		}
	}
}

func TestReuseExcerptsRebuildSpans(t *testing.T) {
	res := newsReuse(t, Options{Excerpts: true})
	if len(res.Excerpts) != len(res.Passages) {
		t.Fatalf("%d excerpts for %d passages", len(res.Excerpts), len(res.Passages))
	}
	read := func(id string) string {
		b, err := os.ReadFile(filepath.Join("../testdata/news", id))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	ta, tb := read(res.Passages[0].A), read(res.Passages[0].B)
	changed := 0
	for i, p := range res.Passages {
		ex := res.Excerpts[i]
		join := func(ps []Piece) string {
			var b strings.Builder
			for _, x := range ps {
				b.WriteString(x.Text)
				if x.Changed {
					changed++
				}
			}
			return b.String()
		}
		if got := join(ex.A); got != ta[p.AStart:p.AEnd] {
			t.Errorf("passage %d: A excerpt %q != span %q", i, got, ta[p.AStart:p.AEnd])
		}
		if got := join(ex.B); got != tb[p.BStart:p.BEnd] {
			t.Errorf("passage %d: B excerpt differs from span", i)
		}
	}
	if changed == 0 {
		t.Error("no differing words marked in the reprint")
	}
}

func TestReuseSameForAnyWorkers(t *testing.T) {
	docs, _ := genReuseDocs(t, gen.Config{Docs: 600, MeanWords: 150, Seed: 5, FamilyShare: 0.2, EditRate: 0.1, Passages: 60, PassageWords: 30, PassageEditRate: 0.05})
	var want *Result
	for _, w := range []int{1, 3} {
		res, err := Find(docs, Options{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		res.Stats = Stats{}
		if want == nil {
			want = res
			if len(res.Passages) < 60 {
				t.Fatalf("only %d passages", len(res.Passages))
			}
			continue
		}
		if !reflect.DeepEqual(res, want) {
			t.Fatalf("workers %d gives a different result", w)
		}
	}
}

func TestReuseDuplicateIDAndEmpty(t *testing.T) {
	text := "the same long sentence about rivers and mountains and the people who live between them in peace"
	docs := []corpus.Doc{{ID: "x", Text: text}, {ID: "x", Text: text}, {ID: "y", Text: "..."}, {ID: "z", Text: "Here: " + text}}
	var probs []string
	res, err := Find(docs, Options{OnProblem: func(p *corpus.Problem) { probs = append(probs, p.Reason) }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Skipped != 2 || len(probs) != 2 || !strings.HasPrefix(probs[0], "duplicate id") && !strings.HasPrefix(probs[1], "duplicate id") {
		t.Errorf("problems %q, stats %+v", probs, res.Stats)
	}
	if len(res.Passages) != 1 || res.Passages[0].A != "x" || res.Passages[0].B != "z" || res.Passages[0].BStart != 6 {
		t.Errorf("passages %+v", res.Passages)
	}
}

func TestReuseOptionErrors(t *testing.T) {
	for _, o := range []Options{{MinWords: -1}, {Anchor: 100}, {MinIdentity: 1.5}, {MaxDF: -2}} {
		if _, err := Find(nil, o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}

func genReuseDocs(t *testing.T, cfg gen.Config) ([]corpus.Doc, gen.Truth) {
	t.Helper()
	var docs []corpus.Doc
	truth, err := gen.Generate(cfg, func(d gen.Doc) error {
		docs = append(docs, corpus.Doc{ID: d.ID, Text: d.Text, Date: d.Date, Source: d.Source})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs, truth
}

// TestReuseGeneratedPassages inserts passages of 30 to 60 words, edited,
// into unrelated documents and scores what Reuse finds against the truth.
func TestReuseGeneratedPassages(t *testing.T) {
	if testing.Short() {
		t.Skip("generated corpus")
	}
	var all []corpus.Doc
	var passages []gen.Passage
	// Two corpora (30 and 60 words) merged under distinct IDs.
	for k, words := range []int{30, 60} {
		docs, truth := genReuseDocs(t, gen.Config{Docs: 2000, MeanWords: 250, Seed: uint64(21 + k), Passages: 150, PassageWords: words, PassageEditRate: 0.1})
		pre := string(rune('a' + k))
		for _, d := range docs {
			d.ID = pre + d.ID
			all = append(all, d)
		}
		for _, p := range truth.Passages {
			p.Source, p.Target = pre+p.Source, pre+p.Target
			passages = append(passages, p)
		}
	}
	res, err := Find(all, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sc := scorePassages(all, passages, res.Passages)
	t.Logf("%d eligible passages, recall %.3f, median boundary error %.1f words, %d false passages of %d; %d candidate pairs",
		sc.eligible, sc.recall(), sc.medianError, sc.falses, len(res.Passages), res.Stats.Candidates)
	if sc.eligible < 150 {
		t.Fatalf("only %d eligible passages", sc.eligible)
	}
	if sc.recall() < 0.95 {
		t.Errorf("recall %.3f < 0.95", sc.recall())
	}
	// Edited passages are widened to the sentences they mostly cover (the
	// aligner's sentence snapping: reuse copies sentences, and PAN's cases
	// are sentences), while gen splices passages into the middle of its
	// host's sentences: a median of up to 3 words is the snap, not a miss.
	if sc.medianError > 3 {
		t.Errorf("median boundary error %.1f words > 3", sc.medianError)
	}
	if sc.falses > len(res.Passages)/50 {
		t.Errorf("%d false passages of %d", sc.falses, len(res.Passages))
	}
}

type passageScore struct {
	eligible, found int
	medianError     float64
	falses          int
}

func (s passageScore) recall() float64 { return float64(s.found) / float64(max(s.eligible, 1)) }

// scorePassages matches reported passages to the truth. A true passage of
// at least 30 words with at most 10% of its words edited is eligible; it is
// found when a reported passage of the same two documents overlaps it on
// both sides. Its boundary error is the largest of its four boundaries'
// distances, in words, from the truth. A reported passage between
// documents the truth does not connect is false.
func scorePassages(docs []corpus.Doc, truth []gen.Passage, got []Passage) passageScore {
	tz := token.New()
	byID := map[string]int{}
	for i, d := range docs {
		byID[d.ID] = i
	}
	toks := map[string][]token.Token{}
	tokIndex := func(id string, off int) int {
		ts, ok := toks[id]
		if !ok {
			ts = tz.Tokens(docs[byID[id]].Text, 0, nil)
			toks[id] = ts
		}
		return sort.Search(len(ts), func(i int) bool { return ts[i].Start >= off })
	}
	type key struct{ a, b string }
	byPair := map[key][]Passage{}
	for _, p := range got {
		byPair[key{p.A, p.B}] = append(byPair[key{p.A, p.B}], p)
	}
	var s passageScore
	var errs []int
	matched := map[Passage]bool{}
	for _, tp := range truth {
		// Orient the truth as the output is: a < b.
		a, as, ae, b, bs, be := tp.Source, tp.SourceStart, tp.SourceEnd, tp.Target, tp.TargetStart, tp.TargetEnd
		if a > b {
			a, as, ae, b, bs, be = b, bs, be, a, as, ae
		}
		edits := tp.Subs + tp.Ins + tp.Dels
		eligible := tp.Words >= 30 && edits*10 <= tp.Words
		best := -1
		for _, p := range byPair[key{a, b}] {
			if p.AStart >= ae || p.AEnd <= as || p.BStart >= be || p.BEnd <= bs {
				continue
			}
			matched[p] = true
			e := max(abs(tokIndex(a, p.AStart)-tokIndex(a, as)), abs(tokIndex(a, p.AEnd)-tokIndex(a, ae)),
				abs(tokIndex(b, p.BStart)-tokIndex(b, bs)), abs(tokIndex(b, p.BEnd)-tokIndex(b, be)))
			if best < 0 || e < best {
				best = e
			}
		}
		if eligible {
			s.eligible++
			if best >= 0 {
				s.found++
				errs = append(errs, best)
			}
		}
	}
	// Two documents that took passages from one source share text too
	// (siblings); only a passage between documents the truth does not
	// connect at all is false.
	root := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		r, ok := root[x]
		if !ok || r == x {
			return x
		}
		r = find(r)
		root[x] = r
		return r
	}
	for _, tp := range truth {
		root[find(tp.Source)] = find(tp.Target)
	}
	for _, p := range got {
		if !matched[p] && find(p.A) != find(p.B) {
			s.falses++
		}
	}
	if len(errs) > 0 {
		slices.Sort(errs)
		s.medianError = float64(errs[len(errs)/2])
		if len(errs)%2 == 0 {
			s.medianError = float64(errs[len(errs)/2-1]+errs[len(errs)/2]) / 2
		}
	}
	return s
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestContentKeysFindReworded runs the engine over a collection of
// generated reuse, heavily reworded, among unrelated documents: content
// keys make candidates of the reworded pairs that exact anchors miss, and
// no passage joins a retelling to its source either way.
func TestContentKeysFindReworded(t *testing.T) {
	var docs []corpus.Doc
	want := map[[2]string]bool{}
	retold := map[[2]string]bool{}
	for seed := uint64(1); seed <= 12; seed++ {
		for _, name := range []string{"heavy", "retelling"} {
			var ob gen.Obfuscation
			for _, o := range gen.Obfuscations {
				if o.Name == name {
					ob = o
				}
			}
			p := gen.ObfuscatedPair(seed, ob, 120, 300)
			src, re := name+"-src-"+string(rune('a'+seed)), name+"-re-"+string(rune('a'+seed))
			docs = append(docs, corpus.Doc{ID: src, Text: p.Source}, corpus.Doc{ID: re, Text: p.Reuse})
			key := [2]string{min(src, re), max(src, re)}
			if ob.Retell {
				retold[key] = true
			} else {
				want[key] = true
			}
		}
	}
	found := func(keys string) int {
		res, err := Find(docs, Options{Keys: keys})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		seen := map[[2]string]bool{}
		for _, p := range res.Passages {
			key := [2]string{p.A, p.B}
			if retold[key] {
				t.Errorf("--keys %s: a passage joins a retelling to its source: %+v", keys, p)
			}
			if want[key] && !seen[key] {
				seen[key] = true
				n++
			}
		}
		return n
	}
	byContent, byAnchors := found(KeysContent), found(KeysAnchors)
	t.Logf("reworded pairs with a passage: content keys %d, anchors %d, of %d", byContent, byAnchors, len(want))
	if byContent < len(want)*2/3 || byContent <= byAnchors {
		t.Errorf("content keys find %d of %d reworded pairs, anchors %d: want at least two thirds and more than anchors", byContent, len(want), byAnchors)
	}
	if _, err := Find(docs, Options{Keys: "bogus"}); err == nil {
		t.Error("Keys \"bogus\" gave no error")
	}
}

// topicDocs are n documents that share a subject and no text: each
// sentence holds one of a hundred two-word terms of the subject among
// five words of a large vocabulary, so that two documents share many rare
// stem pairs, one to a sentence, in sentences that have nothing else in
// common. Documents k and k+1 for k = 0, 10, 20, ... also share a
// passage: ten sentences of k copied into k+1 with every fifth word
// replaced.
func topicDocs(n int) []corpus.Doc {
	r := rand.New(rand.NewPCG(7, 8))
	word := func() string {
		w := []byte{}
		for range 3 {
			w = append(w, "bcdfgklmnprstvz"[r.IntN(15)], "aeiou"[r.IntN(5)])
		}
		return string(w) + "x"
	}
	vocab := make([]string, 5000)
	for k := range vocab {
		vocab[k] = word()
	}
	terms := make([]string, 100)
	for k := range terms {
		terms[k] = word() + " " + word()
	}
	sentence := func() string {
		ws := make([]string, 5)
		for k := range ws {
			ws[k] = vocab[r.IntN(len(vocab))]
		}
		at := r.IntN(len(ws) + 1)
		ws = append(ws[:at], append([]string{terms[r.IntN(len(terms))]}, ws[at:]...)...)
		return strings.Join(ws, " ") + ". "
	}
	docs := make([]corpus.Doc, n)
	var prev []string
	for d := range docs {
		var sents []string
		for range 60 {
			sents = append(sents, sentence())
		}
		if d%10 == 1 { // the passage k+1 takes from k
			copied := strings.Fields(strings.Join(prev[20:30], ""))
			for k := range copied {
				if k%5 == 4 {
					copied[k] = vocab[r.IntN(len(vocab))]
				}
			}
			sents = append(sents[:30], append([]string{strings.Join(copied, " ") + " "}, sents[30:]...)...)
		}
		prev = sents
		docs[d] = corpus.Doc{ID: fmt.Sprintf("topic%03d", d), Text: strings.Join(sents, "")}
	}
	return docs
}

// TestReuseScatteredPairsSkipped: pairs whose shared rare keys lie
// scattered are not aligned, and what is lost by that is next to nothing:
// the passages found are those of aligning every candidate, less at most
// one in fifty.
func TestReuseScatteredPairsSkipped(t *testing.T) {
	docs := topicDocs(60)
	every, err := Find(docs, Options{AlignScattered: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Find(docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := res.Stats
	t.Logf("%d candidate pairs, %d aligned, %d with passages (%d aligning every pair); %d passages (%d)",
		st.Candidates, st.PairsAligned, st.PairsWithPassages, every.Stats.PairsWithPassages, len(res.Passages), len(every.Passages))
	if every.Stats.PairsAligned != every.Stats.Candidates || st.Candidates != every.Stats.Candidates {
		t.Fatalf("AlignScattered aligned %d of %d candidates (default: %d)", every.Stats.PairsAligned, every.Stats.Candidates, st.Candidates)
	}
	if st.PairsAligned >= st.Candidates {
		t.Errorf("all %d candidate pairs aligned: the filter skips nothing", st.Candidates)
	}
	span := func(p Passage) [6]any { return [6]any{p.A, p.AStart, p.AEnd, p.B, p.BStart, p.BEnd} }
	all := map[[6]any]bool{}
	for _, p := range every.Passages {
		all[span(p)] = true
	}
	for _, p := range res.Passages {
		if !all[span(p)] {
			t.Errorf("a passage that aligning every pair does not give: %+v", p)
		}
	}
	if 50*len(res.Passages) < 49*len(every.Passages) {
		t.Errorf("%d passages, %d when every pair is aligned", len(res.Passages), len(every.Passages))
	}
	copies := 0
	for _, p := range res.Passages {
		var a, b int
		fmt.Sscanf(p.A, "topic%d", &a)
		fmt.Sscanf(p.B, "topic%d", &b)
		if a%10 == 0 && b == a+1 {
			copies++
		}
	}
	if copies < 6 {
		t.Errorf("%d of the 6 copied passages found", copies)
	}
}
