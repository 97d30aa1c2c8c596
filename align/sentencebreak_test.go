package align

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSentenceBreakDefinition: the byte scan of sentenceBreak says what
// its definition says: '.', '!' or '?' in the gap, or a blank line.
func TestSentenceBreakDefinition(t *testing.T) {
	def := func(gap string) bool {
		return strings.ContainsAny(gap, ".!?") || strings.Contains(gap, "\n\n") || strings.Contains(gap, "\n\r\n")
	}
	gaps := []string{"", " ", ". ", "\n", "\n\n", "\n\r\n", "\r\n\r\n", "\n \n", " \n\r", "\n\r", "…", "—", "\u00a0", " ?", "!"}
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{" ", "\n", "\r", ".", "!", "?", ",", "é", "—", "\t"}
	for range 5000 {
		var b strings.Builder
		for range r.IntN(6) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		gaps = append(gaps, b.String())
	}
	for _, gap := range gaps {
		text := "word" + gap + "next"
		if got, want := sentenceBreak(text, 4, 4+len(gap)), def(gap); got != want {
			t.Errorf("gap %q: sentenceBreak %v, want %v", gap, got, want)
		}
	}
}
