// Planning and generating a corpus.
//
// Generate first draws a plan from the seed: which document numbers are
// family originals, copies, exact duplicates, passage sources and targets,
// and every document's date and outlet. The plan is a few bytes per
// document. Texts are then made from the plan in parallel, each from its
// own random stream: a copy regenerates its original rather than keeping
// it, so memory stays O(documents) in the plan alone, and the output does
// not depend on how many workers ran. Documents are emitted in id order.
//
// Copies are edited from the family original (a star, not a chain), so a
// copy's similarity to the original follows its own edit rate, and two
// copies are about as similar as their rates combined.

package gen

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// Config says what corpus to generate. Generate fills a zero MeanWords,
// FamilySize and PassageWords with the defaults; shares and counts mean
// what they say, so a zero Config plus Docs gives only unrelated documents.
type Config struct {
	Docs      int    `json:"docs"`       // number of documents
	MeanWords int    `json:"mean_words"` // mean document length in words (default 330, about 2 KB)
	Seed      uint64 `json:"seed"`       // the same seed and options give byte-identical output

	FamilyShare float64 `json:"family_share"` // share of documents in near-duplicate families (originals and copies)
	FamilySize  float64 `json:"family_size"`  // mean family size, original included, at least 2 (default 3; geometric tail)
	EditRate    float64 `json:"edit_rate"`    // each copy's edit rate is uniform in [0, EditRate]: per-word chance of a substitution, insertion or deletion

	ExactShare float64 `json:"exact_share"` // share of documents that are exact duplicates of another (identical bytes, or only case, whitespace or quotes differ)

	Passages        int     `json:"passages"`          // number of passages inserted into unrelated documents
	PassageWords    int     `json:"passage_words"`     // words per passage (default 60)
	PassageEditRate float64 `json:"passage_edit_rate"` // per-word edit rate applied to an inserted passage
}

// DefaultConfig returns the configuration the benchmarks use: 100,000
// documents of about 330 words (about 200 MB), 20% in families of mean size
// 3 with edit rates up to 6%, 5% exact duplicates, and 1,000 passages of
// 60 words edited at 3%.
func DefaultConfig() Config {
	return Config{
		Docs: 100000, MeanWords: 330, Seed: 1,
		FamilyShare: 0.2, FamilySize: 3, EditRate: 0.06,
		ExactShare: 0.05,
		Passages:   1000, PassageWords: 60, PassageEditRate: 0.03,
	}
}

func (c Config) withDefaults() (Config, error) {
	if c.MeanWords <= 0 {
		c.MeanWords = 330
	}
	if c.FamilySize < 2 {
		c.FamilySize = 3
	}
	if c.PassageWords <= 0 {
		c.PassageWords = 60
	}
	switch {
	case c.Docs < 0:
		return c, fmt.Errorf("gen: negative document count %d", c.Docs)
	case c.FamilyShare < 0 || c.ExactShare < 0 || c.FamilyShare+c.ExactShare > 1:
		return c, fmt.Errorf("gen: family share %g and exact share %g must be >= 0 and add up to at most 1", c.FamilyShare, c.ExactShare)
	case c.EditRate < 0 || c.EditRate > 1 || c.PassageEditRate < 0 || c.PassageEditRate > 1:
		return c, fmt.Errorf("gen: edit rates must be in [0, 1]")
	case c.Passages < 0:
		return c, fmt.Errorf("gen: negative passage count %d", c.Passages)
	}
	return c, nil
}

// Doc is one generated document.
type Doc struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	Date   string `json:"date"` // YYYY-MM-DD
	Source string `json:"source"`
}

// Truth is what the generator did: the ground truth to score against.
type Truth struct {
	Config   Config    `json:"config"`
	Families []Family  `json:"families"`
	Exact    []Exact   `json:"exact"`
	Passages []Passage `json:"passages"`
}

// Family is a near-duplicate family: an original and its edited copies.
type Family struct {
	Family   int      `json:"family"`
	Original string   `json:"original"`
	Copies   []Member `json:"copies"`
}

// Member is one edited copy in a family.
type Member struct {
	ID              string  `json:"id"`
	EditRate        float64 `json:"edit_rate"`        // intended per-word edit rate
	ExpectedJaccard float64 `json:"expected_jaccard"` // ExpectedJaccard(EditRate, 5), the 5-word shingle Jaccard to the original one expects
	Edits
}

// Exact is an exact duplicate.
type Exact struct {
	ID      string `json:"id"`
	Of      string `json:"of"`
	Variant string `json:"variant"` // "identical", "case", "whitespace" or "quotes"
}

// Passage is a run of words from Source inserted into Target. Spans are
// byte offsets into the documents' Text, half-open, from the first word's
// first byte to the last word's last byte (punctuation around them
// excluded). With EditRate 0 the two spans hold the same words.
type Passage struct {
	Source      string  `json:"source"`
	SourceStart int     `json:"source_start"`
	SourceEnd   int     `json:"source_end"`
	Target      string  `json:"target"`
	TargetStart int     `json:"target_start"`
	TargetEnd   int     `json:"target_end"`
	Words       int     `json:"words"` // words taken from the source
	EditRate    float64 `json:"edit_rate"`
	Edits
}

// Overlaps reports whether a found passage, between span [aStart, aEnd) of
// document a and span [bStart, bEnd) of document b, overlaps p on both
// sides, in either orientation.
func (p Passage) Overlaps(a string, aStart, aEnd int, b string, bStart, bEnd int) bool {
	if a == p.Source && b == p.Target {
		a, aStart, aEnd, b, bStart, bEnd = b, bStart, bEnd, a, aStart, aEnd
	}
	return a == p.Target && b == p.Source && aStart < p.TargetEnd && p.TargetStart < aEnd &&
		bStart < p.SourceEnd && p.SourceStart < bEnd
}

// ExpectedJaccard is the shingle Jaccard between a text and a copy edited
// at rate with edit(), for n-word shingles, to first order: each edited
// word breaks about n shingles, each sentence move about 3(n-1), and a
// share p of the shingles survives, so J = p/(2-p).
func ExpectedJaccard(rate float64, n int) float64 {
	const meanSentence = 16.5
	keep := 1.0
	for i := 0; i < n; i++ {
		keep *= 1 - rate
	}
	moveKeep := 1 - rate*3*float64(n-1)/meanSentence
	p := keep * max(moveKeep, 0)
	return p / (2 - p)
}

const (
	kindUnrelated uint8 = iota
	kindOriginal
	kindCopy
	kindExact
)

var variants = []string{"identical", "case", "whitespace", "quotes"}

type plan struct {
	cfg     Config
	vocab   *vocab
	outlets []string
	width   int
	kind    []uint8
	base    []int32   // copy: its original; exact: what it duplicates
	slot    []int32   // copy: index into members; exact: variant; target: passage index; else -1
	rate    []float64 // copy: edit rate
	day     []int32
	outlet  []uint16

	members   []Member // all copies, by slot
	famOf     []int32  // family of each member slot
	famOrig   []int32
	passages  []Passage
	passSrc   []int32
	passStart []int32 // first word of the passage in its source
}

func newPlan(cfg Config) *plan {
	n := cfg.Docs
	p := &plan{
		cfg: cfg, vocab: getVocab(), outlets: outlets(200), width: 7,
		kind: make([]uint8, n), base: make([]int32, n), slot: make([]int32, n),
		rate: make([]float64, n), day: make([]int32, n), outlet: make([]uint16, n),
	}
	for x := n - 1; x >= 10000000; x /= 10 {
		p.width++
	}
	r := newRNG(cfg.Seed, purposePlan)
	// Roles are laid out in order, then shuffled over the ids.
	type role struct {
		kind uint8
		ref  int32 // original: family; copy: family; exact: -1
	}
	roles := make([]role, 0, n)
	famDocs := int(cfg.FamilyShare*float64(n) + 0.5)
	exact := int(cfg.ExactShare*float64(n) + 0.5)
	if famDocs+exact > n {
		famDocs = n - exact
	}
	nfam := int32(0)
	for left := famDocs; left >= 2; {
		size := 2
		q := (cfg.FamilySize - 2) / (cfg.FamilySize - 1)
		for size < 100 && r.chance(q) {
			size++
		}
		if size > left || left-size == 1 {
			size = left
		}
		left -= size
		roles = append(roles, role{kindOriginal, nfam})
		for k := 1; k < size; k++ {
			roles = append(roles, role{kindCopy, nfam})
		}
		nfam++
	}
	for k := 0; k < exact; k++ {
		roles = append(roles, role{kindExact, -1})
	}
	for len(roles) < n {
		roles = append(roles, role{kindUnrelated, -1})
	}
	ids := make([]int32, n) // ids[k] = document number given to roles[k]
	for i := range ids {
		ids[i] = int32(i)
	}
	for i := n - 1; i > 0; i-- {
		j := r.intn(i + 1)
		ids[i], ids[j] = ids[j], ids[i]
	}
	p.famOrig = make([]int32, nfam)
	var unrelated, nonExact []int32
	for k, ro := range roles {
		d := ids[k]
		p.kind[d] = ro.kind
		p.slot[d] = -1
		p.base[d] = -1
		p.outlet[d] = uint16(r.intn(r.intn(len(p.outlets)) + 1))
		switch ro.kind {
		case kindOriginal:
			p.famOrig[ro.ref] = d
		case kindUnrelated:
			unrelated = append(unrelated, d)
		}
		if ro.kind != kindExact {
			nonExact = append(nonExact, d)
		}
		if ro.kind == kindUnrelated || ro.kind == kindOriginal {
			p.day[d] = int32(r.intn(3200))
		}
	}
	for k, ro := range roles {
		if ro.kind != kindCopy {
			continue
		}
		d, orig := ids[k], p.famOrig[ro.ref]
		p.base[d] = orig
		p.rate[d] = r.float() * cfg.EditRate
		p.day[d] = p.day[orig] + 1 + int32(r.intn(60))
		p.slot[d] = int32(len(p.members))
		p.members = append(p.members, Member{ID: p.id(int(d)), EditRate: p.rate[d], ExpectedJaccard: ExpectedJaccard(p.rate[d], 5)})
		p.famOf = append(p.famOf, ro.ref)
	}
	// Passages: targets and sources are distinct unrelated documents.
	np := min(cfg.Passages, len(unrelated)/2)
	for i := 0; i < np; i++ {
		j := i + r.intn(len(unrelated)-i)
		unrelated[i], unrelated[j] = unrelated[j], unrelated[i]
	}
	for i := 0; i < np; i++ {
		tgt := unrelated[i]
		src := unrelated[np+r.intn(len(unrelated)-np)]
		p.slot[tgt] = int32(len(p.passages))
		p.day[tgt] = p.day[src] + 1 + int32(r.intn(90))
		p.passages = append(p.passages, Passage{Source: p.id(int(src)), Target: p.id(int(tgt)), EditRate: cfg.PassageEditRate})
		p.passSrc = append(p.passSrc, src)
		p.passStart = append(p.passStart, int32(r.intn(1<<30)))
	}
	for k, ro := range roles {
		if ro.kind != kindExact {
			continue
		}
		d := ids[k]
		if len(nonExact) == 0 {
			p.kind[d] = kindUnrelated
			p.day[d] = int32(r.intn(3200))
			continue
		}
		b := nonExact[r.intn(len(nonExact))]
		p.base[d] = b
		p.slot[d] = int32(r.intn(len(variants)))
		p.day[d] = p.day[b] + int32(r.intn(30))
	}
	return p
}

func (p *plan) id(d int) string { return fmt.Sprintf("d%0*d", p.width, d) }

var epoch = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)

func (p *plan) date(d int) string {
	return epoch.AddDate(0, 0, int(p.day[d])).Format("2006-01-02")
}

// sentences makes the structure of document d. When record is set, edit
// counts and passage spans are stored in the plan (each slot is written by
// exactly one document, so parallel workers do not race).
func (p *plan) sentences(d int, record bool) []sentence {
	switch p.kind[d] {
	case kindCopy:
		ss, ed := edit(newRNG(p.cfg.Seed, purposeEdit, uint64(d)), p.vocab, p.sentences(int(p.base[d]), false), p.rate[d], true)
		if record {
			p.members[p.slot[d]].Edits = ed
		}
		return ss
	case kindExact:
		return p.sentences(int(p.base[d]), false)
	}
	r := newRNG(p.cfg.Seed, purposeText, uint64(d))
	mean := p.cfg.MeanWords
	words := max(1, mean*3/10+(r.intn(mean*7/5+1)+r.intn(mean*7/5+1))/2)
	ss := newText(r, p.vocab, words)
	if p.kind[d] == kindUnrelated && p.slot[d] >= 0 {
		ss = p.insertPassage(d, ss, record)
	}
	return ss
}

// insertPassage puts passage p.slot[d] between two sentences of ss.
func (p *plan) insertPassage(d int, ss []sentence, record bool) []sentence {
	k := p.slot[d]
	src := int(p.passSrc[k])
	sss := p.sentences(src, false)
	nsrc := countItems(sss)
	w := min(p.cfg.PassageWords, nsrc)
	a := int(p.passStart[k]) % (nsrc - w + 1)
	r := newRNG(p.cfg.Seed, purposePassage, uint64(d))
	ins, ed := edit(r, p.vocab, cut(sss, a, w), p.cfg.PassageEditRate, false)
	at := r.intn(len(ss) + 1)
	first := countItems(ss[:at])
	out := make([]sentence, 0, len(ss)+len(ins))
	out = append(append(append(out, ss[:at]...), ins...), ss[at:]...)
	if record {
		var spans []int
		render(nil, p.vocab, sss, &spans)
		ps := &p.passages[k]
		ps.Words, ps.Edits = w, ed
		ps.SourceStart, ps.SourceEnd = spans[2*a], spans[2*(a+w-1)+1]
		spans = spans[:0]
		render(nil, p.vocab, out, &spans)
		last := first + countItems(ins) - 1
		if last >= first {
			ps.TargetStart, ps.TargetEnd = spans[2*first], spans[2*last+1]
		}
	}
	return out
}

// doc renders document d.
func (p *plan) doc(d int, buf []byte) (Doc, []byte) {
	buf = render(buf[:0], p.vocab, p.sentences(d, true), nil)
	text := string(buf)
	if p.kind[d] == kindExact {
		text = variant(newRNG(p.cfg.Seed, purposeVariant, uint64(d)), text, int(p.slot[d]))
	}
	return Doc{ID: p.id(d), Text: text, Date: p.date(d), Source: p.outlets[p.outlet[d]]}, buf
}

// Generate makes the corpus cfg describes and calls emit with each document
// in id order. It stops at emit's first error and returns it.
func Generate(cfg Config, emit func(Doc) error) (Truth, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Truth{}, err
	}
	p := newPlan(cfg)
	const batch = 64
	nb := (cfg.Docs + batch - 1) / batch
	workers := runtime.GOMAXPROCS(0)
	results := make([]chan []Doc, nb)
	for i := range results {
		results[i] = make(chan []Doc, 1)
	}
	next := make(chan int)
	stop := make(chan struct{})
	ahead := make(chan struct{}, 4*workers) // batches made but not yet emitted
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for b := range next {
				docs := make([]Doc, 0, batch)
				for d := b * batch; d < min(cfg.Docs, (b+1)*batch); d++ {
					var doc Doc
					doc, buf = p.doc(d, buf)
					docs = append(docs, doc)
				}
				results[b] <- docs // buffered: never blocks
			}
		}()
	}
	go func() {
		defer close(next)
		for b := 0; b < nb; b++ {
			select {
			case ahead <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case next <- b:
			case <-stop:
				return
			}
		}
	}()
	for b := 0; b < nb && err == nil; b++ {
		for _, doc := range <-results[b] {
			if err = emit(doc); err != nil {
				break
			}
		}
		<-ahead
	}
	close(stop)
	wg.Wait()
	if err != nil {
		return Truth{}, err
	}
	return p.truth(), nil
}

func (p *plan) truth() Truth {
	t := Truth{Config: p.cfg, Passages: p.passages}
	t.Families = make([]Family, len(p.famOrig))
	for f, o := range p.famOrig {
		t.Families[f] = Family{Family: f, Original: p.id(int(o))}
	}
	for s, m := range p.members {
		f := p.famOf[s]
		t.Families[f].Copies = append(t.Families[f].Copies, m)
	}
	for d, k := range p.kind {
		if k == kindExact {
			t.Exact = append(t.Exact, Exact{ID: p.id(d), Of: p.id(int(p.base[d])), Variant: variants[p.slot[d]]})
		}
	}
	return t
}
