// Opening, creating and closing an index, and what happens when storage
// fails.
//
// Open never creates a store over files it does not recognise: a store is
// created only in a missing or empty directory, and an existing one is
// opened with Pebble's ErrorIfNotExists, so that a copy that lost its
// 0-byte manifest marker (copy tools that skip empty files do this) is
// refused with a message instead of being taken for a new store, whose
// first act would be to delete the old tables as obsolete. Open then checks
// the stored format version and refuses an index of another version with
// an error that names both. A directory that Pebble created but that holds
// no key at all (a crash between creating the store and writing the
// version) is treated as new. Pebble's own logging goes to log/slog at
// debug level, so a command's output stays clean.
//
// Storage failures: Pebble reports an unrecoverable failure (a commit that
// could not be written, a manifest that could not be synced) through its
// logger's Fatalf and expects it not to return. When that happens inside
// one of our calls, Fatalf unwinds it with a panic that the call recovers
// into a *StorageError naming the index and what to do; the index is then
// failed, and every later call returns that error at once instead of
// writing into a store in an unknown state. A failure in one of Pebble's
// background goroutines cannot be returned to anybody: it is reported to
// Options.OnFatal (standard error by default) with the same message, and
// the process exits with status 1. A flush or compaction that keeps failing
// while a commit waits for room (a full disk) fails the index too and the
// waiting call returns, so a full disk is an error, never a hang. Corrupt
// blocks are reported by Pebble's DataCorruption event, logged, and surface
// as errors of the reads that meet them (the default listener would exit).
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
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"
	"github.com/cockroachdb/pebble/v2/sstable"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/reprint/reprint/internal/errs"
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
	// Compactions bounds the store's concurrent background compactions;
	// 0 means 2, for bulk adds, and then the store also lets more tables
	// gather in its top level before compacting them (bulkL0Compaction)
	// and writes those uncompressed. A server wants ServingCompactions.
	Compactions int
	// NoStories, when the index is created, keeps documents out of
	// stories: no story assignment on add, no story in query results.
	NoStories bool
	Logger    *slog.Logger
	// OnFatal hears of a storage failure in a background goroutine of the
	// store, just before the process exits; nil writes it to standard error.
	OnFatal func(error)

	fs   vfs.FS    // tests inject failing file systems; nil means the OS's
	exit func(int) // tests replace the exit after a background failure; nil means os.Exit
}

// ErrNoIndex is returned by Open when the directory holds no index and
// Options.Create is not set.
var ErrNoIndex = errors.New("no index here (reprint index add creates one)")

// ErrLocked is returned by Open when another process has the index open.
var ErrLocked = errors.New("in use by another process (a running reprint serve?); stop it, or go through its HTTP API")

// ErrCorrupt is wrapped by errors that found the store damaged: a posting
// without its document, unreadable metadata.
var ErrCorrupt = errors.New("the index is damaged (rebuild it from its inputs, or restore a copy)")

// StorageError is a failure of the storage under an index: a write that
// could not be made durable, a full disk, a store in an unknown state.
// Once one happened, every call on the index returns it.
type StorageError struct {
	Dir string // the index directory
	Msg string // what the store reported
}

func (e *StorageError) Error() string {
	return fmt.Sprintf("index %s: storage failure: %s; nothing after the last completed add or delete was written. "+
		"Check free space and the disk (df, dmesg), then run again: the index reopens from its last committed state", e.Dir, e.Msg)
}

// Index is an open index. It is safe for concurrent use.
type Index struct {
	dir string
	db  *pebble.DB
	p   params
	ro  bool
	st  *storage
	fs  vfs.FS // the file system the store and the stories state are on

	recipe *minhash.Recipe // the signing recipe of the stored parameters

	wmu   sync.Mutex // serializes writers
	order addOrder   // orders adds (add.go)
	cmu   sync.Mutex // guards c
	c     counters

	life   sync.RWMutex // Close takes it for writing
	closed bool

	sto storyState // stories.go

	qc atomic.Pointer[prepCache] // prepared candidates queries share (prepcache.go); nil: off
	pc atomic.Pointer[postCache] // posting lists of the flushed tables queries share (postcache.go); nil: off

	ov    overlay  // recent postings, so that queries need not search memtables (overlay.go)
	delta *ovDelta // the overlay's part of the batch being built; guarded by wmu
	nk    newKeys  // an add's new keys, kept between commits for its buffers; guarded by wmu
	// overlayCheck, set by tests before any query, hears after every scan
	// through the overlay whether the snapshot's own scan found the same.
	overlayCheck func(same bool)
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
		return nil, errs.Option("threshold", opt.Threshold, "must be in (0, 1]")
	}
	if opt.NGram < 1 || opt.NGram > 64 {
		return nil, errs.Option("ngram", opt.NGram, "must be between 1 and 64")
	}
	if opt.CacheMB <= 0 {
		opt.CacheMB = 128
	}
	logger := opt.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	fsys := opt.fs
	if fsys == nil {
		fsys = vfs.Default
	}
	exists, err := hasStore(fsys, dir)
	if err != nil {
		return nil, err
	}
	if !exists && (!opt.Create || opt.ReadOnly) {
		return nil, fmt.Errorf("index %s: %w", dir, ErrNoIndex)
	}
	st := &storage{l: logger, dir: dir, onFatal: opt.OnFatal, exit: opt.exit, stuck: make(chan struct{})}
	if st.exit == nil {
		st.exit = os.Exit
	}
	compactions, l0Compaction, l0Stop := 2, bulkL0Compaction, bulkL0Stop
	if opt.Compactions > 0 {
		compactions, l0Compaction, l0Stop = opt.Compactions, 4, 24
	}
	cache := pebble.NewCache(int64(opt.CacheMB) << 20)
	defer cache.Unref()
	po := &pebble.Options{
		Cache:                       cache,
		ReadOnly:                    opt.ReadOnly,
		MemTableSize:                64 << 20,
		MemTableStopWritesThreshold: 4,
		L0CompactionThreshold:       l0Compaction,
		L0StopWritesThreshold:       l0Stop,
		LBaseMaxBytes:               256 << 20,
		CompactionConcurrencyRange:  func() (int, int) { return 1, compactions },
		Logger:                      st,
		EventListener:               st.events(),
		Comparer:                    comparer,
		FS:                          tableFS{fsys}, // tables written in large pieces (tablewrites.go)
		// An existing store is opened, never created over: see the file comment.
		ErrorIfNotExists: exists,
	}
	for i := range po.Levels {
		po.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	// In bulk adds, the top level's tables are written without
	// compression: they are a flush's output, read whole by the compaction
	// that soon merges them into the level below, so compressing them
	// (snappy was 7% of a 100,000-document ingest's CPU) and decompressing
	// them again buys nothing that lasts. The levels below keep snappy:
	// their sizes in bytes decide when they are compacted into the next,
	// and uncompressed they would be compacted more often. A server keeps
	// snappy everywhere: in load runs with a writer, uncompressed tables
	// above the last level cost it CPU rather than saving it (a table of
	// the top level can be moved down whole, blocks as they are). Blocks
	// read from the disk are as they were written, so any index reads as
	// before.
	if opt.Compactions <= 0 {
		po.Levels[0].Compression = func() *sstable.CompressionProfile { return sstable.NoCompression }
		for i := 1; i < len(po.Levels); i++ {
			// A level left unset takes the one above it's.
			po.Levels[i].Compression = func() *sstable.CompressionProfile { return sstable.SnappyCompression }
		}
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
		if errors.Is(err, pebble.ErrDBDoesNotExist) {
			return nil, fmt.Errorf("index %s: %w", dir, ErrNoMarker)
		}
		if strings.Contains(err.Error(), "comparer name") {
			return nil, fmt.Errorf("index %s: not a reprint index of format version %d (%v)", dir, FormatVersion, err)
		}
		return nil, fmt.Errorf("index %s: %w", dir, err)
	}
	ix := &Index{dir: dir, db: db, ro: opt.ReadOnly, st: st, fs: fsys}
	ix.qc.Store(newPrepCache(DefaultQueryCache))
	ix.pc.Store(newPostCache(DefaultPostingCache))
	if err := ix.guard(func() error { return ix.load(opt) }); err != nil {
		db.Close()
		return nil, fmt.Errorf("index %s: %w", dir, err)
	}
	ix.recipe = minhash.NewRecipe(ix.p.Threshold, ix.p.NGram, ix.p.Perm, ix.p.Seed, minhash.Banding{Bands: ix.p.Bands, Rows: ix.p.Rows})
	if err := ix.guard(ix.startOverlay); err != nil {
		db.Close()
		return nil, fmt.Errorf("index %s: %w", dir, err)
	}
	return ix, nil
}

// startOverlay turns the query overlay on when the flushed tables hold
// every commit: then the overlay, empty, holds every later one. A log
// replayed into memtables at open is flushed first; read-only, it cannot
// be, and queries of this open scan memtables.
func (ix *Index) startOverlay() error {
	dc, err := ix.durableCounters()
	if err != nil {
		return err
	}
	// A store just created holds no posting in its memtable.
	fresh := dc == counters{} && ix.c == counters{Next: 1}
	if dc != ix.c && !fresh {
		if ix.ro {
			return nil
		}
		if err := ix.db.Flush(); err != nil {
			return err
		}
	}
	ix.ov.mu.Lock()
	ix.ov.on = true
	ix.ov.reset(ix.c.Commits)
	ix.ov.mu.Unlock()
	return nil
}

// durableCounters returns the counters as the flushed tables hold them.
func (ix *Index) durableCounters() (counters, error) {
	c, it, err := ix.openDurable()
	if it != nil {
		it.Close()
	}
	return c, err
}

// openDurable opens an iterator over the flushed tables only (the
// counters and the posting lists) and reads the counters through it.
func (ix *Index) openDurable() (counters, *pebble.Iterator, error) {
	it, err := ix.db.NewIter(&pebble.IterOptions{LowerBound: keyCounters, UpperBound: []byte{pBand + 1},
		UseL6Filters: true, OnlyReadGuaranteedDurable: true})
	if err != nil {
		return counters{}, nil, err
	}
	var c counters
	if it.SeekGE(keyCounters) && bytes.Equal(it.Key(), keyCounters) {
		v, err := it.ValueAndErr()
		if err == nil {
			c, err = decodeCounters(v)
		}
		if err != nil {
			it.Close()
			return counters{}, nil, fmt.Errorf("durable counters: %w", err)
		}
	} else if err := it.Error(); err != nil {
		it.Close()
		return counters{}, nil, err
	}
	return c, it, nil
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

// ErrNoMarker is returned by Open for a directory that holds a store's
// files but not the marker naming its manifest.
var ErrNoMarker = errors.New("the store's files are here but its manifest marker is missing " +
	"(a 0-byte file named marker.manifest.*; copy tools that skip empty files lose it). Nothing was changed: " +
	"copy the index again with every file (cp -a, rsync -a), or restore the marker file from the original")

// hasStore reports whether dir holds a Pebble store. A directory that holds
// other files, or a store without its manifest marker, is an error: Open
// must not create a store there (see the file comment).
func hasStore(fsys vfs.FS, dir string) (bool, error) {
	names, err := fsys.List(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("index %s: %w", dir, err)
	}
	marker, store := false, false
	for _, n := range names {
		switch {
		case strings.HasPrefix(n, "marker.manifest."), n == "CURRENT":
			marker = true
		case strings.HasPrefix(n, "MANIFEST-"), strings.HasSuffix(n, ".sst"), strings.HasSuffix(n, ".log"),
			strings.HasPrefix(n, "OPTIONS-"), n == "LOCK", strings.HasPrefix(n, "marker."):
			store = true
		}
	}
	switch {
	case marker:
		return true, nil
	case store:
		return false, fmt.Errorf("index %s: %w", dir, ErrNoMarker)
	case len(names) > 0:
		return false, fmt.Errorf("index %s: the directory holds %d files but no index; give a new or empty directory", dir, len(names))
	}
	return false, nil
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
			Seed: opt.Seed, Threshold: opt.Threshold, Anchor: 4, Window: 12, Text: !opt.NoText, Stories: !opt.NoStories}
		pj, _ := json.Marshal(ix.p)
		batch := ix.db.NewBatch()
		batch.Set(keyVersion, pj, nil)
		batch.Set(keyCounters, counters{Next: 1}.encode(), nil)
		ix.c = counters{Next: 1}
		if ix.p.Stories {
			ix.sto.mark = stateMark{Next: 1}
			batch.Set(keyStoryState, ix.sto.mark.encode(), nil)
		}
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
	if err != nil {
		return err
	}
	if ix.p.Stories {
		return ix.loadStoryMark()
	}
	return nil
}

func (ix *Index) emptyStore() bool {
	it, err := ix.db.NewIter(nil)
	if err != nil {
		return false
	}
	defer it.Close()
	return !it.First()
}

// Close saves the stories state when documents were added since it was
// last saved (so that the next open need not replay them), and closes the
// store. Nothing else needs flushing: every write is already synced.
func (ix *Index) Close() error {
	ix.life.Lock()
	defer ix.life.Unlock()
	if ix.closed {
		return nil
	}
	var serr error
	if ix.st.err() == nil && !ix.ro {
		// A failure here loses nothing: the next open replays.
		serr = ix.saveStoriesOnClose()
	}
	ix.closed = true
	if err := ix.st.err(); err != nil {
		// The store is in an unknown state and may have a commit blocked
		// in it; closing could wait forever. Its lock goes with the process.
		return err
	}
	var err error
	if gerr := ix.guard(func() error { err = ix.db.Close(); return nil }); gerr != nil {
		return gerr
	}
	return errors.Join(serr, err)
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
	if err := ix.st.err(); err != nil {
		ix.life.RUnlock()
		return err
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
	return ix.updateSized(indexed, 0, fn)
}

// updateSized is update with a batch of size bytes to begin with (when
// size > 0 and !indexed): a batch otherwise starts at 1 KB and doubles as
// it is written, and a bulk add's commit of 2,000 documents, about 8 MB,
// was copied a dozen times over, allocating twice its size.
func (ix *Index) updateSized(indexed bool, size int, fn func(b *pebble.Batch, c *counters) error) error {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	ix.cmu.Lock()
	c := ix.c
	ix.cmu.Unlock()
	var b *pebble.Batch
	switch {
	case indexed:
		b = ix.db.NewIndexedBatch()
	case size > 0:
		b = ix.db.NewBatchWithSize(size)
	default:
		b = ix.db.NewBatch()
	}
	defer b.Close()
	if ix.st.flushed.Swap(false) {
		// A flush ended: drop from the overlay what the tables now hold.
		dc, err := ix.durableCounters()
		if err == nil {
			ix.ov.prune(dc.Commits, dc.Next)
		}
	}
	ix.delta = &ovDelta{}
	defer func() { ix.delta = nil }()
	if err := ix.guard(func() error { return fn(b, &c) }); err != nil {
		return err
	}
	c.Commits++
	b.Set(keyCounters, c.encode(), nil)
	// Before the commit, so that a snapshot that sees it finds its
	// postings in the overlay (overlay.go).
	ix.ov.apply(c.Commits, ix.delta)
	if err := ix.commit(b); err != nil {
		ix.ov.failed(c.Commits)
		// The commit count c.Commits goes to the next commit: no view
		// of this one must answer for it (postcache.go).
		ix.postingCache().reset()
		return err
	}
	ix.cmu.Lock()
	ix.c = c
	ix.cmu.Unlock()
	return nil
}

// Dir returns the index's directory.
func (ix *Index) Dir() string { return ix.dir }

// commit commits b, synced. A commit that Pebble could not write fails the
// index (Fatalf, recovered by guard); one that waits for room behind a flush
// that keeps failing returns when that failure is seen, its goroutine left
// waiting (the store is failed and is not closed; the process's exit ends
// it).
func (ix *Index) commit(b *pebble.Batch) error {
	done := make(chan error, 1)
	go func() {
		done <- ix.guard(func() error { return b.Commit(pebble.Sync) })
	}()
	select {
	case err := <-done:
		if err != nil {
			var se *StorageError
			if errors.As(err, &se) {
				return err
			}
			return fmt.Errorf("index %s: commit: %w", ix.dir, err)
		}
		return nil
	case <-ix.st.stuck:
		return ix.st.err()
	}
}

// guard runs fn and turns a storage failure that Fatalf raised inside it
// into the index's *StorageError.
func (ix *Index) guard(fn func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			fp, ok := v.(fatalPanic)
			if !ok {
				panic(v)
			}
			err = fp.err
		}
	}()
	return fn()
}

// fatalPanic carries a storage failure from Fatalf to guard.
type fatalPanic struct{ err *StorageError }

// storage is the store's logger and event listener: it sends Pebble's
// messages to slog (info at debug level) and keeps the failure that ended
// the store, if any.
type storage struct {
	l       *slog.Logger
	dir     string
	onFatal func(error)
	exit    func(int)

	mu      sync.Mutex
	failed  *StorageError
	bgErr   error         // the last background error since a flush succeeded
	stalled bool          // writes are waiting for a flush
	stuck   chan struct{} // closed when the store failed

	flushed atomic.Bool // a flush ended since the overlay was last pruned
}

// err is the failure that ended the store, or nil.
func (s *storage) err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed == nil {
		return nil
	}
	return s.failed
}

// fail records the store's failure; the first one is kept.
func (s *storage) fail(msg string) *StorageError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed == nil {
		s.failed = &StorageError{Dir: s.dir, Msg: msg}
		close(s.stuck)
	}
	return s.failed
}

func (s *storage) Infof(format string, args ...any) {
	s.l.Log(context.Background(), slog.LevelDebug, fmt.Sprintf(format, args...), "component", "pebble")
}

func (s *storage) Errorf(format string, args ...any) {
	s.l.Error(fmt.Sprintf(format, args...), "component", "pebble", "index", s.dir)
}

// Fatalf must not return (Pebble goes on as if the failed step had
// succeeded if it does): see the file comment.
func (s *storage) Fatalf(format string, args ...any) {
	err := s.fail(fmt.Sprintf(format, args...))
	s.l.Error(err.Error(), "component", "pebble")
	if inOurCall() {
		panic(fatalPanic{err})
	}
	if s.onFatal != nil {
		s.onFatal(err)
	} else {
		fmt.Fprintln(os.Stderr, "reprint:", err)
	}
	s.exit(1)
}

// inOurCall reports whether the calling goroutine runs one of this
// package's calls (and so has a guard to recover in), rather than one of
// Pebble's background goroutines.
func inOurCall() bool {
	buf := make([]byte, 64<<10)
	buf = buf[:runtime.Stack(buf, false)]
	return bytes.Contains(buf, []byte("reprint/reprint/index.(*Index).guard"))
}

// events are the store events the index acts on.
func (s *storage) events() *pebble.EventListener {
	return &pebble.EventListener{
		BackgroundError: func(err error) {
			s.mu.Lock()
			s.bgErr = err
			stalled := s.stalled
			s.mu.Unlock()
			s.l.Error("background: "+err.Error(), "component", "pebble", "index", s.dir)
			if stalled {
				s.fail(fmt.Sprintf("writes are waiting for a flush that failed: %v", err))
			}
		},
		FlushEnd: func(info pebble.FlushInfo) {
			if info.Err == nil {
				s.mu.Lock()
				s.bgErr = nil
				s.mu.Unlock()
				s.flushed.Store(true)
			}
		},
		DataCorruption: func(info pebble.DataCorruptionInfo) {
			s.l.Error("corrupt data: "+info.String(), "component", "pebble", "index", s.dir)
		},
		// Writes stall when memtables wait for a flush; a stall behind a
		// flush that failed (a full disk) does not end by itself.
		WriteStallBegin: func(info pebble.WriteStallBeginInfo) {
			s.mu.Lock()
			s.stalled = true
			bg := s.bgErr
			s.mu.Unlock()
			if bg != nil {
				s.fail(fmt.Sprintf("writes stalled (%s) behind a flush that failed: %v", info.Reason, bg))
			}
		},
		WriteStallEnd: func() {
			s.mu.Lock()
			s.stalled = false
			s.mu.Unlock()
		},
	}
}

// The top level's compaction thresholds, in tables, for bulk adds
// (Options.Compactions 0). A bulk add's commit is a flushable batch that
// becomes a table of the top level (L0) of its own, about 10 MB for 2,000
// documents, and every posting key is spread over the whole key space, so
// each compaction of L0 rewrites all of the level below it, and the
// level below is rewritten once for every so many tables added: raising
// the threshold cuts that part of a bulk add's writes in proportion.
// Pebble starts a compaction of L0 once its depth in tables reaches half
// of L0CompactionThreshold (its score is twice the depth over the
// threshold). Gathering 16 tables, not 4, wrote 1.3-1.5 GB instead of 1.7
// GB for 100,000 documents, and the ingest took 28.2-31.3 CPU-seconds
// instead of 32.7-33.5 (alternated runs on a busy machine; BENCHMARKS.md);
// at 100,000 documents of gen100k (index.Ingest, alternated, 2026-12-02)
// 32 instead of 16 wrote 0.93-1.2 GB instead of 1.2-1.5 GB (1-2
// compactions instead of 3-5), 21.2-23.0 CPU-seconds instead of
// 25.3-26.4, and 48 instead of 32 wrote 0.98 GB instead of 1.2 (one
// compaction instead of two), 20.2 CPU-seconds instead of 22.6-22.9. The
// cost is reads through more tables (each behind its bloom filters) until
// a compaction: about 23 after that add instead of 9-10 (a query of the
// command line took 0.03 s either way), and a server, which opens with 4,
// compacts them first. Writes stop at three times the threshold, so that
// a compaction that is slow to finish does not stall them.
const (
	bulkL0Compaction = 48
	bulkL0Stop       = 144
)

// ServingCompactions is the Compactions bound for an index that answers
// queries while it is written: half the cores, at least one. Two
// compactions at once took both of 2 cores and held p99 at 14 ms in half
// the runs of a 1M-document load test, against 7-8 ms with one
// (BENCHMARKS.md); bulk adds, with no queries to starve, keep the default.
func ServingCompactions() int { return max(1, runtime.GOMAXPROCS(0)/2) }
