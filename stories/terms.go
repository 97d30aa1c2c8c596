// Terms: from a document's tokens to a short weighted vector.
//
// One tokenization (package token) gives every word's hash and byte span.
// A word's span in the original text tells what kind of term it is: a word
// that starts with a capital letter where no sentence starts is a name
// (people, places, organisations; scripts without case simply have none),
// a word with a digit is a number, and a year or an English month name is a
// date; a month with its day or year next to it also gives a composite
// term ("April 28", "April 2009"), which names one event's day far more
// sharply than "April" or "2009" alone. Lines whose words are nearly all
// capitalised are titles, where capitals say nothing, and "Palin's" counts
// as Palin. Runs of ideographs (Han, Hiragana, Katakana), which the segmenter
// yields one character a token, become overlapping character bigrams, the
// standard unit for indexing Chinese and Japanese without a dictionary.
//
// Stopwords: a short English function-word list (the words tf-idf alone
// would still rank high in small corpora), single ASCII letters and digits,
// and, in any script, every term in more than MaxDF of the documents once
// the corpus is large enough for document frequency to mean something.
// Terms in fewer than MinDF documents are dropped in a batch: a word no
// other document has cannot make two documents alike, and it would crowd
// the top of the vector with typos and one-off words.
//
// Weight: (1 + ln tf) × idf × kind boost (dates DateWeight, names
// NameWeight, numbers NumberWeight), idf = ln((N+1)/(df+1)) + 1 (the
// smoothed form, so a term in every document still counts a little), then
// the top Options.Terms terms by weight, L2-normalized. Ties are broken by
// the term's hash, so the vector never depends on map order.
//
// Cost: one pass over the tokens, each looked up in two small
// open-addressing tables (the stopwords and month names; the document's
// terms so far), never a map: about 15 µs for a reprint-gen document of
// 300 words from its tokens (BenchmarkTermsOf; 25 µs with maps), 70 µs
// for a 1,000-word query.

package stories

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/token"
	"github.com/zeebo/xxh3"
)

// Term kinds, as bit flags on a document's term.
const (
	kindName   uint8 = 1 << iota // capitalised where no sentence starts
	kindNumber                   // holds a digit
	kindDate                     // a year (1800-2199) or a month name
)

// term is one weighted entry of a vector, sorted by hash in vectors.
type term struct {
	h uint64
	w float32
}

// rawTerm is a document's term before weighting.
type rawTerm struct {
	h     uint64
	tf    uint32
	kinds uint8
	form  string // the lexicographically least surface form seen (capitals sort first)
}

// words holds the hashes of the English stopwords and month names (and
// their usual abbreviations): a date in the text is a strong sign of
// which event it is, even when the document's own date is unknown. It is
// looked up for every token, so it is a small open-addressing table (16
// KB, in cache) rather than a map, which cost 15% of the extraction.
var words = func() *wordTable {
	tz := token.New()
	w := &wordTable{}
	for _, t := range tz.Tokens(englishStopwords, 0, nil) {
		w.slot(t.Hash).stop = true
	}
	for i, names := range strings.Split("january jan|february feb|march mar|april apr|may|june jun|july jul|august aug|september sep sept|october oct|november nov|december dec", "|") {
		for _, t := range tz.Tokens(names, 0, nil) {
			w.slot(t.Hash).month = int8(i + 1)
		}
	}
	return w
}()

// wordTable is a set of hashes with what each is: at most a quarter full,
// so that a miss, what most tokens are, usually reads one slot.
type wordTable struct {
	slots [1 << wordBits]wordSlot
}

const wordBits = 10

type wordSlot struct {
	h     uint64
	month int8 // 1 to 12, or 0
	stop  bool
	used  bool
}

func wordHome(h uint64) uint64 { return h * 0x9E3779B97F4A7C15 >> (64 - wordBits) }

// slot returns h's slot, taking an empty one for it if h is not there.
func (w *wordTable) slot(h uint64) *wordSlot {
	for i := wordHome(h); ; i = (i + 1) & (1<<wordBits - 1) {
		if s := &w.slots[i]; !s.used || s.h == h {
			s.h, s.used = h, true
			return s
		}
	}
}

// get returns h's month (0 for none) and whether it is a stopword.
func (w *wordTable) get(h uint64) (month int, stop bool) {
	for i := wordHome(h); ; i = (i + 1) & (1<<wordBits - 1) {
		s := &w.slots[i]
		if !s.used {
			return 0, false
		}
		if s.h == h {
			return int(s.month), s.stop
		}
	}
}

// englishStopwords are function words, reporting verbs and the days of the
// week; news in every language repeats the equivalents, which document
// frequency catches once a corpus has a few dozen documents.
const englishStopwords = `a about above after again against all also am an and any are as at be
because been before being below between both but by can could did do does doing down during each
few for from further had has have having he her here hers herself him himself his how i if in into
is it its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves then
there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves said says say told according
new one two three first last year years week day days time people also however since among around
will would could should may might must shall us mr mrs ms st monday tuesday wednesday thursday
friday saturday sunday today yesterday tomorrow`

// extractor turns texts into raw term lists. It holds a tokenizer and
// scratch space, so one extractor serves one goroutine.
type extractor struct {
	tz     *token.Tokenizer
	buf    []token.Token // the tokens terms makes
	toks   []token.Token // the tokens of the text termsOf is reading
	idx    []termSlot    // out's terms by hash: open addressing, at most half full
	out    []rawTerm
	titles []bool
}

// termSlot is one slot of extractor.idx: i is the term's index in out
// plus one, 0 for an empty slot.
type termSlot struct {
	h uint64
	i int32
}

func newExtractor() *extractor {
	return &extractor{tz: token.New()}
}

// terms returns the distinct terms of d with their counts and kinds. The
// result aliases the extractor's scratch space until the next call.
func (x *extractor) terms(d *corpus.Doc) []rawTerm {
	x.buf = x.tz.Tokens(d.Text, d.Start, x.buf[:0])
	return x.termsOf(d, x.buf)
}

// termsOf is terms with d's tokens given: token.New().Tokens(d.Text,
// d.Start, nil), from a caller that already has them. The extractor does
// not keep toks after the call.
func (x *extractor) termsOf(d *corpus.Doc, toks []token.Token) []rawTerm {
	text := d.Text
	x.toks = toks
	// Distinct terms are at most the tokens and two dates a token, but
	// seldom more than the tokens: the table grows when it must.
	x.resetIdx(len(toks) + 8)
	x.out = x.out[:0]
	x.titles = titleLines(text, toks, x.titles[:0])
	line := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if i > 0 && newlineIn(text[toks[i-1].End:t.Start]) {
			line++
		}
		w := text[t.Start:t.End]
		r, size := utf8.DecodeRuneInString(w)
		if isIdeograph(r) && size == len(w) {
			// A bigram with the next character when it follows directly,
			// else the lone character.
			if i+1 < len(toks) && toks[i+1].Start == t.End && isIdeographToken(text, toks[i+1]) {
				n := toks[i+1]
				x.add(token.Mix(t.Hash*0x9E3779B97F4A7C15+n.Hash), 0, text[t.Start:n.End])
				continue
			}
			if i > 0 && toks[i-1].End == t.Start && isIdeographToken(text, toks[i-1]) {
				continue // already the second half of the previous bigram
			}
			x.add(t.Hash, 0, w)
			continue
		}
		if len(w) == 1 && w[0] < utf8.RuneSelf {
			continue // single ASCII letters and digits: initials, list markers
		}
		m, stop := words.get(t.Hash)
		if m > 0 && (unicode.IsUpper(r) || x.dayAt(text, i+1) > 0) {
			x.add(t.Hash, kindDate, w)
			x.dates(text, i, m)
			continue
		}
		if stop {
			continue
		}
		h := t.Hash
		if n := possessive(w); n > 0 {
			// "Palin's" is Palin.
			w = w[:len(w)-n]
			h = xxh3.HashString(x.tz.Normalize(w))
			if _, stop := words.get(h); len(w) == 1 || stop {
				continue
			}
		}
		var kinds uint8
		if hasDigit(w) {
			kinds |= kindNumber
			if isYear(w) {
				kinds |= kindDate
			}
		} else if unicode.IsUpper(r) && !x.titles[line] && !sentenceStart(text, t.Start, d.Start) {
			kinds |= kindName
		}
		x.add(h, kinds, w)
	}
	x.toks = nil // the caller's
	return x.out
}

func (x *extractor) add(h uint64, kinds uint8, form string) {
	mask := uint64(len(x.idx) - 1)
	i := termHome(h, mask)
	for ; x.idx[i].i != 0; i = (i + 1) & mask {
		if x.idx[i].h == h {
			t := &x.out[x.idx[i].i-1]
			t.tf++
			t.kinds |= kinds
			if form < t.form {
				t.form = form
			}
			return
		}
	}
	x.out = append(x.out, rawTerm{h: h, tf: 1, kinds: kinds, form: form})
	x.idx[i] = termSlot{h: h, i: int32(len(x.out))}
	if 2*len(x.out) > len(x.idx) {
		x.resetIdx(2 * len(x.out))
		for k := range x.out {
			x.place(x.out[k].h, int32(k+1))
		}
	}
}

func termHome(h, mask uint64) uint64 { return h * 0x9E3779B97F4A7C15 >> 32 & mask }

// resetIdx empties the term table, with room for n terms.
func (x *extractor) resetIdx(n int) {
	size := 64
	for size < 2*n {
		size *= 2
	}
	if len(x.idx) >= size && len(x.idx) <= 4*size {
		clear(x.idx)
	} else {
		x.idx = make([]termSlot, size)
	}
}

// place puts term i+1 (hash h, not in the table) into it.
func (x *extractor) place(h uint64, i int32) {
	mask := uint64(len(x.idx) - 1)
	k := termHome(h, mask)
	for x.idx[k].i != 0 {
		k = (k + 1) & mask
	}
	x.idx[k] = termSlot{h: h, i: i}
}

// monthDayHash is the term of month m's day ("April 28"), monthYearHash
// that of month m of year y ("April 2009"): hashes no word makes, which
// eventday.go reads back.
func monthDayHash(m, day int) uint64 { return token.Mix(0xDA7E<<32 | uint64(m)<<8 | uint64(day)) }

func monthYearHash(m, y int) uint64 { return token.Mix(0xDA7F<<32 | uint64(y)<<8 | uint64(m)) }

// dates adds the composite dates around month m at token i: "April 28",
// "28 April" and "April 28, 2009" give the term "April 28"; a year within
// three tokens gives "April 2009". Such a date names a day or a month of
// one event much more sharply than the month or the year alone.
func (x *extractor) dates(text string, i, m int) {
	month := monthNames[m-1]
	day := x.dayAt(text, i+1)
	if day == 0 {
		day = x.dayAt(text, i-1)
	}
	if day > 0 {
		x.add(monthDayHash(m, day), kindDate, month+" "+strconv.Itoa(day))
	}
	for k := i + 1; k <= i+3 && k < len(x.toks); k++ {
		if w := text[x.toks[k].Start:x.toks[k].End]; isYear(w) {
			y, _ := strconv.Atoi(w)
			x.add(monthYearHash(m, y), kindDate, month+" "+w)
			break
		}
	}
}

// dayAt returns the day of the month token k holds (1 to 31), or 0.
func (x *extractor) dayAt(text string, k int) int {
	if k < 0 || k >= len(x.toks) {
		return 0
	}
	w := text[x.toks[k].Start:x.toks[k].End]
	w = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(w, "th"), "st"), "nd"), "rd")
	if len(w) == 0 || len(w) > 2 {
		return 0
	}
	n, err := strconv.Atoi(w)
	if err != nil || n < 1 || n > 31 {
		return 0
	}
	return n
}

var monthNames = [...]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// possessive returns the length of a trailing "'s" (2) or "’s" (4), or 0.
func possessive(w string) int {
	// Inlined, this answers most words, which end in another letter.
	if len(w) < 4 || w[len(w)-1]|0x20 != 's' {
		return 0
	}
	return possessiveSuffix(w)
}

func possessiveSuffix(w string) int {
	switch {
	case len(w) > 3 && strings.HasSuffix(w, "'s"), len(w) > 3 && strings.HasSuffix(w, "'S"):
		return 2
	case len(w) > 5 && (strings.HasSuffix(w, "’s") || strings.HasSuffix(w, "’S")):
		return 4
	}
	return 0
}

// titleLines reports, for each line of the text, whether it is a title
// ("Obama Reverses Bush on Species Protection Measure"): there every word
// is capitalised, so capitals say nothing about names.
func titleLines(text string, toks []token.Token, dst []bool) []bool {
	words, caps := 0, 0
	flush := func() {
		dst = append(dst, words >= 3 && caps*10 >= words*7)
		words, caps = 0, 0
	}
	for i, t := range toks {
		if i > 0 && newlineIn(text[toks[i-1].End:t.Start]) {
			flush()
		}
		w := text[t.Start:t.End]
		r, _ := utf8.DecodeRuneInString(w)
		if len(w) < 4 || !unicode.IsLetter(r) {
			continue // short words ("of", "on") stay lower case in titles
		}
		words++
		if unicode.IsUpper(r) {
			caps++
		}
	}
	flush()
	return dst
}

// newlineIn reports whether s holds a line break: s is the gap between
// two tokens, mostly a byte or two, where a loop beats a call.
func newlineIn(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return true
		}
	}
	return false
}

func isIdeographToken(text string, t token.Token) bool {
	r, size := utf8.DecodeRuneInString(text[t.Start:t.End])
	return isIdeograph(r) && size == t.End-t.Start
}

// isIdeograph reports whether r belongs to a script written without spaces
// between words, where the segmenter yields one character per token.
func isIdeograph(r rune) bool {
	// Every range of the three scripts starts at U+2E80 or above: most
	// tokens are answered here, inlined, without a call or a table search.
	return r >= 0x2E80 && isIdeographTable(r)
}

func isIdeographTable(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}

func hasDigit(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= '0' && w[i] <= '9' {
			return true
		}
	}
	return false
}

func isYear(w string) bool {
	if len(w) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return (w[0] == '1' && w[1] >= '8') || (w[0] == '2' && w[1] <= '1')
}

// sentenceStart reports whether the word at byte i is the first of a
// sentence, a line or the text: capitals there say nothing about names.
func sentenceStart(text string, i, start int) bool {
	for i > start {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		i -= size
		switch {
		case r == '\n' || r == '.' || r == '!' || r == '?' || r == ':' || r == '•':
			return true
		case unicode.IsSpace(r) || strings.ContainsRune("\"'“”‘’«»([{", r):
			continue
		default:
			return false
		}
	}
	return true
}

// weigh turns raw terms into the top-k weighted, L2-normalized vector, as
// document frequencies df say. dst is reused.
func weigh(raw []rawTerm, df *dfTable, opt *Options, dst []term) []term {
	dst = dst[:0]
	maxDF := maxDocs(df.docs, opt)
	for i := range raw {
		if w, ok := weight(&raw[i], df.count(raw[i].h), df.docs, maxDF, opt); ok {
			dst = append(dst, term{h: raw[i].h, w: w})
		}
	}
	return topNormalized(dst, opt.Terms)
}

// weighCounts is weigh with the document counts given: counts[i] is raw[i]'s,
// docs the documents counted, as dfTable.add returns them (so that the
// stream does not look every term up twice).
func weighCounts(raw []rawTerm, counts []int64, docs int64, opt *Options, dst []term) []term {
	dst = dst[:0]
	maxDF := maxDocs(docs, opt)
	for i := range raw {
		if w, ok := weight(&raw[i], counts[i], docs, maxDF, opt); ok {
			dst = append(dst, term{h: raw[i].h, w: w})
		}
	}
	return topNormalized(dst, opt.Terms)
}

// maxDocs is the most documents a term may be in and still count, of n.
func maxDocs(n int64, opt *Options) int64 {
	if n >= int64(opt.MinDocsForMaxDF) && opt.MaxDF < 1 {
		return int64(opt.MaxDF * float64(n))
	}
	return math.MaxInt64
}

// weight is r's weight when it is in f of n documents; false when f is
// outside [MinDF, maxDF].
func weight(r *rawTerm, f, n, maxDF int64, opt *Options) (float32, bool) {
	if f < int64(opt.MinDF) || f > maxDF {
		return 0, false
	}
	idf := math.Log(float64(n+1)/float64(f+1)) + 1
	lt := 0.0
	if r.tf < uint32(len(logTF)) {
		lt = logTF[r.tf]
	} else {
		lt = math.Log(float64(r.tf))
	}
	w := (1 + lt) * idf
	switch {
	case r.kinds&kindDate != 0:
		w *= opt.DateWeight
	case r.kinds&kindName != 0:
		w *= opt.NameWeight
	case r.kinds&kindNumber != 0:
		w *= opt.NumberWeight
	}
	return float32(w), true
}

// logTF[tf] is math.Log(tf), the same bits: most terms are seen once or
// twice, and a query weighs hundreds of them.
var logTF = func() (t [64]float64) {
	for i := range t {
		t[i] = math.Log(float64(i))
	}
	return t
}()

// topNormalized keeps the k heaviest terms of v (ties: smaller hash),
// L2-normalizes them and returns them sorted by hash.
func topNormalized(v []term, k int) []term {
	if len(v) > k {
		heaviest(v, k)
		v = v[:k]
		sortByWeight(v) // the sum of squares below runs in this order
	}
	var ss float64
	for _, t := range v {
		ss += float64(t.w) * float64(t.w)
	}
	if ss > 0 {
		inv := 1 / math.Sqrt(ss)
		for i := range v {
			v[i].w = float32(float64(v[i].w) * inv)
		}
	}
	sortByHash(v)
	return v
}

func byWeight(a, b term) int {
	switch {
	case a.w > b.w:
		return -1
	case a.w < b.w:
		return 1
	case a.h < b.h:
		return -1
	case a.h > b.h:
		return 1
	}
	return 0
}

func byHash(a, b term) int {
	switch {
	case a.h < b.h:
		return -1
	case a.h > b.h:
		return 1
	}
	return 0
}
