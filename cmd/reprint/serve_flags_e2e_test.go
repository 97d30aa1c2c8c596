package main

import (
	"strings"
	"testing"
)

// TestServeFlagsOutOfRange: a memory or limit flag out of range is a usage
// error naming the flag, given before the index is opened or a port taken.
func TestServeFlagsOutOfRange(t *testing.T) {
	dir := t.TempDir()
	for _, c := range [][2]string{
		{"--cache-mb", "4"},
		{"--query-cache-mb", "-1"},
		{"--posting-cache-mb", "-1"},
		{"--posting-cache-mb", "2000000"},
		{"--max-conns", "0"},
		{"--compactions", "0"},
	} {
		r := reprintCmd(t, "", "serve", "--index", dir, "--addr", "127.0.0.1:0", c[0], c[1])
		if r.code != 2 || !strings.Contains(r.stderr, c[0]+" "+c[1]) {
			t.Errorf("%s %s: exit %d, %q; want a usage error naming the flag", c[0], c[1], r.code, r.stderr)
		}
	}
}
