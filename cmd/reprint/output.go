// Outputs: every file a command writes goes to a temporary file beside it
// and is renamed into place only once it is complete, so a full disk or an
// interruption never leaves a truncated file where a good one was; and no
// output may be one of the command's inputs, or lie inside an input folder
// (the next run would read it as a document).

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/reprint/reprint/internal/atomicfile"
	"github.com/spf13/cobra"
)

// checkOutputs refuses outputs that would overwrite an input or land in an
// input folder. "" and "-" (standard output) are always fine.
func checkOutputs(inputs []string, outs map[string]string) error {
	for flag, out := range outs {
		if out == "" || out == "-" {
			continue
		}
		ost, oerr := os.Stat(out)
		absOut, _ := filepath.Abs(out)
		for _, in := range inputs {
			if in == "-" {
				continue
			}
			ist, err := os.Stat(in)
			if err != nil {
				continue // reported when the input is read
			}
			if oerr == nil && os.SameFile(ost, ist) {
				return usageErr("%s %s: that is an input; write the output somewhere else", flag, out)
			}
			if ist.IsDir() {
				absIn, _ := filepath.Abs(in)
				if rel, err := filepath.Rel(absIn, absOut); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
					return usageErr("%s %s: that is inside the input folder %s, where the next run would read it as a document; write it elsewhere", flag, out, in)
				}
			}
		}
	}
	return nil
}

// openOut opens path for writing (standard output for "" or "-"). The
// returned done function must be called once: done(nil) puts the complete
// file in place, done(err) removes what was written and returns err.
func openOut(cmd *cobra.Command, path string) (w io.Writer, done func(error) error, err error) {
	if path == "" || path == "-" {
		return cmd.OutOrStdout(), func(err error) error { return err }, nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, nil, usageErr("%s is a folder; name a file", path)
	}
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, func(werr error) error {
		if werr != nil {
			f.Abort()
			return fmt.Errorf("writing %s: %w", path, werr)
		}
		return f.Commit()
	}, nil
}

// jsonLine is a result that writes its own JSON line, the bytes
// encoding/json would write, without reflection.
type jsonLine interface{ AppendJSON([]byte) []byte }

// writeJSONL writes items, one JSON object a line, to path or stdout.
func writeJSONL[T any](cmd *cobra.Command, path string, items []T) error {
	w, done, err := openOut(cmd, path)
	if err != nil {
		return err
	}
	if _, ok := any(*new(T)).(jsonLine); ok {
		return done(writeLines(w, items))
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return done(err)
		}
	}
	return done(bw.Flush())
}

// writeLines writes items that are jsonLines, formatting chunks of them on
// every core and writing the chunks in order: the output of a large run of
// pairs is written after all else is done, so it is on the critical path.
func writeLines[T any](w io.Writer, items []T) error {
	const chunk = 8192
	workers := runtime.GOMAXPROCS(0)
	bufs := make([][]byte, workers)
	for lo := 0; lo < len(items); lo += chunk * workers {
		var wg sync.WaitGroup
		for k := range workers {
			a := min(lo+k*chunk, len(items))
			b := min(a+chunk, len(items))
			wg.Add(1)
			go func() {
				defer wg.Done()
				buf := bufs[k][:0]
				for _, it := range items[a:b] {
					buf = any(it).(jsonLine).AppendJSON(buf)
				}
				bufs[k] = buf
			}()
		}
		wg.Wait()
		for _, buf := range bufs {
			if _, err := w.Write(buf); err != nil {
				return err
			}
		}
	}
	return nil
}
