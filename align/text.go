// The content-word view of a document, for the paraphrase level: each word
// reduced to the hash of its Snowball (Porter 2) English stem, stopwords
// and numbers dropped, and the token stream cut into sentences.
//
// Stems let "bombed", "bombing" and "bombardments" meet; dropping stopwords
// and numbers keeps the similarity of two sentences about what they say,
// not about "the" and "of" or a shared year. A sentence ends where the text
// between two words holds '.', '!', '?' or a blank line. Sentences with
// fewer than minSentTerms content words are joined to the next (a heading,
// "Mr.", a list number), and runs longer than maxSentWords words are cut,
// so that text without punctuation still comes in comparable units.
//
// Cost: one stem per distinct word of the corpus (a process-wide cache of
// at most a million words, and a per-document memo in front of it), a few
// µs each, and 8 bytes a word for the term array. Deliberately not
// done: languages other than English; words there are still compared by
// their normalized form, unstemmed.

package align

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kljensen/snowball/english"
	"github.com/reprint/reprint/token"
	"github.com/zeebo/xxh3"
)

const (
	minSentTerms = 3  // a sentence with fewer content words joins the next
	maxSentWords = 60 // longer runs without a sentence end are cut here
)

// sentence is one unit of the paraphrase level: a token range and its
// content terms (indexes into the document's vocab), distinct and sorted,
// with their counts.
type sentence struct {
	t0, t1 int
	terms  []int32
	tf     []float64
}

// textDoc is a document's content-word view. Terms are numbered per
// document (vocab) and kept in hash order, with a Bloom filter, so that
// aligning two documents finds their shared terms by one pass over one
// order probing the other's filter (no lookup per occurrence), and the
// postings of each term (the sentences holding it)
// are built once, not once per pair.
type textDoc struct {
	sents []sentence
	vocab []uint64 // distinct term hashes
	// The vocab's hashes in increasing order, and the vocab index of each:
	// two arrays, not one of pairs, since a pair reads the other side's
	// hashes from memory that is not in cache, and its indexes only for the
	// few terms the two share.
	byHash []uint64
	idxOf  []int32
	filter bloom // of vocab
	// Each sentence's count of terms, apart from the sentences: a pair
	// reads it for many sentences of the other document to rule them out
	// (Dice) before it reads any of them, 16 to a cache line, not one.
	nterms []int32
	df     []int32 // sentences holding each vocab term
	// postings of vocab term k: sentences post[start[k]:start[k+1]]
	// (a term's count in a sentence is the sentence's to tell).
	start []int32
	post  []int32
}

// newTextDoc builds the content-word view of toks, cut from text, and
// returns with it each token's vocab index + 1 (0 for none), from which
// PrepareKeyed makes the document's content keys.
func newTextDoc(text string, toks []token.Token) (*textDoc, []int32) {
	// terms[k] is token k's vocab index + 1, 0 for none. Words are known
	// by their token hash (the hash of the normalized word), so a word
	// seen before in this document costs one map lookup; a new word is
	// looked up in the stem cache, and only a word new to the process is
	// lower-cased and stemmed. Words with one stem share a vocab entry.
	terms := make([]int32, len(toks))
	d := &textDoc{}
	tabs := tablePool.Get().(*docTables)
	defer tablePool.Put(tabs)
	memo, index := &tabs.memo, &tabs.index // token hash -> vocab index + 1, or 0; term hash -> vocab index + 1
	// Sized so that they do not grow: a document's distinct words are
	// usually below half of its words.
	memo.reset(len(toks) / 2)
	index.reset(len(toks) / 2)
	for k, t := range toks {
		if t.Start < 0 || t.End > len(text) || t.Start >= t.End {
			continue
		}
		v, ok := uint64(0), false
		if t.Hash != 0 {
			v, ok = memo.get(t.Hash)
		}
		if !ok {
			h := stems.get(t.Hash, text[t.Start:t.End])
			if h != 0 { // term hashes are never 0
				if v, ok = index.get(h); !ok {
					d.vocab = append(d.vocab, h)
					v = uint64(len(d.vocab))
					index.put(h, v)
				}
			}
			if t.Hash != 0 {
				memo.put(t.Hash, v)
			}
		}
		terms[k] = int32(v)
	}
	start, content := 0, 0
	var scratch []int32
	// The sentences' terms and counts are cut from two arrays of the
	// document's size, not allocated two per sentence.
	nc := 0
	for _, v := range terms {
		if v != 0 {
			nc++
		}
	}
	ar := arena{terms: make([]int32, 0, nc), tf: make([]float64, 0, nc)}
	flush := func(end int) {
		if end > start {
			var sent sentence
			sent, scratch = makeSentence(start, end, terms, scratch, &ar)
			d.sents = append(d.sents, sent)
		}
		start, content = end, 0
	}
	for k := range toks {
		if k > start && (content >= minSentTerms && sentenceBreak(text, toks[k-1].End, toks[k].Start) || k-start >= maxSentWords) {
			flush(k)
		}
		if terms[k] != 0 {
			content++
		}
	}
	if start < len(toks) {
		if content < minSentTerms && len(d.sents) > 0 {
			// A short tail joins the sentence before it.
			last := d.sents[len(d.sents)-1]
			d.sents = d.sents[:len(d.sents)-1]
			start = last.t0
		}
		flush(len(toks))
	}
	sorted := sortedAnchorsIn(d.vocab, &tabs.sorted, &tabs.tmp) // the vocabulary's hashes are distinct; copied out below
	d.filter = newBloom(sorted)
	d.byHash, d.idxOf = make([]uint64, len(sorted)), make([]int32, len(sorted))
	for k, a := range sorted {
		d.byHash[k], d.idxOf[k] = a.h, a.p
	}
	d.nterms = make([]int32, len(d.sents))
	for i, s := range d.sents {
		d.nterms[i] = int32(len(s.terms))
	}
	d.df = make([]int32, len(d.vocab))
	for _, s := range d.sents {
		for _, t := range s.terms {
			d.df[t]++
		}
	}
	d.start = make([]int32, len(d.vocab)+1)
	for k, n := range d.df {
		d.start[k+1] = d.start[k] + n
	}
	d.post = make([]int32, d.start[len(d.vocab)])
	fill := append(tabs.fill[:0], d.start[:len(d.vocab)]...)
	tabs.fill = fill
	for i, s := range d.sents {
		for _, t := range s.terms {
			d.post[fill[t]] = int32(i)
			fill[t]++
		}
	}
	return d, terms
}

// docTables are the lookup tables of building one document's view,
// pooled: a collection builds thousands.
type docTables struct {
	memo, index termTable
	// The vocabulary sorted by hash, the sort's second buffer and the
	// postings' fill pointers: read while the document is built, not kept.
	sorted, tmp []anchorPos
	fill        []int32
}

var tablePool = sync.Pool{New: func() any { return new(docTables) }}

// stemCache remembers the term hash of words, by token hash, across documents:
// a corpus's words follow Zipf's law, so after a few documents nearly every
// word is a hit, and stemming (the paraphrase level's main cost) is paid
// once per distinct word. It stops growing at stemCacheMax words, so a
// stream of junk tokens cannot exhaust memory; past that, misses are
// stemmed every time.
//
// The cache is cut into shards by the key's top bits, each an
// open-addressing table (hashtab.go) that readers probe without a lock,
// with its writers' lock on its own cache line: with one lock, the
// workers' read locks bounced one line between the cores, and with a Go
// map per shard behind a read lock, the lookups (a cache miss each, two
// for a map) were half of building a document's content-word view.
type stemCache struct {
	shards [stemShards]stemShard
}

type stemShard struct {
	mu  sync.Mutex
	tab atomic.Pointer[syncTable] // token hash -> term hash
	_   [48]byte                  // the next shard's lock on another cache line
}

const (
	stemCacheMax = 1 << 20
	stemShards   = 64
)

var stems = newStemCache()

func newStemCache() *stemCache {
	c := &stemCache{}
	for k := range c.shards {
		c.shards[k].tab.Store(newSyncTable(64))
	}
	return c
}

// get returns the term hash of word w, whose token hash is key. The stem
// is taken from the word as the tokenizer normalized it to hash it (NFKC,
// case folding, punctuation folding), so that it is a function of the key:
// two spellings with one token hash ("ﬁnd" and "find", "Straße" and
// "strasse") get one stem whichever of them a worker meets first, and the
// cache's contents, and every key made from them, do not depend on the
// order in which workers fill it. (Key 0, which marks an empty slot, is
// stemmed every time.)
func (c *stemCache) get(key uint64, w string) uint64 {
	sh := &c.shards[key>>58]
	if key != 0 {
		if h, ok := sh.tab.Load().get(key); ok {
			return h
		}
	}
	tz := normalizers.Get().(*token.Tokenizer)
	h := termHash(tz.Normalize(w))
	normalizers.Put(tz)
	if key == 0 {
		return h
	}
	sh.mu.Lock()
	t := sh.tab.Load()
	if _, ok := t.get(key); !ok && t.n < stemCacheMax/stemShards {
		if t.full() {
			t = t.grown()
			sh.tab.Store(t)
		}
		t.put(key, h)
	}
	sh.mu.Unlock()
	return h
}

// normalizers are tokenizers for Normalize on a cache miss (a Tokenizer
// keeps buffers and is not safe for concurrent use).
var normalizers = sync.Pool{New: func() any { return token.New() }}

// termHash is the hash of a lower-cased word's stem, 0 for a stopword or a
// word without a letter.
func termHash(w string) uint64 {
	letter := false
	for _, r := range w {
		if r >= 'a' && r <= 'z' || r > 0x7f {
			letter = true
			break
		}
	}
	if !letter || len(w) < 2 || english.IsStopWord(w) {
		return 0
	}
	h := xxh3.HashString(english.Stem(w, false))
	if h == 0 {
		h = 1
	}
	return h
}

// sentenceBreak reports whether the text between two words ends a sentence.
func sentenceBreak(text string, from, to int) bool {
	if from < 0 || to > len(text) || from >= to {
		return false
	}
	// One scan of the bytes (the gap between two words is mostly one
	// space): '.', '!' or '?' anywhere, or a blank line ("\n\n" or
	// "\n\r\n"). The marks are ASCII, so no byte of a longer UTF-8
	// character is taken for one.
	gap := text[from:to]
	for i := 0; i < len(gap); i++ {
		switch gap[i] {
		case '.', '!', '?':
			return true
		case '\n':
			if rest := gap[i+1:]; strings.HasPrefix(rest, "\n") || strings.HasPrefix(rest, "\r\n") {
				return true
			}
		}
	}
	return false
}

// arena is where a document's sentences keep their terms and counts.
type arena struct {
	terms []int32
	tf    []float64
}

// makeSentence collects the terms of tokens t0..t1 (vocab index + 1, 0
// for none) into ar; ts is scratch, returned for reuse.
func makeSentence(t0, t1 int, terms []int32, ts []int32, ar *arena) (sentence, []int32) {
	ts = ts[:0]
	for _, t := range terms[t0:t1] {
		if t != 0 {
			ts = append(ts, t-1)
		}
	}
	slices.Sort(ts)
	from := len(ar.terms)
	for k := 0; k < len(ts); {
		e := k + 1
		for e < len(ts) && ts[e] == ts[k] {
			e++
		}
		// Past the arena's capacity append moves it; the sentences cut
		// before keep the old array.
		ar.terms = append(ar.terms, ts[k])
		ar.tf = append(ar.tf, float64(e-k))
		k = e
	}
	n := len(ar.terms)
	return sentence{t0: t0, t1: t1, terms: ar.terms[from:n:n], tf: ar.tf[from:n:n]}, ts
}
