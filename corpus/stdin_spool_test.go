package corpus

import (
	"context"
	"os"
	"strings"
	"testing"
)

// Standard input is spooled (to SpoolDir) only when it may be read again;
// with OnePass it is read as it comes, and a second pass is a problem.
func TestStdinSpoolsOnlyWhenNeeded(t *testing.T) {
	in := `{"id":"a","text":"one two"}` + "\n" + `{"id":"b","text":"three four"}` + "\n"
	for _, onePass := range []bool{true, false} {
		dir := t.TempDir()
		c, err := Open([]string{"-"}, Options{Stdin: strings.NewReader(in), OnePass: onePass, SpoolDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		spooled, n := false, 0
		err = c.Scan(context.Background(), func(r Record) error {
			n++
			ents, _ := os.ReadDir(dir)
			spooled = spooled || len(ents) > 0
			return nil
		}, func(p *Problem) { t.Errorf("problem: %v", p) })
		if err != nil || n != 2 {
			t.Fatalf("onePass %v: %d records, %v", onePass, n, err)
		}
		if spooled == onePass {
			t.Errorf("onePass %v: spooled %v", onePass, spooled)
		}
		var probs []*Problem
		c.Scan(context.Background(), func(Record) error { return nil }, func(p *Problem) { probs = append(probs, p) })
		if onePass && (len(probs) != 1 || !probs[0].Input) {
			t.Errorf("a second pass over unspooled stdin: problems %v", probs)
		}
		c.Close()
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("onePass %v: the spool is left after Close", onePass)
		}
	}
}
