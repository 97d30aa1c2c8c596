package gen

import (
	"reflect"
	"strings"
	"testing"

	"github.com/reprint/reprint/token"
)

func normWords(tz *token.Tokenizer, text string) string {
	var ws []string
	for _, t := range tz.Tokens(text, 0, nil) {
		ws = append(ws, tz.Normalize(text[t.Start:t.End]))
	}
	return strings.Join(ws, " ")
}

func TestRepeatsPlantedSpans(t *testing.T) {
	cfg := RepeatsConfig{Seed: 3, Docs: 60, Spans: 8, SpanWords: 70, SelfRepeats: 2, WholeDocs: 3}
	docs, planted, err := Repeats(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 63 || len(planted) != 8 {
		t.Fatalf("got %d docs, %d spans", len(docs), len(planted))
	}
	text := map[string]string{}
	for _, d := range docs {
		text[d.ID] = d.Text
	}
	tz := token.New()
	for _, p := range planted {
		if len(p.Occurrences) < 2 {
			t.Errorf("span %d: %d occurrences, want at least 2", p.Span, len(p.Occurrences))
		}
		var first string
		perDoc := map[string]int{}
		for i, o := range p.Occurrences {
			perDoc[o.ID]++
			w := normWords(tz, text[o.ID][o.Start:o.End])
			if n := len(strings.Fields(w)); n != p.Words {
				t.Errorf("span %d in %s: %d words, want %d", p.Span, o.ID, n, p.Words)
			}
			if i == 0 {
				first = w
			} else if w != first {
				t.Errorf("span %d: occurrence in %s differs from the first", p.Span, o.ID)
			}
		}
		self := false
		for _, n := range perDoc {
			self = self || n > 1
		}
		if self != (p.Span < cfg.SelfRepeats) {
			t.Errorf("span %d: repeated within one document %v, want %v", p.Span, self, p.Span < cfg.SelfRepeats)
		}
	}
	for _, d := range docs[60:] {
		if d.Date <= docs[0].Date || strings.TrimSpace(d.Text) == "" {
			t.Errorf("whole-span document %s: date %s, want after the others", d.ID, d.Date)
		}
	}
	again, planted2, _ := Repeats(cfg)
	if !reflect.DeepEqual(docs, again) || !reflect.DeepEqual(planted, planted2) {
		t.Error("same config, different corpus")
	}
}

func TestRepeatsBadConfig(t *testing.T) {
	for _, c := range []RepeatsConfig{{Docs: 1}, {MaxCopies: 1}, {SelfRepeats: -1}, {Spans: 3, SelfRepeats: 4}} {
		if _, _, err := Repeats(c); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}
