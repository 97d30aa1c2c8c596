package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

type storyLine struct {
	Story, Topic string
	Docs         []string
	Copies       []struct {
		A, B, Direction string
		Words           int
	}
}

func parseStories(t *testing.T, s string) []storyLine {
	t.Helper()
	var out []storyLine
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l == "" {
			continue
		}
		var st storyLine
		if err := json.Unmarshal([]byte(l), &st); err != nil {
			t.Fatalf("bad line %q: %v", l, err)
		}
		out = append(out, st)
	}
	return out
}

func storyOf(ss []storyLine, id string) *storyLine {
	for i := range ss {
		if slices.Contains(ss[i].Docs, id) {
			return &ss[i]
		}
	}
	return nil
}

// The example: the reprint (000) and its source (001) are one story, with
// the copy inside it going from 001 to 000; the retellings years later
// (002, 2018; 003, 2022) are other stories of the same topic.
func TestStoriesNews(t *testing.T) {
	news := filepath.Join("..", "..", "testdata", "news")
	meta := filepath.Join("..", "..", "testdata", "news-meta.jsonl")
	r := reprintCmd(t, "", "stories", "--meta", meta, news)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	ss := parseStories(t, r.stdout)
	s0, s1 := storyOf(ss, "000_a2e0a91b0cb3cf6c.txt"), storyOf(ss, "001_e55fcabe4c6a2c3c.txt")
	if s0 == nil || s0 != s1 {
		t.Fatalf("000 and 001 are not in one story: %+v", ss)
	}
	for _, id := range []string{"002_2e28becdaf01947c.txt", "003_42714ab1c9b3c169.txt"} {
		if s := storyOf(ss, id); s == nil || s == s1 || s.Topic != s1.Topic {
			t.Errorf("%s: story %+v, want another story of topic %s", id, s, s1.Topic)
		}
	}
	n := 0
	for _, s := range ss {
		n += len(s.Docs)
	}
	if n != 5 {
		t.Errorf("%d documents in the stories, want every one of the 5 once", n)
	}
	if len(s1.Copies) != 1 || s1.Copies[0].A != "000_a2e0a91b0cb3cf6c.txt" || s1.Copies[0].Direction != "b->a" || s1.Copies[0].Words < 100 {
		t.Errorf("copies in 001's story: %+v", s1.Copies)
	}
	nc := reprintCmd(t, "", "stories", "--no-copies", "--meta", meta, news)
	if nc.code != 0 || strings.Contains(nc.stdout, `"direction"`) {
		t.Errorf("--no-copies: exit %d, %s", nc.code, nc.stdout)
	}
}

// The same stories for any number of workers and any order of the records;
// bad records are counted and the run goes on, or stops under --strict.
func TestStoriesDeterministicAndBadInput(t *testing.T) {
	path, docs := genCorpus(t, 600, 17)
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	slices.Reverse(lines)
	rev := filepath.Join(t.TempDir(), "rev.jsonl")
	os.WriteFile(rev, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	one := reprintCmd(t, "", "stories", "--workers", "1", path)
	three := reprintCmd(t, "", "stories", "--workers", "3", rev)
	if one.code != 0 || three.code != 0 || one.stdout != three.stdout {
		t.Fatalf("stories differ by workers or input order (exit %d, %d)", one.code, three.code)
	}
	if n := len(parseStories(t, one.stdout)); n < 2 || n > len(docs) {
		t.Errorf("%d stories for %d documents", n, len(docs))
	}
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte("not json\n"+strings.Join(lines[:20], "\n")+"\n"), 0o644)
	r := reprintCmd(t, "", "stories", "--no-copies", "--json", bad)
	if r.code != 0 || !strings.Contains(r.stderr, `"skipped":1`) || !strings.Contains(r.stderr, `"documents":20`) {
		t.Errorf("bad line: exit %d, %s", r.code, r.stderr)
	}
	if r := reprintCmd(t, "", "stories", "--strict", bad); r.code != exitSkipped {
		t.Errorf("--strict: exit %d, want %d", r.code, exitSkipped)
	}
	for _, p := range []string{"0", "9"} {
		if r := reprintCmd(t, "", "stories", "--passes", p, path); r.code != 2 || !strings.Contains(r.stderr, "--passes") {
			t.Errorf("--passes %s: exit %d, %q; want a usage error naming the flag", p, r.code, r.stderr)
		}
	}
	for _, f := range []string{"--threshold", "--topic-threshold"} {
		for _, v := range []string{"-0.1", "1.5"} {
			if r := reprintCmd(t, "", "stories", f, v, path); r.code != 2 || !strings.Contains(r.stderr, f+" "+v) {
				t.Errorf("%s %s: exit %d, %q; want a usage error naming the flag and value", f, v, r.code, r.stderr)
			}
		}
	}
	if r := reprintCmd(t, "", "stories", "--no-copies", "--passes", "1", path); r.code != 0 || len(parseStories(t, r.stdout)) < 2 {
		t.Errorf("--passes 1: exit %d, %s", r.code, r.stderr)
	}
}
