// Table files written in large pieces.
//
// Pebble writes a table (a flush's or a compaction's) through a 4 KB
// bufio.Writer, so every 4 KB block it finishes is one write system call:
// an add of 100,000 documents writes about 1.3 GB of tables, some 330,000
// calls, and they took 1.3 CPU-seconds of it (a twentieth), most of it the
// calls' own cost rather than the copying. tableFS hands Pebble its table
// files behind a buffer of tableWriteBuffer bytes, so the same bytes go
// to the file system in calls of that size.
//
// Durability is unchanged: Pebble syncs a table before it is used (Sync,
// SyncData; and SyncTo as it goes), and each of these first writes out
// what the buffer holds, as does every call that looks at the file's
// contents or size (ReadAt, Read, Stat, WriteAt) and Close. SyncTo syncs
// a prefix ending at least 1 MB before the end written (vfs.syncingFile),
// which, with a buffer smaller than that, is written out already; a prefix
// that is not is written out first all the same. A write error comes back
// from the call that writes the buffer out, at the latest the table's
// Sync, and fails the table as it would have failed at once.
//
// Only table files (".sst") are buffered: the write-ahead log is written
// in 32 KB blocks and synced by every commit, the manifest and the rest
// are small, and the stories state has its own buffer (stories.go).

package index

import (
	"strings"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// tableWriteBuffer is the size of the writes to a table file: 256 KB, a
// sixty-fourth of the calls of 4 KB, below the 1 MB that SyncTo stays
// behind the end written.
const tableWriteBuffer = 256 << 10

// tableFS is fs with the table files it creates written through a
// buffer (see the file comment).
type tableFS struct{ vfs.FS }

func (t tableFS) Create(name string, category vfs.DiskWriteCategory) (vfs.File, error) {
	f, err := t.FS.Create(name, category)
	if err != nil || !strings.HasSuffix(name, ".sst") {
		return f, err
	}
	return &bufferedFile{File: f}, nil
}

// bufferedFile is a new file written through buf.
type bufferedFile struct {
	vfs.File
	buf     []byte
	written int64 // bytes handed to File
}

func (f *bufferedFile) Write(p []byte) (int, error) {
	if len(f.buf)+len(p) > tableWriteBuffer {
		if err := f.flush(); err != nil {
			return 0, err
		}
		if len(p) >= tableWriteBuffer {
			n, err := f.File.Write(p)
			f.written += int64(n)
			return n, err
		}
	}
	if f.buf == nil {
		f.buf = make([]byte, 0, tableWriteBuffer)
	}
	f.buf = append(f.buf, p...)
	return len(p), nil
}

// flush writes out what the buffer holds.
func (f *bufferedFile) flush() error {
	if len(f.buf) == 0 {
		return nil
	}
	n, err := f.File.Write(f.buf)
	f.written += int64(n)
	// On a short write the rest stays buffered, and the error is the
	// caller's.
	f.buf = f.buf[:copy(f.buf, f.buf[n:])]
	return err
}

func (f *bufferedFile) Close() error {
	err := f.flush()
	if cerr := f.File.Close(); err == nil {
		err = cerr
	}
	f.buf = nil
	return err
}

func (f *bufferedFile) Sync() error {
	if err := f.flush(); err != nil {
		return err
	}
	return f.File.Sync()
}

func (f *bufferedFile) SyncData() error {
	if err := f.flush(); err != nil {
		return err
	}
	return f.File.SyncData()
}

func (f *bufferedFile) SyncTo(length int64) (bool, error) {
	if length > f.written {
		if err := f.flush(); err != nil {
			return false, err
		}
	}
	return f.File.SyncTo(length)
}

func (f *bufferedFile) Read(p []byte) (int, error) {
	if err := f.flush(); err != nil {
		return 0, err
	}
	return f.File.Read(p)
}

func (f *bufferedFile) ReadAt(p []byte, off int64) (int, error) {
	if err := f.flush(); err != nil {
		return 0, err
	}
	return f.File.ReadAt(p, off)
}

func (f *bufferedFile) WriteAt(p []byte, off int64) (int, error) {
	if err := f.flush(); err != nil {
		return 0, err
	}
	return f.File.WriteAt(p, off)
}

func (f *bufferedFile) Stat() (vfs.FileInfo, error) {
	if err := f.flush(); err != nil {
		return nil, err
	}
	return f.File.Stat()
}
