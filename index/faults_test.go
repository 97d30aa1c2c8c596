package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/cockroachdb/pebble/v2/vfs/errorfs"
)

// sstCount is the number of tables in dir.
func sstCount(t *testing.T, dir string) int {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.sst"))
	if err != nil {
		t.Fatal(err)
	}
	return len(m)
}

// An index copied by a tool that skips empty files has lost its manifest
// marker: Open must refuse it and leave every table in place, not create a
// new store over it (which deletes the old tables as obsolete).
func TestMissingMarkerRefused(t *testing.T) {
	ix, dir := openTemp(t, Options{})
	if _, err := ix.Add(newsDocs(t)); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	tables := sstCount(t, dir)
	if tables == 0 {
		t.Fatal("no tables after a flush")
	}
	copyDir := filepath.Join(t.TempDir(), "copy")
	if err := os.MkdirAll(copyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	skipped := 0
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) == 0 {
			skipped++
			continue
		}
		if err := os.WriteFile(filepath.Join(copyDir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if skipped == 0 {
		t.Fatal("the store has no empty file to lose")
	}
	for _, opt := range []Options{{Create: true}, {}, {ReadOnly: true}} {
		_, err := Open(copyDir, opt)
		if !errors.Is(err, ErrNoMarker) || !strings.Contains(err.Error(), "marker") || !strings.Contains(err.Error(), copyDir) {
			t.Fatalf("open %+v of a copy without its marker: %v", opt, err)
		}
	}
	if n := sstCount(t, copyDir); n != tables {
		t.Fatalf("tables after the refused open: %d, want %d", n, tables)
	}
	// The original still opens, with its documents.
	ix2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	if st, _ := ix2.Stats(context.Background()); st.Documents != 5 {
		t.Fatalf("original after the refused copy: %+v", st)
	}
}

// A directory of other files is not made into an index.
func TestForeignDirectoryRefused(t *testing.T) {
	dir := t.TempDir()
	note := filepath.Join(dir, "notes.txt")
	os.WriteFile(note, []byte("mine"), 0o644)
	if _, err := Open(dir, Options{Create: true}); err == nil || !strings.Contains(err.Error(), "no index") {
		t.Fatalf("open a folder of other files: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("the folder was written to: %v", ents)
	}
}

// A damaged store is an error, never "no match".
func TestCorruptStoreIsAnError(t *testing.T) {
	ix, _ := openTemp(t, Options{})
	a := words(1, 300)
	if _, err := ix.Add([]Doc{{ID: "x", Text: a}, {ID: "y", Text: words(2, 300)}}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if r, err := ix.Query(ctx, Query{Text: a}); err != nil || len(r.NearDuplicates) != 1 {
		t.Fatalf("before damage: %+v %v", r, err)
	}
	snap := ix.db.NewSnapshot()
	num, _, err := ix.lookup(snap, "x")
	snap.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, damage := range []struct {
		what string
		do   func() error
	}{
		{"garbled metadata", func() error { return ix.db.Set(numKey(pMeta, num), []byte{9, 9, 9}, pebble.Sync) }},
		{"missing metadata", func() error { return ix.db.Delete(numKey(pMeta, num), pebble.Sync) }},
		{"missing text", func() error {
			if err := ix.db.Set(numKey(pMeta, num), (&meta{ID: "x", Bytes: len(a)}).encode(), pebble.Sync); err != nil {
				return err
			}
			return ix.db.Delete(numKey(pText, num), pebble.Sync)
		}},
	} {
		if err := damage.do(); err != nil {
			t.Fatal(err)
		}
		r, err := ix.Query(ctx, Query{Text: a})
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: query: %+v, %v; want an error wrapping ErrCorrupt", damage.what, r, err)
		}
		if _, err := ix.Get(ctx, "x"); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: get: %v", damage.what, err)
		}
		if _, err := ix.Query(ctx, Query{ID: "x"}); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: query by ID: %v", damage.what, err)
		}
	}
	// A damaged document can still be deleted, and then the index is whole.
	if found, err := ix.Delete([]string{"x"}); err != nil || !found[0] {
		t.Fatalf("delete the damaged document: %v %v", found, err)
	}
	if _, err := ix.Query(ctx, Query{Text: a}); err != nil {
		t.Fatalf("after deleting it: %v", err)
	}
}

// A read that fails under a query is the query's error.
func TestReadFailureIsAnError(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	a := words(1, 300)
	ix, err := Open(dir, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Add([]Doc{{ID: "x", Text: a}, {ID: "y", Text: words(2, 300)}}); err != nil {
		t.Fatal(err)
	}
	ix.Flush()
	ix.Close()
	var on atomic.Bool
	fail := errorfs.InjectorFunc(func(op errorfs.Op) error {
		if on.Load() && op.Kind == errorfs.OpFileReadAt && strings.HasSuffix(op.Path, ".sst") {
			return errorfs.ErrInjected
		}
		return nil
	})
	ix, err = Open(dir, Options{CacheMB: 8, fs: errorfs.Wrap(vfs.Default, fail)})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	on.Store(true)
	r, err := ix.Query(context.Background(), Query{Text: a})
	if err == nil {
		t.Fatalf("query over failing reads: %+v, no error", r)
	}
	if _, err := ix.Get(context.Background(), "x"); err == nil {
		t.Fatal("get over failing reads: no error")
	}
	on.Store(false)
	if r, err := ix.Query(context.Background(), Query{Text: a}); err != nil || len(r.NearDuplicates) != 1 {
		t.Fatalf("reads back: %+v %v", r, err)
	}
}

// A full disk: the add that meets it returns an error naming the index
// and what to do, within seconds; later calls return the same error; Close
// does not hang.
func TestFullDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	var on atomic.Bool
	full := errorfs.InjectorFunc(func(op errorfs.Op) error {
		if !on.Load() || op.Kind.ReadOrWrite() != errorfs.OpIsWrite || op.Kind == errorfs.OpFileClose || op.Kind == errorfs.OpRemove {
			return nil
		}
		return &os.PathError{Op: "write", Path: op.Path, Err: syscall.ENOSPC}
	})
	exited := make(chan int, 1)
	ix, err := Open(dir, Options{Create: true, fs: errorfs.Wrap(vfs.Default, full),
		OnFatal: func(error) {}, exit: func(code int) { exited <- code; select {} }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Add([]Doc{{ID: "before", Text: words(1, 200)}}); err != nil {
		t.Fatal(err)
	}
	on.Store(true)
	done := make(chan error, 1)
	go func() {
		_, err := ix.Add([]Doc{{ID: "after", Text: words(2, 200)}})
		done <- err
	}()
	select {
	case err = <-done:
	case code := <-exited:
		t.Fatalf("the process would have exited (%d) instead of returning an error", code)
	case <-time.After(20 * time.Second):
		t.Fatal("add on a full disk hangs")
	}
	var se *StorageError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "space") {
		t.Fatalf("add on a full disk: %v", err)
	}
	t.Log(err)
	if _, err := ix.Query(context.Background(), Query{Text: words(1, 200)}); !errors.As(err, &se) {
		t.Fatalf("query after the failure: %v", err)
	}
	closed := make(chan error, 1)
	go func() { closed <- ix.Close() }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("close after a full disk hangs")
	}
}

// Flipped bytes inside a table: reads that meet them fail with an error,
// nothing exits the process, and the index keeps answering.
func TestCorruptTable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Open(dir, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	var docs []Doc
	for i := range 300 {
		texts = append(texts, words(i, 200))
		docs = append(docs, Doc{ID: fmt.Sprintf("d%d", i), Text: texts[i]})
	}
	if _, err := ix.Add(docs); err != nil {
		t.Fatal(err)
	}
	ix.Flush()
	ix.Close()
	tables, _ := filepath.Glob(filepath.Join(dir, "*.sst"))
	if len(tables) == 0 {
		t.Fatal("no table")
	}
	// The damage goes into the largest table, at two thirds (the texts).
	big := tables[0]
	for _, tb := range tables {
		if a, b := fileSize(tb), fileSize(big); a > b {
			big = tb
		}
	}
	b, _ := os.ReadFile(big)
	for i := len(b) * 2 / 3; i < len(b)*2/3+64; i++ {
		b[i] ^= 0xff
	}
	os.WriteFile(big, b, 0o644)
	t.Logf("%d tables; damaged %s of %d bytes", len(tables), filepath.Base(big), len(b))
	exited := make(chan int, 1)
	ix, err = Open(dir, Options{exit: func(code int) { exited <- code; select {} }, OnFatal: func(error) {}})
	if err != nil {
		t.Logf("open of a damaged store: %v", err)
		return // refused with an error: fine
	}
	defer ix.Close()
	failed := 0
	var last error
	for i, text := range texts {
		if _, err := ix.Query(context.Background(), Query{Text: text}); err != nil {
			failed, last = failed+1, err
		}
		if _, err := ix.Get(context.Background(), docs[i].ID); err != nil {
			failed, last = failed+1, err
		}
	}
	t.Log(last)
	select {
	case code := <-exited:
		t.Fatalf("a damaged table made the process exit (%d)", code)
	case <-time.After(2500 * time.Millisecond):
	}
	if failed == 0 {
		t.Fatal("no query met the damaged block")
	}
	if !errors.Is(last, ErrCorrupt) {
		t.Errorf("the error does not say the index is damaged: %v", last)
	}
	t.Logf("%d of %d queries failed with an error", failed, len(texts))
}

// A store opened on a full disk gives an error within seconds, never a spin.
func TestOpenOnFullDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Open(dir, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	ix.Add([]Doc{{ID: "a", Text: words(1, 100)}})
	ix.Close()
	full := errorfs.InjectorFunc(func(op errorfs.Op) error {
		if op.Kind.ReadOrWrite() != errorfs.OpIsWrite || op.Kind == errorfs.OpFileClose || op.Kind == errorfs.OpLock {
			return nil
		}
		return &os.PathError{Op: "write", Path: op.Path, Err: syscall.ENOSPC}
	})
	done := make(chan error, 1)
	exited := make(chan int, 1)
	go func() {
		ix, err := Open(dir, Options{fs: errorfs.Wrap(vfs.Default, full), OnFatal: func(error) {},
			exit: func(code int) { exited <- code; select {} }})
		if err == nil {
			_, err = ix.Add([]Doc{{ID: "b", Text: words(2, 100)}})
			ix.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "space") {
			t.Fatalf("open and add on a full disk: %v", err)
		}
		t.Log(err)
	case code := <-exited:
		t.Fatalf("the process would have exited (%d)", code)
	case <-time.After(20 * time.Second):
		t.Fatal("open on a full disk hangs")
	}
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}
