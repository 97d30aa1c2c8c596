// Opening, creating and closing an index.
//
// Open checks the stored format version before anything else and refuses
// an index of another version with an error that names both. A directory
// that Pebble created but that holds no key at all (a crash between
// creating the store and writing the version) is treated as new. Pebble's
// own logging goes to log/slog at debug level, so a command's output stays
// clean.
//
// Not done: migrations between format versions; an index of another
// version has to be rebuilt from its inputs.

package index

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"
	"github.com/reprint/reprint/minhash"
)

// Options say how to open an index. Threshold, NGram, Seed and NoText only
// matter when the index is created; afterwards the stored values rule.
type Options struct {
	Create    bool    // create the index when DIR holds none
	ReadOnly  bool    // open for queries only
	NoText    bool    // keep hashes only, not texts: no passages, no document text
	Threshold float64 // near-duplicate Jaccard threshold; 0 means 0.8
	NGram     int     // words per shingle; 0 means 5
	Seed      uint64  // hash seed
	CacheMB   int     // Pebble block cache in MiB; 0 means 128
	Logger    *slog.Logger
}

// ErrNoIndex is returned by Open when the directory holds no index and
// Options.Create is not set.
var ErrNoIndex = errors.New("no index here (reprint index add creates one)")

// ErrLocked is returned by Open when another process has the index open.
var ErrLocked = errors.New("in use by another process (a running reprint serve?); stop it, or go through its HTTP API")

// Index is an open index. It is safe for concurrent use.
type Index struct {
	dir string
	db  *pebble.DB
	p   params
	ro  bool

	signer *minhash.Signer

	wmu sync.Mutex // serializes writers
	cmu sync.Mutex // guards c
	c   counters

	life   sync.RWMutex // Close takes it for writing
	closed bool
}

// Open opens the index in dir.
func Open(dir string, opt Options) (*Index, error) {
	if opt.Threshold == 0 {
		opt.Threshold = 0.8
	}
	if opt.NGram == 0 {
		opt.NGram = 5
	}
	if opt.Threshold < 0 || opt.Threshold > 1 {
		return nil, fmt.Errorf("index: threshold %v: must be in (0, 1]", opt.Threshold)
	}
	if opt.NGram < 1 || opt.NGram > 64 {
		return nil, fmt.Errorf("index: ngram %d: must be between 1 and 64", opt.NGram)
	}
	if opt.CacheMB <= 0 {
		opt.CacheMB = 128
	}
	logger := opt.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	exists, err := hasStore(dir)
	if err != nil {
		return nil, err
	}
	if !exists && (!opt.Create || opt.ReadOnly) {
		return nil, fmt.Errorf("index %s: %w", dir, ErrNoIndex)
	}
	cache := pebble.NewCache(int64(opt.CacheMB) << 20)
	defer cache.Unref()
	po := &pebble.Options{
		Cache:                       cache,
		ReadOnly:                    opt.ReadOnly,
		MemTableSize:                64 << 20,
		MemTableStopWritesThreshold: 4,
		L0CompactionThreshold:       4,
		L0StopWritesThreshold:       24,
		LBaseMaxBytes:               256 << 20,
		CompactionConcurrencyRange:  func() (int, int) { return 1, 2 },
		Logger:                      slogLogger{logger},
		Comparer:                    comparer,
	}
	for i := range po.Levels {
		po.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	// A query seeks its ~170 posting lists in sorted order, and every seek
	// that lands in another table than the last one in a level opens that
	// table's iterator. With Pebble's default 2 MB base the 1M-document
	// index had 580 tables in its last level and most seeks switched
	// tables; with 32 MB (doubling per level, as by default) it has 57, and
	// queries ran 1.3 times as fast (BENCHMARKS.md).
	po.TargetFileSizes[0] = 32 << 20
	db, err := pebble.Open(dir, po)
	if err != nil {
		if errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EWOULDBLOCK) || strings.Contains(err.Error(), "lock held") {
			return nil, fmt.Errorf("index %s: %w", dir, ErrLocked)
		}
		if strings.Contains(err.Error(), "comparer name") {
			return nil, fmt.Errorf("index %s: not a reprint index of format version %d (%v)", dir, FormatVersion, err)
		}
		return nil, fmt.Errorf("index %s: %w", dir, err)
	}
	ix := &Index{dir: dir, db: db, ro: opt.ReadOnly}
	if err := ix.load(opt); err != nil {
		db.Close()
		return nil, fmt.Errorf("index %s: %w", dir, err)
	}
	ix.signer = minhash.NewSigner(ix.p.Perm, ix.p.Seed)
	return ix, nil
}

// comparer orders keys bytewise, like Pebble's default, but tells Pebble
// that a posting key's prefix is its list (prefix byte and hash, 9 bytes):
// bloom filters are then built on lists, and a query's SeekPrefixGE skips
// every table that has no posting in that list without reading a block.
// Most of a query's anchors are in no other document, so most of its
// lookups end at a filter.
var comparer = func() *pebble.Comparer {
	c := *pebble.DefaultComparer
	c.Name = "reprint.index.v1"
	c.Split = func(k []byte) int {
		if len(k) == 17 && (k[0] == pAnchor || k[0] == pBand) {
			return 9
		}
		return len(k)
	}
	c.ComparePointSuffixes = bytes.Compare
	c.CompareRangeSuffixes = bytes.Compare
	return &c
}()

// hasStore reports whether dir holds a Pebble store.
func hasStore(dir string) (bool, error) {
	_, err := os.Stat(filepath.Join(dir, "CURRENT"))
	if err == nil {
		return true, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		// Pebble v2 may name its manifest marker differently; any
		// MANIFEST or marker file means a store.
		m, _ := filepath.Glob(filepath.Join(dir, "MANIFEST-*"))
		return len(m) > 0, nil
	}
	return false, fmt.Errorf("index %s: %w", dir, err)
}

// load reads or writes the version key and the counters.
func (ix *Index) load(opt Options) error {
	v, closer, err := ix.db.Get(keyVersion)
	if errors.Is(err, pebble.ErrNotFound) {
		if !ix.emptyStore() {
			return errors.New("not a reprint index (no format version)")
		}
		if ix.ro {
			return ErrNoIndex
		}
		k := minhash.DefaultK(opt.Threshold)
		b := minhash.ChooseBanding(opt.Threshold, k)
		ix.p = params{Format: FormatVersion, NGram: opt.NGram, Perm: k, Bands: b.Bands, Rows: b.Rows,
			Seed: opt.Seed, Threshold: opt.Threshold, Anchor: 4, Window: 12, Text: !opt.NoText}
		pj, _ := json.Marshal(ix.p)
		batch := ix.db.NewBatch()
		batch.Set(keyVersion, pj, nil)
		batch.Set(keyCounters, counters{Next: 1}.encode(), nil)
		ix.c = counters{Next: 1}
		return batch.Commit(pebble.Sync)
	}
	if err != nil {
		return err
	}
	var p params
	err = json.Unmarshal(v, &p)
	closer.Close()
	if err != nil {
		return fmt.Errorf("unreadable format version: %v", err)
	}
	if p.Format != FormatVersion {
		return fmt.Errorf("index format version %d; this reprint reads version %d (rebuild the index from its inputs)", p.Format, FormatVersion)
	}
	if p.Perm < 1 || p.Bands < 1 || p.Rows < 1 || p.Bands*p.Rows > p.Perm || p.NGram < 1 || p.Anchor < 1 || p.Window < 1 {
		return errors.New("corrupt index parameters")
	}
	ix.p = p
	cv, closer, err := ix.db.Get(keyCounters)
	if err != nil {
		return fmt.Errorf("counters: %w", err)
	}
	ix.c, err = decodeCounters(cv)
	closer.Close()
	return err
}

func (ix *Index) emptyStore() bool {
	it, err := ix.db.NewIter(nil)
	if err != nil {
		return false
	}
	defer it.Close()
	return !it.First()
}

// Close flushes nothing (every write is already synced) and closes the store.
func (ix *Index) Close() error {
	ix.life.Lock()
	defer ix.life.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	return ix.db.Close()
}

// ErrClosed is returned by calls on a closed index.
var ErrClosed = errors.New("index: closed")

// enter guards one call against a concurrent Close.
func (ix *Index) enter() error {
	ix.life.RLock()
	if ix.closed {
		ix.life.RUnlock()
		return ErrClosed
	}
	return nil
}

func (ix *Index) leave() { ix.life.RUnlock() }

// enterWrite is enter for a call that writes.
func (ix *Index) enterWrite() error {
	if err := ix.enter(); err != nil {
		return err
	}
	if ix.ro {
		ix.leave()
		return errors.New("index: opened read-only")
	}
	return nil
}

// update runs fn under the writer lock on a new batch (indexed, so that fn
// can read its own writes, when asked) and a copy of the counters, then
// commits the batch with the counters, synced, and only then makes the new
// counters visible. An error from fn or the commit leaves the index as it
// was.
func (ix *Index) update(indexed bool, fn func(b *pebble.Batch, c *counters) error) error {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	ix.cmu.Lock()
	c := ix.c
	ix.cmu.Unlock()
	b := ix.db.NewBatch()
	if indexed {
		b = ix.db.NewIndexedBatch()
	}
	defer b.Close()
	if err := fn(b, &c); err != nil {
		return err
	}
	b.Set(keyCounters, c.encode(), nil)
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("index: commit: %w", err)
	}
	ix.cmu.Lock()
	ix.c = c
	ix.cmu.Unlock()
	return nil
}

// Dir returns the index's directory.
func (ix *Index) Dir() string { return ix.dir }

// slogLogger sends Pebble's messages to slog: info at debug level.
type slogLogger struct{ l *slog.Logger }

func (s slogLogger) Infof(format string, args ...any) {
	s.l.Log(context.Background(), slog.LevelDebug, fmt.Sprintf(format, args...), "component", "pebble")
}

func (s slogLogger) Errorf(format string, args ...any) {
	s.l.Error(fmt.Sprintf(format, args...), "component", "pebble")
}

func (s slogLogger) Fatalf(format string, args ...any) {
	s.l.Error(fmt.Sprintf(format, args...), "component", "pebble")
	os.Exit(1)
}
