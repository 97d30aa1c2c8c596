// Dates are kept as "YYYY-MM-DD" strings: reprint only orders documents by
// day, and a string survives JSON, Parquet and the index unchanged. A JSONL
// or Parquet date, a WARC-Date and a --meta date go through ParseDate, which
// takes the forms feeds and crawls write: YYYY-MM-DD, YYYY/MM/DD, RFC 3339
// (any fraction of a second), "YYYY-MM-DD hh:mm:ss", RFC 1123 and 1123Z
// (HTTP, e-mail, RSS), RFC 850 and ANSI C. Only the date part, in the zone
// as written (not converted to UTC), is kept, since the writer's local day
// is what "who published first" compares. A date that does not parse costs
// the record its date, not the record: it is kept undated, with a warning.
// A text file's date comes from a header line like the example news files':
//
//	 date 2017-10-30 Syria considers ...
//
// Deliberately not done: no other date formats ("Oct 30, 2017", "30/10/2017"
// are ambiguous or locale-bound), and a header with an impossible date
// (2017-02-30) is not a header, so the document is read whole.

package corpus

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// dateLayouts are the forms ParseDate takes after its own checks of the
// numeric ones. time.Parse accepts fractions of a second after the seconds
// in every layout, so RFC 3339 with or without a fraction is one entry.
var dateLayouts = [...]string{
	time.RFC3339, time.DateTime, time.RFC1123, time.RFC1123Z, time.RFC850, time.ANSIC,
	"Mon, 2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 2006 15:04:05 -0700", // RFC 1123 with a one-digit day, as RSS feeds write it
}

// ParseDate parses a date or timestamp in one of the forms the package
// comment lists. A time without a zone is in UTC; a time with one keeps it,
// so t.Format(time.DateOnly) is the day as written.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) == 10 {
		d := s
		if d[4] == '/' && d[7] == '/' {
			d = d[:4] + "-" + d[5:7] + "-" + d[8:]
		}
		if isDay(d) {
			return time.Parse(time.DateOnly, d)
		}
		return time.Time{}, fmt.Errorf("cannot parse %q as a date", clip(s, 40))
	}
	if len(s) > 10 && (s[0] == '+' || s[0] == '-' || s[0] >= '0' && s[0] <= '9') && !isDay(s[:10]) {
		// Only RFC 3339 and DateTime have a date here, and time.Parse would
		// take a signed year ("+017-10-30T...").
		return time.Time{}, fmt.Errorf("cannot parse %q as a date", clip(s, 40))
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	if s == "" {
		return time.Time{}, errors.New("empty date")
	}
	return time.Time{}, fmt.Errorf("cannot parse %q as a date (want YYYY-MM-DD, YYYY/MM/DD, RFC 3339 or RFC 1123)", clip(s, 40))
}

// parseDate returns the YYYY-MM-DD day of s (see ParseDate).
func parseDate(s string) (string, bool) {
	if isDay(s) {
		return s, true // already the day, as ParseDate would format it
	}
	t, err := ParseDate(s)
	if err != nil {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// isDay reports whether d is a real calendar day written YYYY-MM-DD.
// time.Parse alone would also take a sign in the year ("+017-10-30").
func isDay(d string) bool {
	if len(d) != 10 || d[4] != '-' || d[7] != '-' {
		return false
	}
	for _, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9} {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	_, err := time.Parse(time.DateOnly, d)
	return err == nil
}

// dateHeader reads a leading " date YYYY-MM-DD" (the space before "date"
// optional, then whitespace or the end of the line) from text. It returns the
// date and where the content begins: past the date and the whitespace after
// it. With no header it returns "", 0.
func dateHeader(text string) (date string, start int) {
	i := 0
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	const word = "date"
	if len(text)-i < len(word) || text[i:i+len(word)] != word {
		return "", 0
	}
	i += len(word)
	sp := i
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	if i == sp || len(text)-i < 10 {
		return "", 0
	}
	d := text[i : i+10]
	if !isDay(d) {
		return "", 0
	}
	i += 10
	if i < len(text) && !isSpace(text[i]) {
		return "", 0 // "date 2017-10-301" or "date 2017-10-30x" is not a header
	}
	for i < len(text) && isSpace(text[i]) {
		i++
	}
	return d, i
}

// isSpace reports ASCII whitespace, the only whitespace a header holds.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}
