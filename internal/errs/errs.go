// Package errs holds the error types the engines return, so that callers
// (the command line, the server) can tell kinds of failure apart with
// errors.As instead of reading messages. Lower layers name their own
// options ("threshold", "min-words"), never a command-line flag: the command
// maps an Option to its flag when it prints the error.
package errs

import (
	"errors"
	"fmt"
)

// OptionError is an option out of range: the caller's mistake, not the
// input's.
type OptionError struct {
	Option string // the option's name in the engine's Options, in lower-case words ("min-words")
	Value  any
	Reason string // what is wrong, e.g. "must be in (0, 1]"
}

func (e *OptionError) Error() string { return fmt.Sprintf("%s %v: %s", e.Option, e.Value, e.Reason) }

// Option returns an OptionError.
func Option(name string, value any, reason string) error {
	return &OptionError{Option: name, Value: value, Reason: reason}
}

// AsOption reports whether err is or wraps an OptionError, and returns it.
func AsOption(err error) (*OptionError, bool) {
	var oe *OptionError
	ok := errors.As(err, &oe)
	return oe, ok
}
