package index

import "testing"

// TestCompressionByLevel checks that in bulk adds (Options.Compactions
// 0) tables of the top level (L0) are written without compression and
// those of the levels below with snappy (open.go): flushes make
// uncompressed tables; a compaction that merges two of them (a table moved
// down whole keeps its blocks as they are) writes the last level's,
// compressed. A server's store (Compactions set) compresses its flushes.
func TestCompressionByLevel(t *testing.T) {
	srv, _ := openTemp(t, Options{Compactions: 1})
	if _, err := srv.Add(genDocs(t, 50)); err != nil {
		t.Fatal(err)
	}
	if err := srv.db.Flush(); err != nil {
		t.Fatal(err)
	}
	if m := srv.db.Metrics(); m.Table.CompressedCountNone != 0 || m.Table.CompressedCountSnappy == 0 {
		t.Fatalf("a server's flush: %d uncompressed tables, %d snappy; want none and some", m.Table.CompressedCountNone, m.Table.CompressedCountSnappy)
	}

	ix, _ := openTemp(t, Options{})
	docs := genDocs(t, 200)
	for _, part := range [][]Doc{docs[:100], docs[100:]} {
		if _, err := ix.Add(part); err != nil {
			t.Fatal(err)
		}
		if err := ix.db.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	m := ix.db.Metrics()
	if m.Table.CompressedCountNone == 0 || m.Table.CompressedCountSnappy != 0 {
		t.Fatalf("after a flush: %d uncompressed tables, %d snappy; want some and none", m.Table.CompressedCountNone, m.Table.CompressedCountSnappy)
	}
	if err := ix.db.Compact(t.Context(), []byte{0}, []byte{0xff}, false); err != nil {
		t.Fatal(err)
	}
	m = ix.db.Metrics()
	if m.Levels[len(m.Levels)-1].TablesCount == 0 || m.Table.CompressedCountSnappy == 0 || m.Table.CompressedCountNone != 0 {
		t.Fatalf("after compacting everything: %d tables in the last level, %d snappy, %d uncompressed",
			m.Levels[len(m.Levels)-1].TablesCount, m.Table.CompressedCountSnappy, m.Table.CompressedCountNone)
	}
}
