package github

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Limits of GitHub's names.
const (
	// MaxOwnerLen is the longest user or organization name GitHub allows.
	MaxOwnerLen = 39
	// MaxRepoLen is the longest repository name GitHub allows.
	MaxRepoLen = 100
)

// ValidateRepo checks an owner and a repository name against GitHub's
// naming rules before either goes into a request path: an owner is 1 to 39
// ASCII letters, digits and single hyphens, neither starting nor ending
// with one; a repository name is 1 to 100 ASCII letters, digits, '.', '-'
// and '_', and not "." or "..". Anything else (`axum?x=`, `..`,
// `repo#frag`, a slash, a space) would reach another API path, so it is an
// error naming the value. Callers holding an "OWNER/REPO" string split it
// at its only slash first.
func ValidateRepo(owner, repo string) error {
	if err := validateOwner(owner); err != nil {
		return fmt.Errorf("github: owner %q: %w", owner, err)
	}
	if err := validateRepoName(repo); err != nil {
		return fmt.Errorf("github: repository %q: %w", repo, err)
	}
	return nil
}

func validateOwner(s string) error {
	switch {
	case s == "":
		return errors.New("empty")
	case len(s) > MaxOwnerLen:
		return fmt.Errorf("longer than %d characters", MaxOwnerLen)
	case s[0] == '-' || s[len(s)-1] == '-':
		return errors.New("starts or ends with '-'")
	case strings.Contains(s, "--"):
		return errors.New("has consecutive hyphens")
	}
	for _, c := range s {
		if !isAlnum(c) && c != '-' {
			return fmt.Errorf("character %q not allowed: want letters, digits and single hyphens", c)
		}
	}
	return nil
}

func validateRepoName(s string) error {
	switch {
	case s == "":
		return errors.New("empty")
	case s == "." || s == "..":
		return errors.New("not a repository name")
	case len(s) > MaxRepoLen:
		return fmt.Errorf("longer than %d characters", MaxRepoLen)
	}
	for _, c := range s {
		if !isAlnum(c) && c != '.' && c != '-' && c != '_' {
			return fmt.Errorf("character %q not allowed: want letters, digits, '.', '-' and '_'", c)
		}
	}
	return nil
}

func isAlnum(c rune) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// ValidateToken checks a token's shape without revealing it: it must be
// non-empty, one line, and made of printable ASCII without spaces (every
// GitHub token format is). Errors never contain the token, only what is
// wrong and where (byte offset).
func ValidateToken(token string) error {
	if err := checkToken(token); err != nil {
		return fmt.Errorf("github: %w", err)
	}
	return nil
}

func checkToken(token string) error {
	if token == "" {
		return errors.New("token is empty")
	}
	for i := 0; i < len(token); i++ {
		switch c := token[i]; {
		case c == '\n' || c == '\r':
			return fmt.Errorf("token has more than one line (line break at byte %d of %d)", i, len(token))
		case c == ' ' || c == '\t':
			return fmt.Errorf("token contains whitespace (at byte %d of %d)", i, len(token))
		case c < 0x20 || c >= 0x7f:
			return fmt.Errorf("token contains a control or non-ASCII byte (at byte %d of %d)", i, len(token))
		}
	}
	return nil
}

// ReadTokenFile reads a token from path: the file's content without one
// trailing newline ("\n" or "\r\n"), checked by [ValidateToken]. An empty
// file, a file of several lines and a token with spaces or control
// characters are errors naming the file, never the token.
func ReadTokenFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("github: token file: %w", err)
	}
	s := string(b)
	if t, ok := strings.CutSuffix(s, "\n"); ok {
		s = strings.TrimSuffix(t, "\r")
	}
	if err := checkToken(s); err != nil {
		return "", fmt.Errorf("github: token file %s: %w", path, err)
	}
	return s, nil
}
