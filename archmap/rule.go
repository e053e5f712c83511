package archmap

import (
	"fmt"
	"path"
	"strings"
	"unicode"

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
	p = strings.ReplaceAll(p, `\`, "/")
	p = path.Clean("/" + p)
	return strings.TrimPrefix(p, "/")
}

// SplitWords splits one path segment or phrase into lower-case words at
// every non-alphanumeric character and at lower-to-upper camel-case
// boundaries: "api_models" → [api models], "PaymentMethods.rs" → [payment
// methods rs], "docker-compose.yml" → [docker compose yml], "3DS" → [3ds]. Matching whole
// words is what keeps "add" from matching "address" and "core" from
// matching "score".
func SplitWords(s string) []string {
	var words []string
	start := -1
	var prev rune
	flush := func(end int) {
		if start >= 0 {
			words = append(words, strings.ToLower(s[start:end]))
			start = -1
		}
	}
	for i, r := range s {
		alnum := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case !alnum:
			flush(i)
		case start < 0:
			start = i
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			flush(i)
			start = i
		}
		prev = r
	}
	flush(len(s))
	return words
}
