// Package atomicfile writes a file so that it appears whole or not at all.
//
// The bytes go to a temporary file in the same folder (so that the rename
// stays on one file system), which is renamed over the name only once it
// is complete and closed; a failed or interrupted write removes it, so a
// reader never sees a truncated output and a failed run leaves no stray
// file. A rename within a folder is atomic on POSIX file systems. Nothing
// is fsynced: the outputs are reproducible, and a crash of the machine
// itself may lose the file but not leave half of it under its name.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// File is an output being written; it is a temporary file until Commit.
type File struct {
	*os.File
	path string
	done bool
}

// Create starts writing path. Call Commit to put it in place, or Abort
// (safe after Commit, so it can be deferred) to drop it.
func Create(path string) (*File, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, err
	}
	return &File{File: tmp, path: path}, nil
}

// Path is the name the file gets on Commit.
func (f *File) Path() string { return f.path }

// Commit closes the file and renames it to its path, replacing what was
// there. On error the temporary file is removed.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("writing %s: already committed or aborted", f.path)
	}
	err := f.File.Chmod(0o644) // CreateTemp made it private
	if cerr := f.File.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.File.Name(), f.path)
	}
	f.done = true
	if err != nil {
		os.Remove(f.File.Name())
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	return nil
}

// Abort drops what was written; after Commit it does nothing.
func (f *File) Abort() {
	if !f.done {
		f.done = true
		f.File.Close()
		os.Remove(f.File.Name())
	}
}

// WriteFile writes data to path atomically.
func WriteFile(path string, data []byte) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Commit()
}
