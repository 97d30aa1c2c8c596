package main

import (
	"testing"
	"time"
)

// TestLoadSmoke runs the whole benchmark on a tiny index for a moment, so
// that it keeps working; the real run is the command.
func TestLoadSmoke(t *testing.T) {
	c := config{docs: 1000, batch: 100, clients: 2, queryWords: 200, writeRate: 50, samples: 10, recall: 100,
		duration: 700 * time.Millisecond, dir: t.TempDir() + "/idx", seed: 1}
	var res Result
	if err := runResult(c, &res); err != nil {
		t.Fatal(err)
	}
	if res.Queries == 0 || res.Errors != 0 || res.Docs < 1000 || res.BytesPerDoc <= 0 {
		t.Fatalf("%+v", res)
	}
	if res.AvgPassages == 0 {
		t.Errorf("queries glued from stored documents found no passages: %+v", res)
	}
	if res.PassagesChecked != 10 || res.PassagesFound < 9 || res.NearChecked < 10 || res.NearFound < res.NearChecked-1 {
		t.Errorf("recall against the generator: %d of %d passages, %d of %d near-duplicates", res.PassagesFound, res.PassagesChecked, res.NearFound, res.NearChecked)
	}

	// A second run reuses the index and regenerates the truth.
	var again Result
	if err := runResult(c, &again); err != nil {
		t.Fatal(err)
	}
	if again.Built || again.PassagesChecked != res.PassagesChecked || again.PassagesFound != res.PassagesFound || again.NearChecked != res.NearChecked {
		t.Errorf("rerun on the kept index: %+v, first run %+v", again, res)
	}
}
