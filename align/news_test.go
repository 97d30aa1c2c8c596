package align

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/reprint/reprint/token"
)

var dateHeader = regexp.MustCompile(`^ ?date \d{4}-\d{2}-\d{2}\s*`)

type newsDoc struct {
	name string
	text string
	toks []token.Token
}

// loadNews reads the example news, tokenized from the byte after any date
// header.
func loadNews(t testing.TB) []newsDoc {
	t.Helper()
	files, err := filepath.Glob("../testdata/news/*.txt")
	if err != nil || len(files) != 5 {
		t.Fatalf("example news: %v files, %v", len(files), err)
	}
	tz := token.New()
	var docs []newsDoc
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		start := 0
		if m := dateHeader.FindStringIndex(text); m != nil {
			start = m[1]
		}
		docs = append(docs, newsDoc{filepath.Base(f), text, tz.Tokens(text, start, nil)})
	}
	return docs
}

// copiedPhrases are distinctive phrases, one or more from each stretch that
// the Alwaght article (000) copied from SANA's statement (001), read off the
// two texts by hand. Each must lie inside one reported passage, in both
// documents at once.
var copiedPhrases = []string{
	"so-called alliance about the liberation of Raqqa city",                          // 1: the opening claim
	"divert international public opinion from the crimes committed by this alliance", // 1: its second half, after an inserted clause in 000
	"illegitimate alliance are misleading the international community",               // 2
	"deliberate and barbaric bombardment of the city",                                // 3
	"forced tens of thousands of locals to leave the city",                           // 3
	"celebrating what they call the liberation of Raqqa over the bodies",             // 4
	"seize humanitarian aid meant to save the lives",                                 // 4
	"wouldn’t have exited Raqqa and went to other areas",                             // 5
	"can only be considered liberated when the Syrian Arab Army enters it",           // 5
	"act of scam and fraud on the public opinion",                                    // 6
	"cover up the destruction they caused in Raqqa",                                  // 6
}

// ownPhrases are in one of the two articles only. No passage may mark their
// words as equal; the first four lie outside anything copied, so no passage
// may reach them at all (the others sit inside gaps a passage may bridge).
var ownPhrases = []string{
	"Raqqa, the Syrian stronghold of the terrorist group",        // 000's own background
	"Coalition strikes accounted for at least 1,300",             // 000
	"The source concluded by saying that Syria calls on",         // 001's ending, not copied
	"residents from the Al-Meshlab neighborhood",                 // 001
	"confiscate locals’ IDs and documents",                       // 001, dropped by 000
	"an official source at the Foreign and Expatriates Ministry", // 001, rewritten by 000
}

const outsideAll = 4 // ownPhrases[:outsideAll] lie outside every passage

func find(t *testing.T, text, phrase string) (int, int) {
	t.Helper()
	i := strings.Index(text, phrase)
	if i < 0 || strings.Contains(text[i+1:], phrase) {
		t.Fatalf("phrase %q is not in the text exactly once", phrase)
	}
	return i, i + len(phrase)
}

// pairFunc is one of the two entry points: tokens only, or texts too.
type pairFunc func(a, b newsDoc) []Passage

// minAll is the lowest identity over all of 000's passages from 001: the
// exact level reports the six copied stretches apart (0.8 and more);
// PairText joins them, with the words 000 rewrote between them, into one
// edited passage, which is what a reader wants and lowers identity.
var pairFuncs = []struct {
	name   string
	pair   pairFunc
	minAll float64
}{
	{"Pair", func(a, b newsDoc) []Passage { return Pair(a.toks, b.toks, DefaultOptions()) }, 0.8},
	{"PairText", func(a, b newsDoc) []Passage { return PairText(a.text, a.toks, b.text, b.toks, DefaultOptions()) }, 0.7},
}

func TestNewsReprintFound(t *testing.T) {
	for _, f := range pairFuncs {
		t.Run(f.name, func(t *testing.T) { testNewsReprintFound(t, f.pair, f.minAll) })
	}
}

func testNewsReprintFound(t *testing.T, pair pairFunc, minAll float64) {
	docs := loadNews(t)
	a, b := docs[0], docs[1]
	ps := pair(a, b)
	if len(ps) == 0 {
		t.Fatal("no passages between the reprint and its source")
	}
	defer func() {
		if t.Failed() {
			for _, p := range ps {
				t.Logf("%+v\n  A: %q\n  B: %q", p, a.text[p.AStart:p.AEnd], b.text[p.BStart:p.BEnd])
			}
		}
	}()
	for _, ph := range copiedPhrases {
		as, ae := find(t, a.text, ph)
		bs, be := find(t, b.text, ph)
		ok := false
		for _, p := range ps {
			if p.AStart <= as && ae <= p.AEnd && p.BStart <= bs && be <= p.BEnd {
				ok = true
			}
		}
		if !ok {
			t.Errorf("copied phrase %q not covered by one passage in both documents", ph)
		}
	}
	for k, ph := range ownPhrases {
		for side, d := range []newsDoc{a, b} {
			i := strings.Index(d.text, ph)
			if i < 0 {
				continue
			}
			for _, p := range ps {
				s, e := p.AStart, p.AEnd
				if side == 1 {
					s, e = p.BStart, p.BEnd
				}
				if i >= e || s >= i+len(ph) {
					continue
				}
				if k < outsideAll {
					t.Errorf("passage reaches %q, which only %s has", ph, d.name)
				}
				for _, op := range Diff(a.toks, b.toks, p) {
					t0, t1 := op.A0, op.A1
					if side == 1 {
						t0, t1 = op.B0, op.B1
					}
					for x := t0; x < t1 && op.Kind == Equal; x++ {
						if tk := d.toks[x]; tk.Start >= i && tk.End <= i+len(ph) && len(d.text[tk.Start:tk.End]) > 3 {
							t.Errorf("word %q of %q, which only %s has, marked equal", d.text[tk.Start:tk.End], ph, d.name)
						}
					}
				}
			}
		}
	}
	eq, cols := 0, 0
	for _, p := range ps {
		checkBoundaries(t, a.text, p.AStart, p.AEnd)
		checkBoundaries(t, b.text, p.BStart, p.BEnd)
		if p.Identity < 0.6 || p.Kind != KindEdited {
			t.Errorf("passage identity %.2f, kind %q, want an edited passage", p.Identity, p.Kind)
		}
		pe := 0
		for _, op := range Diff(a.toks, b.toks, p) {
			n := max(op.A1-op.A0, op.B1-op.B0)
			cols += n
			if op.Kind == Equal {
				eq += n
				pe += n
			}
		}
		if pe != p.Words {
			t.Errorf("Diff marks %d words equal, the passage says %d", pe, p.Words)
		}
	}
	if id := float64(eq) / float64(cols); id < minAll {
		t.Errorf("identity over all passages %.2f, want >= %.2f", id, minAll)
	}
}

// checkBoundaries asserts that text[s:e] starts and ends with a word
// character.
func checkBoundaries(t testing.TB, text string, s, e int) {
	t.Helper()
	if s < 0 || e > len(text) || s >= e {
		t.Fatalf("span %d:%d outside text of %d bytes", s, e, len(text))
	}
	first, _ := utf8.DecodeRuneInString(text[s:])
	last, _ := utf8.DecodeLastRuneInString(text[:e])
	if !isWordRune(first) || !isWordRune(last) {
		t.Errorf("span %d:%d = %q does not start and end on a word", s, e, text[s:e])
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

func TestNewsRetellingsShareNoPassage(t *testing.T) {
	for _, f := range pairFuncs {
		t.Run(f.name, func(t *testing.T) { testNewsRetellings(t, f.pair) })
	}
}

func testNewsRetellings(t *testing.T, pair pairFunc) {
	docs := loadNews(t)
	for x := range docs {
		for y := range docs {
			if x == y || x+y == 1 { // 000 and 001 are the reprint and its source
				continue
			}
			for _, p := range pair(docs[x], docs[y]) {
				t.Errorf("%s and %s only retell the story but share a passage of %d words: %q / %q",
					docs[x].name, docs[y].name, max(p.ATok1-p.ATok0, p.BTok1-p.BTok0),
					docs[x].text[p.AStart:p.AEnd], docs[y].text[p.BStart:p.BEnd])
			}
		}
	}
}

func TestNewsPairSymmetric(t *testing.T) {
	docs := loadNews(t)
	ab := Pair(docs[0].toks, docs[1].toks, DefaultOptions())
	ba := Pair(docs[1].toks, docs[0].toks, DefaultOptions())
	if len(ab) != len(ba) {
		t.Fatalf("Pair(a,b) has %d passages, Pair(b,a) %d", len(ab), len(ba))
	}
	var cov [2]int
	for _, p := range ab {
		cov[0] += p.ATok1 - p.ATok0
	}
	for _, p := range ba {
		cov[1] += p.BTok1 - p.BTok0
	}
	if cov[0] != cov[1] {
		t.Errorf("words of A covered: %d one way, %d the other", cov[0], cov[1])
	}
}
