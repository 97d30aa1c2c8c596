package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/reprint/reprint/neardup"
	"github.com/reprint/reprint/token"
)

// The Beam pipeline signs documents with the CLI's recipe: the same
// document and options give the same band keys as neardup computes.
func TestHashFnUsesTheCLIRecipe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.jsonl")
	texts := []string{"The quick brown fox jumps over the lazy dog near the river bank today.",
		"Another document, with its own words, repeated words words words and more words here."}
	var lines []byte
	for i, tx := range texts {
		lines = append(lines, []byte(`{"id":"d`+string(rune('0'+i))+`","text":"`+tx+`"}`+"\n")...)
	}
	if err := os.WriteFile(path, lines, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{{}, {Threshold: 0.5, NGram: 3, Seed: 9}, {Threshold: 0.9, Perm: 64}} {
		o.Inputs, o.Output = []FileIn{{Path: path}}, t.TempDir()
		opt, err := o.withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		var got []Doc
		if err := newHashFn(opt).ProcessElement(context.Background(), FileIn{Path: path}, func(d Doc) { got = append(got, d) }); err != nil {
			t.Fatal(err)
		}
		no, err := neardup.Options{Threshold: o.Threshold, NGram: o.NGram, Perm: o.Perm, Seed: o.Seed}.WithDefaults()
		if err != nil {
			t.Fatal(err)
		}
		r := no.Recipe()
		if len(got) != len(texts) {
			t.Fatalf("%+v: %d docs, want %d", o, len(got), len(texts))
		}
		for i, tx := range texts {
			want, _ := r.Keys(r.Shingles(token.New().Tokens(tx, 0, nil), nil), nil, nil)
			if !slices.Equal(got[i].Keys, want) {
				t.Errorf("%+v: doc %d: beam keys %x, CLI keys %x", o, i, got[i].Keys, want)
			}
		}
	}
}
