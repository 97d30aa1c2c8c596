// Metadata sidecars: a JSONL file that supplies date, source and URL for
// documents by ID, for inputs that cannot carry them (a folder of text
// files), or to correct them. One object a line:
//
//	{"id": "000_a2e0a91b0cb3cf6c.txt", "date": "2017-10-31", "source": "Alwaght", "url": "https://..."}
//
// The whole sidecar is read into a map before the corpus is: it is small
// next to the texts (one entry per document at most) and every document
// must be able to look itself up. A field the sidecar gives replaces the
// document's own; a field it leaves out or empty leaves the document's own
// in place, so a sidecar of dates alone does not wipe sources read from
// JSONL. Bad lines (not JSON, no id, an impossible date, an id given twice)
// are Problems with file and line and are skipped; the rest of the sidecar
// still applies. A date is a day or an RFC 3339 timestamp, as in JSONL.
//
// Deliberately not done: matching IDs loosely (by file name without the
// folder, or case-insensitively); an ID matches exactly or not at all, and
// the caller reports how many sidecar IDs matched nothing.

package corpus

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// Meta is what a sidecar says about one document.
type Meta struct {
	Date   string // "YYYY-MM-DD" or ""
	Source string
	URL    string
}

// Apply fills d's metadata from m: each non-empty field of m replaces d's.
func (m Meta) Apply(d *Doc) {
	if m.Date != "" {
		d.Date = m.Date
	}
	if m.Source != "" {
		d.Source = m.Source
	}
	if m.URL != "" {
		d.URL = m.URL
	}
}

// ReadMeta reads a metadata sidecar file. Bad lines go to onProblem (which
// may be nil) and are skipped; the error is for a file that cannot be read
// at all.
func ReadMeta(path string, onProblem func(*Problem)) (map[string]Meta, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, inputProblem(path, err)
	}
	defer f.Close()
	return ParseMeta(f, path, onProblem)
}

// maxMetaLine bounds one sidecar line; a longer one is a problem, not an
// out-of-memory.
const maxMetaLine = 1 << 20

// ParseMeta reads a metadata sidecar from r; name is used in problems.
func ParseMeta(r io.Reader, name string, onProblem func(*Problem)) (map[string]Meta, error) {
	if onProblem == nil {
		onProblem = func(*Problem) {}
	}
	out := map[string]Meta{}
	firstLine := map[string]int{}
	br := bufio.NewReaderSize(r, 64<<10)
	for line := 1; ; line++ {
		raw, tooLong, err := readLine(br, maxMetaLine)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, inputProblem(name, err)
		}
		if tooLong {
			onProblem(recordProblem(name, line, "line too long: over %d bytes", maxMetaLine))
			continue
		}
		s := strings.TrimSpace(string(raw))
		if s == "" {
			continue
		}
		id, m, why := parseMetaLine(s)
		if why != "" {
			onProblem(recordProblem(name, line, "%s", why))
			continue
		}
		if prev, ok := firstLine[id]; ok {
			onProblem(recordProblem(name, line, "duplicate id: %q is already given on line %d; this line is skipped", id, prev))
			continue
		}
		firstLine[id] = line
		out[id] = m
	}
}

// readLine returns the next line without its newline (nil at the end of
// input), or tooLong when it exceeds limit, in which case the rest of the
// line is consumed and dropped.
func readLine(br *bufio.Reader, limit int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > limit {
			tooLong = true
		} else if !tooLong {
			line = append(line, chunk...)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && (len(line) > 0 || tooLong):
			err = nil // a last line without a newline
		case err != nil:
			return nil, false, err
		}
		if line == nil {
			line = []byte{}
		}
		return []byte(strings.TrimSuffix(string(line), "\n")), tooLong, nil
	}
}

func parseMetaLine(s string) (id string, m Meta, why string) {
	if !utf8.ValidString(s) {
		return "", m, "invalid UTF-8"
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return "", m, fmt.Sprintf("not a JSON object: %v", err)
	}
	str := func(k string) (string, string) {
		x, ok := v[k]
		if !ok || x == nil {
			return "", ""
		}
		s, ok := x.(string)
		if !ok {
			return "", fmt.Sprintf("field %q is not a string", k)
		}
		return s, ""
	}
	var bad string
	if id, bad = str("id"); bad != "" {
		return "", m, bad
	}
	if id == "" {
		return "", m, `no "id"`
	}
	if m.Source, bad = str("source"); bad != "" {
		return "", m, bad
	}
	if m.URL, bad = str("url"); bad != "" {
		return "", m, bad
	}
	date, bad := str("date")
	if bad != "" {
		return "", m, bad
	}
	if date != "" {
		d, ok := parseDate(date)
		if !ok {
			return "", m, fmt.Sprintf("bad date %q: want YYYY-MM-DD, YYYY/MM/DD, RFC 3339 or RFC 1123", date)
		}
		m.Date = d
	}
	return id, m, ""
}
