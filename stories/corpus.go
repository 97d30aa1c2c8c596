// Stories of a corpus on disk, and the copies inside them: what the
// command line and the report need around Build.
//
// ScanCorpus reads a corpus through the shared ordered pipeline (decoding
// on the workers, documents yielded in input order), keeps the first
// record of each ID, and applies a --meta sidecar; BuildScan reads it twice.
// AddCopies puts into each story the pairs of its documents that share
// passages (from the reuse engine), one copy per pair.

package stories

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/internal/pipeline"
	"github.com/reprint/reprint/trace"
)

// ScanStats is what the first pass of a corpus scan saw.
type ScanStats struct {
	Records, Docs int
	Bytes         int64 // text bytes of the documents used
}

// ScanCorpus returns the Scan of every usable document of c, with meta
// applied by ID, decoded on workers goroutines. Problems (records that do
// not decode, repeated IDs) go to onProblem, when set, in the first pass
// only; stats is complete once the first pass has run.
func ScanCorpus(ctx context.Context, c *corpus.Corpus, meta map[string]corpus.Meta, workers int, onProblem func(*corpus.Problem)) (scan Scan, stats *ScanStats) {
	stats = &ScanStats{}
	decode := pipeline.Decoder(c)
	type decoded struct {
		doc     corpus.Doc
		rec     pipeline.Job
		problem *corpus.Problem
	}
	pass := 0
	return func(yield func(corpus.Doc) error) error {
		pass++
		report := func(p *corpus.Problem) {}
		if onProblem != nil && pass == 1 {
			report = onProblem
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		var yieldErr error
		seen := map[string]bool{}
		var bytes int64
		st, err := pipeline.Ordered(ctx, pipeline.FromCorpus(c), report, max(workers, 1), pipeline.BatchBytes,
			func() func(pipeline.Job) decoded {
				return func(j pipeline.Job) decoded {
					d, err := decode(j)
					if err != nil {
						return decoded{rec: j, problem: pipeline.AsProblem(err, j.Rec)}
					}
					return decoded{doc: d, rec: j}
				}
			},
			func(x decoded) {
				switch {
				case yieldErr != nil:
				case x.problem != nil:
					report(x.problem)
				case seen[x.doc.ID]:
					report(pipeline.DuplicateID(x.rec.Rec.File, x.rec.Rec.Line, x.doc.ID, x.rec.Seq))
				default:
					seen[x.doc.ID] = true
					bytes += int64(len(x.doc.Text))
					if m, ok := meta[x.doc.ID]; ok {
						m.Apply(&x.doc)
					}
					if yieldErr = yield(x.doc); yieldErr != nil {
						cancel()
					}
				}
			}, nil)
		if yieldErr != nil {
			return yieldErr
		}
		if pass == 1 {
			stats.Records, stats.Docs, stats.Bytes = st.Records, len(seen), bytes
		}
		return err
	}, stats
}

// AddCopies adds to each story the pairs of its documents that share
// passages: one copy per pair, with the equal words of all its passages and
// the direction of its longest. It returns the copies added and the
// passages that join documents of two different stories (left out).
func AddCopies(ss []Story, passages []trace.Passage) (added, across int) {
	storyOf := map[string]int{}
	for i, s := range ss {
		for _, id := range s.Docs {
			storyOf[id] = i
		}
	}
	type agg struct {
		words, longest int
		dir            string
	}
	byStory := make([]map[[2]string]*agg, len(ss))
	for _, p := range passages {
		sa, oka := storyOf[p.A]
		sb, okb := storyOf[p.B]
		switch {
		case !oka || !okb:
			continue
		case sa != sb:
			across++
			continue
		}
		if byStory[sa] == nil {
			byStory[sa] = map[[2]string]*agg{}
		}
		k := [2]string{p.A, p.B}
		g := byStory[sa][k]
		if g == nil {
			g = &agg{}
			byStory[sa][k] = g
		}
		g.words += p.Words
		if p.Words > g.longest {
			g.longest, g.dir = p.Words, p.Direction
		}
	}
	for i, m := range byStory {
		for k, g := range m {
			ss[i].Copies = append(ss[i].Copies, Copy{A: k[0], B: k[1], Direction: g.dir, Words: g.words})
		}
		slices.SortFunc(ss[i].Copies, func(x, y Copy) int {
			return cmp.Or(strings.Compare(x.A, y.A), strings.Compare(x.B, y.B))
		})
		added += len(ss[i].Copies)
	}
	return added, across
}
