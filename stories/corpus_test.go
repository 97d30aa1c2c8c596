package stories

import (
	"testing"

	"github.com/reprint/reprint/trace"
)

// Passages inside a story become one copy per pair (words summed, the
// direction of the longest); passages across stories are counted, not kept.
func TestAddCopies(t *testing.T) {
	ss := []Story{{Story: "s1", Docs: []string{"a", "b", "c"}}, {Story: "s2", Docs: []string{"d"}}}
	added, across := AddCopies(ss, []trace.Passage{
		{A: "a", B: "b", Words: 10, Direction: "unknown"},
		{A: "a", B: "b", Words: 30, Direction: "b->a"},
		{A: "a", B: "c", Words: 5, Direction: "a->b"},
		{A: "c", B: "d", Words: 50, Direction: "a->b"},
	})
	if added != 2 || across != 1 {
		t.Fatalf("added %d, across %d; want 2, 1", added, across)
	}
	c := ss[0].Copies
	if len(c) != 2 || c[0] != (Copy{A: "a", B: "b", Direction: "b->a", Words: 40}) || c[1] != (Copy{A: "a", B: "c", Direction: "a->b", Words: 5}) {
		t.Errorf("copies %+v", c)
	}
	if len(ss[1].Copies) != 0 {
		t.Errorf("s2 copies %+v", ss[1].Copies)
	}
}
