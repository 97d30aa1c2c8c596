package gen

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reprint/reprint/token"
)

func testConfig() Config {
	c := DefaultConfig()
	c.Docs, c.Seed, c.MeanWords = 2000, 42, 200
	c.FamilyShare, c.ExactShare, c.Passages = 0.3, 0.1, 50
	return c
}

func generateAll(t *testing.T, cfg Config) (map[string]Doc, []string, Truth) {
	t.Helper()
	docs := map[string]Doc{}
	var order []string
	truth, err := Generate(cfg, func(d Doc) error {
		docs[d.ID] = d
		order = append(order, d.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs, order, truth
}

func TestDeterministic(t *testing.T) {
	cfg := testConfig()
	sum := func() ([32]byte, [32]byte) {
		var docs, truth bytes.Buffer
		tr, err := WriteJSONL(&docs, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteTruth(&truth, tr); err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(docs.Bytes()), sha256.Sum256(truth.Bytes())
	}
	d1, t1 := sum()
	d2, t2 := sum()
	if d1 != d2 || t1 != t2 {
		t.Fatal("two runs with the same config differ")
	}
	cfg.Seed++
	var other bytes.Buffer
	if _, err := WriteJSONL(&other, cfg); err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(other.Bytes()) == d1 {
		t.Fatal("a different seed gave the same corpus")
	}
}

func TestShape(t *testing.T) {
	cfg := testConfig()
	docs, order, truth := generateAll(t, cfg)
	if len(order) != cfg.Docs || !slices.IsSorted(order) {
		t.Fatalf("got %d docs, sorted %v", len(order), slices.IsSorted(order))
	}
	if order[0] != "d0000000" {
		t.Fatalf("first id %q", order[0])
	}
	words, fam := 0, 0
	tz := token.New()
	for _, d := range docs {
		words += len(tz.Tokens(d.Text, 0, nil))
		if len(d.Date) != 10 || d.Source == "" {
			t.Fatalf("bad metadata %+v", d)
		}
	}
	if mean := words / len(docs); mean < cfg.MeanWords*8/10 || mean > cfg.MeanWords*12/10 {
		t.Errorf("mean words %d, want about %d", mean, cfg.MeanWords)
	}
	for _, f := range truth.Families {
		fam += 1 + len(f.Copies)
		for _, c := range f.Copies {
			if docs[c.ID].Date <= docs[f.Original].Date {
				t.Errorf("copy %s dated %s, original %s dated %s", c.ID, docs[c.ID].Date, f.Original, docs[f.Original].Date)
			}
		}
	}
	if want := int(cfg.FamilyShare * float64(cfg.Docs)); fam < want-1 || fam > want+1 {
		t.Errorf("%d family docs, want %d", fam, want)
	}
	if want := int(cfg.ExactShare * float64(cfg.Docs)); len(truth.Exact) != want {
		t.Errorf("%d exact duplicates, want %d", len(truth.Exact), want)
	}
	for _, e := range truth.Exact {
		a, b := docs[e.ID].Text, docs[e.Of].Text
		if (e.Variant == "identical") != (a == b) && strings.ContainsAny(b, "'\"") {
			t.Errorf("%s variant %s of %s: identical=%v", e.ID, e.Variant, e.Of, a == b)
		}
		if !slices.Equal(set(tz, a, 5), set(tz, b, 5)) {
			t.Errorf("%s (%s) and %s differ after normalization", e.ID, e.Variant, e.Of)
		}
	}
}

func set(tz *token.Tokenizer, text string, n int) []uint64 {
	return token.ShingleSet(tz.Tokens(text, 0, nil), n, nil)
}

func jaccard(a, b []uint64) float64 { return token.Jaccard(a, b) }

// Copies should have about the Jaccard their edit rate predicts: checked
// per copy loosely, and on average tightly.
func TestFamilyJaccard(t *testing.T) {
	cfg := testConfig()
	cfg.MeanWords, cfg.EditRate = 600, 0.1
	docs, _, truth := generateAll(t, cfg)
	tz := token.New()
	var sumGot, sumWant float64
	n := 0
	for _, f := range truth.Families {
		orig := set(tz, docs[f.Original].Text, 5)
		for _, c := range f.Copies {
			got := jaccard(orig, set(tz, docs[c.ID].Text, 5))
			if d := got - c.ExpectedJaccard; d > 0.2 || d < -0.2 {
				t.Errorf("%s: edit rate %.3f, Jaccard %.3f, expected %.3f", c.ID, c.EditRate, got, c.ExpectedJaccard)
			}
			sumGot += got
			sumWant += c.ExpectedJaccard
			n++
		}
	}
	if n < 50 {
		t.Fatalf("only %d copies", n)
	}
	if d := (sumGot - sumWant) / float64(n); d > 0.02 || d < -0.02 {
		t.Errorf("mean Jaccard %.3f, expected %.3f", sumGot/float64(n), sumWant/float64(n))
	}
	t.Logf("%d copies, mean Jaccard %.3f, expected %.3f", n, sumGot/float64(n), sumWant/float64(n))
}

func TestPassageSpans(t *testing.T) {
	for _, rate := range []float64{0, 0.05} {
		cfg := testConfig()
		cfg.PassageEditRate = rate
		docs, _, truth := generateAll(t, cfg)
		if len(truth.Passages) != cfg.Passages {
			t.Fatalf("%d passages, want %d", len(truth.Passages), cfg.Passages)
		}
		tz := token.New()
		hashes := func(text string) []uint64 {
			var h []uint64
			for _, tk := range tz.Tokens(text, 0, nil) {
				h = append(h, tk.Hash)
			}
			return h
		}
		for _, p := range truth.Passages {
			src, tgt := docs[p.Source].Text, docs[p.Target].Text
			s, g := src[p.SourceStart:p.SourceEnd], tgt[p.TargetStart:p.TargetEnd]
			hs, hg := hashes(s), hashes(g)
			if len(hs) != p.Words {
				t.Fatalf("source span of %d words, want %d: %q", len(hs), p.Words, s)
			}
			if want := p.Words - p.Dels + p.Ins; len(hg) != want {
				t.Fatalf("target span of %d words, want %d: %q", len(hg), want, g)
			}
			if rate == 0 && !slices.Equal(hs, hg) {
				t.Fatalf("passage %s→%s: spans differ:\n%q\n%q", p.Source, p.Target, s, g)
			}
			if p.TargetStart > 0 && !strings.ContainsAny(tgt[p.TargetStart-1:p.TargetStart], " \n\"") {
				t.Fatalf("target span starts mid-word: %q", tgt[max(0, p.TargetStart-10):p.TargetEnd])
			}
			if docs[p.Target].Date <= docs[p.Source].Date {
				t.Errorf("passage target dated before its source")
			}
		}
	}
}

func TestPassageOverlaps(t *testing.T) {
	p := Passage{Source: "s", SourceStart: 10, SourceEnd: 20, Target: "t", TargetStart: 100, TargetEnd: 130}
	for _, c := range []struct {
		a      string
		as, ae int
		b      string
		bs, be int
		want   bool
	}{
		{"t", 120, 140, "s", 0, 11, true},   // target side first
		{"s", 19, 25, "t", 90, 101, true},   // source side first
		{"t", 130, 140, "s", 10, 20, false}, // touches the target span's end only
		{"t", 100, 130, "s", 20, 30, false},
		{"t", 100, 130, "x", 10, 20, false},
		{"s", 10, 20, "s", 10, 20, false},
	} {
		if got := p.Overlaps(c.a, c.as, c.ae, c.b, c.bs, c.be); got != c.want {
			t.Errorf("Overlaps(%q %d-%d, %q %d-%d) = %v, want %v", c.a, c.as, c.ae, c.b, c.bs, c.be, got, c.want)
		}
	}
}

// WriteFile writes what WriteJSONL writes, compressed by the name's
// extension, with the same truth.
func TestWriteFileIsWriteJSONL(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Docs, cfg.Passages = 200, 5
	var want bytes.Buffer
	wantTruth, err := WriteJSONL(&want, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"c.jsonl", "c.jsonl.gz"} {
		path := filepath.Join(t.TempDir(), name)
		truth, err := WriteFile(path, cfg)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if data, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(data, want.Bytes()) || len(truth.Passages) != len(wantTruth.Passages) {
			t.Errorf("%s: WriteFile differs from WriteJSONL", name)
		}
	}
}
