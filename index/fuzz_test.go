package index

import (
	"testing"
)

// FuzzDecodeMeta: any bytes decode to metadata or an error, never a panic,
// and what decodes encodes back to the same bytes.
func FuzzDecodeMeta(f *testing.F) {
	f.Add((&meta{ID: "a", Date: "2020-01-01", Source: "s", URL: "u", Start: 3, Bytes: 10, Words: 2, Shingles: 1}).encode())
	f.Add([]byte{1})
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeMeta(b)
		if err != nil {
			return
		}
		m2, err := decodeMeta(m.encode())
		if err != nil || m2 != m {
			t.Fatalf("round trip: %+v -> %+v, %v", m, m2, err)
		}
	})
}

// FuzzDecodeCounters: any bytes decode to counters or an error.
func FuzzDecodeCounters(f *testing.F) {
	f.Add(counters{Next: 9, Docs: 8, TextBytes: 1 << 40, Words: 7}.encode())
	f.Add([]byte{0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCounters(b)
		if err != nil {
			return
		}
		if c2, err := decodeCounters(c.encode()); err != nil || c2 != c {
			t.Fatalf("round trip: %+v -> %+v, %v", c, c2, err)
		}
	})
}
