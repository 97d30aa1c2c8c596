package reuse

import (
	"context"
	"os"
	"testing"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/internal/pipeline"
	"github.com/reprint/reprint/lsh"
)

// BenchmarkPANAlign times reuse's alignment stage alone on one worker, on
// the PAN 2013 training corpus (read in place from the shared eval folder,
// or from the file $REPRINT_PAN13 names; skipped when neither is there):
// every candidate document prepared once (here in the alignment stage, not
// in pass 1 as reuse does: earlyPrep), the evidence filter, and the 52,440
// pairs it passes aligned, in reuse's order. Pass 1, the candidates and
// the texts are made once, before the timer starts.
func BenchmarkPANAlign(b *testing.B) {
	path := os.Getenv("REPRINT_PAN13")
	if path == "" {
		path = "../../shared/eval/pan13-train/docs.jsonl"
	}
	if _, err := os.Stat(path); err != nil {
		b.Skip(err)
	}
	c, err := corpus.Open([]string{path}, corpus.Options{})
	if err != nil {
		b.Fatal(err)
	}
	opt, aopt, err := Options{Workers: 1}.withDefaults()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	src, decode := pipeline.FromCorpus(c), pipeline.Decoder(c)
	st := &Stats{}
	problem := st.Skips.Counter(nil)
	ix := lsh.NewIndex(0, "")
	defer ix.Close()
	ix.MaxDF, ix.MinShared = aopt.MaxDF, aopt.MinShared
	df := newDFSketch(0)
	docs, err := reuseIndex(ctx, src, decode, problem, opt, aopt, ix, df, nil, st)
	if err != nil {
		b.Fatal(err)
	}
	cands, err := ix.Candidates(1)
	if err != nil {
		b.Fatal(err)
	}
	pairs := make([][2]int, len(cands))
	need := make([]bool, len(docs))
	for i, c := range cands {
		x, y := lsh.Unpack(c)
		pairs[i] = [2]int{int(x), int(y)}
		need[x], need[y] = true, true
	}
	texts, err := reuseTexts(ctx, src, decode, docs, need, problem, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		links, _, aligned := reuseAlign(ctx, docs, texts, pairs, df, nil, aopt, opt)
		b.ReportMetric(float64(aligned), "aligned")
		b.ReportMetric(float64(len(links)), "links")
	}
}
