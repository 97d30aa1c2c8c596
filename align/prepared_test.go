package align

import (
	"reflect"
	"testing"

	"github.com/reprint/reprint/gen"
	"github.com/reprint/reprint/token"
)

// PairPrepared must give exactly what PairText gives, in both directions,
// with q shared between calls.
func TestPairPreparedEqualsPairText(t *testing.T) {
	tz := token.New()
	opt := DefaultOptions()
	n := 0
	for _, ob := range gen.Obfuscations {
		for seed := uint64(1); seed <= 5; seed++ {
			p := gen.ObfuscatedPair(seed, ob, 60, 200)
			a, b := tz.Tokens(p.Reuse, 0, nil), tz.Tokens(p.Source, 0, nil)
			pa, pb := PrepareText(p.Reuse, a, opt), PrepareText(p.Source, b, opt)
			for k := 0; k < 2; k++ { // q reused: nothing of it may change
				got, want := pa.PairPrepared(pb), PairText(p.Reuse, a, p.Source, b, opt)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s seed %d: PairPrepared %+v, PairText %+v", ob.Name, seed, got, want)
				}
				n += len(got)
				if got, want := pb.PairPrepared(pa), PairText(p.Source, b, p.Reuse, a, opt); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s seed %d, swapped: PairPrepared %+v, PairText %+v", ob.Name, seed, got, want)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no passages at all: the comparison says nothing")
	}
	// A side prepared without its text gets the anchor level only.
	p := gen.ObfuscatedPair(1, gen.Obfuscations[2], 60, 200)
	a, b := tz.Tokens(p.Reuse, 0, nil), tz.Tokens(p.Source, 0, nil)
	if got, want := Prepare(a, opt).PairPrepared(PrepareText(p.Source, b, opt)), Pair(a, b, opt); !reflect.DeepEqual(got, want) {
		t.Errorf("without text: %+v, want Pair's %+v", got, want)
	}
}
