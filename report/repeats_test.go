package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/repeats"
)

func TestWriteShowsMostRepeated(t *testing.T) {
	rep := "licence one <b>two</b> two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twentyone twentytwo"
	docs := []corpus.Doc{
		{ID: "x", Text: "First. " + rep, Date: "2020-01-01"},
		{ID: "y", Text: "Second. " + rep, Date: "2020-02-01"},
		{ID: "z", Text: rep, Date: "2020-03-01"},
	}
	res, err := repeats.Find(docs, repeats.Options{MinWords: 10})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Write(&b, Input{Reuse: sample(), Repeats: res}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{`id="repeats"`, "licence one &lt;b&gt;two&lt;/b&gt;", "<td class=\"n\">2</td><td class=\"n\">26</td><td>x", "documents entirely repeated"} {
		if !strings.Contains(html, want) {
			t.Errorf("no %q in the page", want)
		}
	}
	if strings.Contains(html, "<b>two") {
		t.Error("repeated text was not escaped")
	}
	b.Reset()
	Write(&b, Input{Reuse: sample()})
	if strings.Contains(b.String(), `id="repeats"`) {
		t.Error("a section on repeats without a repeats result")
	}
}
