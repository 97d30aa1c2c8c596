package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"

	"github.com/reprint/reprint/cluster"
	"github.com/reprint/reprint/corpus"
	"github.com/reprint/reprint/repeats"
)

// The oracle and the engine agree on a corpus with planted repeats, under
// every keep policy.
func TestOracleMatchesEngine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "planted.jsonl")
	if err := writeGen(path, 300); err != nil {
		t.Fatal(err)
	}
	for _, k := range []cluster.Keep{cluster.KeepEarliest, cluster.KeepLongest, cluster.KeepFirst} {
		want, _, err := oracleFile(path, 50, k)
		if err != nil {
			t.Fatal(err)
		}
		c, err := corpus.Open([]string{path}, corpus.Options{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := repeats.Run(t.Context(), c, repeats.Options{MinWords: 50, Keep: k})
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		var got []oracleSpan
		b, _ := json.Marshal(res.Spans())
		json.Unmarshal(b, &got)
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("keep %s: engine %d spans, oracle %d; differ", k, len(got), len(want))
		}
	}
}

func TestHead(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "a")
	os.WriteFile(src, []byte("1\n2\n3\n"), 0o644)
	n, err := head(src, filepath.Join(dir, "b"), 2)
	b, _ := os.ReadFile(filepath.Join(dir, "b"))
	if err != nil || n != 2 || string(b) != "1\n2\n" {
		t.Errorf("head: %d %v %q", n, err, b)
	}
}

// Peak RSS is in the unit of the limit: getrusage's KiB times 1024, over
// 10^6.
func TestPeakMBIsDecimal(t *testing.T) {
	if got := peakMB(&syscall.Rusage{Maxrss: 125_000}); got != 128 {
		t.Errorf("125,000 KiB = %v MB, want 128", got)
	}
}
