package pipeline

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/reprint/reprint/corpus"
)

// Results reach the collector in input order whatever the number of
// workers and however the batches are cut.
func TestOrderedKeepsInputOrder(t *testing.T) {
	var docs []corpus.Doc
	for i := range 5000 {
		docs = append(docs, corpus.Doc{ID: fmt.Sprint(i), Text: fmt.Sprintf("text %d %s", i, make([]byte, i%300))})
	}
	for _, workers := range []int{1, 3, 8} {
		var got []int
		st, err := Ordered(context.Background(), FromDocs(docs), nil, workers, 4096,
			func() func(Job) int { return func(j Job) int { return j.Seq } },
			func(seq int) { got = append(got, seq) }, nil)
		if err != nil {
			t.Fatal(err)
		}
		if st.Records != len(docs) || len(got) != len(docs) || !slices.IsSorted(got) {
			t.Fatalf("%d workers: %d records, %d results, sorted %v", workers, st.Records, len(got), slices.IsSorted(got))
		}
	}
}

func TestReasonClass(t *testing.T) {
	for in, want := range map[string]string{
		"invalid JSON: invalid character 'p' at byte 0":        "invalid JSON",
		"invalid UTF-8 at byte 1234":                           "invalid UTF-8 at byte N",
		`missing "text" field (the record has "body", "id")`:   `missing "text" field`,
		"record of 300000000 bytes is over the limit of 64MiB": "record of N bytes is over the limit of NMiB",
	} {
		if got := ReasonClass(in); got != want {
			t.Errorf("ReasonClass(%q) = %q, want %q", in, got, want)
		}
	}
	var s Skips
	count := s.Counter(nil)
	for i := range 1000 {
		count(&corpus.Problem{Reason: fmt.Sprintf("invalid UTF-8 at byte %d", i)})
	}
	if s.Skipped != 1000 || len(s.SkippedReasons) != 1 {
		t.Errorf("1,000 bad records: %d skipped, %d reasons", s.Skipped, len(s.SkippedReasons))
	}
}
