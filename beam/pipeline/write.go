// Decisions to outputs: clusters.jsonl, pairs.jsonl and the kept corpus.
//
// A group's head carries the group's decision; the other members follow
// it as in the CLI: removed under the head (Jaccard 1) when the head is
// kept, under the head's keeper with the head's Jaccard when it is not.
//
// pairs.jsonl and clusters.jsonl are gathered on one worker, sorted as the
// CLI sorts them and written with the same JSON encoding, so the files are
// byte-identical to `reprint pairs` and `reprint dedup --clusters`. That
// worker must hold them: about 100 bytes a pair. Not done: range-sharded
// sorted output for pair lists that outgrow one worker.
//
// The kept corpus is written per input file: the removed record numbers of
// a file meet the file in a CoGroupByKey, and the corpus package re-reads
// it and copies every other record byte for byte (Corpus.Copy, as `reprint
// dedup -o` does), so records that could not be used stay too. The text
// never goes through a shuffle.

package pipeline

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/neardup"
)

// Counted once, where the outputs are written (on one worker each).
var (
	pairCount    = beam.NewCounter(counterNamespace, "pairs")
	clusterCount = beam.NewCounter(counterNamespace, "clusters")
	removedCount = beam.NewCounter(counterNamespace, "removed")
)

// membersFn applies each group's decision to its members: it emits the
// cluster entries (kept ID, removed) and the removed records (file index,
// record number).
func membersFn(_ uint64, gs func(*Group) bool, ds func(*Decision) bool, entries func(string, neardup.Removed), recs func(int64, int64)) {
	var g Group
	if !gs(&g) {
		return
	}
	var d Decision
	hasDec := ds(&d)
	keptID, sim := g.Head.ID, 1.0
	if hasDec && !d.Kept {
		keptID, sim = d.By.Head.ID, d.Sim
		entries(keptID, neardup.Removed{ID: g.Head.ID, Jaccard: d.Sim})
		recs(fileOf(g.Head.Seq), int64(recordOf(g.Head.Seq)))
	}
	for _, m := range g.Members {
		if m.Seq == g.Head.Seq {
			continue
		}
		entries(keptID, neardup.Removed{ID: m.ID, Jaccard: sim})
		recs(fileOf(m.Seq), int64(recordOf(m.Seq)))
	}
}

func toOnePair(p neardup.Pair) (int, neardup.Pair) { return 0, p }

func toOneEntry(k string, r neardup.Removed) (int, Entry) { return 0, Entry{Kept: k, R: r} }

// Entry is one removed document under its kept one.
type Entry struct {
	Kept string
	R    neardup.Removed
}

func encEntry(x Entry) ([]byte, error) {
	var w wbuf
	w.s(x.Kept)
	w.s(x.R.ID)
	w.f(x.R.Jaccard)
	return w.b, nil
}
func decEntry(b []byte) (Entry, error) {
	r := rbuf{b: b}
	x := Entry{Kept: r.s(), R: neardup.Removed{ID: r.s(), Jaccard: r.f()}}
	return x, r.err
}

// writePairsFn sorts all pairs and writes pairs.jsonl.
type writePairsFn struct{ Dir string }

func (f *writePairsFn) ProcessElement(ctx context.Context, _ int, ps func(*neardup.Pair) bool) error {
	var all []neardup.Pair
	var p neardup.Pair
	for ps(&p) {
		all = append(all, p)
	}
	slices.SortFunc(all, func(a, b neardup.Pair) int { return cmp.Or(strings.Compare(a.A, b.A), strings.Compare(a.B, b.B)) })
	pairCount.Inc(ctx, int64(len(all)))
	return writeJSONL(ctx, join(f.Dir, "pairs.jsonl"), len(all), func(i int) any { return all[i] })
}

// writeClustersFn builds, sorts and writes clusters.jsonl.
type writeClustersFn struct{ Dir string }

func (f *writeClustersFn) ProcessElement(ctx context.Context, _ int, es func(*Entry) bool) error {
	byKept := map[string][]neardup.Removed{}
	var e Entry
	n := 0
	for es(&e) {
		byKept[e.Kept] = append(byKept[e.Kept], e.R)
		n++
	}
	clusterCount.Inc(ctx, int64(len(byKept)))
	removedCount.Inc(ctx, int64(n))
	out := make([]neardup.Cluster, 0, len(byKept))
	for k, rm := range byKept {
		slices.SortFunc(rm, func(a, b neardup.Removed) int { return strings.Compare(a.ID, b.ID) })
		out = append(out, neardup.Cluster{Kept: k, Removed: rm})
	}
	slices.SortFunc(out, func(a, b neardup.Cluster) int { return strings.Compare(a.Kept, b.Kept) })
	return writeJSONL(ctx, join(f.Dir, "clusters.jsonl"), len(out), func(i int) any { return out[i] })
}

// writeJSONL writes n values as JSON lines, encoded as the CLI encodes
// them (no HTML escaping).
func writeJSONL(ctx context.Context, path string, n int, at func(int) any) error {
	return writeFile(ctx, path, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		for i := 0; i < n; i++ {
			if err := enc.Encode(at(i)); err != nil {
				return err
			}
		}
		return bw.Flush()
	})
}

// join joins an output directory (local or URL-like) and a file name.
func join(dir, name string) string {
	if isLocal(dir) {
		return filepath.Join(dir, name)
	}
	return strings.TrimSuffix(dir, "/") + "/" + name
}

// writeFile writes a file on any Beam filesystem.
func writeFile(ctx context.Context, path string, write func(io.Writer) error) error {
	if isLocal(path) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
	}
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return err
	}
	defer fs.Close()
	w, err := fs.OpenWrite(ctx, path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := write(w); err != nil {
		w.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// fileIndex keys an input by its index.
func fileIndex(f FileIn) (int64, FileIn) { return f.Index, f }

// writeKeptFn writes one input's kept corpus, reading it with the same
// fields as the hashing step (record numbers do not depend on them, but a
// reader opened with other options could skip differently).
type writeKeptFn struct {
	Dir    string
	Fields Fields
}

func (f *writeKeptFn) ProcessElement(ctx context.Context, _ int64, files func(*FileIn) bool, recs func(*int64) bool) error {
	var in FileIn
	if !files(&in) {
		return nil
	}
	drop := map[int]bool{}
	var r int64
	for recs(&r) {
		drop[int(r)] = true
	}
	local, done, err := stageLocal(ctx, in.Path)
	if err != nil {
		return err
	}
	defer done()
	c, err := corpus.Open([]string{local}, f.Fields.corpusOptions())
	if err != nil {
		return err
	}
	defer c.Close()
	out := join(f.Dir, in.Name)
	keep := func(seq int) bool { return !drop[seq] }
	if isLocal(out) {
		if err := os.MkdirAll(f.Dir, 0o755); err != nil {
			return err
		}
		_, err = c.Copy(ctx, keep, out)
		return err
	}
	tmp, err := os.MkdirTemp("", "reprint-beam-kept-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	lp := filepath.Join(tmp, in.Name)
	if _, err := c.Copy(ctx, keep, lp); err != nil {
		return err
	}
	return writeFile(ctx, out, func(w io.Writer) error {
		src, err := os.Open(lp)
		if err != nil {
			return err
		}
		defer src.Close()
		_, err = io.Copy(w, src)
		return err
	})
}
