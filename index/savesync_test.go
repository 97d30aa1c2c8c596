package index

import (
	"bytes"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// While a save of the stories state waits for the disk (its file's
// sync), the next add assigns its stories and commits: the save holds the
// adds' pass turn only while it reads the clusterer. Once the save ends,
// index and stories are exactly those of the same adds made one at a
// time, and the state saved is the one of the documents before it.
func TestNextAddRunsWhileSaveSyncs(t *testing.T) {
	old := saveMinPending
	saveMinPending = 50
	defer func() { saveMinPending = old }()
	docs := genDocs(t, 140)

	seq, _ := openTemp(t, Options{})
	for _, part := range [][]Doc{docs[:100], docs[100:]} {
		if _, err := seq.Add(part); err != nil {
			t.Fatal(err)
		}
	}

	fs := &stallingFS{FS: vfs.Default, syncing: make(chan struct{}), release: make(chan struct{})}
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Open(dir, Options{Create: true, fs: fs})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	first := ix.StartAdd(docs[:100]) // 100 pending: a save is due after it
	select {
	case <-fs.syncing:
	case <-time.After(60 * time.Second):
		t.Fatal("the first add's save never synced its file")
	}
	second := ix.StartAdd(docs[100:])
	done := make(chan error, 1)
	go func() { _, err := second.Wait(); done <- err }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		close(fs.release)
		t.Fatal("the next add waited for the save's sync")
	}
	close(fs.release)
	if _, err := first.Wait(); err != nil {
		t.Fatal(err)
	}
	a, sa := stateOf(t, seq)
	b, sb := stateOf(t, ix)
	if len(a) == 0 || !equalStrings(a, b) || !bytes.Equal(sa, sb) {
		t.Fatalf("adds beside a save differ from the same adds one at a time (%d and %d keys, state equal %v)", len(a), len(b), bytes.Equal(sa, sb))
	}
	ix.sto.mu.RLock()
	mark := ix.sto.mark
	ix.sto.mu.RUnlock()
	if mark.Next != 101 {
		t.Fatalf("the save marks documents below %d, want 101 (the first add's)", mark.Next)
	}
	// The file holds what its mark says: reopened, the replay of the
	// second add's documents gives the same stories.
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	re, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer re.Close()
	checkCrashedStories(t, re, len(docs))
	if _, sr := stateOf(t, re); !bytes.Equal(sa, sr) {
		t.Fatal("the stories reloaded from the save and the replay differ")
	}
}

// stallingFS holds the first sync of the stories state's temporary file
// until release is closed, closing syncing when it begins.
type stallingFS struct {
	vfs.FS
	once             sync.Once
	syncing, release chan struct{}
}

func (s *stallingFS) Create(name string, cat vfs.DiskWriteCategory) (vfs.File, error) {
	f, err := s.FS.Create(name, cat)
	if err != nil || !strings.HasSuffix(name, stateFile+".tmp") {
		return f, err
	}
	return &stallingFile{File: f, fs: s}, nil
}

type stallingFile struct {
	vfs.File
	fs *stallingFS
}

func (f *stallingFile) Sync() error {
	f.fs.once.Do(func() {
		close(f.fs.syncing)
		<-f.fs.release
	})
	return f.File.Sync()
}
