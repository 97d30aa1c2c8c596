package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// span is a passage between two documents, oriented so that A < B, with
// what the aligner measured; group IDs and directions are left out because
// they depend on which other documents a run saw.
type span struct {
	A, B                       string
	AStart, AEnd, BStart, BEnd int
	Words                      int
	Score, Identity            float64
}

func (s span) oriented() span {
	if s.A > s.B {
		s.A, s.B = s.B, s.A
		s.AStart, s.BStart = s.BStart, s.AStart
		s.AEnd, s.BEnd = s.BEnd, s.AEnd
	}
	return s
}

type passageJSON struct {
	A        string  `json:"a"`
	AStart   int     `json:"a_start"`
	AEnd     int     `json:"a_end"`
	B        string  `json:"b"`
	BStart   int     `json:"b_start"`
	BEnd     int     `json:"b_end"`
	Words    int     `json:"words"`
	Score    float64 `json:"score"`
	Identity float64 `json:"identity"`
}

func (p passageJSON) span() span {
	return span{p.A, p.B, p.AStart, p.AEnd, p.BStart, p.BEnd, p.Words, p.Score, p.Identity}.oriented()
}

// reprint reuse and reprint index query choose anchors with the same
// function and align with the same aligner, so every passage one of them
// reports between two documents the other reports too, with the same spans.
func TestReuseAndIndexQueryAgree(t *testing.T) {
	news := filepath.Join("..", "..", "testdata", "news")
	for _, in := range []struct{ name, path string }{{"news", news}, {"gen", goldenCorpus(t)}} {
		t.Run(in.name, func(t *testing.T) {
			r := reprintCmd(t, "", "reuse", in.path)
			if r.code != 0 {
				t.Fatalf("reuse: %d %s", r.code, r.stderr)
			}
			var fromReuse []span
			ids := map[string]bool{}
			for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
				var p passageJSON
				if err := json.Unmarshal([]byte(line), &p); err != nil {
					t.Fatal(err)
				}
				fromReuse = append(fromReuse, p.span())
				ids[p.A], ids[p.B] = true, true
			}
			if len(fromReuse) == 0 {
				t.Fatal("reuse found no passage: the test proves nothing")
			}
			idx := filepath.Join(t.TempDir(), "x.idx")
			if a := reprintCmd(t, "", "index", "add", "--index", idx, in.path); a.code != 0 {
				t.Fatalf("index add: %d %s", a.code, a.stderr)
			}
			var fromIndex []span
			queried := slices.Sorted(func(yield func(string) bool) {
				for id := range ids {
					if !yield(id) {
						return
					}
				}
			})
			// Each query opens the index; 40 documents and their partners
			// cover a few hundred passages.
			queried = queried[:min(len(queried), 40)]
			inQ := map[string]bool{}
			for _, id := range queried {
				inQ[id] = true
			}
			fromReuse = slices.DeleteFunc(fromReuse, func(s span) bool { return !inQ[s.A] && !inQ[s.B] })
			for _, id := range queried {
				q := reprintCmd(t, "", "index", "query", "--index", idx, "--json", "--id", id)
				if q.code != 0 {
					t.Fatalf("query %s: %d %s", id, q.code, q.stderr)
				}
				var res struct{ Passages []passageJSON }
				sc := bufio.NewScanner(strings.NewReader(q.stdout))
				sc.Buffer(nil, 1<<24)
				for sc.Scan() {
					if err := json.Unmarshal(sc.Bytes(), &res); err != nil {
						t.Fatal(err)
					}
				}
				for _, p := range res.Passages {
					fromIndex = append(fromIndex, p.span())
				}
			}
			key := func(s span) string { return fmt.Sprint(s) }
			slices.SortFunc(fromIndex, func(x, y span) int { return strings.Compare(key(x), key(y)) })
			fromIndex = slices.CompactFunc(fromIndex, func(x, y span) bool { return x == y }) // each pair is seen from both sides
			slices.SortFunc(fromReuse, func(x, y span) int { return strings.Compare(key(x), key(y)) })
			t.Logf("%d documents queried, %d passages", len(queried), len(fromReuse))
			if in.name == "gen" && len(fromReuse) < 40 {
				t.Fatalf("only %d passages to compare: the test proves little", len(fromReuse))
			}
			if !slices.Equal(fromReuse, fromIndex) {
				t.Errorf("reuse: %d passages, index query: %d", len(fromReuse), len(fromIndex))
				for _, s := range fromReuse {
					if !slices.Contains(fromIndex, s) {
						t.Logf("only in reuse: %+v", s)
					}
				}
				for _, s := range fromIndex {
					if !slices.Contains(fromReuse, s) {
						t.Logf("only in the index: %+v", s)
					}
				}
			}
		})
	}
}
