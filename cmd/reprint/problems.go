// The one problem handler of every command that reads a corpus: it prints
// each record or input that could not be used, and under --strict turns the
// first into the command's error (exit 4 for a record, 3 for an input) and
// stops the run. Engines count problems; this only reports them.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/internal/pipeline"
)

// problems reports the problems of one run. Its methods are safe for
// concurrent use.
type problems struct {
	w      io.Writer
	quiet  bool
	strict bool
	what   string    // what the problems are of, e.g. "--meta"; "" for the inputs
	bar    *progress // cleared before a message; may be nil
	cancel context.CancelCauseFunc

	mu      sync.Mutex
	n       int
	first   *corpus.Problem
	err     error
	byClass map[string]int // messages printed per kind of problem
}

// maxShown is how many messages of one kind of problem are printed; the
// rest are counted in the summary.
const maxShown = 20

// strictError is the problem that ended a run under --strict.
type strictError struct {
	what string
	p    *corpus.Problem
}

func (e *strictError) Error() string {
	if e.what != "" {
		return fmt.Sprintf("--strict: %s: %s", e.what, e.p.Error())
	}
	return "--strict: " + e.p.Error()
}

// code is the exit code of the run it ended.
func (e *strictError) code() int {
	if e.p.Input {
		return exitInput
	}
	return exitSkipped
}

// handle reports one problem.
func (h *problems) handle(p *corpus.Problem) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.n++
	if h.first == nil && !p.Input {
		h.first = p
	}
	if h.byClass == nil {
		h.byClass = map[string]int{}
	}
	class := pipeline.ReasonClass(p.Reason)
	h.byClass[class]++
	if n := h.byClass[class]; !h.quiet && n <= maxShown {
		h.bar.clear()
		prefix := "reprint: skipped:"
		if h.what != "" {
			prefix = "reprint: " + h.what + ": skipped:"
		}
		fmt.Fprintln(h.w, prefix, p.Error())
		if n == maxShown {
			fmt.Fprintf(h.w, "reprint: (further %q problems are counted in the summary, not shown)\n", class)
		}
	}
	if h.strict && h.err == nil {
		h.err = &strictError{what: h.what, p: p}
		if h.cancel != nil {
			h.cancel(h.err)
		}
	}
}

// stopped returns the --strict error that ended the run, or nil.
func (h *problems) stopped() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err == nil {
		return nil
	}
	return &exitError{code: h.err.(*strictError).code(), err: h.err}
}

// firstProblem is the first record (not input) reported, or nil.
func (h *problems) firstProblem() *corpus.Problem {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.first
}

// count is the number of problems reported.
func (h *problems) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

// strictProblem returns the problem that ended a run under --strict, if err
// is such an ending.
func strictProblem(err error) (*corpus.Problem, bool) {
	var se *strictError
	if errors.As(err, &se) {
		return se.p, true
	}
	return nil, false
}
