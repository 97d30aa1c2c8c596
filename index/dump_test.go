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
	dir, out := os.Getenv("REPRINT_DUMP_INDEX"), os.Getenv("REPRINT_DUMP_OUT")
	if dir == "" || out == "" {
		t.Skip("REPRINT_DUMP_INDEX and REPRINT_DUMP_OUT unset")
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
	it, err := ix.db.NewIter(&pebble.IterOptions{LowerBound: []byte{pStory}, UpperBound: []byte{pStory + 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		s, _ := binary.Uvarint(it.Value())
		fmt.Fprintf(w, "%x %d\n", it.Key()[1:], s)
	}
	if err := it.Error(); err != nil {
		t.Fatal(err)
	}
}

// TestDumpStore writes every key of the index REPRINT_DUMP_INDEX to
// REPRINT_DUMP_STORE, one "key value-hash" a line in key order, so that
// what two builds stored can be compared; skipped without them.
func TestDumpStore(t *testing.T) {
	dir, out := os.Getenv("REPRINT_DUMP_INDEX"), os.Getenv("REPRINT_DUMP_STORE")
	if dir == "" || out == "" {
		t.Skip("REPRINT_DUMP_INDEX and REPRINT_DUMP_STORE unset")
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
	it, err := ix.db.NewIter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		fmt.Fprintf(w, "%x %x\n", it.Key(), xxh3.Hash(it.Value()))
	}
	if err := it.Error(); err != nil {
		t.Fatal(err)
	}
}
