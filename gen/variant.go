// Exact-duplicate variants: the same words, bytes changed only where
// normalization is expected to erase the change (letter case, runs of
// whitespace, straight versus typographic quotes).

package gen

import (
	"strings"
)

func variant(r *rng, text string, v int) string {
	switch variants[v] {
	case "case":
		if r.chance(0.5) {
			return strings.ToUpper(text)
		}
		return strings.ToLower(text)
	case "whitespace":
		var sb strings.Builder
		sb.Grow(len(text) + len(text)/8)
		if r.chance(0.5) {
			sb.WriteString("  ")
		}
		for i := 0; i < len(text); i++ {
			c := text[i]
			switch {
			case c == ' ' && r.chance(0.05):
				sb.WriteString("\n")
			case c == ' ' && r.chance(0.1):
				sb.WriteString("  ")
			case c == '\n' && r.chance(0.3):
				sb.WriteString("\r\n")
			default:
				sb.WriteByte(c)
			}
		}
		sb.WriteString("\n")
		return sb.String()
	case "quotes":
		var sb strings.Builder
		sb.Grow(len(text) + len(text)/16)
		open := true
		for i := 0; i < len(text); i++ {
			switch c := text[i]; c {
			case '\'':
				sb.WriteString("\u2019")
			case '"':
				if open {
					sb.WriteString("\u201C")
				} else {
					sb.WriteString("\u201D")
				}
				open = !open
			default:
				sb.WriteByte(c)
			}
		}
		return sb.String()
	}
	return text
}
