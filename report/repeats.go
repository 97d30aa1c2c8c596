// The report's section on exact repeated spans: how much of the collection
// is text repeated word for word (of at least the run's minimum length),
// and the spans repeated most often, each with the copy that is kept and
// how many copies go. It is rendered by its own small template into the
// page, so the page's template only says where it goes.
//
// Deliberately not shown: every removed occurrence (the --spans JSONL of
// reprint repeats lists them); the most repeated are what a reader checks
// before removing them.

package report

import (
	"bytes"
	"fmt"
	"html/template"

	"github.com/reprint/reprint/repeats"
)

var repeatsTemplate = template.Must(template.New("repeats").Parse(`
<h2 id="repeats">Repeated text</h2>
<p>Stretches of at least {{.MinWords}} words that occur word for word more than once (capitals, punctuation and spacing aside). Removing them keeps one copy of each: the one in the document that comes first ({{.Keep}}).</p>
<div class="stats">
<div><span class="num">{{.Spans}}</span>repeated stretches</div>
<div><span class="num">{{.Removed}}</span>copies that would go</div>
<div><span class="num">{{.Share}}</span>of the text</div>
<div><span class="num">{{.Emptied}}</span>documents entirely repeated</div>
</div>
{{if .Top}}<table><thead><tr><th class="n">Copies going</th><th class="n">Words</th><th>Kept in</th><th>Text</th></tr></thead><tbody>
{{range .Top}}<tr><td class="n">{{.Removed}}</td><td class="n">{{.Words}}</td><td>{{.Kept.ID}} <span class="muted">(bytes {{.Kept.Start}}–{{.Kept.End}})</span></td><td>{{.Text}}</td></tr>
{{end}}</tbody></table>
{{else}}<p class="muted">None: no stretch of {{.MinWords}} words occurs twice.</p>{{end}}
`))

// repeatsHTML renders the repeated-text section for r.
func repeatsHTML(r *repeats.Result) (template.HTML, error) {
	st := r.Stats
	share := 0.0
	if st.Bytes > 0 {
		share = float64(st.SpanBytes) / float64(st.Bytes)
	}
	keep := map[string]string{"earliest": "the earliest dated, then the longest", "longest": "the longest", "first": "the first read"}[st.Keep]
	var b bytes.Buffer
	err := repeatsTemplate.Execute(&b, map[string]any{
		"MinWords": st.MinWords, "Keep": keep, "Spans": st.Spans, "Removed": st.Occurrences,
		"Share": fmt.Sprintf("%.1f%%", 100*share), "Emptied": st.Emptied, "Top": r.Top(),
	})
	return template.HTML(b.String()), err // the template escaped every text it holds
}
