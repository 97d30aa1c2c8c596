package corpus

import (
	"strings"
	"testing"
)

func TestDateHeader(t *testing.T) {
	for _, c := range []struct {
		text, date string
		start      int
	}{
		{" date 2017-10-30 Syria considers", "2017-10-30", 17},
		{"date 2017-10-30 x", "2017-10-30", 16},
		{" date 2017-10-30\n\nBody", "2017-10-30", 18},
		{" date 2017-10-30\r\nBody", "2017-10-30", 18},
		{" date\t2017-10-30", "2017-10-30", 16},
		{" date 2017-10-30", "2017-10-30", 16},
		{" date 2017-10-30x", "", 0},
		{" date 2017-10-301", "", 0},
		{" date 2017-13-30 x", "", 0},
		{" date 2017-02-29 x", "", 0},
		{" date +017-10-30 x", "", 0},
		{" date2017-10-30 x", "", 0},
		{" Date 2017-10-30 x", "", 0},
		{"x date 2017-10-30", "", 0},
		{"\n date 2017-10-30", "", 0},
		{" date 2017-10", "", 0},
		{"", "", 0},
	} {
		date, start := dateHeader(c.text)
		if date != c.date || start != c.start {
			t.Errorf("dateHeader(%q) = %q, %d; want %q, %d", c.text, date, start, c.date, c.start)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2017-10-30", "2017-10-30"},
		{"2017-10-30T23:59:59Z", "2017-10-30"},
		{"2017-10-30T23:59:59.123-05:00", "2017-10-30"},
		{"2017-10-30T25:00:00Z", ""},
		{"2017-10-30 12:00", ""},
		{"2017-1-30", ""},
		{"30/10/2017", ""},
		{"-017-10-30", ""},
		{"", ""},
		{"2017/10/30", "2017-10-30"},
		{"2017/02/30", ""},
		{"2017/10-30", ""},
		{" 2017-10-30 ", "2017-10-30"},
		{"2017-10-30 23:59:59", "2017-10-30"},
		{"Mon, 30 Oct 2017 23:30:00 -0500", "2017-10-30"}, // the day as written, not UTC's
		{"Mon, 30 Oct 2017 12:00:00 GMT", "2017-10-30"},
		{"Mon, 2 Oct 2017 12:00:00 GMT", "2017-10-02"},
		{"Monday, 30-Oct-17 12:00:00 GMT", "2017-10-30"},
		{"Mon Oct 30 12:00:00 2017", "2017-10-30"},
		{"+017-10-30T00:00:00Z", ""},
		{"Oct 30, 2017", ""},
	} {
		got, ok := parseDate(c.in)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("parseDate(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
}

func FuzzDateHeader(f *testing.F) {
	for _, s := range []string{" date 2017-10-30 Syria", "date 2020-02-29\n\nx", " date 2017-10-3", "date", " date 9999-12-31\t", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		date, start := dateHeader(text)
		if start < 0 || start > len(text) {
			t.Fatalf("start %d out of [0,%d]", start, len(text))
		}
		if date == "" {
			if start != 0 {
				t.Fatalf("no date but start %d", start)
			}
			return
		}
		if !isDay(date) {
			t.Fatalf("date %q is not a day", date)
		}
		head := text[:start]
		if !strings.Contains(head, "date") || !strings.Contains(head, date) || strings.Contains(strings.TrimRight(head, " \t\r\n\v\f"), "\n") {
			t.Fatalf("header %q does not hold date %q on the first line", head, date)
		}
		if start < len(text) && isSpace(text[start]) {
			t.Fatalf("start %d is on whitespace", start)
		}
		// The header is a prefix property: what follows it does not matter.
		if d2, s2 := dateHeader(head); d2 != date || s2 != start {
			t.Fatalf("header alone gives %q %d, want %q %d", d2, s2, date, start)
		}
	})
}
