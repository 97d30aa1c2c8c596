// Reading a JSONL corpus with all cores: one goroutine reads the file in
// 4 MiB chunks cut at line ends, and GOMAXPROCS workers decode each line
// (only "id" and "text"), tokenize it and hash its shingles with package
// token. Decoding uses github.com/valyala/fastjson, a fast validating
// parser that reuses its memory, because the raw limit is meant as a floor
// on what any JSONL pipeline can do; encoding/json into a struct costs
// about as much as tokenizing and would flatter every system measured
// against it. Lines are numbered in file order, so the
// document numbers do not depend on scheduling.
//
// Each worker times its decode and its tokenize+shingle work separately;
// the sums say what share of the reading cost is JSON decoding.

package bench

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/reprint/reprint/token"
	"github.com/valyala/fastjson"
)

// ReadStats describes one pass over a corpus file.
type ReadStats struct {
	Docs     int
	Bytes    int64
	Wall     time.Duration
	Decode   time.Duration // JSON decoding, summed over workers
	Tokenize time.Duration // tokenizing and shingle hashing, summed over workers
}

// DecodeShare is the share of worker time spent decoding JSON.
func (s ReadStats) DecodeShare() float64 {
	if s.Decode+s.Tokenize == 0 {
		return 0
	}
	return float64(s.Decode) / float64(s.Decode+s.Tokenize)
}

type chunk struct {
	data  []byte
	first int // number of the chunk's first line, when counted
}

// readChunks reads r in chunks of about 4 MB cut at line ends, on a
// goroutine of its own, and sends them to the channel it returns, sized for
// workers; done, called once the channel is drained, gives the bytes read
// and the read error. countLines numbers each chunk's first line (a pass of
// bytes.Count that the physical reference does without).
func readChunks(r io.Reader, workers int, countLines bool) (<-chan chunk, func() (int64, error)) {
	chunks := make(chan chunk, workers*2)
	var readErr error
	var size int64
	var lines int
	go func() {
		defer close(chunks)
		var carry []byte
		for {
			buf := make([]byte, len(carry), len(carry)+4<<20)
			copy(buf, carry)
			n, err := io.ReadFull(r, buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			size += int64(n)
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				if len(buf) > 0 {
					chunks <- chunk{buf, lines}
				}
				return
			}
			if err != nil {
				readErr = err
				return
			}
			cut := bytes.LastIndexByte(buf, '\n') + 1
			if cut == 0 { // one line longer than the buffer: grow
				carry = buf
				continue
			}
			carry = buf[cut:]
			chunks <- chunk{buf[:cut], lines}
			if countLines {
				lines += bytes.Count(buf[:cut], []byte{'\n'})
			}
		}
	}()
	return chunks, func() (int64, error) { return size, readErr }
}

// Visit is called for every document, concurrently from several workers
// (worker is in [0, workers)). shingles is scratch owned by the worker:
// copy it to keep it.
type Visit func(worker, doc int, id string, shingles []uint64)

// Scan reads the JSONL file at path with workers goroutines (GOMAXPROCS
// when workers <= 0) and calls visit for every line that has a text, with
// the line's n-word shingle hashes (unsorted, with repeats).
func Scan(path string, ngram, workers int, visit Visit) (ReadStats, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	start := time.Now()
	f, err := os.Open(path)
	if err != nil {
		return ReadStats{}, err
	}
	defer f.Close()
	chunks, readDone := readChunks(f, workers, true)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		stats ReadStats
		first error
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			tz := token.New()
			var parser fastjson.Parser
			var toks []token.Token
			var sh []uint64
			var dec, tok time.Duration
			docs := 0
			var werr error
			for c := range chunks {
				data, n := c.data, c.first
				for len(data) > 0 {
					i := bytes.IndexByte(data, '\n')
					if i < 0 {
						i = len(data)
					}
					ln := data[:i]
					data = data[min(i+1, len(data)):]
					doc := n
					n++
					if len(bytes.TrimSpace(ln)) == 0 {
						continue
					}
					t0 := time.Now()
					var id, text string
					v, err := parser.ParseBytes(ln)
					if err != nil {
						if werr == nil {
							werr = fmt.Errorf("%s: line %d: %v", path, doc+1, err)
						}
					} else {
						id, text = string(v.GetStringBytes("id")), string(v.GetStringBytes("text"))
					}
					t1 := time.Now()
					toks = tz.Tokens(text, 0, toks[:0])
					sh = token.Shingles(toks, ngram, sh[:0])
					t2 := time.Now()
					dec += t1.Sub(t0)
					tok += t2.Sub(t1)
					docs++
					visit(w, doc, id, sh)
				}
			}
			mu.Lock()
			stats.Decode += dec
			stats.Tokenize += tok
			stats.Docs += docs
			if first == nil {
				first = werr
			}
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	size, readErr := readDone()
	stats.Bytes = size
	stats.Wall = time.Since(start)
	if readErr != nil {
		return stats, readErr
	}
	return stats, first
}

// Corpus is a corpus as shingle sets, indexed by document number (line
// order).
type Corpus struct {
	IDs  []string
	Sets [][]uint64 // sorted, unique
}

// SortedSet sorts sh in place and returns its unique values.
func SortedSet(sh []uint64) []uint64 {
	slices.Sort(sh)
	return slices.Compact(sh)
}

// Load reads the corpus at path into shingle sets, with all cores.
func Load(path string, ngram int) (*Corpus, ReadStats, error) {
	var mu sync.Mutex
	c := &Corpus{}
	st, err := Scan(path, ngram, 0, func(_, doc int, id string, sh []uint64) {
		set := slices.Clone(SortedSet(sh))
		mu.Lock()
		for len(c.IDs) <= doc {
			c.IDs = append(c.IDs, "")
			c.Sets = append(c.Sets, nil)
		}
		c.IDs[doc], c.Sets[doc] = id, set
		mu.Unlock()
	})
	return c, st, err
}
