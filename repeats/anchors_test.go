package repeats

import (
	"context"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/reprint/reprint/cluster"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/internal/pipeline"
)

func TestWinnowIsLeftmostWindowMinimum(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var runs []anchorRun
	var dq []int32
	for _, n := range []int{1, 2, 7, 50, 300} {
		for k := 1; k <= min(n, 9); k++ {
			hs := make([]uint64, n)
			for i := range hs {
				hs[i] = r.Uint64N(4) // many ties
			}
			runs, dq = winnow(hs, k, runs[:0], dq)
			// The anchor of each window, from the runs.
			var dst []int32
			for i, a := range runs {
				end := n - k + 1
				if i+1 < len(runs) {
					end = int(runs[i+1].from)
				}
				if i == 0 && a.from != 0 || int(a.from) >= end {
					t.Fatalf("n %d k %d: run %d %+v ends at %d", n, k, i, a, end)
				}
				for range end - int(a.from) {
					dst = append(dst, a.at)
				}
			}
			if len(dst) != n-k+1 {
				t.Fatalf("n %d k %d: %d windows, want %d", n, k, len(dst), n-k+1)
			}
			for p := range n - k + 1 {
				m := p
				for q := p + 1; q < p+k; q++ {
					if hs[q] < hs[m] {
						m = q
					}
				}
				if int(dst[p]) != m {
					t.Fatalf("n %d k %d window %d: anchor at %d, want %d (%v)", n, k, p, dst[p], m, hs[p:p+k])
				}
			}
		}
	}
}

// Texts drawn from a few words, so that repeats of every length overlap,
// nest and recur within documents; then the spans found through anchors
// must be those of sorting every window.
func TestAnchorsFindWhatEveryWindowFinds(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	vocab := []string{"a", "b", "c", "d"}
	var docs []corpus.Doc
	phrase := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[r.IntN(len(vocab))]
		}
		return strings.Join(ws, " ")
	}
	shared := []string{phrase(30), phrase(12), phrase(9)}
	for i := range 60 {
		var parts []string
		for range 1 + r.IntN(6) {
			if r.IntN(2) == 0 {
				parts = append(parts, shared[r.IntN(len(shared))])
			} else {
				parts = append(parts, phrase(r.IntN(20)))
			}
		}
		docs = append(docs, corpus.Doc{ID: string(rune('A'+i/26)) + string(rune('a'+i%26)), Text: strings.Join(parts, " "),
			Date: []string{"2020-01-01", "2019-05-05", ""}[i%3]})
	}
	docs = append(docs, docs[4], docs[9]) // exact copies: folded
	docs[len(docs)-2].ID, docs[len(docs)-1].ID = "copy1", "copy2"
	for _, mw := range []int{2, 3, 6, 10} {
		for _, k := range []cluster.Keep{cluster.KeepEarliest, cluster.KeepLongest, cluster.KeepFirst} {
			opt := Options{MinWords: mw, Keep: k, Workers: 2}
			got, err := Find(docs, opt)
			if err != nil {
				t.Fatal(err)
			}
			everyAnchor = true
			want, err := Find(docs, opt)
			everyAnchor = false
			if err != nil {
				t.Fatal(err)
			}
			if want.Stats.Candidates != want.Stats.Windows {
				t.Fatalf("every anchor a candidate: %d of %d windows sorted", want.Stats.Candidates, want.Stats.Windows)
			}
			if len(want.Spans()) == 0 || !reflect.DeepEqual(got.Spans(), want.Spans()) || got.Stats.Removed != want.Stats.Removed {
				t.Errorf("min-words %d keep %s: %d spans (%d windows removed) through anchors, %d (%d) sorting every window",
					mw, k, len(got.Spans()), got.Stats.Removed, len(want.Spans()), want.Stats.Removed)
			}
		}
	}
}

// On text that mostly does not repeat, the anchors are a small share of the
// windows and only the repeated ones' windows are sorted.
func TestAnchorsSortFewWindows(t *testing.T) {
	docs, _ := planted(t)
	res, err := Find(docs, Options{MinWords: 50})
	if err != nil {
		t.Fatal(err)
	}
	st := res.Stats
	if st.Anchors*8 > st.Windows || st.Candidates*2 > st.Windows || st.Candidates < st.Removed {
		t.Errorf("%d windows, %d anchors, %d candidate windows, %d removed: want anchors under 1/8 and candidates under 1/2 of the windows, and at least the removed",
			st.Windows, st.Anchors, st.Candidates, st.Removed)
	}
}

// Without a repeated anchor there is no second read (and, without a span,
// no third): the corpus is read once.
func TestNoRepeatedAnchorNoSecondRead(t *testing.T) {
	docs := []corpus.Doc{{ID: "a", Text: words("p", 60)}, {ID: "b", Text: words("q", 60)}}
	reads := 0
	inner := pipeline.FromDocs(docs)
	src := func(ctx context.Context, emit func(pipeline.Job) error, onProblem func(*corpus.Problem)) error {
		reads++
		return inner(ctx, emit, onProblem)
	}
	res, err := run(context.Background(), src, nil, Options{MinWords: 20})
	if err != nil {
		t.Fatal(err)
	}
	if reads != 1 || res.Stats.Candidates != 0 || len(res.Spans()) != 0 {
		t.Errorf("%d reads, %d candidate windows, %d spans; want 1, 0, 0", reads, res.Stats.Candidates, len(res.Spans()))
	}
	// With a repeat, three.
	docs[1].Text += " " + words("p", 30)
	reads = 0
	if res, err = run(context.Background(), src, nil, Options{MinWords: 20}); err != nil {
		t.Fatal(err)
	}
	if reads != 3 || len(res.Spans()) != 1 {
		t.Errorf("%d reads, %d spans; want 3, 1", reads, len(res.Spans()))
	}
}
