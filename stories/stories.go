// The API: Options, the output records, the streaming Clusterer, and the
// document-frequency table both the stream and the batch weigh terms by.

package stories

import (
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/internal/errs"
)

// Defaults for Options; see Options for what each means and why.
const (
	DefaultThreshold      = 0.30
	DefaultTopicThreshold = 0.12
	DefaultWindow         = 30
	DefaultTerms          = 48
	DefaultCentroidTerms  = 128
	DefaultQueryTerms     = 12
	DefaultNameWeight     = 2.0
	DefaultNumberWeight   = 1.5
	DefaultDateWeight     = 4.0
	DefaultMinDF          = 2
	DefaultMaxDF          = 0.5
	DefaultMinDocsMaxDF   = 50
	DefaultStoryTerms     = 8
	DefaultPasses         = 1
	maxPasses             = 8
)

// Options says how to cluster. The zero value means every default.
type Options struct {
	// Threshold is the cosine between a document and a story's centroid
	// at which the document joins the story.
	Threshold float64
	// TopicThreshold is the cosine between a story's centroid and a
	// topic's at which the story joins the topic; lower than Threshold,
	// since a topic holds different events of one kind.
	TopicThreshold float64
	// Window is how many days a dated document may lie outside a story's
	// dated span [first, last] and still join it; 0 means DefaultWindow
	// (30), negative means no window. Because the span grows with every
	// report, a story that keeps being reported stays open; an event of
	// the same kind months or years later starts a new story.
	Window int
	// Terms is how many terms a document's vector keeps (the heaviest).
	Terms int
	// CentroidTerms is how many terms a story's or topic's centroid keeps.
	CentroidTerms int
	// QueryTerms is how many of a document's heaviest terms look up
	// candidate stories in the inverted index.
	QueryTerms int
	// NameWeight multiplies the weight of a capitalised word (names,
	// places, organisations); NumberWeight that of numbers and dates.
	NameWeight, NumberWeight float64
	// DateWeight multiplies the weight of dates in the text: years, month
	// names, "April 28", "April 2009".
	DateWeight float64
	// MinDF drops, in a batch, terms found in fewer documents (a stream
	// cannot know whether a word will recur, so it keeps them).
	MinDF int
	// MaxDF drops terms in more than this share of the documents, once
	// there are MinDocsForMaxDF documents: stopwords in any script.
	MaxDF           float64
	MinDocsForMaxDF int
	// StoryTerms is how many defining terms a story or topic record lists.
	StoryTerms int
	// Passes is how many single passes a batch runs: the first meets
	// the documents of each day (and the undated ones) densest first,
	// each other one in the order of a salted hash of their texts; two
	// documents share a story when most passes put them together. 0
	// means DefaultPasses (1: the densest-first pass alone, whose order
	// the documents' contents decide), at most 8. A stream always makes
	// one pass.
	Passes int
	// Workers is how many goroutines tokenize in a batch; 0 means
	// GOMAXPROCS. The result does not depend on it.
	Workers int
}

// WithDefaults returns o with every zero field set to its default.
func (o Options) WithDefaults() Options {
	def := func(f *float64, d float64) {
		if *f == 0 {
			*f = d
		}
	}
	defi := func(f *int, d int) {
		if *f == 0 {
			*f = d
		}
	}
	def(&o.Threshold, DefaultThreshold)
	def(&o.TopicThreshold, DefaultTopicThreshold)
	defi(&o.Window, DefaultWindow)
	defi(&o.Terms, DefaultTerms)
	defi(&o.CentroidTerms, DefaultCentroidTerms)
	defi(&o.QueryTerms, DefaultQueryTerms)
	def(&o.NameWeight, DefaultNameWeight)
	def(&o.NumberWeight, DefaultNumberWeight)
	def(&o.DateWeight, DefaultDateWeight)
	defi(&o.MinDF, DefaultMinDF)
	def(&o.MaxDF, DefaultMaxDF)
	defi(&o.MinDocsForMaxDF, DefaultMinDocsMaxDF)
	defi(&o.StoryTerms, DefaultStoryTerms)
	defi(&o.Passes, DefaultPasses)
	defi(&o.Workers, runtime.GOMAXPROCS(0))
	return o
}

func (o Options) validate() error {
	switch {
	case o.Threshold < 0 || o.Threshold > 1:
		return errs.Option("threshold", o.Threshold, "must be in [0, 1]")
	case o.TopicThreshold < 0 || o.TopicThreshold > 1:
		return errs.Option("topic-threshold", o.TopicThreshold, "must be in [0, 1]")
	case o.Terms < 1 || o.CentroidTerms < 1 || o.QueryTerms < 1 || o.StoryTerms < 0:
		return fmt.Errorf("stories: terms, centroid terms and query terms must be positive")
	case o.MaxDF <= 0 || o.MaxDF > 1:
		return fmt.Errorf("stories: max df %g is not in (0, 1]", o.MaxDF)
	case o.NameWeight < 0 || o.NumberWeight < 0 || o.DateWeight < 0:
		return fmt.Errorf("stories: negative term weight")
	case o.Passes < 0 || o.Passes > maxPasses:
		return errs.Option("passes", o.Passes, fmt.Sprintf("must be in [1, %d]", maxPasses))
	}
	return nil
}

// Story is one output record: the reports of one event.
type Story struct {
	Story   string   `json:"story"`           // "s1", "s2", ... in order of the story's first document
	Topic   string   `json:"topic"`           // "t1", "t2", ... in order of the topic's first story
	Docs    []string `json:"docs"`            // IDs in date order, undated last, then by ID
	First   string   `json:"first,omitempty"` // earliest date, YYYY-MM-DD; omitted when no document is dated
	Last    string   `json:"last,omitempty"`  // latest date
	Sources []string `json:"sources"`         // distinct sources, sorted
	Terms   []string `json:"terms"`           // the heaviest terms of the centroid, heaviest first
	Copies  []Copy   `json:"copies"`          // reuse links inside the story; filled by the caller from the reuse engine
}

// Copy is a passage one document of a story shares with another.
type Copy struct {
	A         string `json:"a"`
	B         string `json:"b"`
	Direction string `json:"direction"` // "a->b", "b->a" or "unknown", as the reuse engine says
	Words     int    `json:"words"`
}

// Topic is a group of stories of one kind or thread.
type Topic struct {
	Topic   string   `json:"topic"`
	Stories []string `json:"stories"`
	Terms   []string `json:"terms"`
}

// Result is the stories and topics of a corpus. Every document is in
// exactly one story, every story in exactly one topic.
type Result struct {
	Stories []Story
	Topics  []Topic
}

// docRec is what a clusterer keeps of each document: about 80 bytes plus
// the ID (sources are interned).
type docRec struct {
	id, source string
	day        int32
	story      int32
}

// Clusterer assigns documents to stories one at a time, in the order they
// come: a stream. It learns document frequencies as it goes (a batch knows
// them in advance; see Build). Not safe for concurrent use.
type Clusterer struct {
	opt     Options
	df      *dfTable
	learn   bool // df grows with each document
	x       *extractor
	gr      *grouper
	docs    []docRec
	sources map[string]string
	vec     []term
	counts  []int64
}

// NewClusterer returns an empty stream clusterer.
func NewClusterer(opt Options) (*Clusterer, error) {
	opt = opt.WithDefaults()
	if err := opt.validate(); err != nil {
		return nil, err
	}
	opt.MinDF = 1
	return newClusterer(opt, newDF(), true), nil
}

func newClusterer(opt Options, df *dfTable, learn bool) *Clusterer {
	return &Clusterer{
		opt: opt, df: df, learn: learn, x: newExtractor(),
		gr:      newGrouper(opt.Threshold, opt.Window, opt.QueryTerms, opt.CentroidTerms),
		sources: map[string]string{},
	}
}

// Add assigns d to a story and returns the story's ID. The error is for a
// date that is not YYYY-MM-DD; the document is then not added.
func (c *Clusterer) Add(d corpus.Doc) (string, error) {
	day, err := parseDay(d)
	if err != nil {
		return "", err
	}
	c.vec = c.weigh(c.x.terms(&d), true)
	return c.addVector(d.ID, d.Source, day, c.vec), nil
}

// weigh returns raw's vector (in c.vec's space), as the document
// frequencies are once the document is counted: when add is true and the
// clusterer learns, it is counted in them; when add is false, the
// document is weighed as if it had been, but the table is left as it is
// (what Nearest asks: the same counts, plus one for each of its terms and
// for the documents).
func (c *Clusterer) weigh(raw []rawTerm, add bool) []term {
	switch {
	case !c.learn:
		return weigh(raw, c.df, &c.opt, c.vec)
	case add:
		c.counts = c.df.addCounts(raw, c.counts, true)
	default:
		c.counts = c.counts[:0]
		for i := range raw {
			c.counts = append(c.counts, c.df.count(raw[i].h)+1)
		}
	}
	docs := c.df.docs
	if !add {
		docs++
	}
	return weighCounts(raw, c.counts, docs, &c.opt, c.vec)
}

func (c *Clusterer) addVector(id, source string, day int32, v []term) string {
	s := c.gr.assign(v, day)
	c.record(id, source, day, s)
	return storyID(s)
}

// record notes that document id is in story s.
func (c *Clusterer) record(id, source string, day int32, s int32) {
	src, ok := c.sources[source]
	if !ok {
		c.sources[source] = source
		src = source
	}
	c.docs = append(c.docs, docRec{id: id, source: src, day: day, story: s})
}

// Len returns the number of documents added.
func (c *Clusterer) Len() int { return len(c.docs) }

func storyID(s int32) string { return "s" + strconv.Itoa(int(s)+1) }
func topicID(t int32) string { return "t" + strconv.Itoa(int(t)+1) }

// Result groups the stories built so far into topics and returns both.
// It does not change the clusterer: more documents may be added after.
func (c *Clusterer) Result() Result {
	opt := &c.opt
	stories := c.gr.groups
	// Topics: the same single pass over the stories, in story order, on
	// their centroids without numbers and dates, and without a date window:
	// what makes two events one topic is what they are about, not when.
	tg := newGrouper(opt.TopicThreshold, -1, opt.QueryTerms, opt.CentroidTerms)
	topicOf := make([]int32, len(stories))
	vecs := make([][]term, len(stories))
	for i := range stories {
		var v []term
		for _, t := range stories[i].centroid {
			if _, dated, _ := c.df.form(t.h); !dated {
				v = append(v, t)
			}
		}
		vecs[i] = topNormalized(v, opt.Terms)
		topicOf[i] = tg.assign(vecs[i], noDay)
	}
	// And the same refinement as the batch's stories.
	tg = refine(tg, len(stories), func(k int) ([]term, int32) { return vecs[k], noDay }, topicOf, refineRounds, 0, nil)
	members := make([][]int32, len(stories))
	for i := range c.docs {
		s := c.docs[i].story
		members[s] = append(members[s], int32(i))
	}
	res := Result{Stories: make([]Story, len(stories)), Topics: make([]Topic, len(tg.groups))}
	for i := range res.Topics {
		res.Topics[i] = Topic{Topic: topicID(int32(i)), Terms: c.terms(&tg.groups[i])}
	}
	for i := range stories {
		m := members[i]
		slices.SortFunc(m, func(a, b int32) int { return c.docOrder(&c.docs[a], &c.docs[b]) })
		st := Story{Story: storyID(int32(i)), Topic: topicID(topicOf[i]), Docs: make([]string, len(m)),
			Sources: []string{}, Terms: c.terms(&stories[i]), Copies: []Copy{}}
		for k, d := range m {
			st.Docs[k] = c.docs[d].id
			if src := c.docs[d].source; src != "" && !slices.Contains(st.Sources, src) {
				st.Sources = append(st.Sources, src)
			}
		}
		slices.Sort(st.Sources)
		if sp := c.gr.spans[i]; sp.first != noDay {
			st.First, st.Last = formatDay(sp.first), formatDay(sp.last)
		}
		res.Stories[i] = st
		t := &res.Topics[topicOf[i]]
		t.Stories = append(t.Stories, st.Story)
	}
	return res
}

// docOrder orders documents by date, undated last, then by ID.
func (c *Clusterer) docOrder(a, b *docRec) int {
	if c := dayOrder(a.day, b.day); c != 0 {
		return c
	}
	switch {
	case a.id < b.id:
		return -1
	case a.id > b.id:
		return 1
	}
	return 0
}

// terms lists g's defining words and names in their surface form,
// heaviest first. Numbers and dates are left out: they weigh much in
// telling events apart, but "2017" does not say what a story is about, and
// the record has its dates.
func (c *Clusterer) terms(g *group) []string {
	out := []string{}
	for _, t := range g.top(len(g.centroid)) {
		if len(out) == c.opt.StoryTerms {
			break
		}
		if f, dated, ok := c.df.form(t.h); ok && !dated {
			out = append(out, f)
		}
	}
	return out
}

var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// parseDay returns d's date as days since 1970-01-01, or noDay.
func parseDay(d corpus.Doc) (int32, error) {
	if d.Date == "" {
		return noDay, nil
	}
	t, err := time.Parse("2006-01-02", d.Date)
	if err != nil {
		return 0, fmt.Errorf("stories: document %q: field date: %q is not a date YYYY-MM-DD", d.ID, d.Date)
	}
	return int32(t.Sub(epoch).Hours() / 24), nil
}

func formatDay(day int32) string {
	return epoch.AddDate(0, 0, int(day)).Format("2006-01-02")
}
