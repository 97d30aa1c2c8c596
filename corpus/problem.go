// Problems are values, not failures: a corpus of millions of records always
// holds a few bad ones, and one bad line must not stop a run. Scan reports
// them through a callback and carries on; Decode returns one as its error.
// Problem deliberately has no error codes; Reason is for people, and Input
// is the one distinction callers act on (an input lost versus a record
// skipped).

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
	Input  bool   // true: a whole input (or what was left of it) could not be read; false: one record is bad
	Reason string // what is wrong, for people
}

// Error returns "file:line: reason", or "file: reason" when there is no line.
func (p *Problem) Error() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Reason)
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
