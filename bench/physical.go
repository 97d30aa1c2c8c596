// The physical reference: what reading a corpus costs on this machine
// when nothing is done but the least any shingle-based deduplicator must
// do. Each line of the file (a JSONL record, not decoded) is split on bytes
// into words, each word is hashed with xxh3, and the word hashes are
// combined into n-word shingle hashes with a rolling polynomial, exactly as
// package token combines them. Nothing is normalized, nothing is decoded,
// no Unicode table is looked at: a word is a run of bytes that are ASCII
// letters or digits or any byte >= 0x80.
//
// It is deliberately not our own tokenizer, so that a ratio to it measures
// reprint against the machine rather than against itself. It uses every
// core: one goroutine reads the file in 4 MiB chunks cut at line ends, the
// others split and hash.

package bench

import (
	"bytes"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/zeebo/xxh3"
)

// PhysicalStats describes one physical-reference pass over a file.
type PhysicalStats struct {
	Docs     int   // lines with at least one word
	Bytes    int64 // bytes read
	Words    int64
	Shingles int64
	Wall     time.Duration
	Sum      uint64 // xor of all shingle hashes, so that no work can be skipped
}

// wordByte marks the bytes that belong to words: ASCII letters and digits,
// and every byte of a multi-byte UTF-8 sequence.
var wordByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 0x80 || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

const physPrime = 0x9E3779B97F4A7C15

// PhysicalShingles appends the n-word shingle hashes of text to dst, split
// and hashed as the physical reference does, and returns the word hashes
// (in words' storage) and dst. A text of fewer than n words gives one
// shingle.
func PhysicalShingles(text []byte, n int, words []uint64, dst []uint64) ([]uint64, []uint64) {
	words = words[:0]
	for i := 0; i < len(text); {
		for i < len(text) && !wordByte[text[i]] {
			i++
		}
		s := i
		for i < len(text) && wordByte[text[i]] {
			i++
		}
		if i > s {
			words = append(words, xxh3.Hash(text[s:i]))
		}
	}
	if len(words) == 0 || n <= 0 {
		return words, dst
	}
	n = min(n, len(words))
	var h, top uint64 = 0, 1
	for i := 0; i < n; i++ {
		h = h*physPrime + words[i]
		if i > 0 {
			top *= physPrime
		}
	}
	dst = append(dst, mix64(h+uint64(n)))
	for i := n; i < len(words); i++ {
		h = (h-words[i-n]*top)*physPrime + words[i]
		dst = append(dst, mix64(h+uint64(n)))
	}
	return words, dst
}

func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return x
}

// Physical runs the physical reference over the file at path with workers
// goroutines (GOMAXPROCS when workers <= 0), treating each line as one
// document.
func Physical(path string, ngram, workers int) (PhysicalStats, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	start := time.Now()
	f, err := os.Open(path)
	if err != nil {
		return PhysicalStats{}, err
	}
	defer f.Close()
	chunks, readDone := readChunks(f, workers, false)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		stats PhysicalStats
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var words, sh []uint64
			var st PhysicalStats
			for ch := range chunks {
				c := ch.data
				for len(c) > 0 {
					i := bytes.IndexByte(c, '\n')
					if i < 0 {
						i = len(c)
					}
					words, sh = PhysicalShingles(c[:i], ngram, words, sh[:0])
					c = c[min(i+1, len(c)):]
					if len(words) == 0 {
						continue
					}
					st.Docs++
					st.Words += int64(len(words))
					st.Shingles += int64(len(sh))
					for _, h := range sh {
						st.Sum ^= h
					}
				}
			}
			mu.Lock()
			stats.Docs += st.Docs
			stats.Words += st.Words
			stats.Shingles += st.Shingles
			stats.Sum ^= st.Sum
			mu.Unlock()
		}()
	}
	wg.Wait()
	size, readErr := readDone()
	stats.Bytes = size
	stats.Wall = time.Since(start)
	return stats, readErr
}
