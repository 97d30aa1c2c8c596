// Anchors: which windows are worth sorting.
//
// Sorting a record for every window of every document is what the engine
// spent most of its time on (16 bytes a word, and on this 2-core machine
// memory bandwidth is the scarce resource); yet only the windows that occur
// twice matter, about a tenth of them on generated text. So the first read
// sorts far fewer records: for each window of w = MinWords tokens, its
// anchor is the smallest hash among the k = w-s+1 sub-windows of s = w/2
// tokens it contains (the leftmost of equal ones). This is winnowing
// (Schleimer, Wilkerson and Aiken, SIGMOD 2003); a run of consecutive
// windows shares one anchor, so the distinct anchors of a document are
// about 2/(k+1) of its windows (7.4 % at w = 50). The choice is
// content-defined: the anchor of a window depends only on its words, so
// two occurrences of the same window have their anchors at the same offset
// and with the same hash. Anchor records (hash, document, position) are
// sorted; an anchor whose hash occurs at two places or more is a candidate.
//
// The second read hashes again the documents that hold a candidate anchor
// and adds a window record only for the windows whose anchor is a
// candidate. Every occurrence of a repeated window is among them (its
// anchor occurs wherever the window does), so the window sort sees every
// occurrence of every repeated window, and the removed windows, their kept
// places and the spans are those of sorting every window. The one
// difference is in a 64-bit hash collision between two windows of
// different words: sorting every window grouped them (and the word
// comparison then kept both), here they may not meet at all.
//
// Costs: one record per distinct anchor (16 bytes, within the limit), then
// the candidate positions, 4 bytes each on disk (a temporary file, read back
// by the second read's workers) and one int64 a document in memory; a second
// scan of the corpus that decodes and tokenizes again only the documents
// with a candidate anchor.
//
// Tried and not kept: sorting every window from the first read when the
// corpus is small (below 8 M windows), to save the second read. On the
// Debian changelogs (7.6 M windows) it took the same 2.63 CPU seconds as
// anchors, and 559 MB at peak instead of 99; on 39 MB of generated text
// 1.04 CPU seconds against 1.08.

package repeats

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"sync"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/internal/pipeline"
	"github.com/reprint/reprint/token"
)

// everyAnchor makes every anchor a candidate, so that every window is
// sorted: the test that sampling changes nothing compares with it.
var everyAnchor = false

// recBufs holds record slices the collectors are done with, for the
// workers to fill again.
var recBufs sync.Pool

// anchorWords is the length of an anchor for windows of w words: half a
// window, so that an anchor repeated by chance in unrelated text is rare,
// while a window has k = w-s+1 anchors to choose from.
func anchorWords(w int) int { return max(w/2, 1) }

// anchorRun is a run of consecutive windows with one anchor: the anchor's
// position and the run's first window.
type anchorRun struct{ at, from int32 }

// winnow appends to dst the anchors of the windows of k consecutive values
// of hs: each window's is the position of its smallest value, the leftmost
// of equal ones, found with a sliding-window minimum (a deque of positions
// whose values increase; dq is scratch). A window's anchor is never left
// of the one before it, so each anchor is one run of windows, appended once.
// It returns dst and dq.
func winnow(hs []uint64, k int, dst []anchorRun, dq []int32) ([]anchorRun, []int32) {
	dq = dq[:0]
	head := 0
	for i, h := range hs {
		for len(dq) > head && hs[dq[len(dq)-1]] > h {
			dq = dq[:len(dq)-1]
		}
		dq = append(dq, int32(i))
		if int(dq[head]) <= i-k {
			head++
		}
		if i >= k-1 {
			if q := dq[head]; len(dst) == 0 || dst[len(dst)-1].at != q {
				dst = append(dst, anchorRun{q, int32(i - k + 1)})
			}
		}
	}
	return dst, dq
}

// candidateAnchors reads the anchor records in hash order and returns, as a
// sorter of document<<32|position, every anchor whose hash occurs at more
// than one place.
func (res *Result) candidateAnchors(anchors *sorter) (*sorter, error) {
	out := newSorter(res.opt.MemLimit/8, res.opt.TmpDir, "anchors-found", res.opt.Workers)
	return anchors.regroup(out, func(group []uint64) {
		if len(group) > 1 || everyAnchor {
			for _, v := range group {
				out.add(rec{v, 0})
			}
		}
	})
}

// candidateFile holds the candidate anchors' positions, by document: those
// of document d are the uint32s [first[d], first[d+1]) of f.
type candidateFile struct {
	f     *os.File
	first []int64
}

// writeCandidates writes the sorted candidate anchors to a temporary file.
func (res *Result) writeCandidates(cands *sorter) (*candidateFile, error) {
	f, err := os.CreateTemp(res.opt.TmpDir, "reprint-anchors-*")
	if err != nil {
		return nil, fmt.Errorf("repeats: %w", err)
	}
	cf := &candidateFile{f: f, first: make([]int64, len(res.docs)+1)}
	var buf []byte
	var n int64
	err = cands.each(func(r rec) error {
		cf.first[int(r.a>>32)+1]++
		n++
		buf = binary.LittleEndian.AppendUint32(buf, uint32(r.a))
		if len(buf) >= 1<<20 {
			_, err := f.Write(buf)
			buf = buf[:0]
			return err
		}
		return nil
	})
	if err == nil {
		_, err = f.Write(buf)
	}
	if err != nil {
		cf.close()
		return nil, fmt.Errorf("repeats: writing candidate anchors: %w", err)
	}
	for d := range res.docs {
		cf.first[d+1] += cf.first[d]
	}
	return cf, nil
}

// positions appends the candidate anchor positions of document d to dst.
func (cf *candidateFile) positions(d int32, dst []int32, b []byte) ([]int32, []byte, error) {
	lo, hi := cf.first[d], cf.first[d+1]
	if cap(b) < int(4*(hi-lo)) {
		b = make([]byte, 4*(hi-lo))
	}
	b = b[:4*(hi-lo)]
	if n, err := cf.f.ReadAt(b, 4*lo); n < len(b) {
		return dst, b, fmt.Errorf("repeats: reading candidate anchors: %w", err)
	}
	for i := 0; i < len(b); i += 4 {
		dst = append(dst, int32(binary.LittleEndian.Uint32(b[i:])))
	}
	return dst, b, nil
}

// candidateWindows reads the corpus again and returns, as a sorter of
// (hash, document<<32|position), the windows of each document whose anchor
// is a candidate; without a candidate, it does not read.
func (res *Result) candidateWindows(ctx context.Context, src pipeline.Source, c *corpus.Corpus, cf *candidateFile) (*sorter, error) {
	w := res.opt.MinWords
	s := anchorWords(w)
	k := w - s + 1
	windows := newSorter(res.opt.MemLimit/4, res.opt.TmpDir, "windows", res.opt.Workers)
	if cf.first[len(res.docs)] == 0 {
		return windows, nil // no anchor repeats, so no window does: no read
	}
	seqDoc := map[int]int32{}
	for d, info := range res.docs {
		if cf.first[d+1] > cf.first[d] {
			seqDoc[info.Seq] = int32(d)
		}
	}
	type found struct {
		doc     int32
		windows []rec // b: position
		buf     *[]rec
		problem error
	}
	decode := pipeline.Decoder(c)
	newWorker := func() func(pipeline.Job) found {
		tz := token.New()
		var toks []token.Token
		var hs, ws []uint64
		var runs []anchorRun
		var dq, cand []int32
		var b []byte
		return func(j pipeline.Job) found {
			d, ok := seqDoc[j.Seq]
			if !ok {
				return found{doc: -1}
			}
			doc, err := decode(j)
			if err != nil {
				return found{doc: d, problem: fmt.Errorf("repeats: record %d (%s line %d) no longer decodes: %v", j.Seq, j.Rec.File, j.Rec.Line, err)}
			}
			toks = tz.Tokens(doc.Text, doc.Start, toks[:0])
			if len(toks) != res.docs[d].Words {
				return found{doc: d, problem: fmt.Errorf("repeats: document %q changed between the two reads", doc.ID)}
			}
			cand, b, err = cf.positions(d, cand[:0], b)
			if err != nil {
				return found{doc: d, problem: err}
			}
			hs = windowHashes(toks, s, hs[:0])
			runs, dq = winnow(hs, k, runs[:0], dq)
			ws = windowHashes(toks, w, ws[:0])
			buf, _ := recBufs.Get().(*[]rec)
			if buf == nil {
				buf = new([]rec)
			}
			out := (*buf)[:0]
			ci := 0
			for i, r := range runs {
				for ci < len(cand) && cand[ci] < r.at {
					ci++
				}
				if ci == len(cand) {
					break
				}
				if cand[ci] != r.at {
					continue
				}
				end := len(ws)
				if i+1 < len(runs) {
					end = int(runs[i+1].from)
				}
				for p := int(r.from); p < end; p++ {
					out = append(out, rec{ws[p], uint64(p)})
				}
			}
			return found{doc: d, windows: out, buf: buf}
		}
	}
	var werr error
	collect := func(f found) {
		if f.buf != nil {
			defer func() { *f.buf = f.windows[:0]; recBufs.Put(f.buf) }()
		}
		if f.doc < 0 || werr != nil {
			return
		}
		if f.problem != nil {
			werr = f.problem
			return
		}
		for _, r := range f.windows {
			windows.add(rec{r.a, uint64(f.doc)<<32 | r.b})
		}
		res.Stats.Candidates += int64(len(f.windows))
	}
	// Problems were reported by the first read; the second does not repeat them.
	_, err := pipeline.Ordered(ctx, src, func(*corpus.Problem) {}, res.opt.Workers, res.maxBatch, newWorker, collect, nil)
	if err == nil {
		err = werr
	}
	if err == nil {
		err = windows.err
	}
	if err != nil {
		windows.remove()
		return nil, err
	}
	return windows, nil
}

func (cf *candidateFile) close() {
	cf.f.Close()
	os.Remove(cf.f.Name())
}
