package gen

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func storyDocs(t *testing.T, cfg StoryConfig) []StoryDoc {
	t.Helper()
	var out []StoryDoc
	if err := GenerateStories(cfg, func(d StoryDoc) error { out = append(out, d); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestStoriesDeterministic(t *testing.T) {
	cfg := DefaultStoryConfig()
	cfg.Docs, cfg.Undated = 700, 0.2
	a, b := storyDocs(t, cfg), storyDocs(t, cfg)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same config gave different documents")
	}
	cfg.Seed++
	if c := storyDocs(t, cfg); reflect.DeepEqual(a, c) {
		t.Fatal("another seed gave the same documents")
	}
}

func TestStoriesShape(t *testing.T) {
	cfg := DefaultStoryConfig()
	cfg.Docs, cfg.Undated = 2000, 0.25
	docs := storyDocs(t, cfg)
	if len(docs) != cfg.Docs {
		t.Fatalf("%d documents, want %d", len(docs), cfg.Docs)
	}
	type span struct{ first, last time.Time }
	spans := map[int]*span{}
	size := map[int]int{}
	topicOf := map[int]int{}
	undated := 0
	for i, d := range docs {
		if i > 0 && d.ID <= docs[i-1].ID {
			t.Fatalf("ids out of order: %s after %s", d.ID, docs[i-1].ID)
		}
		if tp, ok := topicOf[d.Story]; ok && tp != d.Topic {
			t.Fatalf("story %d in topics %d and %d", d.Story, tp, d.Topic)
		}
		topicOf[d.Story] = d.Topic
		size[d.Story]++
		if d.Date == "" {
			undated++
			continue
		}
		day, err := time.Parse("2006-01-02", d.Date)
		if err != nil {
			t.Fatalf("%s: date %q: %v", d.ID, d.Date, err)
		}
		if s := spans[d.Story]; s == nil {
			spans[d.Story] = &span{day, day}
		} else {
			if day.Before(s.first) {
				s.first = day
			}
			if day.After(s.last) {
				s.last = day
			}
		}
	}
	if share := float64(undated) / float64(len(docs)); share < 0.2 || share > 0.3 {
		t.Errorf("undated share %.3f, want about 0.25", share)
	}
	for e, s := range spans {
		if d := s.last.Sub(s.first).Hours() / 24; d > 25 {
			t.Errorf("story %d spans %.0f days; reports should lie within 3 weeks of the event", e, d)
		}
	}
	mean := float64(len(docs)) / float64(len(size))
	if mean < 6 || mean > 10 {
		t.Errorf("mean reports per event %.1f, want about %d", mean, cfg.ReportsPerEvent)
	}
	// Every report of an event names one of its places in the dateline,
	// and look-alike events of a topic share a place.
	place := func(d StoryDoc) string { return d.Text[:strings.IndexByte(d.Text, ',')] }
	places := map[int]map[string]bool{}
	for _, d := range docs {
		if places[d.Story] == nil {
			places[d.Story] = map[string]bool{}
		}
		places[d.Story][place(d)] = true
	}
	shared := 0
	byTopic := map[int][]int{}
	for e, tp := range topicOf {
		byTopic[tp] = append(byTopic[tp], e)
	}
	for _, events := range byTopic {
		seen := map[string]int{}
		for _, e := range events {
			for p := range places[e] {
				seen[p]++
			}
		}
		for _, n := range seen {
			if n > 1 {
				shared++
			}
		}
	}
	if shared == 0 {
		t.Error("no two events of a topic share a place: no look-alike events")
	}
}

func TestStoriesBadConfig(t *testing.T) {
	for _, cfg := range []StoryConfig{{Docs: -1}, {Docs: 10, Undated: 2}} {
		if err := GenerateStories(cfg, func(StoryDoc) error { return nil }); err == nil {
			t.Errorf("config %+v accepted", cfg)
		}
	}
}
