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

// FuzzDecodeMember: any bytes decode to a story member (date, source, ID)
// or fail, never panic, and what decodes round-trips; the same for the
// stories state mark.
func FuzzDecodeMember(f *testing.F) {
	f.Add(memberValue(&meta{ID: "a", Date: "2020-01-01", Source: "AP"}))
	f.Add(stateMark{Next: 1 << 40, Bytes: 7}.encode())
	f.Add([]byte{0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		if d, ok := decodeMember(b); ok {
			if d2, ok := decodeMember(memberValue(&meta{ID: d.ID, Date: d.Date, Source: d.Source})); !ok || d2 != d {
				t.Fatalf("round trip: %+v -> %+v", d, d2)
			}
		}
		if m, err := decodeStateMark(b); err == nil {
			if m2, err := decodeStateMark(m.encode()); err != nil || m2 != m {
				t.Fatalf("round trip: %+v -> %+v, %v", m, m2, err)
			}
		}
	})
}
