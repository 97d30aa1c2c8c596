// The on-disk layout: one Pebble key space cut by a one-byte prefix.
//
//	\x00v              format version and parameters (JSON)
//	\x00c              counters: next document number, documents, text bytes, words, commits
//	i <id>             internal document number (8 bytes, big-endian)
//	m <num>            metadata: ID, date, source, URL, sizes
//	t <num>            the text, exactly as added (absent with NoText)
//	s <num>            the sorted shingle set (only with NoText; otherwise it is recomputed from the text)
//	k <num>            the document's band keys then anchor keys: what Delete must remove
//	b <band> <num>     band posting: a query scans the prefix b <band>
//	a <anchor> <num>   anchor posting: a rare n-gram, for passages
//	\x00y              stories: the mark of the clusterer state saved in the file stories.state
//	                   beside the store, and its size (stories.go)
//	r <num>            stories: the document's story number
//	g <story> <num>    stories: a story's document, with its date, source and ID
//	z <num>            stories: a document the saved state does not hold yet, kept for
//	                   replay after its text is gone (deleted, replaced, or never kept)
//
// Documents get an internal number from a counter that only grows, so a
// replaced document's stale postings can never be mistaken for its new
// ones, and postings are 17-byte keys with empty values whatever the ID's
// length. Numbers are big-endian so a posting list is sorted by age.
//
// Trade-offs: shingle sets are not stored when the text is, since
// recomputing them from a candidate's text costs a tokenization (tens of
// microseconds) and storing them would double the bytes per document. The
// per-document key list (k) costs 8 bytes a key but makes Delete
// independent of the text and of tokenizer changes. Not done: compression
// of texts beyond Pebble's block compression.

package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// FormatVersion is the on-disk format this package reads and writes.
const FormatVersion = 1

var (
	keyVersion    = []byte("\x00v")
	keyCounters   = []byte("\x00c")
	keyStoryState = []byte("\x00y")
)

const (
	pID      = 'i'
	pMeta    = 'm'
	pText    = 't'
	pShingle = 's'
	pKeys    = 'k'
	pBand    = 'b'
	pAnchor  = 'a'
	pStory   = 'r'
	pMember  = 'g'
	pReplay  = 'z'
)

// params are fixed when an index is created and stored with it.
type params struct {
	Format    int     `json:"format"`
	NGram     int     `json:"ngram"`     // words per shingle
	Perm      int     `json:"perm"`      // MinHash signature length
	Bands     int     `json:"bands"`     // LSH bands
	Rows      int     `json:"rows"`      // rows per band
	Seed      uint64  `json:"seed"`      // hash seed
	Threshold float64 `json:"threshold"` // Jaccard at which two documents are near-duplicates
	Anchor    int     `json:"anchor"`    // words per anchor n-gram
	Window    int     `json:"window"`    // winnowing window, in n-grams
	Text      bool    `json:"text"`      // texts are stored
	// Stories: documents are assigned to stories as they are added. An
	// index made before stories existed reads as false and has none.
	Stories bool `json:"stories,omitempty"`
}

func numKey(prefix byte, num uint64) []byte {
	k := make([]byte, 9)
	k[0] = prefix
	binary.BigEndian.PutUint64(k[1:], num)
	return k
}

func idKey(id string) []byte {
	k := make([]byte, 1+len(id))
	k[0] = pID
	copy(k[1:], id)
	return k
}

func postingKey(prefix byte, h, num uint64) []byte {
	k := make([]byte, 17)
	k[0] = prefix
	binary.BigEndian.PutUint64(k[1:], h)
	binary.BigEndian.PutUint64(k[9:], num)
	return k
}

// counters are kept in memory and written with every batch. Commits
// counts the batches, so that a view of the store says which commit it
// ends at (the query overlay, overlay.go); it came after the other four,
// and an index written before it reads as 0 (older code ignores it).
type counters struct {
	Next, Docs, TextBytes, Words, Commits uint64
}

func (c counters) encode() []byte {
	b := make([]byte, 0, 5*binary.MaxVarintLen64)
	for _, v := range []uint64{c.Next, c.Docs, c.TextBytes, c.Words, c.Commits} {
		b = binary.AppendUvarint(b, v)
	}
	return b
}

func decodeCounters(b []byte) (counters, error) {
	var v [5]uint64
	for i := range v {
		if i == 4 && len(b) == 0 {
			break
		}
		x, n := binary.Uvarint(b)
		if n <= 0 {
			return counters{}, errors.New("index: corrupt counters")
		}
		v[i], b = x, b[n:]
	}
	return counters{Next: v[0], Docs: v[1], TextBytes: v[2], Words: v[3], Commits: v[4]}, nil
}

// meta is what the index keeps of a document besides its text.
type meta struct {
	ID, Date, Source, URL string
	Start                 int // where content begins in the text (after a date header)
	Bytes, Words          int
	Shingles              int
}

func (m *meta) encode() []byte {
	b := make([]byte, 0, 32+len(m.ID)+len(m.Date)+len(m.Source)+len(m.URL))
	b = append(b, 1) // meta encoding version
	for _, s := range []string{m.ID, m.Date, m.Source, m.URL} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, v := range []int{m.Start, m.Bytes, m.Words, m.Shingles} {
		b = binary.AppendUvarint(b, uint64(v))
	}
	return b
}

var errCorrupt = errors.New("index: corrupt document metadata")

func decodeMeta(b []byte) (meta, error) {
	if len(b) == 0 || b[0] != 1 {
		return meta{}, errCorrupt
	}
	b = b[1:]
	var s [4]string
	for i := range s {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return meta{}, errCorrupt
		}
		s[i], b = string(b[k:k+int(n)]), b[k+int(n):]
	}
	var v [4]int
	for i := range v {
		x, k := binary.Uvarint(b)
		if k <= 0 || x > 1<<40 {
			return meta{}, errCorrupt
		}
		v[i], b = int(x), b[k:]
	}
	return meta{ID: s[0], Date: s[1], Source: s[2], URL: s[3], Start: v[0], Bytes: v[1], Words: v[2], Shingles: v[3]}, nil
}

func putUint64s(vs []uint64) []byte {
	b := make([]byte, 8*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint64(b[8*i:], v)
	}
	return b
}

func getUint64s(b []byte) []uint64 {
	vs := make([]uint64, len(b)/8)
	for i := range vs {
		vs[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return vs
}

// MaxIDBytes is the longest document ID the index accepts.
const MaxIDBytes = 1024

// MaxTextBytes is the largest text the index accepts.
const MaxTextBytes = 64 << 20

// checkDoc says why a document cannot be added, or nil.
func checkDoc(id string, text string) error {
	switch {
	case id == "":
		return errors.New("empty ID")
	case len(id) > MaxIDBytes:
		return fmt.Errorf("ID longer than %d bytes", MaxIDBytes)
	case !utf8.ValidString(id):
		return errors.New("ID is not valid UTF-8")
	case len(text) > MaxTextBytes:
		return fmt.Errorf("text larger than %d bytes", MaxTextBytes)
	case !utf8.ValidString(text):
		return errors.New("text is not valid UTF-8")
	}
	return nil
}
