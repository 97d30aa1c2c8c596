// Helpers of the index and serve commands: terminal-safe printing of
// stored strings, and the exit codes their help lists.

package main

import (
	"strconv"
	"strings"
	"unicode"
)

// termSafe returns s as it can be printed on a terminal: unchanged when
// every rune is graphic (letters, marks, numbers, punctuation, symbols,
// spaces), otherwise Go-quoted with the others escaped. IDs, dates and
// sources come from the documents, so an ID holding ESC sequences or
// bidirectional overrides must not reach a terminal raw.
func termSafe(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsGraphic(r) || r == unicode.ReplacementChar }) < 0 {
		return s
	}
	return strconv.QuoteToGraphic(s)
}

// indexExitCodes ends the help of the index subcommands.
const indexExitCodes = `

Exit codes:
  0  success
  1  failure (the index could not be written or read: a storage error, a damaged index)
  2  usage error (bad flag or argument)
  3  an input or the index could not be opened (missing, not an index, in use), or an ID is not in it
  4  --strict was given and a record had to be skipped or was rejected
  130 interrupted (Ctrl-C, SIGTERM); what was reported as committed stays`
