// Stories in the index: every document added is assigned to a story (the
// reports of one event, package stories) by one stream clusterer, in the
// order documents are added; queries say which story a text would join,
// and stories can be listed and read.
//
// What is stored, and when. Each document's story goes into the same
// synced batch as the document: r <num> (its story number) and
// g <story> <num> (the story's member list, with the document's date,
// source and ID, so that a story's timeline is one prefix scan). The
// clusterer's own state (document frequencies, centroids, inverted index;
// stories.Clusterer.Save) is too large to rewrite with every batch, so it
// is saved now and then to the file stories.state beside the store, with
// the mark of the documents it holds (those numbered below it): after an
// add, when the documents added since the last save reach a quarter of
// all the clusterer has seen (and at least 10,000), and on Close when at
// least 1,000 were (below that, the next load replays them: cheaper than
// rewriting the whole state for a small add on the command line). The
// file, not the store, holds it because it is rewritten whole: in the
// store, every save left its predecessor to compaction, which doubled the
// store's size on disk and cost a quarter of the ingest's CPU at 100,000
// documents. A save writes stories.state.tmp, syncs it and renames it over
// the old file (atomic), then commits the new mark to the store; a crash
// in between leaves a file newer than the store's mark, which is fine (the
// file's own mark says what it holds); a file older than the store's mark,
// or none when the store says there is one, is an error (ErrCorrupt), never
// a silent reset of the story IDs.
//
// Opening loads the file and replays, in number order, the documents added
// after its mark, which gives exactly the state a clusterer that never
// stopped would have (the stream is deterministic), so story IDs go on as
// if the index had never closed, after a crash too. Replay reads a
// document's stored text; a document that was deleted or replaced before
// the next save, or every document of an index without texts, leaves a
// replay record (z <num>: metadata and text) until that save.
//
// Order. The clusterer must see documents in number order, so an add with
// stories holds the stories lock from its analysis to its commit: adds
// queue on it (a concurrent add would otherwise number its documents in
// between). Inside one add, the single pass runs on its own goroutine,
// taking each document as soon as the parallel analysis has tokenized it,
// so it overlaps the analysis instead of following it.
//
// Costs. On add: the story terms, from the tokens the index's analysis
// made (no second tokenization; in parallel with the analysis), and the
// single pass (sequential, overlapping the analysis): at 100,000 of
// reprint-gen's documents an add with stories took 34 CPU seconds
// against 16.6 without, on 2 cores shared with other work (load average
// 10-12, which inflates both; 40 against 17.7 before the pass and the
// term extraction were arranged around cache misses, 2026-12-01: see
// package stories), the pass about 65 µs a document, most of it the
// candidate scan and the cosines, the terms 17 µs in parallel; some of
// the difference is Pebble's compaction, which does more while a longer
// add runs; about 60 bytes a document in r and g; and the saved state, about 650
// bytes a document on reprint-gen's corpus (most documents a story of their
// own) and 320 on gen's story corpus, written about five times over in all
// (each save rewrites it whole, at geometric intervals). In memory: the
// clusterer, about one and a half times the saved state. On open: nothing
// until a story is asked for; then the load (about 0.5 s for 65 MB) and
// the replay of at most a quarter of the documents after a crash, fewer
// than 1,000 after a clean Close. On query: the story terms from the
// query's tokens and the candidate scan under the stories lock (0.29 ms
// of a 1,000-word query at a million documents, about a tenth of it, 0.48
// ms before 2026-12-01), then one prefix scan of the story's members.
//
// Deleting a document takes it out of its story's member list; the
// story's centroid and the document frequencies keep what it contributed
// (a stream cannot take a document back out), so a story whose documents
// are all deleted can still be joined by a new document, and its ID is
// not reused. Replacing a document is a delete and an add: the new version
// is assigned afresh.
//
// Not done: topics (grouping all stories into topics is a pass over every
// centroid; the batch command does it); stories for an index made before
// stories existed (its parameters say so; it has none).

package index

import (
	"bufio"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"slices"
	"sync"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/stories"
	"github.com/reprint/reprint/token"
)

// storyNotFound is the error for a story ID that names no story with
// documents; it wraps ErrNotFound.
type storyNotFound string

func (e storyNotFound) Error() string {
	return fmt.Sprintf("no story %q here (story IDs are s1, s2, ...; a story whose documents were all deleted is gone)", string(e))
}

func (e storyNotFound) Is(target error) bool { return target == ErrNotFound }

// ErrNoStories is returned by the story calls of an index that keeps no
// stories (created with Options.NoStories, or before stories existed).
var ErrNoStories = errors.New("this index keeps no stories (it was created with --no-stories, or before stories existed; add its documents to a new index)")

const (
	saveFraction    = 4       // a save in an add needs 1/saveFraction of all the clusterer has seen pending
	maxStoryMembers = 100000  // members read for one story (the rest are counted)
	maxStoryScan    = 1 << 20 // member keys a listing reads before it returns a cursor
)

// saveMinPending is how many documents an add must have added since the
// last save before it saves, closeMinPending the same for Close; variables
// so that tests can change them.
var (
	saveMinPending  uint64 = 10000
	closeMinPending uint64 = 1000
)

// stateMark says what the saved stories state holds.
type stateMark struct {
	Next  uint64 // the first document number the state does not hold
	Bytes uint64 // the state file's size
}

func (m stateMark) encode() []byte {
	return binary.AppendUvarint(binary.AppendUvarint(nil, m.Next), m.Bytes)
}

func decodeStateMark(b []byte) (stateMark, error) {
	var v [2]uint64
	for i := range v {
		x, n := binary.Uvarint(b)
		if n <= 0 {
			return stateMark{}, fmt.Errorf("unreadable stories state mark: %w", ErrCorrupt)
		}
		v[i], b = x, b[n:]
	}
	return stateMark{Next: v[0], Bytes: v[1]}, nil
}

// storyState is the index's clusterer. mu guards all of it; adds are
// ordered by the index's addOrder (add.go), whose pass turn an add holds
// from its story pass to its commit and, when a save may be due, until
// the save has read the clusterer.
// Locks are taken in the order the writer lock, mu. Whatever only reads
// the clusterer (a query's Nearest and Story, a save) holds mu for
// reading, so queries look their stories up at once, and while the state
// is saved; an add holds it for writing one document at a time.
type storyState struct {
	mu       sync.RWMutex
	c        *stories.Clusterer // nil until needed, and after a failed commit
	gen      uint64             // counts the clusterers dropped after a failed commit
	planned  uint64             // the next document number once every add that passed has committed
	mark     stateMark          // as committed
	saving   uint64             // the Next of the last save begun (a failed one gives it back)
	saveMu   sync.Mutex         // held by the save in progress
	replayed int                // documents replayed by the last load
}

// stateFile is the name of the saved clusterer state in the index directory.
const stateFile = "stories.state"

// stateMagic opens the state file; the format's version is its last byte.
const stateMagic = "RPIXST\x00\x01"

var crcTable = crc32.MakeTable(crc32.Castagnoli)

func (ix *Index) loadStoryMark() error {
	v, cl, err := ix.db.Get(keyStoryState)
	if err != nil {
		return fmt.Errorf("stories state: %w", err)
	}
	defer cl.Close()
	ix.sto.mark, err = decodeStateMark(v)
	return err
}

func memberKey(story, num uint64) []byte {
	k := make([]byte, 13)
	k[0] = pMember
	binary.BigEndian.PutUint32(k[1:], uint32(story))
	binary.BigEndian.PutUint64(k[5:], num)
	return k
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func readString(b []byte) (string, []byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return "", nil, false
	}
	return string(b[k : k+int(n)]), b[k+int(n):], true
}

// memberValue is what g <story> <num> holds: date, source, ID.
func memberValue(m *meta) []byte {
	b := make([]byte, 0, 8+len(m.Date)+len(m.Source)+len(m.ID))
	return appendString(appendString(appendString(b, m.Date), m.Source), m.ID)
}

func decodeMember(b []byte) (StoryDoc, bool) {
	var d StoryDoc
	var ok bool
	if d.Date, b, ok = readString(b); !ok {
		return d, false
	}
	if d.Source, b, ok = readString(b); !ok {
		return d, false
	}
	d.ID, _, ok = readString(b)
	return d, ok
}

// replayRecord is what z <num> holds: the metadata and the text.
func replayRecord(m *meta, text string) []byte {
	me := m.encode()
	b := binary.AppendUvarint(make([]byte, 0, 8+len(me)+len(text)), uint64(len(me)))
	return append(append(b, me...), text...)
}

// storyTerms extracts a document's story terms. A date that is not
// YYYY-MM-DD (the index takes any string) leaves the document undated for
// stories rather than refusing it.
func storyTerms(d corpus.Doc) *stories.DocTerms {
	dt, err := stories.ExtractTerms(d)
	if err != nil {
		d.Date = ""
		dt, _ = stories.ExtractTerms(d)
	}
	return dt
}

// storyTermsTokens is storyTerms for a document the analysis has
// tokenized: toks are its tokens (analyze's), so the text is not
// tokenized again.
func storyTermsTokens(d corpus.Doc, toks []token.Token) *stories.DocTerms {
	dt, err := stories.ExtractTermsTokens(d, toks)
	if err != nil {
		d.Date = ""
		dt, _ = stories.ExtractTermsTokens(d, toks)
	}
	return dt
}

// clusterer returns the loaded clusterer, loading it (the saved state,
// then the replay) when needed. ix.sto.mu must be held.
func (ix *Index) clusterer() (*stories.Clusterer, error) {
	if ix.sto.c != nil {
		return ix.sto.c, nil
	}
	snap := ix.db.NewSnapshot()
	defer snap.Close()
	mv, err := getString(snap, keyStoryState)
	if err != nil {
		return nil, fmt.Errorf("index %s: stories state mark: %w", ix.dir, err)
	}
	mark, err := decodeStateMark([]byte(mv))
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", ix.dir, err)
	}
	cv, err := getString(snap, keyCounters)
	if err != nil {
		return nil, fmt.Errorf("index %s: counters: %w", ix.dir, err)
	}
	cnt, err := decodeCounters([]byte(cv))
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", ix.dir, err)
	}
	c, next, err := ix.readStateFile(mark)
	if err != nil {
		return nil, fmt.Errorf("index %s: loading the stories state %s: %v: %w", ix.dir, stateFile, err, ErrCorrupt)
	}
	replayed := 0
	for num := next; num < cnt.Next; num++ {
		d, ok, err := ix.replayDoc(snap, num)
		if err != nil {
			return nil, err
		}
		if ok {
			c.AddTerms(storyTerms(d))
			replayed++
		}
	}
	ix.sto.c, ix.sto.replayed = c, replayed
	return c, nil
}

// readStateFile reads the saved state, checking it against the store's
// mark, and returns it with the first document number it does not hold.
// Never saved (mark 1, no file): a new clusterer.
func (ix *Index) readStateFile(mark stateMark) (*stories.Clusterer, uint64, error) {
	path := ix.fs.PathJoin(ix.dir, stateFile)
	f, err := ix.fs.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		if mark.Next > 1 {
			return nil, 0, fmt.Errorf("the file is missing, and the store says it holds the stories of documents 1 to %d (restore it from where the index was copied)", mark.Next-1)
		}
		c, err := stories.NewClusterer(stories.Options{})
		return c, 1, err
	}
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	size := st.Size()
	var head [len(stateMagic) + binary.MaxVarintLen64]byte
	if size < int64(len(head))+12 {
		return nil, 0, errors.New("truncated")
	}
	if _, err := f.ReadAt(head[:], 0); err != nil {
		return nil, 0, err
	}
	if string(head[:len(stateMagic)]) != stateMagic {
		return nil, 0, errors.New("not a stories state file of this version")
	}
	next, k := binary.Uvarint(head[len(stateMagic):])
	if k <= 0 {
		return nil, 0, errors.New("unreadable mark")
	}
	if next < mark.Next {
		return nil, 0, fmt.Errorf("the file holds documents up to %d, older than the store's mark %d (an old copy?)", next-1, mark.Next-1)
	}
	var foot [12]byte
	if _, err := f.ReadAt(foot[:], size-12); err != nil {
		return nil, 0, err
	}
	body := int64(len(stateMagic) + k)
	n := int64(binary.LittleEndian.Uint64(foot[:8]))
	if n != size-12-body {
		return nil, 0, errors.New("truncated or padded")
	}
	crc := crc32.New(crcTable)
	crc.Write(head[:body])
	c, err := stories.LoadClusterer(io.TeeReader(io.NewSectionReader(f, body, n), crc))
	if err != nil {
		return nil, 0, err
	}
	if crc.Sum32() != binary.LittleEndian.Uint32(foot[8:]) {
		return nil, 0, errors.New("checksum mismatch")
	}
	return c, next, nil
}

// saveStories saves c as holding every document below next: the file
// first (written aside, synced, renamed over the old one, the directory
// synced), then the mark in the store, which drops the replay records the
// file now makes useless. The caller holds the adds' pass turn (or, on
// Close, the life lock) until read is called, so that no add changes c
// while it is read.
//
// read, when not nil, is called as soon as the clusterer has been read
// (written into the file's buffers, before the file is synced): from
// then on the clusterer may change, and an add waiting to assign its
// stories may go on while the state reaches the disk, which for 65 MB
// (100,000 documents) held the single pass up for tenths of a second at
// every save. Saves are one at a time (saveMu); the one in progress
// counts as done for whether another is due (saving), so that the adds
// that go on meanwhile do not start one for the same documents.
func (ix *Index) saveStories(c *stories.Clusterer, next uint64, read func()) error {
	ix.sto.saveMu.Lock()
	defer ix.sto.saveMu.Unlock()
	ix.sto.mu.Lock()
	ix.sto.saving = max(ix.sto.saving, next)
	ix.sto.mu.Unlock()
	err := ix.writeStories(c, next, read)
	if err != nil {
		// Due again by what the store's mark says.
		ix.sto.mu.Lock()
		ix.sto.saving = ix.sto.mark.Next
		ix.sto.mu.Unlock()
	}
	return err
}

// writeStories is saveStories's work: the file, then the mark.
func (ix *Index) writeStories(c *stories.Clusterer, next uint64, read func()) error {
	path := ix.fs.PathJoin(ix.dir, stateFile)
	tmp := path + ".tmp"
	f, err := ix.fs.Create(tmp, vfs.WriteCategoryUnspecified)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	crc := crc32.New(crcTable)
	cw := &countWriter{w: io.MultiWriter(bw, crc)}
	cw.Write(append([]byte(stateMagic), binary.AppendUvarint(nil, next)...))
	head := cw.n
	ix.sto.mu.RLock()
	err = c.Save(cw)
	ix.sto.mu.RUnlock()
	if read != nil {
		read()
	}
	if err == nil {
		var foot [12]byte
		binary.LittleEndian.PutUint64(foot[:8], uint64(cw.n-head))
		binary.LittleEndian.PutUint32(foot[8:], crc.Sum32())
		_, err = bw.Write(foot[:])
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = ix.fs.Rename(tmp, path)
	}
	if err == nil {
		var d vfs.File
		if d, err = ix.fs.OpenDir(ix.dir); err == nil {
			err = d.Sync()
			d.Close()
		}
	}
	if err != nil {
		ix.fs.Remove(tmp)
		return err
	}
	m := stateMark{Next: next, Bytes: uint64(cw.n + 12)}
	err = ix.update(false, func(b *pebble.Batch, _ *counters) error {
		b.DeleteRange(numKey(pReplay, 0), numKey(pReplay, next), nil)
		b.Set(keyStoryState, m.encode(), nil)
		return nil
	})
	if err != nil {
		return err
	}
	ix.sto.mu.Lock()
	ix.sto.mark = m
	ix.sto.mu.Unlock()
	return nil
}

// countWriter counts what goes through it.
type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (w *countWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.w.Write(p)
	w.n += int64(n)
	w.err = err
	return n, err
}

// LoadStories loads the stories clusterer now (the saved state, then the
// replay of the documents added after it), rather than at the first add or
// query that needs it: a server calls it before it listens, so that no
// request waits for the load (after a crash, the replay of up to a quarter
// of the documents). It does nothing for an index without stories.
func (ix *Index) LoadStories() error {
	if err := ix.enter(); err != nil {
		return err
	}
	defer ix.leave()
	if !ix.p.Stories {
		return nil
	}
	return ix.guard(func() error {
		ix.sto.mu.Lock()
		defer ix.sto.mu.Unlock()
		_, err := ix.clusterer()
		return err
	})
}

// replayDoc returns document num as it was added, from its replay record
// or its stored metadata and text; false when neither is there (a
// document an older reprint deleted without leaving a record).
func (ix *Index) replayDoc(snap *pebble.Snapshot, num uint64) (corpus.Doc, bool, error) {
	var m meta
	var text string
	if z, err := getString(snap, numKey(pReplay, num)); err == nil {
		b := []byte(z)
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return corpus.Doc{}, false, fmt.Errorf("index %s: document %d: unreadable replay record: %w", ix.dir, num, ErrCorrupt)
		}
		if m, err = decodeMeta(b[k : k+int(n)]); err != nil {
			return corpus.Doc{}, false, fmt.Errorf("index %s: document %d: unreadable replay record: %w", ix.dir, num, ErrCorrupt)
		}
		text = string(b[k+int(n):])
	} else if !errors.Is(err, pebble.ErrNotFound) {
		return corpus.Doc{}, false, ix.missing(err, num, "replay record")
	} else {
		mv, err := getString(snap, numKey(pMeta, num))
		if errors.Is(err, pebble.ErrNotFound) {
			return corpus.Doc{}, false, nil
		}
		if err != nil {
			return corpus.Doc{}, false, ix.missing(err, num, "metadata")
		}
		if m, err = decodeMeta([]byte(mv)); err != nil {
			return corpus.Doc{}, false, fmt.Errorf("index %s: document %d: unreadable metadata: %w", ix.dir, num, ErrCorrupt)
		}
		if text, err = ix.getText(snap, num); err != nil {
			return corpus.Doc{}, false, err
		}
	}
	if m.Start > len(text) {
		m.Start = 0
	}
	return corpus.Doc{ID: m.ID, Text: text, Start: m.Start, Date: m.Date, Source: m.Source}, true, nil
}

// unassignStory adds to b the removal of document num from its story and,
// when the saved state does not hold it yet, its replay record.
func (ix *Index) unassignStory(b *pebble.Batch, get func([]byte) ([]byte, io.Closer, error), num uint64, m *meta, haveMeta bool) error {
	sv, cl, err := get(numKey(pStory, num))
	switch {
	case err == nil:
		story, k := binary.Uvarint(sv)
		cl.Close()
		if k > 0 {
			b.Delete(memberKey(story, num), nil)
		}
		b.Delete(numKey(pStory, num), nil)
	case !errors.Is(err, pebble.ErrNotFound):
		return fmt.Errorf("index %s: reading document %d's story: %w", ix.dir, num, err)
	}
	ix.sto.mu.RLock()
	held := num < ix.sto.mark.Next
	ix.sto.mu.RUnlock()
	if held || !ix.p.Text || !haveMeta {
		return nil // without texts, the record was written on add
	}
	tv, cl, err := get(numKey(pText, num))
	if err != nil {
		if errors.Is(err, pebble.ErrNotFound) {
			return nil
		}
		return fmt.Errorf("index %s: reading document %d's text: %w", ix.dir, num, err)
	}
	b.Set(numKey(pReplay, num), replayRecord(m, string(tv)), nil)
	cl.Close()
	return nil
}

// saveMayBeDue reports whether the add whose story pass just gave c
// written more documents may have to save the state after its commit,
// counting the documents of the adds that passed before it and have not
// committed yet; it errs towards yes (after a failed add).
func (ix *Index) saveMayBeDue(c *stories.Clusterer, written int) bool {
	ix.cmu.Lock()
	next := ix.c.Next
	ix.cmu.Unlock()
	ix.sto.mu.Lock()
	defer ix.sto.mu.Unlock()
	ix.sto.planned = max(ix.sto.planned, next) + uint64(written)
	pending := ix.sto.planned - min(ix.sto.planned, max(ix.sto.mark.Next, ix.sto.saving))
	return pending >= saveMinPending && pending >= uint64(c.Len()/saveFraction)
}

// saveDue reports whether an add that brought the index to next should
// save the stories state: see the file comment.
func (ix *Index) saveDue(c *stories.Clusterer, next uint64) bool {
	ix.sto.mu.RLock()
	defer ix.sto.mu.RUnlock()
	pending := next - min(next, max(ix.sto.mark.Next, ix.sto.saving))
	return pending >= saveMinPending && pending >= uint64(c.Len()/saveFraction)
}

// saveStoriesOnClose saves the state when at least closeMinPending
// documents were added since the last save. Close calls it holding the life lock, so nothing else runs.
func (ix *Index) saveStoriesOnClose() error {
	if !ix.p.Stories {
		return nil
	}
	ix.sto.mu.RLock()
	c, mark := ix.sto.c, ix.sto.mark
	ix.sto.mu.RUnlock()
	ix.cmu.Lock()
	next := ix.c.Next
	ix.cmu.Unlock()
	if c == nil || next-min(next, mark.Next) < closeMinPending {
		// Nothing was loaded (so nothing changed since the last load), or
		// so little was added that replaying it costs less than a save.
		return nil
	}
	if err := ix.saveStories(c, next, nil); err != nil {
		return fmt.Errorf("index %s: saving the stories state (the next open replays instead): %w", ix.dir, err)
	}
	return nil
}

// StoryDoc is one document of a story.
type StoryDoc struct {
	ID     string `json:"id"`
	Date   string `json:"date,omitempty"`
	Source string `json:"source,omitempty"`
}

// Story is one story of the index: the documents it holds now, in date
// order (undated last, then by ID), with their first and last dates.
type Story struct {
	ID      string     `json:"story"`
	Size    int        `json:"size"`            // documents in the story now
	First   string     `json:"first,omitempty"` // the earliest date of its documents
	Last    string     `json:"last,omitempty"`
	Sources []string   `json:"sources"` // distinct, sorted
	Terms   []string   `json:"terms"`   // the words and names that define it, heaviest first
	Docs    []StoryDoc `json:"docs,omitempty"`
	// DocsCut counts documents beyond the limit, not listed.
	DocsCut int `json:"docs_cut,omitempty"`
}

// QueryStory is the story a query's text would join (without being added)
// or, for a stored document, the story it is in.
type QueryStory struct {
	Story
	// Joined is true when the text would join Story: its cosine with the
	// story's centroid reaches the threshold and its date (when given)
	// lies within the story's window. When false, Story is the closest
	// story, if any shares a term, and the text would start a new one.
	Joined    bool    `json:"joined"`
	Score     float64 `json:"score,omitempty"` // the cosine; absent for a stored document
	Threshold float64 `json:"threshold"`
}

// StoriesQuery asks for a page of stories.
type StoriesQuery struct {
	After   string // list stories after this ID ("" from the first); Next of the previous page
	Limit   int    // stories listed; 0 means 50
	MinDocs int    // leave out stories of fewer documents; 0 means 1
}

// StoryList is a page of stories, in ID order (the order they started).
type StoryList struct {
	Stories []Story `json:"stories"`
	// Next is the After of the next page; absent on the last one.
	Next string `json:"next,omitempty"`
}

// Stories lists the stories that hold at least q.MinDocs documents, in ID
// order, without their documents. An After that is not a story ID is an
// error wrapping ErrInvalidQuery.
func (ix *Index) Stories(ctx context.Context, q StoriesQuery) (*StoryList, error) {
	if err := ix.enter(); err != nil {
		return nil, err
	}
	defer ix.leave()
	if !ix.p.Stories {
		return nil, ErrNoStories
	}
	if q.Limit <= 0 {
		q.Limit = 50
	}
	q.MinDocs = max(q.MinDocs, 1)
	var from uint64
	if q.After != "" {
		n, ok := stories.ParseStoryID(q.After)
		if !ok {
			return nil, fmt.Errorf("%w: after %q is not a story ID (s1, s2, ...)", ErrInvalidQuery, q.After)
		}
		from = uint64(n) + 1
	}
	out := &StoryList{Stories: []Story{}}
	if from > 1<<32-1 {
		return out, nil
	}
	err := ix.guard(func() error {
		snap := ix.db.NewSnapshot()
		defer snap.Close()
		lower := memberKey(from, 0)[:5]
		it, err := snap.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: []byte{pMember + 1}})
		if err != nil {
			return err
		}
		defer it.Close()
		var cur *Story
		var curN uint64
		var dates []string
		scanned := 0
		flush := func() {
			if cur != nil && cur.Size >= q.MinDocs {
				finishStory(cur, dates)
				cur.Docs = nil
				out.Stories = append(out.Stories, *cur)
			}
			cur, dates = nil, dates[:0]
		}
		for ok := it.First(); ok; ok = it.Next() {
			k := it.Key()
			if len(k) != 13 {
				return fmt.Errorf("index %s: a story member key of %d bytes: %w", ix.dir, len(k), ErrCorrupt)
			}
			n := uint64(binary.BigEndian.Uint32(k[1:]))
			if cur == nil || n != curN {
				flush()
				if len(out.Stories) == q.Limit {
					out.Next = out.Stories[len(out.Stories)-1].ID
					return nil
				}
				if scanned >= maxStoryScan {
					// Long runs of small stories: hand back a cursor
					// rather than read the whole index in one request.
					out.Next = stories.StoryID(int(curN))
					return nil
				}
				if ctx.Err() != nil {
					return ctx.Err()
				}
				cur, curN = &Story{ID: stories.StoryID(int(n))}, n
			}
			scanned++
			d, ok := decodeMember(it.Value())
			if !ok {
				return fmt.Errorf("index %s: story %s: unreadable member: %w", ix.dir, cur.ID, ErrCorrupt)
			}
			cur.Size++
			dates = append(dates, d.Date)
			if d.Source != "" && !slices.Contains(cur.Sources, d.Source) {
				cur.Sources = append(cur.Sources, d.Source)
			}
		}
		if err := it.Error(); err != nil {
			return fmt.Errorf("index %s: reading stories: %w", ix.dir, err)
		}
		flush()
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out.Stories) == 0 {
		return out, nil
	}
	if err := ix.addTerms(out.Stories); err != nil {
		return nil, err
	}
	return out, nil
}

// finishStory sorts a story's sources and sets its dates from dates (its
// documents', "" for undated).
func finishStory(s *Story, dates []string) {
	slices.Sort(s.Sources)
	if s.Sources == nil {
		s.Sources = []string{}
	}
	for _, d := range dates {
		if d == "" {
			continue
		}
		if s.First == "" || d < s.First {
			s.First = d
		}
		if d > s.Last {
			s.Last = d
		}
	}
}

// addTerms sets the terms of stories from the clusterer.
func (ix *Index) addTerms(ss []Story) error {
	c, err := ix.readClusterer()
	if err != nil {
		return err
	}
	defer ix.sto.mu.RUnlock()
	for i := range ss {
		info, _ := c.Story(ss[i].ID)
		ss[i].Terms = info.Terms
		if ss[i].Terms == nil {
			ss[i].Terms = []string{}
		}
	}
	return nil
}

// readClusterer returns the clusterer with ix.sto.mu held for reading (the
// caller releases it), loading the clusterer first, under the write lock,
// when it is not loaded; on error nothing is held.
func (ix *Index) readClusterer() (*stories.Clusterer, error) {
	ix.sto.mu.RLock()
	if c := ix.sto.c; c != nil {
		return c, nil
	}
	ix.sto.mu.RUnlock()
	var c *stories.Clusterer
	err := ix.guard(func() (err error) {
		ix.sto.mu.Lock()
		defer ix.sto.mu.Unlock()
		c, err = ix.clusterer()
		return err
	})
	if err != nil {
		return nil, err
	}
	// An add may come in between: the clusterer then holds one more
	// document, as if the query had come after it.
	ix.sto.mu.RLock()
	return c, nil
}

// Story returns the story with this ID and up to limit of its documents
// (0 means 1000), in date order. An ID that names no story with documents
// is an error wrapping ErrNotFound.
func (ix *Index) Story(ctx context.Context, id string, limit int) (*Story, error) {
	if err := ix.enter(); err != nil {
		return nil, err
	}
	defer ix.leave()
	if !ix.p.Stories {
		return nil, ErrNoStories
	}
	n, ok := stories.ParseStoryID(id)
	if !ok {
		return nil, storyNotFound(id)
	}
	if limit <= 0 {
		limit = 1000
	}
	var s *Story
	err := ix.guard(func() error {
		snap := ix.db.NewSnapshot()
		defer snap.Close()
		var err error
		s, err = ix.readStory(ctx, snap, uint64(n), limit)
		return err
	})
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, storyNotFound(id)
	}
	ss := []Story{*s}
	if err := ix.addTerms(ss); err != nil {
		return nil, err
	}
	return &ss[0], nil
}

// readStory reads story n's members from snap: nil when it has none.
func (ix *Index) readStory(ctx context.Context, snap *pebble.Snapshot, n uint64, limit int) (*Story, error) {
	prefix := memberKey(n, 0)[:5]
	upper := memberKey(n+1, 0)[:5]
	if n == 1<<32-1 {
		upper = []byte{pMember + 1}
	}
	it, err := snap.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: upper})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	s := &Story{ID: stories.StoryID(int(n)), Sources: []string{}, Terms: []string{}}
	var docs []StoryDoc
	for ok := it.First(); ok; ok = it.Next() {
		if s.Size%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		s.Size++
		if len(docs) >= maxStoryMembers {
			continue
		}
		d, ok := decodeMember(it.Value())
		if !ok {
			return nil, fmt.Errorf("index %s: story %s: unreadable member: %w", ix.dir, s.ID, ErrCorrupt)
		}
		docs = append(docs, d)
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("index %s: reading story %s: %w", ix.dir, s.ID, err)
	}
	if s.Size == 0 {
		return nil, nil
	}
	slices.SortFunc(docs, func(a, b StoryDoc) int {
		switch {
		case a.Date == b.Date:
		case a.Date == "":
			return 1
		case b.Date == "":
			return -1
		}
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.ID, b.ID))
	})
	dates := make([]string, len(docs))
	for i, d := range docs {
		dates[i] = d.Date
		if d.Source != "" && !slices.Contains(s.Sources, d.Source) {
			s.Sources = append(s.Sources, d.Source)
		}
	}
	finishStory(s, dates)
	if len(docs) > limit {
		docs = docs[:limit]
	}
	s.Docs = docs
	s.DocsCut = s.Size - len(docs)
	return s, nil
}

// queryStory is the story of a query: for a stored document (self > 0),
// the one it is in; for a text, the one it would join.
func (ix *Index) queryStory(ctx context.Context, snap *pebble.Snapshot, q Query, self uint64, start int) (*QueryStory, error) {
	return ix.queryStoryTokens(ctx, snap, q, self, start, nil)
}

// queryStoryTokens is queryStory for a caller that has tokenized the
// query's text already (analyze's tokens of q.Text from start): the story
// terms come from toks instead of a second tokenization. nil toks means
// none were given.
func (ix *Index) queryStoryTokens(ctx context.Context, snap *pebble.Snapshot, q Query, self uint64, start int, toks []token.Token) (*QueryStory, error) {
	qs := &QueryStory{}
	n := -1
	if self > 0 {
		v, err := getString(snap, numKey(pStory, self))
		if err != nil && !errors.Is(err, pebble.ErrNotFound) {
			return nil, ix.missing(err, self, "story")
		}
		if err == nil {
			s, k := binary.Uvarint([]byte(v))
			if k <= 0 || s > 1<<31-1 {
				return nil, fmt.Errorf("index %s: document %d: unreadable story: %w", ix.dir, self, ErrCorrupt)
			}
			n, qs.Joined = int(s), true
		}
	}
	dt := (*stories.DocTerms)(nil)
	if d := (corpus.Doc{ID: "query", Text: q.Text, Start: start, Date: q.Date, Source: q.Source}); self == 0 && toks != nil {
		dt = storyTermsTokens(d, toks)
	} else if self == 0 {
		dt = storyTerms(d)
	}
	c, err := ix.readClusterer()
	if err != nil {
		return nil, err
	}
	qs.Threshold = c.Options().Threshold
	if dt != nil {
		var id string
		id, qs.Score, qs.Joined = c.Nearest(dt)
		qs.Score = round4(qs.Score)
		if id != "" {
			n, _ = stories.ParseStoryID(id)
		}
	}
	ix.sto.mu.RUnlock()
	qs.Sources, qs.Terms = []string{}, []string{}
	if n < 0 {
		return qs, nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	s, err := ix.readStory(ctx, snap, uint64(n), limit)
	if err != nil {
		return nil, err
	}
	if s == nil {
		// Every document of the story was deleted: it can still be joined.
		s = &Story{ID: stories.StoryID(n), Sources: []string{}}
	}
	ix.sto.mu.RLock()
	if info, ok := c.Story(s.ID); ok && info.Terms != nil {
		s.Terms = info.Terms
	}
	ix.sto.mu.RUnlock()
	if s.Terms == nil {
		s.Terms = []string{}
	}
	qs.Story = *s
	return qs, nil
}
