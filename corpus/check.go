// Checking an output before a run: a dedup (or a repeats -o) that would
// fail on its output format should fail before the corpus is read, not
// after an hour of work and thousands of messages.

package corpus

import (
	"fmt"
	"os"
)

// CheckCopy reports whether Copy could write out for these inputs, without
// reading a record: the inputs share one format, and out names that format
// (a .jsonl, .jsonl.gz or .jsonl.zst file for JSONL; a .parquet file for
// Parquet; a .warc or .warc.gz file for WARC; a folder for text files). An
// output name without a known extension takes the inputs' format; one
// whose extension names another format is refused.
func (c *Corpus) CheckCopy(out string) error {
	plan, err := c.plan()
	if err != nil {
		return err
	}
	k, _ := kindOfName(out)
	st, serr := os.Stat(out)
	isDir := serr == nil && st.IsDir()
	want := map[kind]string{kindJSONL: "a .jsonl, .jsonl.gz or .jsonl.zst file", kindParquet: "a .parquet file",
		kindWARC: "a .warc or .warc.gz file"}
	switch plan.kind {
	case kindNone:
		return nil // nothing readable: the run says so
	case kindText:
		if (k != kindText && k != kindHTML) || (serr == nil && !isDir) {
			return fmt.Errorf("output %s: the inputs are text files, so the output is a folder of copies; name a folder (new or empty)", out)
		}
		if err := c.checkTextOut(out); err != nil {
			return err
		}
	default:
		if isDir || (k != plan.kind && k != kindText) {
			return fmt.Errorf("output %s: the inputs are %s, so the output is written as %s; name %s",
				out, describeKind(plan.kind), describeKind(plan.kind), want[plan.kind])
		}
	}
	return nil
}

func describeKind(k kind) string {
	return map[kind]string{kindText: "text", kindJSONL: "JSONL", kindParquet: "Parquet", kindWARC: "WARC"}[k]
}
