// Reading single documents and the index's statistics. Counts come from
// the counters every batch writes, so Stats costs no scan; the size on
// disk is Pebble's own account of its files.

package index

import (
	"context"
)

// Document is a stored document as Get returns it.
type Document struct {
	ID     string `json:"id"`
	Date   string `json:"date,omitempty"`
	Source string `json:"source,omitempty"`
	URL    string `json:"url,omitempty"`
	Bytes  int    `json:"bytes"`
	Words  int    `json:"words"`
	Start  int    `json:"start,omitempty"` // where content begins in Text (after a date header)
	Text   string `json:"text,omitempty"`  // absent when the index keeps no text
}

// Get returns the document with this ID, or an error wrapping ErrNotFound.
func (ix *Index) Get(ctx context.Context, id string) (*Document, error) {
	if err := ix.enter(); err != nil {
		return nil, err
	}
	defer ix.leave()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var d *Document
	err := ix.guard(func() error {
		snap := ix.db.NewSnapshot()
		defer snap.Close()
		num, m, err := ix.lookup(snap, id)
		if err != nil {
			return err
		}
		d = &Document{ID: m.ID, Date: m.Date, Source: m.Source, URL: m.URL, Bytes: m.Bytes, Words: m.Words, Start: m.Start}
		if ix.p.Text {
			if d.Text, err = ix.getText(snap, num); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Stats describe an index. Three sizes, which are not the same thing:
// TextBytes is what was added (the documents' texts), DiskBytes is what the
// store's live files hold by Pebble's own account (tables, write-ahead log,
// manifest), and a file-system tool such as du counts disk blocks, files
// awaiting deletion and preallocated log space too, so it usually shows
// more.
type Stats struct {
	Dir         string  `json:"dir,omitempty"` // the index directory; servers leave it out
	Format      int     `json:"format_version"`
	Documents   uint64  `json:"documents"`
	TextBytes   uint64  `json:"text_bytes"` // the documents' texts as added
	Words       uint64  `json:"words"`
	DiskBytes   uint64  `json:"disk_bytes"` // the store's live files, by Pebble's account
	BytesPerDoc float64 `json:"disk_bytes_per_document"`
	Text        bool    `json:"text_stored"`
	Threshold   float64 `json:"threshold"`
	NGram       int     `json:"ngram"`
	Perm        int     `json:"perm"`
	Bands       int     `json:"bands"`
	Rows        int     `json:"rows"`
	Anchor      int     `json:"anchor_ngram"`
	Window      int     `json:"anchor_window"`
	// Stories is true when documents are assigned to stories. StoryState
	// is the size of the saved clusterer state, StoryPending the documents
	// added since it was saved (replayed when the index is next loaded).
	Stories      bool   `json:"stories"`
	StoryState   uint64 `json:"story_state_bytes,omitempty"`
	StoryPending uint64 `json:"story_pending,omitempty"`
}

// Add adds o's counts and sizes to s, as for the shards of one index; the
// parameters are kept from s (shards of one index share them).
func (s *Stats) Add(o Stats) {
	s.Documents += o.Documents
	s.TextBytes += o.TextBytes
	s.Words += o.Words
	s.DiskBytes += o.DiskBytes
	s.StoryState += o.StoryState
	s.StoryPending += o.StoryPending
	s.BytesPerDoc = 0
	if s.Documents > 0 {
		s.BytesPerDoc = float64(s.DiskBytes) / float64(s.Documents)
	}
}

// Stats returns the index's statistics.
func (ix *Index) Stats(ctx context.Context) (Stats, error) {
	if err := ix.enter(); err != nil {
		return Stats{}, err
	}
	defer ix.leave()
	if err := ctx.Err(); err != nil {
		return Stats{}, err
	}
	ix.cmu.Lock()
	c := ix.c
	ix.cmu.Unlock()
	s := Stats{Dir: ix.dir, Format: ix.p.Format, Documents: c.Docs, TextBytes: c.TextBytes, Words: c.Words,
		DiskBytes: ix.db.Metrics().DiskSpaceUsage(), Text: ix.p.Text, Threshold: ix.p.Threshold,
		NGram: ix.p.NGram, Perm: ix.p.Perm, Bands: ix.p.Bands, Rows: ix.p.Rows, Anchor: ix.p.Anchor, Window: ix.p.Window,
		Stories: ix.p.Stories}
	if ix.p.Stories {
		ix.sto.mu.RLock()
		s.StoryState, s.StoryPending = ix.sto.mark.Bytes, c.Next-min(c.Next, ix.sto.mark.Next)
		ix.sto.mu.RUnlock()
	}
	if c.Docs > 0 {
		s.BytesPerDoc = float64(s.DiskBytes) / float64(c.Docs)
	}
	return s, nil
}

// Flush writes the memtable out to sorted tables, so that DiskBytes counts
// what the write-ahead log alone held. Nothing needs it for safety.
func (ix *Index) Flush() error {
	if err := ix.enter(); err != nil {
		return err
	}
	defer ix.leave()
	return ix.guard(ix.db.Flush)
}
