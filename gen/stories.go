// Generated stories: several outlets retelling one event in their own
// words, and look-alike events of the same kind at other times and places,
// with the event (story) and kind (topic) of every document known.
//
// A topic is a kind of event with its own vocabulary (25 words drawn from
// the synthetic vocabulary's middle ranks, like "quake", "magnitude",
// "rubble"). An event of a topic has a date, two places, three people,
// three numbers and a dozen detail words of its own. A report of an event
// is fresh text, word by word: mostly background words from the Zipf
// vocabulary, then topic words (14% of the words), the event's people (2%),
// places (1.5%), numbers (1%) and details (3%), a dateline with the place and the date, and sometimes the
// year. No two reports share a sentence, so what groups them is the shared
// names, numbers and words, not copied passages.
//
// Look-alike events: each topic has EventsPerTopic events spread over Years
// years; a third of them happen again in the first event's place with one
// of its people (another quake in the same town, the same mayor speaking),
// so only the date, the other people and the numbers tell them apart. Reports are dated from the event's day onwards,
// most within a week, a few follow-ups up to three weeks later.
//
// Memory: the plan is 4 bytes a document (its event); each text is made
// from its own random stream, in parallel, and emitted in id order.

package gen

import (
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"time"
)

// Stream purposes of the story generator, apart from the corpus generator's.
const (
	purposeStoryPlan uint64 = 0x5701 + iota
	purposeStoryTopic
	purposeStoryEvent
	purposeStoryText
)

// StoryConfig says what story corpus to generate. Zero fields take the
// defaults of DefaultStoryConfig, except Docs and Undated.
type StoryConfig struct {
	Docs            int     `json:"docs"`              // number of documents
	Seed            uint64  `json:"seed"`              // the same seed and options give byte-identical output
	ReportsPerEvent int     `json:"reports_per_event"` // mean reports of one event (default 8; sizes 1 to 2×mean-1)
	EventsPerTopic  int     `json:"events_per_topic"`  // look-alike events per topic (default 4)
	MeanWords       int     `json:"mean_words"`        // mean words per report (default 250)
	Years           int     `json:"years"`             // dates span this many years from 2010-01-01 (default 10)
	Outlets         int     `json:"outlets"`           // number of outlets (default 40)
	Undated         float64 `json:"undated"`           // share of documents without a date
}

// DefaultStoryConfig returns 10,000 documents in events of 8 reports, 4
// events a topic, 250 words a report, over 10 years, from 40 outlets.
func DefaultStoryConfig() StoryConfig {
	return StoryConfig{Docs: 10000, Seed: 1, ReportsPerEvent: 8, EventsPerTopic: 4, MeanWords: 250, Years: 10, Outlets: 40}
}

func (c StoryConfig) withDefaults() (StoryConfig, error) {
	d := DefaultStoryConfig()
	if c.ReportsPerEvent <= 0 {
		c.ReportsPerEvent = d.ReportsPerEvent
	}
	if c.EventsPerTopic <= 0 {
		c.EventsPerTopic = d.EventsPerTopic
	}
	if c.MeanWords <= 0 {
		c.MeanWords = d.MeanWords
	}
	if c.Years <= 0 {
		c.Years = d.Years
	}
	if c.Outlets <= 0 {
		c.Outlets = d.Outlets
	}
	switch {
	case c.Docs < 0:
		return c, fmt.Errorf("gen: negative document count %d", c.Docs)
	case c.Undated < 0 || c.Undated > 1:
		return c, fmt.Errorf("gen: undated share %g is not in [0, 1]", c.Undated)
	}
	return c, nil
}

// StoryDoc is one generated report with its truth.
type StoryDoc struct {
	Doc
	Story int // the event: 0, 1, ... (dense)
	Topic int // the event's kind
}

// storyPlan is the drawn plan: which event each document reports.
type storyPlan struct {
	cfg     StoryConfig
	event   []int32 // per document
	nth     []int32 // per document: which report of its event it is
	outlets []string
	width   int
	base    time.Time
}

func newStoryPlan(cfg StoryConfig) *storyPlan {
	r := newRNG(cfg.Seed, purposeStoryPlan)
	p := &storyPlan{cfg: cfg, event: make([]int32, cfg.Docs), nth: make([]int32, cfg.Docs),
		outlets: outlets(cfg.Outlets), width: max(7, len(strconv.Itoa(cfg.Docs-1))),
		base: time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)}
	// Event sizes uniform in [1, 2×mean-1], until the documents run out.
	e := int32(0)
	for i := 0; i < cfg.Docs; e++ {
		n := 1 + r.intn(2*cfg.ReportsPerEvent-1)
		for k := 0; k < n && i < cfg.Docs; k++ {
			p.event[i] = e
			i++
		}
	}
	// Scatter the events over the ids (Fisher-Yates).
	for i := cfg.Docs - 1; i > 0; i-- {
		j := r.intn(i + 1)
		p.event[i], p.event[j] = p.event[j], p.event[i]
	}
	seen := make(map[int32]int32)
	for i, ev := range p.event {
		p.nth[i] = seen[ev]
		seen[ev]++
	}
	return p
}

// storyTopic is a kind of event: its own words.
type storyTopic struct{ words []int32 }

func (p *storyPlan) topic(t int) storyTopic {
	r := newRNG(p.cfg.Seed, purposeStoryTopic, uint64(t))
	tp := storyTopic{words: make([]int32, 25)}
	for i := range tp.words {
		tp.words[i] = int32(300 + r.intn(20000))
	}
	return tp
}

// storyEvent is one event: when, where, who, how many.
type storyEvent struct {
	day     int // days after 2010-01-01
	places  [2]string
	people  [3]string
	numbers [3]int
	details []int32
}

// name makes a proper name from two vocabulary words, so names are many
// and rarely shared by chance.
func name(r *rng, v *vocab) string {
	a := v.words[1000+r.intn(9000)]
	b := v.words[1000+r.intn(9000)]
	return string(capitalize(nil, a)) + b
}

func (p *storyPlan) eventOf(e int) storyEvent {
	v := getVocab()
	t := e / p.cfg.EventsPerTopic
	first := t * p.cfg.EventsPerTopic
	r := newRNG(p.cfg.Seed, purposeStoryEvent, uint64(e))
	ev := storyEvent{day: r.intn(p.cfg.Years * 365), details: make([]int32, 12)}
	for i := range ev.places {
		ev.places[i] = name(r, v)
	}
	for i := range ev.people {
		ev.people[i] = name(r, v) + " " + name(r, v)
	}
	for i := range ev.numbers {
		ev.numbers[i] = 10 + r.intn(990)
	}
	for i := range ev.details {
		ev.details[i] = int32(2000 + r.intn(48000))
	}
	if e != first && r.chance(1.0/3) {
		// The same place and one of the same people as the topic's first
		// event, at another time: another quake in the same town, the same
		// mayor speaking.
		f := p.eventOf(first)
		ev.places[0], ev.people[0] = f.places[0], f.people[0]
	}
	return ev
}

var storyMonths = [...]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// storyDoc writes document d.
func (p *storyPlan) storyDoc(d int, buf []byte) (StoryDoc, []byte) {
	v := getVocab()
	e := int(p.event[d])
	t := e / p.cfg.EventsPerTopic
	tp := p.topic(t)
	ev := p.eventOf(e)
	r := newRNG(p.cfg.Seed, purposeStoryText, uint64(d))
	// Dated on the event's day or after: most within a week, some later.
	lag := r.intn(4)
	if p.nth[d] > 0 && r.chance(0.3) {
		lag += r.intn(18)
	}
	date := p.base.AddDate(0, 0, ev.day)
	pub := date.AddDate(0, 0, lag)
	outlet := p.outlets[r.intn(len(p.outlets))]

	b := buf[:0]
	b = append(b, ev.places[r.intn(2)]...)
	b = append(b, ", "...)
	b = append(b, storyMonths[date.Month()-1]...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(date.Day()), 10)
	if r.chance(0.5) {
		b = append(b, ", "...)
		b = strconv.AppendInt(b, int64(date.Year()), 10)
	}
	b = append(b, " ("...)
	b = append(b, outlet...)
	b = append(b, ") - "...)
	words := p.cfg.MeanWords/2 + r.intn(p.cfg.MeanWords+1)
	sep, start, n := "", true, 0
	for i := 0; i < words; i++ {
		b = append(b, sep...)
		sep = " "
		switch x := r.intn(1000); {
		case x < 140:
			b = appendWord(b, v.words[tp.words[r.intn(len(tp.words))]], start)
		case x < 160:
			b = append(b, ev.people[r.intn(3)]...)
		case x < 175:
			b = append(b, ev.places[r.intn(2)]...)
		case x < 185:
			b = strconv.AppendInt(b, int64(ev.numbers[r.intn(3)]), 10)
		case x < 215:
			b = appendWord(b, v.words[ev.details[r.intn(len(ev.details))]], start)
		default:
			w := v.sample(r)
			b = appendWord(b, v.words[w], start || v.proper[w])
		}
		start = false
		n++
		if (n >= 8 && r.chance(0.12)) || i == words-1 {
			b = append(b, '.')
			start, n = true, 0
			if r.chance(0.2) {
				sep = "\n\n"
			}
		}
	}
	doc := Doc{ID: fmt.Sprintf("d%0*d", p.width, d), Text: string(b), Source: outlet}
	if !r.chance(p.cfg.Undated) {
		doc.Date = pub.Format("2006-01-02")
	}
	return StoryDoc{Doc: doc, Story: e, Topic: t}, b
}

func appendWord(b []byte, w string, capital bool) []byte {
	if capital {
		return capitalize(b, w)
	}
	return append(b, w...)
}

// GenerateStories generates the story corpus cfg describes and calls emit
// for each document in id order. It stops at emit's first error.
func GenerateStories(cfg StoryConfig, emit func(StoryDoc) error) error {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return err
	}
	p := newStoryPlan(cfg)
	const chunk = 256
	workers := runtime.GOMAXPROCS(0)
	type part struct {
		docs []StoryDoc
		done chan struct{}
	}
	parts := make(chan *part, workers*2)
	work := make(chan struct {
		start int
		p     *part
	}, workers*2)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for j := range work {
				for d := j.start; d < min(j.start+chunk, cfg.Docs); d++ {
					var sd StoryDoc
					sd, buf = p.storyDoc(d, buf)
					j.p.docs = append(j.p.docs, sd)
				}
				close(j.p.done)
			}
		}()
	}
	go func() {
		for s := 0; s < cfg.Docs; s += chunk {
			pt := &part{done: make(chan struct{})}
			parts <- pt
			work <- struct {
				start int
				p     *part
			}{s, pt}
		}
		close(parts)
		close(work)
	}()
	var emitErr error
	for pt := range parts {
		<-pt.done
		if emitErr != nil {
			continue
		}
		for _, d := range pt.docs {
			if emitErr = emit(d); emitErr != nil {
				break
			}
		}
	}
	wg.Wait()
	return emitErr
}
