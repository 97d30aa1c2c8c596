package index

import (
	"bytes"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// A buffered file holds, whenever it is read, synced or closed, exactly
// the bytes written to it, whatever the sizes of the writes; and it
// reaches the file below in writes of the buffer's size.
func TestBufferedFileKeepsEveryByte(t *testing.T) {
	mem := vfs.NewMem()
	cf := &countingFS{FS: mem, writes: map[string]int{}}
	f, err := tableFS{cf}.Create("x.sst", vfs.WriteCategoryUnspecified)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := f.(*bufferedFile); !ok {
		t.Fatalf("a table file is a %T, not buffered", f)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var want []byte
	check := func() {
		got := make([]byte, len(want))
		if _, err := f.ReadAt(got, 0); err != nil && len(want) > 0 {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("after %d bytes written, the file holds other bytes", len(want))
		}
		if st, err := f.Stat(); err != nil || st.Size() != int64(len(want)) {
			t.Fatalf("Stat: size %d, %v; want %d", st.Size(), err, len(want))
		}
	}
	for i := 0; i < 400; i++ {
		n := rng.IntN(8 << 10)
		if i%97 == 0 {
			n = tableWriteBuffer + rng.IntN(tableWriteBuffer) // larger than the buffer
		}
		p := make([]byte, n)
		for k := range p {
			p[k] = byte(rng.Uint32())
		}
		want = append(want, p...)
		if m, err := f.Write(p); err != nil || m != n {
			t.Fatalf("Write: %d, %v; want %d", m, err, n)
		}
		switch i % 50 {
		case 7:
			check()
		case 19:
			if err := f.SyncData(); err != nil {
				t.Fatal(err)
			}
		case 31:
			// A prefix beyond what reached the file below is written out
			// before it is synced.
			if _, err := f.SyncTo(int64(len(want))); err != nil {
				t.Fatal(err)
			}
			if got := cf.size("x.sst"); got != int64(len(want)) {
				t.Fatalf("SyncTo(%d): %d bytes in the file below", len(want), got)
			}
		}
	}
	check()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	g, err := mem.Open("x.sst")
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	got := make([]byte, len(want)+1)
	n, _ := g.ReadAt(got, 0)
	if !bytes.Equal(got[:n], want) {
		t.Fatalf("closed: %d bytes, want the %d written", n, len(want))
	}
	// 400 writes of 4 KB on average, synced and read now and then: far
	// fewer writes below.
	if w := cf.writes["x.sst"]; w > len(want)/(tableWriteBuffer/4) {
		t.Errorf("%d writes below for %d bytes", w, len(want))
	}
}

// An index writes its tables in large pieces, and other files (the log)
// as Pebble writes them; what it wrote reads back.
func TestTablesWrittenInLargePieces(t *testing.T) {
	cf := &countingFS{FS: vfs.Default, writes: map[string]int{}}
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Open(dir, Options{Create: true, fs: cf})
	if err != nil {
		t.Fatal(err)
	}
	docs := genDocs(t, 400)
	if _, err := ix.Add(docs); err != nil {
		t.Fatal(err)
	}
	if err := ix.db.Flush(); err != nil {
		t.Fatal(err)
	}
	tables, writes := int64(0), 0
	for name, w := range cf.writes {
		if strings.HasSuffix(name, ".sst") {
			tables += cf.bytes[name]
			writes += w
		}
	}
	if tables < 4*tableWriteBuffer {
		t.Fatalf("%d bytes of tables: too few to tell", tables)
	}
	if max := int(tables/tableWriteBuffer) + 2*len(cf.writes); writes > max {
		t.Errorf("%d writes for %d bytes of tables; want at most %d", writes, tables, max)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, d := range docs[:20] {
		res, err := ix.Query(t.Context(), Query{Text: d.Text})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.NearDuplicates) == 0 || res.NearDuplicates[0].ID != d.ID {
			t.Fatalf("%s: not found again after the tables were written", d.ID)
		}
	}
}

// countingFS counts the writes to the files it creates and their bytes.
type countingFS struct {
	vfs.FS
	mu     sync.Mutex
	writes map[string]int
	bytes  map[string]int64
}

func (c *countingFS) Create(name string, cat vfs.DiskWriteCategory) (vfs.File, error) {
	f, err := c.FS.Create(name, cat)
	if err != nil {
		return nil, err
	}
	return &countingFile{File: f, fs: c, name: c.FS.PathBase(name)}, nil
}

func (c *countingFS) size(name string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes[name]
}

type countingFile struct {
	vfs.File
	fs   *countingFS
	name string
}

func (f *countingFile) Write(p []byte) (int, error) {
	n, err := f.File.Write(p)
	f.fs.mu.Lock()
	if f.fs.bytes == nil {
		f.fs.bytes = map[string]int64{}
	}
	f.fs.writes[f.name]++
	f.fs.bytes[f.name] += int64(n)
	f.fs.mu.Unlock()
	return n, err
}
