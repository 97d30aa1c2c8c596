// Problems are values, not failures: a corpus of millions of records always
// holds a few bad ones, and one bad line must not stop a run. Scan reports
// them through a callback and carries on; Decode returns one as its error.
// Problem deliberately has no error codes; Reason is for people, and Input
// is the one distinction callers act on (an input lost versus a record
// skipped). Warning marks the third case: a record kept with something
// dropped (Options.OnWarning). A Reason starts with a fixed phrase and puts
// variable parts (offsets, values) after its first colon, so that summaries
// can count reasons by that phrase.

package corpus

import (
	"errors"
	"fmt"
	"io/fs"
)

// Problem is a record or input that could not be used.
type Problem struct {
	File   string // the input file ("<stdin>" for standard input)
	Line   int    // 1-based JSONL line or Parquet row; 0 when not applicable
	Offset int64  // byte offset in File of a WARC record (of its gzip member in a .warc.gz); meaningful when HasOffset
	Input  bool   // true: a whole input (or what was left of it) could not be read; false: one record is bad
	// Warning is true when the record was kept anyway (see Options.OnWarning).
	Warning bool
	Reason  string // what is wrong, for people

	hasOffset bool
}

// HasOffset reports whether Offset locates the problem (a WARC record).
func (p *Problem) HasOffset() bool { return p.hasOffset }

// Error returns "file:line: reason", "file: byte N: reason" for a WARC
// record, or "file: reason".
func (p *Problem) Error() string {
	switch {
	case p.Line > 0:
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Reason)
	case p.hasOffset:
		return fmt.Sprintf("%s: byte %d: %s", p.File, p.Offset, p.Reason)
	}
	return p.File + ": " + p.Reason
}

// inputProblem reports that the input file could not be read because of err.
// The path is already in File, so a *fs.PathError is reduced to its cause.
func inputProblem(file string, err error) *Problem {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &Problem{File: file, Input: true, Reason: err.Error()}
}

// recordProblem reports one bad record.
func recordProblem(file string, line int, format string, args ...any) *Problem {
	return &Problem{File: file, Line: line, Reason: fmt.Sprintf(format, args...)}
}

// offsetProblem reports a problem with the WARC record at byte off of file.
func offsetProblem(file string, off int64, input bool, format string, args ...any) *Problem {
	return &Problem{File: file, Offset: off, hasOffset: true, Input: input, Reason: fmt.Sprintf(format, args...)}
}
