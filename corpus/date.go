// Dates are kept as "YYYY-MM-DD" strings: reprint only orders documents by
// day, and a string survives JSON, Parquet and the index unchanged. A JSONL
// or Parquet date may be a plain date or an RFC 3339 timestamp; only its
// date part, as written (not converted to UTC), is kept, since the writer's
// local day is what "who published first" compares. A text file's date comes
// from a header line like the example news files':
//
//	 date 2017-10-30 Syria considers ...
//
// Deliberately not done: no other date formats ("Oct 30, 2017", "30/10/2017"
// are ambiguous or locale-bound), and a header with an impossible date
// (2017-02-30) is not a header, so the document is read whole.

package corpus

import (
	"time"
)

// parseDate returns the YYYY-MM-DD day of s, which must be a date or an RFC
// 3339 timestamp.
func parseDate(s string) (string, bool) {
	if len(s) < 10 || !isDay(s[:10]) {
		return "", false
	}
	if len(s) == 10 {
		return s, true
	}
	if s[10] == 'T' || s[10] == 't' {
		if _, err := time.Parse(time.RFC3339, s); err == nil {
			return s[:10], true
		}
	}
	return "", false
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
