// Package pan reads the PAN 2013 text alignment training corpus in place
// (docs.jsonl, pairs.tsv), aligns its listed pairs with package align and
// scores the passages with the corpus's own plagdet.py. It serves the
// reprint-pan command and the subset test beside it.
//
// Each document is tokenized once; pairs are grouped by suspicious document
// so that one align.Prepare serves all its sources, and groups are shared
// out to workers in order, so the output is the same for any worker count.
// Cost: the corpus's 31 MB of text in memory with its tokens (about 24
// bytes a word), plus one scoring run of plagdet.py.
package pan

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/reprint/reprint/align"
	"github.com/reprint/reprint/lsh"
	"github.com/reprint/reprint/token"
)

// Subcorpora are PAN 2013's sub-corpora in table order, then the whole.
var Subcorpora = []string{"01-no-plagiarism", "02-no-obfuscation", "03-random-obfuscation",
	"04-translation-obfuscation", "05-summary-obfuscation", "entire"}

// Doc is one document of docs.jsonl with its tokens.
type Doc struct {
	ID, Text string
	Toks     []token.Token
}

// ListedPair is one line of pairs.tsv.
type ListedPair struct {
	Susp, Src, Sub string
}

// Corpus is the documents the listed pairs name, and the pairs.
type Corpus struct {
	Docs   map[string]*Doc
	Pairs  []ListedPair
	Order  []*Doc // LoadAll: every document, in file order
	subset bool   // some listed pairs were left out
}

// Load reads pairs.tsv and the documents its pairs name from dir; with
// per > 0 only the first per pairs of each sub-corpus are kept.
func Load(dir string, per int) (*Corpus, error) { return load(dir, per, false) }

// LoadAll is Load with every document of docs.jsonl, listed in a pair or
// not, in file order in Order, for aligning candidate pairs as reuse does.
func LoadAll(dir string) (*Corpus, error) { return load(dir, 0, true) }

func load(dir string, per int, all bool) (*Corpus, error) {
	c := &Corpus{Docs: map[string]*Doc{}}
	pf := filepath.Join(dir, "pairs.tsv")
	b, err := os.ReadFile(pf)
	if err != nil {
		return nil, err
	}
	count := map[string]int{}
	need := map[string]bool{}
	for n, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if n == 0 {
			continue // header
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			return nil, fmt.Errorf("%s:%d: want susp, src, subcorpus separated by tabs", pf, n+1)
		}
		if per > 0 && count[f[2]] >= per {
			c.subset = true
			continue
		}
		count[f[2]]++
		c.Pairs = append(c.Pairs, ListedPair{f[0], f[1], f[2]})
		need[f[0]], need[f[1]] = true, true
	}
	df := filepath.Join(dir, "docs.jsonl")
	fh, err := os.Open(df)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	r := bufio.NewReaderSize(fh, 1<<20)
	tz := token.New()
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			var d struct{ ID, Text string }
			if e := json.Unmarshal(line, &d); e != nil {
				return nil, fmt.Errorf("%s:%d: %v", df, n, e)
			}
			if need[d.ID] || all {
				doc := &Doc{ID: d.ID, Text: d.Text, Toks: tz.Tokens(d.Text, 0, nil)}
				c.Docs[d.ID] = doc
				if all {
					c.Order = append(c.Order, doc)
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", df, n, err)
		}
	}
	for _, p := range c.Pairs {
		for _, id := range []string{p.Susp, p.Src} {
			if c.Docs[id] == nil {
				return nil, fmt.Errorf("%s: document %q of a listed pair is not in %s", pf, id, df)
			}
		}
	}
	return c, nil
}

// Passage is one reported passage in reuse's JSONL shape.
type Passage struct {
	A        string  `json:"a"`
	AStart   int     `json:"a_start"`
	AEnd     int     `json:"a_end"`
	B        string  `json:"b"`
	BStart   int     `json:"b_start"`
	BEnd     int     `json:"b_end"`
	Words    int     `json:"words"`
	Identity float64 `json:"identity"`
	Kind     string  `json:"kind,omitempty"`
}

// Options are the aligner options the benchmark uses: reprint's defaults,
// with fields overridden by set, "Field=value,Field=value" (numbers and
// booleans), for trying other settings without a rebuild.
func Options(set string) (align.Options, error) {
	o := align.DefaultOptions()
	v := reflect.ValueOf(&o).Elem()
	for _, kv := range strings.Split(set, ",") {
		if kv == "" {
			continue
		}
		k, val, _ := strings.Cut(kv, "=")
		f := v.FieldByName(k)
		if !f.IsValid() {
			return o, fmt.Errorf("-set: align.Options has no field %q", k)
		}
		var err error
		switch f.Kind() {
		case reflect.Int:
			var n int64
			n, err = strconv.ParseInt(val, 10, 64)
			f.SetInt(n)
		case reflect.Float64:
			var x float64
			x, err = strconv.ParseFloat(val, 64)
			f.SetFloat(x)
		case reflect.Bool:
			var b bool
			b, err = strconv.ParseBool(val)
			f.SetBool(b)
		}
		if err != nil {
			return o, fmt.Errorf("-set %s: %v", kv, err)
		}
	}
	return o, nil
}

// Align aligns every listed pair, suspicious document as A, on workers
// goroutines, and returns the passages in pair order.
func (c *Corpus) Align(workers int, opt align.Options) []Passage {
	// Group pairs by suspicious document: one Prepare each.
	var groups [][]int
	at := map[string]int{}
	for k, p := range c.Pairs {
		g, ok := at[p.Susp]
		if !ok {
			g = len(groups)
			at[p.Susp] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], k)
	}
	res := make([][]Passage, len(c.Pairs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for g := range next {
				s := c.Docs[c.Pairs[groups[g][0]].Susp]
				prep := align.PrepareText(s.Text, s.Toks, opt)
				for _, k := range groups[g] {
					r := c.Docs[c.Pairs[k].Src]
					for _, p := range prep.PairText(r.Text, r.Toks) {
						res[k] = append(res[k], Passage{A: s.ID, AStart: p.AStart, AEnd: p.AEnd,
							B: r.ID, BStart: p.BStart, BEnd: p.BEnd, Words: p.Words, Identity: p.Identity, Kind: p.Kind})
					}
				}
			}
		}()
	}
	for g := range groups {
		next <- g
	}
	close(next)
	wg.Wait()
	var out []Passage
	for _, r := range res {
		out = append(out, r...)
	}
	return out
}

// Candidates returns the document pairs (indexes into Order) that share
// anchors rare across the corpus, as "reprint reuse --keys anchors" picks
// them: align.Anchors into an lsh.Index with opt's MaxDF and MinShared.
func (c *Corpus) Candidates(opt align.Options) [][2]int {
	return c.candidates(opt, func(d *Doc, buf []uint64) []uint64 { return align.Anchors(d.Toks, opt, buf) })
}

// ContentCandidates returns the document pairs that share content keys
// (align.ContentKeys: stem pairs of consecutive content words, what
// "reprint reuse" uses by default) rare across the corpus, under opt's
// MaxDF and MinShared.
func (c *Corpus) ContentCandidates(opt align.Options) [][2]int {
	return c.candidates(opt, func(d *Doc, buf []uint64) []uint64 { return align.ContentKeys(d.Text, d.Toks, buf) })
}

// candidates puts every document's keys into an lsh.Index with opt's MaxDF
// and MinShared and returns its pairs.
func (c *Corpus) candidates(opt align.Options, keys func(*Doc, []uint64) []uint64) [][2]int {
	ix := lsh.NewIndex(0, "")
	ix.MaxDF, ix.MinShared = opt.MaxDF, opt.MinShared
	var buf []uint64
	for k, d := range c.Order {
		buf = keys(d, buf)
		ix.Add(uint32(k), buf)
	}
	cands, _ := ix.Candidates(runtime.GOMAXPROCS(0)) // in memory: no error
	out := make([][2]int, len(cands))
	for i, p := range cands {
		a, b := lsh.Unpack(p)
		out[i] = [2]int{int(a), int(b)}
	}
	return out
}

// Union merges two sorted lists of pairs into one, without repeats.
func Union(x, y [][2]int) [][2]int {
	out := make([][2]int, 0, len(x)+len(y))
	less := func(p, q [2]int) bool { return p[0] < q[0] || p[0] == q[0] && p[1] < q[1] }
	for len(x) > 0 || len(y) > 0 {
		switch {
		case len(y) == 0 || len(x) > 0 && less(x[0], y[0]):
			out, x = append(out, x[0]), x[1:]
		case len(x) == 0 || less(y[0], x[0]):
			out, y = append(out, y[0]), y[1:]
		default:
			out, x, y = append(out, x[0]), x[1:], y[1:]
		}
	}
	return out
}

// AlignCandidates aligns candidate pairs (from Candidates) on workers
// goroutines and returns the passages in pair order. Every document is
// prepared once (PairPrepared); with perPair, as reuse does today, only
// each run's first document is, and the second is read by PairText anew
// for every pair.
func (c *Corpus) AlignCandidates(pairs [][2]int, workers int, opt align.Options, perPair bool) []Passage {
	var runs [][2]int // [start, end) of runs of pairs with one first document
	for s := 0; s < len(pairs); {
		e := s + 1
		for e < len(pairs) && pairs[e][0] == pairs[s][0] {
			e++
		}
		runs = append(runs, [2]int{s, e})
		s = e
	}
	// Every document of a pair is prepared once, in parallel, then shared:
	// as the second side it is only read; as the first side of a run of
	// pairs it is owned by the worker of that run (its anchor table is built
	// then), and each document starts at most one run.
	preps := make([]*align.Prepared, len(c.Order))
	ch := make(chan int)
	var pw sync.WaitGroup
	for range max(1, workers) {
		pw.Add(1)
		go func() {
			defer pw.Done()
			for k := range ch {
				preps[k] = align.PrepareText(c.Order[k].Text, c.Order[k].Toks, opt)
			}
		}()
	}
	used := make([]bool, len(c.Order))
	for _, p := range pairs {
		used[p[0]], used[p[1]] = true, true
	}
	for k := range c.Order {
		if used[k] && !perPair {
			ch <- k
		}
	}
	close(ch)
	pw.Wait()
	res := make([][]Passage, len(pairs))
	next := make(chan [2]int)
	var wg sync.WaitGroup
	for range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				x := c.Order[pairs[r[0]][0]]
				prep := preps[pairs[r[0]][0]]
				if perPair {
					prep = align.PrepareText(x.Text, x.Toks, opt)
				}
				for k := r[0]; k < r[1]; k++ {
					y := c.Order[pairs[k][1]]
					var found []align.Passage
					if perPair {
						found = prep.PairText(y.Text, y.Toks)
					} else {
						found = prep.PairPrepared(preps[pairs[k][1]])
					}
					for _, p := range found {
						res[k] = append(res[k], Passage{A: x.ID, AStart: p.AStart, AEnd: p.AEnd,
							B: y.ID, BStart: p.BStart, BEnd: p.BEnd, Words: p.Words, Identity: p.Identity, Kind: p.Kind})
					}
				}
			}
		}()
	}
	for _, r := range runs {
		next <- r
	}
	close(next)
	wg.Wait()
	var out []Passage
	for _, r := range res {
		out = append(out, r...)
	}
	return out
}

// WriteJSONL writes passages one JSON object a line.
func WriteJSONL(w io.Writer, ps []Passage) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, p := range ps {
		if err := enc.Encode(p); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Measures are plagdet.py's figures for one sub-corpus.
type Measures struct {
	Plagdet     float64 `json:"plagdet"`
	Recall      float64 `json:"recall"`
	Precision   float64 `json:"precision"`
	Granularity float64 `json:"granularity"`
	Cases       int     `json:"cases"`
	Found       int     `json:"cases_detected"`
	Detections  int     `json:"detections"`
}

// Score runs dir/plagdet.py on the run file and returns its measures by
// sub-corpus name, over the corpus's pairs: when they are a subset, the
// scorer reads a pairs.tsv of the subset from a temporary folder (beside
// links to docs.jsonl and truth.tsv), so that recall counts the cases of
// the aligned pairs only.
func (c *Corpus) Score(dir, run string) (map[string]Measures, error) {
	data := dir
	if c.subset {
		tmp, err := os.MkdirTemp("", "reprint-pan-data")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		var b strings.Builder
		b.WriteString("susp\tsrc\tsubcorpus\tcases\n")
		for _, p := range c.Pairs {
			fmt.Fprintf(&b, "%s\t%s\t%s\t0\n", p.Susp, p.Src, p.Sub)
		}
		if err := os.WriteFile(filepath.Join(tmp, "pairs.tsv"), []byte(b.String()), 0o644); err != nil {
			return nil, err
		}
		for _, f := range []string{"docs.jsonl", "truth.tsv"} {
			abs, err := filepath.Abs(filepath.Join(dir, f))
			if err != nil {
				return nil, err
			}
			if err := os.Symlink(abs, filepath.Join(tmp, f)); err != nil {
				return nil, err
			}
		}
		data = tmp
	}
	cmd := exec.Command("python3", filepath.Join(dir, "plagdet.py"), "--json", "--data", data, run)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("plagdet.py: %v", err)
	}
	var r struct {
		Subcorpora map[string]Measures `json:"subcorpora"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("plagdet.py output: %v", err)
	}
	return r.Subcorpora, nil
}
