package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reprint/reprint/index"
)

// TestIndexStoriesCommands: the example news added through the command
// line is in stories (000 with 001, 002 and 003 apart), index query says
// the story of 001's text with its documents in date order, index stories
// lists and shows stories, a second add goes on with the same story IDs,
// and bad IDs and flags are errors with the usual exit codes.
func TestIndexStoriesCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "news.idx")
	news := func(p string) string {
		m, _ := filepath.Glob(filepath.Join(newsDir, p+"_*.txt"))
		if len(m) != 1 {
			t.Fatalf("no news document %s", p)
		}
		return m[0]
	}
	// 000 to 002 first, 003 and 004 in a second add (a restart between),
	// from two folders so that IDs are the file names.
	part := func(ps ...string) string {
		d := t.TempDir()
		for _, p := range ps {
			b, err := os.ReadFile(news(p))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(d, filepath.Base(news(p))), b, 0o644)
		}
		return d
	}
	if r := reprintCmd(t, "", "index", "add", "-q", "--index", dir, "--meta", newsMeta, part("000", "001", "002")); r.code != 0 {
		t.Fatalf("add: exit %d: %s", r.code, r.stderr)
	}
	storyOf := func(id string) string {
		t.Helper()
		r := reprintCmd(t, "", "index", "query", "--index", dir, "--json", "--id", id)
		var res index.Result
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || res.Story == nil {
			t.Fatalf("query --id %s: exit %d: %s%s", id, r.code, r.stdout, r.stderr)
		}
		return res.Story.ID
	}
	base := func(p string) string { return filepath.Base(news(p)) }
	s001 := storyOf(base("001"))
	before := map[string]string{}
	for _, p := range []string{"000", "001", "002"} {
		before[p] = storyOf(base(p))
	}
	if r := reprintCmd(t, "", "index", "add", "-q", "--index", dir, "--meta", newsMeta, part("003", "004")); r.code != 0 {
		t.Fatalf("second add: exit %d: %s", r.code, r.stderr)
	}
	for p, s := range before {
		if got := storyOf(base(p)); got != s {
			t.Errorf("%s was in %s, after the second add in %s", p, s, got)
		}
	}
	if before["000"] != s001 || before["002"] == s001 || storyOf(base("003")) == s001 {
		t.Errorf("stories: 000 %s, 001 %s, 002 %s, 003 %s; want 000 with 001, 002 and 003 apart", before["000"], s001, before["002"], storyOf(base("003")))
	}

	// The text view of a query: the story and its documents in date order.
	r := reprintCmd(t, "", "index", "query", "--index", dir, news("001"))
	if r.code != 0 || !strings.Contains(r.stdout, "story: "+s001+" (cosine ") {
		t.Fatalf("query: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	i001, i000 := strings.Index(r.stdout, "2017-10-30  "+base("001")), strings.Index(r.stdout, "2017-10-31  "+base("000"))
	if i001 < 0 || i000 < i001 {
		t.Errorf("the story's documents are not listed in date order:\n%s", r.stdout)
	}
	r = reprintCmd(t, "Nothing here is about anything at all, Zorblax.", "index", "query", "--index", dir, "-")
	if r.code != 0 || !strings.Contains(r.stdout, "would start a new story") {
		t.Errorf("query of an unrelated text: %s", r.stdout)
	}
	if r := reprintCmd(t, "", "index", "query", "--index", dir, "--no-story", news("001")); strings.Contains(r.stdout, "story:") {
		t.Errorf("--no-story printed a story")
	}

	// index stories: the listing, one story, JSON, pages.
	r = reprintCmd(t, "", "index", "stories", "--index", dir)
	if r.code != 0 || !strings.Contains(r.stdout, s001+": 3 documents, 2017-10-24 to 2017-10-31; Alwaght, SANA; terms: ") {
		t.Fatalf("stories: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	if n := strings.Count(r.stdout, "\n"); n != 3 {
		t.Errorf("stories: %d lines, want 3:\n%s", n, r.stdout)
	}
	r = reprintCmd(t, "", "index", "stories", "--index", dir, "--min-docs", "2", "--json")
	var list index.StoryList
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &list) != nil || len(list.Stories) != 1 || list.Stories[0].ID != s001 {
		t.Errorf("stories --min-docs 2 --json: %s", r.stdout)
	}
	r = reprintCmd(t, "", "index", "stories", "--index", dir, "--limit", "1")
	if !strings.Contains(r.stdout, "more: --after s1") {
		t.Errorf("stories --limit 1: no cursor: %s", r.stdout)
	}
	r = reprintCmd(t, "", "index", "stories", "--index", dir, s001)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[1], "  2017-10-24  "+base("004")+"  (SANA)") ||
		!strings.HasPrefix(lines[3], "  2017-10-31  "+base("000")+"  (Alwaght)") {
		t.Errorf("stories %s: exit %d:\n%s", s001, r.code, r.stdout)
	}
	r = reprintCmd(t, "", "index", "stories", "--index", dir, "--limit", "1", s001)
	if !strings.Contains(r.stdout, "... 2 more beyond --limit") {
		t.Errorf("stories --limit 1 ID: %s", r.stdout)
	}

	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"s999"}, exitInput},
		{[]string{"bogus"}, exitInput},
		{[]string{"--after", "bogus"}, exitUsage},
		{[]string{"--limit", "0"}, exitUsage},
		{[]string{"--min-docs", "0"}, exitUsage},
		{[]string{"--after", "s1", "s1"}, exitUsage},
		{[]string{"s1", "s2"}, exitUsage},
	} {
		r := reprintCmd(t, "", append([]string{"index", "stories", "--index", dir}, c.args...)...)
		if r.code != c.code || r.stderr == "" {
			t.Errorf("index stories %v: exit %d, want %d: %s", c.args, r.code, c.code, r.stderr)
		}
	}
	r = reprintCmd(t, "", "index", "stats", "--index", dir)
	if !strings.Contains(r.stdout, "stories: assigned on add") {
		t.Errorf("stats: %s", r.stdout)
	}

	// An index made without stories says so.
	nodir := filepath.Join(t.TempDir(), "plain.idx")
	reprintCmd(t, "", "index", "add", "-q", "--no-stories", "--index", nodir, newsDir)
	if r := reprintCmd(t, "", "index", "stories", "--index", nodir); r.code != exitInput || !strings.Contains(r.stderr, "no stories") {
		t.Errorf("stories of a --no-stories index: exit %d: %s", r.code, r.stderr)
	}
	if r := reprintCmd(t, "", "index", "query", "--index", nodir, news("001")); r.code != 0 || strings.Contains(r.stdout, "story:") {
		t.Errorf("query of a --no-stories index: exit %d: %s", r.code, r.stdout)
	}

	// The help teaches what a story is and how to list them.
	r = reprintCmd(t, "", "index", "stories", "--help")
	for _, want := range []string{"reports of one event", "--min-docs", "--after", "reprint index stories --index news.idx s1"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("index stories --help lacks %q", want)
		}
	}
}
