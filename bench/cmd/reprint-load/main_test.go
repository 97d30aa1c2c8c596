package main

import (
	"testing"
	"time"
)

// TestLoadSmoke runs the whole benchmark on a tiny index for a moment, so
// that it keeps working; the real run is the command.
func TestLoadSmoke(t *testing.T) {
	c := config{docs: 300, batch: 100, clients: 2, queryWords: 200, writeRate: 50, samples: 10,
		duration: 700 * time.Millisecond, dir: t.TempDir() + "/idx", seed: 1}
	var res Result
	if err := runResult(c, &res); err != nil {
		t.Fatal(err)
	}
	if res.Queries == 0 || res.Errors != 0 || res.Docs < 300 || res.BytesPerDoc <= 0 {
		t.Fatalf("%+v", res)
	}
	if res.AvgPassages == 0 {
		t.Errorf("queries glued from stored documents found no passages: %+v", res)
	}
}
