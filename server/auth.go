// Bearer tokens, compared in constant time. A token is read once at
// start; rotating it means restarting the server. Not done: several
// tokens, scopes, tokens for reads.

package server

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
)

func tokenOK(r *http.Request, token string) bool {
	h := r.Header.Get("Authorization")
	got, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(token)) == 1
}

// ReadToken reads a token file: its first line, trimmed; it must not be empty.
func ReadToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	tok := strings.TrimSpace(line)
	if tok == "" {
		return "", errors.New("token file is empty")
	}
	if len(tok) < 16 {
		return "", fmt.Errorf("token in %s is %d characters; use at least 16", path, len(tok))
	}
	return tok, nil
}
