package corpus

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// scanned is everything one Scan+Decode pass produced.
type scanned struct {
	docs     []Doc
	seqs     []int // Seq of each doc
	records  []Record
	problems []*Problem
	warnings []*Problem // Options.OnWarning's, when scanAll set it
	skipped  map[string]int
}

// scanAll opens inputs, scans and decodes them all, collecting warnings
// unless opt has its own OnWarning.
func scanAll(t *testing.T, inputs []string, opt Options) scanned {
	t.Helper()
	var warnings []*Problem
	if opt.OnWarning == nil {
		opt.OnWarning = func(p *Problem) { warnings = append(warnings, p) }
	}
	c, err := Open(inputs, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := scanCorpus(t, c)
	s.warnings = warnings
	return s
}

func scanCorpus(t *testing.T, c *Corpus) scanned {
	t.Helper()
	var s scanned
	err := c.Scan(context.Background(), func(r Record) error {
		s.records = append(s.records, r)
		d, err := c.Decode(r)
		if err != nil {
			p, ok := err.(*Problem)
			if !ok {
				t.Fatalf("Decode error %T %v, want *Problem", err, err)
			}
			s.problems = append(s.problems, p)
			return nil
		}
		s.docs = append(s.docs, d)
		s.seqs = append(s.seqs, r.Seq)
		return nil
	}, func(p *Problem) { s.problems = append(s.problems, p) })
	if err != nil {
		t.Fatal(err)
	}
	s.skipped = c.Skipped()
	return s
}

func (s scanned) ids() []string {
	var ids []string
	for _, d := range s.docs {
		ids = append(ids, d.ID)
	}
	return ids
}

// wantProblem checks that exactly one problem matches file, line and input
// and that its reason contains reason.
func (s scanned) wantProblem(t *testing.T, file string, line int, input bool, reason string) {
	t.Helper()
	for _, p := range s.problems {
		if p.File == file && p.Line == line && p.Input == input && strings.Contains(p.Reason, reason) {
			return
		}
	}
	t.Errorf("no problem %s:%d (input %v) %q among %v", file, line, input, reason, s.problems)
}

// write creates dir/name with content, making directories, and returns its path.
func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func equalStrings(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00") && len(a) == len(b)
}
