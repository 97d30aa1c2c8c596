// The report's section on stories: the documents that tell the same event,
// each story with its timeline as a dated list (undated last), its
// sources, its defining words, and the copies inside it, linked to the
// shared texts above where their passages are shown. Like the repeated-text
// section it has its own small template; the page only places it.
//
// Deliberately not shown: stories of one document (every document is in a
// story, and a story of one tells nothing about spread), and more than
// maxStories stories (the largest first; the rest are counted).

package report

import (
	"bytes"
	"cmp"
	"html/template"
	"slices"

	"github.com/reprint/reprint/reuse"
	"github.com/reprint/reprint/stories"
)

const maxStories = 100

var storiesTemplate = template.Must(template.New("stories").Parse(`
<h2 id="stories">Stories</h2>
<p>Documents that report the same event, each in its own words or copying another, grouped by the words, names, numbers and dates they share and by when they were written. Stories of one kind (two earthquakes, two elections) are one <em>topic</em>.</p>
{{if .Stories}}{{range .Stories}}
<section class="group" id="story-{{.ID}}">
<h3>Story {{.ID}} <span class="badge wide">{{len .Rows}} documents</span></h3>
<div class="meta">Topic {{.Topic}}{{if .First}} · {{.First}}{{if ne .First .Last}} to {{.Last}}{{end}}{{end}}{{if .Sources}} · {{range $i, $s := .Sources}}{{if $i}}, {{end}}{{$s}}{{end}}{{end}} · about: {{range $i, $t := .Terms}}{{if $i}}, {{end}}{{$t}}{{end}}</div>
<table><thead><tr><th>Date</th><th>Document</th><th>Source</th></tr></thead><tbody>
{{range .Rows}}<tr><td>{{if .Date}}{{.Date}}{{else}}<span class="muted">no date</span>{{end}}</td><td>{{.ID}}</td><td>{{if .Source}}{{.Source}}{{else}}<span class="muted">unknown</span>{{end}}</td></tr>
{{end}}</tbody></table>
{{if .Copies}}<p>Copies inside this story:</p><ul>{{range .Copies}}<li>{{.Text}}{{range .Groups}} <a href="#{{.}}">{{.}}</a>{{end}}</li>{{end}}</ul>
{{else}}<p class="muted">No passage is copied between these documents: each tells the story in its own words.</p>{{end}}
</section>
{{end}}{{if .Hidden}}<p class="muted">{{.Hidden}} more stories of two or more documents are not shown; <code>reprint stories</code> lists them all.</p>{{end}}
{{else}}<p class="muted">No two documents tell the same story.</p>{{end}}
`))

type storyView struct {
	ID, Topic, First, Last string
	Sources, Terms         []string
	Rows                   []storyRow
	Copies                 []copyView
}

type storyRow struct{ ID, Date, Source string }

type copyView struct {
	Text   string
	Groups []string // shared texts holding its passages
}

// storiesHTML renders the stories section: res from the story engine,
// reuse for the documents' dates and sources and the passage groups.
func storiesHTML(res *stories.Result, ru *reuse.Result) (template.HTML, error) {
	docs := map[string]reuse.DocInfo{}
	for _, d := range ru.Docs {
		docs[d.ID] = d
	}
	groups := map[[2]string][]string{}
	for _, p := range ru.Passages {
		k := [2]string{p.A, p.B}
		if !slices.Contains(groups[k], p.Group) {
			groups[k] = append(groups[k], p.Group)
		}
	}
	var views []storyView
	for _, s := range res.Stories {
		if len(s.Docs) < 2 {
			continue
		}
		v := storyView{ID: s.Story, Topic: s.Topic, First: s.First, Last: s.Last, Sources: s.Sources, Terms: s.Terms}
		for _, id := range s.Docs {
			d := docs[id]
			v.Rows = append(v.Rows, storyRow{ID: id, Date: d.Date, Source: d.Source})
		}
		for _, c := range s.Copies {
			from, to := c.A, c.B
			text := from + " and " + to + " share " + plural(c.Words, "word", "words") + "; which came first is unknown"
			switch c.Direction {
			case "b->a":
				from, to = to, from
				fallthrough
			case "a->b":
				text = from + " had it first; " + to + " copied " + plural(c.Words, "word", "words") + " of it"
			}
			v.Copies = append(v.Copies, copyView{Text: text, Groups: groups[[2]string{c.A, c.B}]})
		}
		views = append(views, v)
	}
	slices.SortStableFunc(views, func(x, y storyView) int { return -cmp.Compare(len(x.Rows), len(y.Rows)) })
	hidden := 0
	if len(views) > maxStories {
		hidden = len(views) - maxStories
		views = views[:maxStories]
	}
	var b bytes.Buffer
	err := storiesTemplate.Execute(&b, map[string]any{"Stories": views, "Hidden": hidden})
	return template.HTML(b.String()), err // the template escaped every text it holds
}
