package archmap

import (
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bmatcuk/doublestar/v4"
)

// Rule decides the layer of a repository-relative, slash-separated path.
// Match returns the layer ID and true when the rule applies. A [Classifier]
// tries its rules in order and the first match wins. Rules are plain values:
// any Go type with this method can be registered, like an analyzer in
// golang.org/x/tools/go/analysis.
type Rule interface {
	Match(path string) (layerID string, ok bool)
}

// RuleFunc adapts an ordinary function to the [Rule] interface.
type RuleFunc func(path string) (layerID string, ok bool)

// Match calls f(path).
func (f RuleFunc) Match(path string) (string, bool) { return f(path) }

// GlobRule assigns Layer to every path matching Pattern, a doublestar glob
// (https://github.com/bmatcuk/doublestar): `*` stays within one path segment,
// `**` spans any number of segments, `{a,b}` is an alternation. Patterns are
// anchored at the repository root, so `**/*.md` matches Markdown files at any
// depth and `*.md` only at the root.
type GlobRule struct {
	Pattern string `json:"glob" yaml:"glob"`
	Layer   string `json:"layer" yaml:"layer"`
}

// Match reports whether path matches the rule's pattern. An invalid pattern
// never matches; [GlobRule.Validate] (called by [New]) reports it.
func (r GlobRule) Match(p string) (string, bool) {
	// Cheap necessary conditions first: the literal text before the first
	// and after the last special character must frame the path. A slash
	// next to the special part is left out, since "a/**" also matches "a"
	// and "**/b" also matches "b".
	if i := strings.IndexAny(r.Pattern, globSpecial); i < 0 {
		if p != r.Pattern {
			return "", false
		}
	} else {
		j := strings.LastIndexAny(r.Pattern, globSpecialEnd)
		if !strings.HasPrefix(p, strings.TrimSuffix(r.Pattern[:i], "/")) ||
			!strings.HasSuffix(p, strings.TrimPrefix(r.Pattern[j+1:], "/")) {
			return "", false
		}
	}
	if doublestar.MatchUnvalidated(r.Pattern, p) {
		return r.Layer, true
	}
	return "", false
}

// Characters that open and close the special parts of a doublestar pattern.
const (
	globSpecial    = `*?[{\`
	globSpecialEnd = `*?]}\`
)

// Validate reports an invalid pattern or an empty layer.
func (r GlobRule) Validate() error {
	if r.Layer == "" {
		return fmt.Errorf("glob %q: empty layer", r.Pattern)
	}
	if r.Pattern == "" || !doublestar.ValidatePattern(r.Pattern) {
		return fmt.Errorf("glob %q: invalid pattern", r.Pattern)
	}
	return nil
}

// Globs builds one [GlobRule] per pattern, all assigning layerID.
func Globs(layerID string, patterns ...string) []Rule {
	rules := make([]Rule, len(patterns))
	for i, p := range patterns {
		rules[i] = GlobRule{Pattern: p, Layer: layerID}
	}
	return rules
}

// NormalizePath returns the form of a path that rules receive: slash
// separated, cleaned, without a leading "./" or "/". It returns "" for the
// repository root and for empty input.
func NormalizePath(p string) string {
	if isCleanRelative(p) { // the usual path, from git: as it is
		return p
	}
	p = strings.ReplaceAll(p, `\`, "/")
	p = path.Clean("/" + p)
	return strings.TrimPrefix(p, "/")
}

// isCleanRelative reports whether NormalizePath(p) is p: no backslash, no
// leading or trailing slash, no empty, "." or ".." segment.
func isCleanRelative(p string) bool {
	start := 0
	for i := 0; i <= len(p); i++ {
		if i < len(p) && p[i] != '/' {
			if p[i] == '\\' {
				return false
			}
			continue
		}
		switch p[start:i] {
		case "", ".", "..":
			return p == ""
		}
		start = i + 1
	}
	return true
}

// SplitWords splits one path segment or phrase into lower-case words at
// every non-alphanumeric character and at lower-to-upper camel-case
// boundaries: "api_models" → [api models], "PaymentMethods.rs" → [payment
// methods rs], "docker-compose.yml" → [docker compose yml], "3DS" → [3ds]. Matching whole
// words is what keeps "add" from matching "address" and "core" from
// matching "score".
func SplitWords(s string) []string {
	n := 0
	eachWord(s, func(int, int) { n++ })
	if n == 0 {
		return nil
	}
	words := make([]string, 0, n)
	// An ASCII text is lowered at once (one string, if any letter is
	// upper case), its words cut from it at the same offsets.
	lower, ascii := s, true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		lower = strings.ToLower(s)
	}
	eachWord(s, func(start, end int) {
		if ascii {
			words = append(words, lower[start:end])
		} else {
			words = append(words, strings.ToLower(s[start:end]))
		}
	})
	return words
}

// eachWord calls word with the start and end of each word of s, as
// SplitWords cuts them.
func eachWord(s string, word func(start, end int)) {
	start := -1
	var prev rune
	for i, r := range s {
		alnum := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case !alnum:
			if start >= 0 {
				word(start, i)
				start = -1
			}
		case start < 0:
			start = i
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			word(start, i)
			start = i
		}
		prev = r
	}
	if start >= 0 {
		word(start, len(s))
	}
}
