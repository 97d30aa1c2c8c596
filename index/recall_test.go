package index

import (
	"context"
	"math"
	"testing"

	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/token"
)

// The index against the generator's ground truth: every inserted passage
// is found when its target is queried, with spans on both sides, and the
// near-duplicates reported are exactly those above the threshold that the
// banding finds, with recall as high as the banding promises.
func TestRecallAgainstGenerator(t *testing.T) {
	cfg := gen.DefaultConfig()
	cfg.Docs, cfg.Seed = 3000, 11
	cfg.Passages, cfg.PassageWords, cfg.PassageEditRate = 200, 30, 0.05
	byID := map[string]gen.Doc{}
	var docs []Doc
	truth, err := gen.Generate(cfg, func(d gen.Doc) error {
		byID[d.ID] = d
		docs = append(docs, Doc{ID: d.ID, Text: d.Text, Date: d.Date, Source: d.Source})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ix, _ := openTemp(t, Options{})
	if _, err := ix.Add(docs); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	found := 0
	for _, p := range truth.Passages {
		r, err := ix.Query(ctx, Query{ID: p.Target})
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range r.Passages {
			if p.Overlaps(got.A, got.AStart, got.AEnd, got.B, got.BStart, got.BEnd) {
				found++
				break
			}
		}
	}
	recall := float64(found) / float64(len(truth.Passages))
	t.Logf("passages: %d of %d found (recall %.3f), 30 words edited at 5%%", found, len(truth.Passages), recall)
	if len(truth.Passages) < 150 || recall < 0.95 {
		t.Errorf("passage recall %.3f over %d passages, want >= 0.95", recall, len(truth.Passages))
	}

	tz := token.New()
	set := func(id string) []uint64 { return token.ShingleSet(tz.Tokens(byID[id].Text, 0, nil), 5, nil) }
	want, hit := 0, 0
	for _, f := range truth.Families {
		orig := set(f.Original)
		for _, c := range f.Copies {
			cs := set(c.ID)
			j := token.Jaccard(orig, cs)
			r, err := ix.Query(ctx, Query{ID: c.ID})
			if err != nil {
				t.Fatal(err)
			}
			for _, nd := range r.NearDuplicates {
				if exact := token.Jaccard(cs, set(nd.ID)); exact < 0.8 || math.Abs(exact-nd.Jaccard) > 1e-4 {
					t.Fatalf("%s: near-duplicate %s reported at %.4f, exact Jaccard %.4f", c.ID, nd.ID, nd.Jaccard, exact)
				}
			}
			if j < 0.8 {
				continue
			}
			want++
			for _, nd := range r.NearDuplicates {
				if nd.ID == f.Original {
					hit++
					break
				}
			}
		}
	}
	t.Logf("near-duplicates: %d of %d copies at Jaccard >= 0.8 list their original", hit, want)
	if want < 50 || float64(hit) < 0.98*float64(want) {
		t.Errorf("near-duplicate recall %d of %d, want >= 98%%", hit, want)
	}
}
