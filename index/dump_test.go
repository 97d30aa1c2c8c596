package index

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/zeebo/xxh3"
)

// TestDumpStories writes every document's story of the index
// REPRINT_DUMP_INDEX to REPRINT_DUMP_OUT, one "number story" a line, so
// that the stories two builds assign can be compared; skipped without them.
func TestDumpStories(t *testing.T) {
	dumpIndex(t, "REPRINT_DUMP_OUT", &pebble.IterOptions{LowerBound: []byte{pStory}, UpperBound: []byte{pStory + 1}},
		func(w *bufio.Writer, it *pebble.Iterator) {
			s, _ := binary.Uvarint(it.Value())
			fmt.Fprintf(w, "%x %d\n", it.Key()[1:], s)
		})
}

// TestDumpStore writes every key of the index REPRINT_DUMP_INDEX to
// REPRINT_DUMP_STORE, one "key value-hash" a line in key order, so that
// what two builds stored can be compared; skipped without them.
func TestDumpStore(t *testing.T) {
	dumpIndex(t, "REPRINT_DUMP_STORE", nil, func(w *bufio.Writer, it *pebble.Iterator) {
		fmt.Fprintf(w, "%x %x\n", it.Key(), xxh3.Hash(it.Value()))
	})
}

// dumpIndex writes a line for each key of the index REPRINT_DUMP_INDEX
// within opts to the file the variable outVar names; it skips the test
// when either is unset.
func dumpIndex(t *testing.T, outVar string, opts *pebble.IterOptions, line func(*bufio.Writer, *pebble.Iterator)) {
	dir, out := os.Getenv("REPRINT_DUMP_INDEX"), os.Getenv(outVar)
	if dir == "" || out == "" {
		t.Skip("REPRINT_DUMP_INDEX and " + outVar + " unset")
	}
	ix, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	defer w.Flush()
	it, err := ix.db.NewIter(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		line(w, it)
	}
	if err := it.Error(); err != nil {
		t.Fatal(err)
	}
}
