package neardup

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

// encodingJSON is the line encoding/json writes for p, as the commands
// wrote pairs before AppendJSON.
func encodingJSON(t testing.TB, p Pair) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPairJSONIsEncodingJSON(t *testing.T) {
	ids := []string{"", "d0000123", "/usr/share/doc/a/changelog.gz#3", `quo"te`, `back\slash`, "tab\there", "nl\n",
		"<html>&amp;", "Zürich", "日本語", "line\u2028sep", "para\u2029", "bad\xffutf8", "\x00", "emoji 🙂", "\u007f"}
	floats := []float64{0, 1, 0.8, 1.0 / 3, 2.0 / 3, 0.1 + 0.2, 1e-6, 9.99e-7, 1e-7, 5e-324, 0.123456789012345678, 1e20, 1e21}
	r := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 2000; i++ {
		p := Pair{A: ids[r.IntN(len(ids))], B: ids[r.IntN(len(ids))], Jaccard: floats[r.IntN(len(floats))],
			ContainmentA: r.Float64(), ContainmentB: float64(r.IntN(1000)) / float64(1+r.IntN(1000))}
		if got, want := p.AppendJSON(nil), encodingJSON(t, p); !bytes.Equal(got, want) {
			t.Fatalf("%+v:\n got %s\nwant %s", p, got, want)
		}
	}
	if got := (Pair{Jaccard: math.NaN()}).AppendJSON(nil); !json.Valid(bytes.TrimSpace(got)) {
		t.Fatalf("NaN gave invalid JSON %s", got)
	}
}

func FuzzPairJSON(f *testing.F) {
	f.Add("a", "b", 0.8, 1.0, 0.5)
	f.Add("x\u2028", "\xff", 1e-7, 1e22, 0.0)
	f.Fuzz(func(t *testing.T, a, b string, j, ca, cb float64) {
		p := Pair{A: a, B: b, Jaccard: j, ContainmentA: ca, ContainmentB: cb}
		if math.IsNaN(j) || math.IsInf(j, 0) || math.IsNaN(ca) || math.IsInf(ca, 0) || math.IsNaN(cb) || math.IsInf(cb, 0) {
			return // encoding/json refuses them; no pair holds them
		}
		if got, want := p.AppendJSON(nil), encodingJSON(t, p); !bytes.Equal(got, want) {
			t.Fatalf("%+v:\n got %s\nwant %s", p, got, want)
		}
	})
}
