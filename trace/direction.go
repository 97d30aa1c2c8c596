// Direction of reuse from publication dates. A passage flows from the
// earlier-dated document to the later one. Equal dates say nothing (two
// outlets publishing the same wire copy the same day), and a missing or
// malformed date says nothing either: both are "unknown", never a guess.
// Deliberately not done: inferring direction from text (which side has the
// additions); that is evidence, not provenance, and belongs in a report.

package trace

import "time"

// Directions a passage pair can have.
const (
	AtoB    = "a->b"
	BtoA    = "b->a"
	Unknown = "unknown"
)

// Direction returns the direction of reuse between documents a and b.
func Direction(a, b Doc) string {
	da, oka := parseDate(a.Date)
	db, okb := parseDate(b.Date)
	switch {
	case !oka || !okb || da.Equal(db):
		return Unknown
	case da.Before(db):
		return AtoB
	default:
		return BtoA
	}
}

// parseDate accepts "YYYY-MM-DD" and nothing else.
func parseDate(s string) (time.Time, bool) {
	if len(s) != len("2006-01-02") {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}
