package corpus

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// FuzzWARC feeds arbitrary bytes to the WARC reader, plain and as gzip
// members, and checks what must hold for any input: no panic, every
// problem names the file, offsets stay inside the input and grow, Decode
// gives a Doc or a *Problem, and a second pass gives the same records.
// Run it for minutes with: go test ./corpus -run '^$' -fuzz FuzzWARC -fuzztime 5m
func FuzzWARC(f *testing.F) {
	f.Add(makeCrawl(false).data)
	f.Add(makeCrawl(true).data)
	w := &warcWriter{}
	w.add("conversion", "https://a.example/", "text/plain", []byte("short text"), 0)
	w.add("resource", "https://b.example/", "text/html", []byte("<p>Some <b>bold</b> words in a page.</p>"), 0)
	f.Add(w.buf.Bytes())
	w = &warcWriter{}
	w.add("response", "https://c.example/", "application/http; msgtype=response", []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), 0)
	f.Add(w.buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Open([]string{"fuzz.warc"}, Options{MaxRecordBytes: 1 << 16, HTML: HTMLRaw})
		if err != nil {
			t.Fatal(err)
		}
		pass := func() []string {
			var got []string
			last := int64(-1)
			wk := &walker{c: c, ctx: context.Background(), uris: map[uint64]struct{}{},
				problem: func(p *Problem) {
					if p.File != "fuzz.warc" || p.Reason == "" {
						t.Errorf("problem without file or reason: %+v", p)
					}
					// (In a gzip file, offsets after a member's first record are
					// decompressed offsets, so only a plain file bounds them.)
					if p.HasOffset() && (p.Offset < 0 || p.Offset > int64(len(data)) && !bytes.HasPrefix(data, []byte{0x1f, 0x8b})) {
						t.Errorf("problem offset %d outside %d bytes: %v", p.Offset, len(data), p)
					}
					got = append(got, "problem "+p.Error())
				}}
			wk.emit = func(r Record) error {
				plain := !bytes.HasPrefix(data, []byte{0x1f, 0x8b})
				if r.Offset < 0 || plain && (r.Offset > int64(len(data)) || r.Offset < last) {
					t.Errorf("record offset %d after %d, input %d bytes", r.Offset, last, len(data))
				}
				last = r.Offset
				d, err := c.Decode(r)
				var p *Problem
				switch {
				case err == nil:
					if d.ID == "" || strings.TrimSpace(d.Text) == "" {
						t.Errorf("doc without ID or text: %+v", d)
					}
					got = append(got, "doc "+d.ID+" "+d.Text)
				case errors.As(err, &p):
					got = append(got, "bad "+p.Error())
				default:
					t.Errorf("Decode error %T %v", err, err)
				}
				return nil
			}
			if err := wk.warc("fuzz.warc", bytes.NewReader(data)); err != nil {
				t.Fatal(err)
			}
			return got
		}
		a, b := pass(), pass()
		if strings.Join(a, "\n") != strings.Join(b, "\n") {
			t.Errorf("two passes differ:\n%q\n%q", a, b)
		}
	})
}

// FuzzHTML runs extraction on arbitrary pages: a page costs itself, never
// the run (no panic, a Doc or a *Problem).
func FuzzHTML(f *testing.F) {
	f.Add([]byte(templateA("Title", article(1, 3))))
	f.Add([]byte(templateB("Title", article(2, 2))))
	f.Add([]byte("<html><body><table><tr><td><div><p>deep</table></p>"))
	f.Fuzz(func(t *testing.T, page []byte) {
		c, err := Open([]string{"x.html"}, Options{MaxRecordBytes: 1 << 16})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Decode(Record{File: "x.html", kind: kindHTML, id: "x.html", raw: page})
		var p *Problem
		if err != nil && !errors.As(err, &p) {
			t.Errorf("Decode error %T %v", err, err)
		}
	})
}
