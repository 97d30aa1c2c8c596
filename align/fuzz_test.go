package align

import (
	"reflect"
	"testing"

	"github.com/reprint/reprint/token"
)

// fuzzTokens makes one token per byte, from a vocabulary of vocab words, so
// that small vocabularies give the repetitive text that stresses chaining.
func fuzzTokens(data []byte, vocab int) []token.Token {
	toks := make([]token.Token, len(data))
	for i, c := range data {
		toks[i] = token.Token{Start: 2 * i, End: 2*i + 1, Hash: token.Mix(uint64(int(c)%vocab) + 1)}
	}
	return toks
}

func FuzzPair(f *testing.F) {
	f.Add([]byte("abcdefghijklmnopqrstuvwxyz"), []byte("xxabcdefghijklmnopqrsyyz"), uint8(5), uint8(26))
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), []byte("aaaaaaaaaaaaaaaaaaaaa"), uint8(3), uint8(2))
	f.Add([]byte("the quick brown fox jumps over the lazy dog again and again"), []byte("over the lazy dog the quick brown fox jumps"), uint8(4), uint8(200))
	f.Fuzz(func(t *testing.T, da, db []byte, minWords, vocab uint8) {
		a := fuzzTokens(da, int(vocab)+1)
		b := fuzzTokens(db, int(vocab)+1)
		o := DefaultOptions()
		o.MinWords = int(minWords%20) + 1
		o.Anchor = int(minWords%5) + 2
		ps := Pair(a, b, o)
		if got := Prepare(a, o).Pair(b); !reflect.DeepEqual(got, ps) {
			t.Fatalf("Prepared.Pair differs from Pair:\n%+v\n%+v", got, ps)
		}
		for k, p := range ps {
			if p.ATok0 < 0 || p.ATok0 >= p.ATok1 || p.ATok1 > len(a) || p.BTok0 < 0 || p.BTok0 >= p.BTok1 || p.BTok1 > len(b) {
				t.Fatalf("passage %d out of bounds: %+v (len %d, %d)", k, p, len(a), len(b))
			}
			if p.AStart != a[p.ATok0].Start || p.AEnd != a[p.ATok1-1].End || p.BStart != b[p.BTok0].Start || p.BEnd != b[p.BTok1-1].End {
				t.Fatalf("passage %d: byte spans do not match token ranges: %+v", k, p)
			}
			if max(p.ATok1-p.ATok0, p.BTok1-p.BTok0) < o.MinWords || p.Identity < o.MinIdentity || p.Identity > 1 || p.Words <= 0 {
				t.Fatalf("passage %d should not be reported: %+v", k, p)
			}
			if k > 0 && comparePassages(ps[k-1], p) > 0 {
				t.Fatalf("passages %d and %d out of order", k-1, k)
			}
			for _, q := range ps[:k] {
				if overlapBoth(p, q) {
					t.Fatalf("passages overlap in both documents after merging: %+v %+v", q, p)
				}
			}
			ia, ib := p.ATok0, p.BTok0
			for _, op := range Diff(a, b, p) {
				if op.A0 != ia || op.B0 != ib || op.A1 < op.A0 || op.B1 < op.B0 {
					t.Fatalf("passage %d: edit script not contiguous at %+v", k, op)
				}
				for x := op.A0; op.Kind == Equal && x < op.A1; x++ {
					if a[x].Hash != b[op.B0+x-op.A0].Hash {
						t.Fatalf("passage %d: equal run of unequal words %+v", k, op)
					}
				}
				ia, ib = op.A1, op.B1
			}
			if ia != p.ATok1 || ib != p.BTok1 {
				t.Fatalf("passage %d: edit script ends at %d,%d, passage at %d,%d", k, ia, ib, p.ATok1, p.BTok1)
			}
		}
	})
}
