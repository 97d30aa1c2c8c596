package repeats

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/reprint/reprint/cluster"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/internal/errs"
	"github.com/reprint/reprint/token"
)

func planted(t *testing.T) ([]corpus.Doc, []gen.Planted) {
	t.Helper()
	gd, pl, err := gen.Repeats(gen.RepeatsConfig{Seed: 11, Docs: 120, Spans: 12, SpanWords: 100, SelfRepeats: 3, WholeDocs: 4})
	if err != nil {
		t.Fatal(err)
	}
	docs := make([]corpus.Doc, len(gd))
	for i, d := range gd {
		docs[i] = corpus.Doc{ID: d.ID, Text: d.Text, Date: d.Date, Source: d.Source}
	}
	return docs, pl
}

func norm(tz *token.Tokenizer, text string) string {
	var ws []string
	for _, t := range tz.Tokens(text, 0, nil) {
		ws = append(ws, tz.Normalize(text[t.Start:t.End]))
	}
	return " " + strings.Join(ws, " ") + " "
}

// expectedKept is the occurrence the keep policy keeps: in the document
// first by keep, then the earliest in it.
func expectedKept(docs []corpus.Doc, k cluster.Keep, p gen.Planted) gen.Occurrence {
	seq := map[string]int{}
	for i, d := range docs {
		seq[d.ID] = i
	}
	member := func(id string) cluster.Member {
		d := docs[seq[id]]
		return cluster.Member{ID: d.ID, Date: d.Date, Bytes: int64(len(d.Text)), Seq: uint64(seq[id])}
	}
	best := p.Occurrences[0]
	for _, o := range p.Occurrences[1:] {
		if c := k.Compare(member(o.ID), member(best.ID)); c < 0 || c == 0 && o.Start < best.Start {
			best = o
		}
	}
	return best
}

func TestPlantedSpansKeptOnceByPolicy(t *testing.T) {
	docs, pl := planted(t)
	tz := token.New()
	for _, k := range []cluster.Keep{cluster.KeepEarliest, cluster.KeepLongest, cluster.KeepFirst} {
		t.Run(string(k), func(t *testing.T) {
			res, err := Find(docs, Options{MinWords: 50, Keep: k, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			// Every removed span is a planted occurrence, not the kept one,
			// and names the kept one; every other occurrence is removed.
			type occ = gen.Occurrence
			want := map[occ]occ{}
			for _, p := range pl {
				kept := expectedKept(docs, k, p)
				for _, o := range p.Occurrences {
					if o != kept {
						want[o] = kept
					}
				}
			}
			got := map[occ]occ{}
			for _, s := range res.Spans() {
				got[occ{ID: s.ID, Start: s.Start, End: s.End}] = occ(s.Kept)
			}
			if !reflect.DeepEqual(got, want) {
				for o, kept := range got {
					if want[o] != kept {
						t.Errorf("removed %v (kept %v), want kept %v", o, kept, want[o])
					}
				}
				for o := range want {
					if _, ok := got[o]; !ok {
						t.Errorf("occurrence %v not removed", o)
					}
				}
			}
			if res.Stats.Emptied != 4 || res.Stats.Unconfirmed != 0 {
				t.Errorf("emptied %d (want 4, the whole-span documents), unconfirmed %d", res.Stats.Emptied, res.Stats.Unconfirmed)
			}
			// After the cut: each planted span is in exactly one document,
			// the expected one, and every document keeps its filler words.
			out := map[string]string{}
			for i, d := range docs {
				if text, ok := res.Edit(i, d.Text, d.Start); ok {
					out[d.ID] = norm(tz, text)
				} else if !res.Emptied(i) {
					t.Errorf("%s dropped but not counted as emptied", d.ID)
				}
			}
			for _, p := range pl {
				o := p.Occurrences[0]
				words := norm(tz, docs[slices.IndexFunc(docs, func(d corpus.Doc) bool { return d.ID == o.ID })].Text[o.Start:o.End])
				var in []string
				for _, d := range docs {
					if strings.Contains(out[d.ID], words) {
						in = append(in, d.ID)
					}
				}
				if kept := expectedKept(docs, k, p); len(in) != 1 || in[0] != kept.ID {
					t.Errorf("span %d left in %v, want only %s", p.Span, in, kept.ID)
				}
			}
			var wantWords int64
			for _, p := range pl {
				wantWords += int64(p.Words * (len(p.Occurrences) - 1))
			}
			if res.Stats.SpanWords != wantWords {
				t.Errorf("removed %d words, want %d (planted copies but one)", res.Stats.SpanWords, wantWords)
			}
		})
	}
}

func TestSameResultAnyWorkersAndMemory(t *testing.T) {
	docs, _ := planted(t)
	ref, err := Find(docs, Options{MinWords: 50, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []Options{{MinWords: 50, Workers: 4}, {MinWords: 50, Workers: 3, MemLimit: 64 << 10}} {
		res, err := Find(docs, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(res.Spans(), ref.Spans()) || !reflect.DeepEqual(res.Top(), ref.Top()) {
			t.Errorf("%+v: different spans from one worker in memory", opt)
		}
		if opt.MemLimit > 0 && res.Stats.SpilledRuns < 2 {
			t.Errorf("mem limit %d: %d runs spilled, want several", opt.MemLimit, res.Stats.SpilledRuns)
		}
	}
}

func words(prefix string, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(prefix)
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(string(rune('a' + i%26)))
	}
	return b.String()
}

func TestWithinDocumentAndMaximal(t *testing.T) {
	rep := words("lic", 60)
	docs := []corpus.Doc{
		{ID: "a", Text: "Intro one two.\n\n" + rep + ".\n\nMiddle words here.\n\n" + rep + ".\n\nThe end.\n"},
		{ID: "b", Text: "Other start.\n\n" + rep + " tail"},
		{ID: "c", Text: rep + "."},
	}
	res, err := Find(docs, Options{MinWords: 10, Keep: cluster.KeepFirst})
	if err != nil {
		t.Fatal(err)
	}
	sp := res.Spans()
	if len(sp) != 3 {
		t.Fatalf("spans %+v, want 3", sp)
	}
	for _, s := range sp {
		if s.Words != 60 || s.Kept.ID != "a" || docs[0].Text[s.Kept.Start:s.Kept.End] != rep {
			t.Errorf("span %+v: want all 60 words, kept at a's first copy", s)
		}
	}
	if g := res.Top(); len(g) != 1 || g[0].Removed != 3 || g[0].Words != 60 {
		t.Errorf("top %+v, want one group removed 3 times", g)
	}
	a, _ := res.Edit(0, docs[0].Text, 0)
	if want := "Intro one two.\n\n" + rep + ".\n\nMiddle words here.\n\nThe end.\n"; a != want {
		t.Errorf("a after the cut:\n%q\nwant\n%q", a, want)
	}
	b, _ := res.Edit(1, docs[1].Text, 0)
	if b != "Other start.\n\ntail" {
		t.Errorf("b after the cut: %q", b)
	}
	if _, ok := res.Edit(2, docs[2].Text, 0); ok || res.Stats.Emptied != 1 {
		t.Errorf("c is entirely repeated: want it emptied (emptied %d)", res.Stats.Emptied)
	}
}

func TestNothingRepeatedNothingRemoved(t *testing.T) {
	docs := []corpus.Doc{{ID: "a", Text: words("p", 80)}, {ID: "b", Text: words("q", 80)}, {ID: "c", Text: "short"}}
	res, err := Find(docs, Options{MinWords: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Spans()) != 0 || res.Stats.Touched != 0 {
		t.Errorf("spans %+v in texts without repeats", res.Spans())
	}
	if got, ok := res.Edit(0, docs[0].Text, 0); !ok || got != docs[0].Text {
		t.Error("an untouched document changed")
	}
}

func TestCutTidy(t *testing.T) {
	for _, c := range []struct {
		text string
		cut  [2]int // of the marked words [[ and ]]
		want string
	}{
		{"Keep this. [[Gone words]]. And this.", [2]int{}, "Keep this. And this."},
		{"Para one.\n\n[[Gone words]].\n\nPara two.", [2]int{}, "Para one.\n\nPara two."},
		{"[[Gone words]].\n\nPara two.", [2]int{}, "Para two."},
		{"Para one.\n\n(\"[[Gone words]]\")\n", [2]int{}, "Para one.\n"},
		{"Line one\n[[gone words]] line two", [2]int{}, "Line one\nline two"},
	} {
		a := strings.Index(c.text, "[[")
		text := strings.Replace(strings.Replace(c.text, "[[", "", 1), "]]", "", 1)
		b := strings.Index(c.text, "]]") - 2
		if got := Cut(text, 0, [][2]int{{a, b}}); got != c.want {
			t.Errorf("Cut(%q) = %q, want %q", text, got, c.want)
		}
	}
}

func TestOptionErrors(t *testing.T) {
	for _, opt := range []Options{{MinWords: 1}, {MinWords: -3}, {Keep: "newest"}, {MemLimit: -1}} {
		_, err := Find(nil, opt)
		var oe *errs.OptionError
		if !errors.As(err, &oe) {
			t.Errorf("%+v: error %v, want an OptionError", opt, err)
		}
	}
}

func TestCollidingHashesAreNotRemoved(t *testing.T) {
	defer func(f func([]token.Token, int, []uint64) []uint64) { windowHashes = f }(windowHashes)
	// Every window hashes alike, so every window is a candidate of every
	// other; only the words can tell them apart.
	windowHashes = func(toks []token.Token, w int, dst []uint64) []uint64 {
		for range len(toks) - w + 1 {
			dst = append(dst, 42)
		}
		return dst
	}
	rep := words("same", 30)
	docs := []corpus.Doc{{ID: "a", Text: words("p", 40)}, {ID: "b", Text: words("q", 40)}, {ID: "c", Text: rep}, {ID: "d", Text: rep}}
	res, err := Find(docs, Options{MinWords: 20, Keep: cluster.KeepFirst})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Spans() {
		if !strings.Contains(rep, docs[slices.IndexFunc(docs, func(d corpus.Doc) bool { return d.ID == s.ID })].Text[s.Start:s.End]) {
			t.Errorf("removed %+v: its words are not repeated", s)
		}
	}
	if res.Stats.Unconfirmed == 0 {
		t.Error("colliding windows: no span rejected by the word comparison")
	}
}

func TestAppendNormalizedIsNormalize(t *testing.T) {
	tz := token.New()
	text := "Hello WORLD Straße ÉCOLE naïve Ⅻ ﬁne l'été don’t 42x ÀB"
	for _, tk := range tz.Tokens(text, 0, nil) {
		w := text[tk.Start:tk.End]
		if got, want := string(appendNormalized(nil, tz, w)), tz.Normalize(w)+"\x00"; got != want {
			t.Errorf("%q: %q, want %q", w, got, want)
		}
	}
}

// Documents with the same words are sorted once; the spans are those of
// sorting every copy.
func TestFoldedDuplicatesSameSpans(t *testing.T) {
	docs, _ := planted(t)
	tail := words("tail", 30)
	var withDups []corpus.Doc
	for i, d := range docs[:60] {
		withDups = append(withDups, d)
		if i%7 == 0 { // an exact copy (other case and spacing), dated earlier or later
			c := d
			c.ID, c.Text = d.ID+"-copy", strings.ToUpper(strings.ReplaceAll(d.Text, " ", "  "))
			c.Date = []string{"2014-01-01", "2030-01-01"}[i%2]
			withDups = append(withDups, c)
		}
	}
	// A group of three copies of a text that repeats within itself, and a
	// short document twice (no windows, never folded or removed).
	self := words("self", 40) + ". Between. " + words("self", 40) + " " + tail
	withDups = append(withDups, corpus.Doc{ID: "s1", Text: self, Date: "2020-05-05"}, corpus.Doc{ID: "s2", Text: self, Date: "2020-05-01"},
		corpus.Doc{ID: "s3", Text: self}, corpus.Doc{ID: "short1", Text: "few words"}, corpus.Doc{ID: "short2", Text: "few words"})
	for _, k := range []cluster.Keep{cluster.KeepEarliest, cluster.KeepLongest, cluster.KeepFirst} {
		folded, err := Find(withDups, Options{MinWords: 20, Keep: k})
		if err != nil {
			t.Fatal(err)
		}
		foldDuplicates = false
		plain, err := Find(withDups, Options{MinWords: 20, Keep: k})
		foldDuplicates = true
		if err != nil {
			t.Fatal(err)
		}
		if folded.Stats.Folded < 10 || plain.Stats.Folded != 0 {
			t.Fatalf("folded %d documents, %d without folding", folded.Stats.Folded, plain.Stats.Folded)
		}
		if !reflect.DeepEqual(folded.Spans(), plain.Spans()) || folded.Stats.Emptied != plain.Stats.Emptied || folded.Stats.Removed != plain.Stats.Removed {
			t.Errorf("keep %s: folding changed the spans (%d vs %d spans, %d vs %d emptied)", k,
				len(folded.Spans()), len(plain.Spans()), folded.Stats.Emptied, plain.Stats.Emptied)
		}
	}
}
