package archmap

import (
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
)

// randomPaths joins random segments, among them the ones the layout
// functions look for, empty ones, dots, backslashes and upper case.
func randomPaths(n int) []string {
	segs := []string{"", ".", "..", "src", "tests", "benches", "examples", "crates", "libs", "a", "Core", "b\\c", "x.rs", "README.md", "İx", "docs"}
	r := rand.New(rand.NewPCG(1, 2))
	out := []string{"", "/", "a", "src/", "/src/a.rs", "crates/x/src/lib.rs"}
	for range n {
		var parts []string
		for range 1 + r.IntN(6) {
			parts = append(parts, segs[r.IntN(len(segs))])
		}
		out = append(out, strings.Join(parts, "/"))
	}
	return out
}

// TestNormalizePathFastPath: a path returned as it is is the cleaned one.
func TestNormalizePathFastPath(t *testing.T) {
	for _, p := range randomPaths(3000) {
		want := strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(p, `\`, "/")), "/")
		assert.Equal(t, want, NormalizePath(p), "%q", p)
	}
}

// TestLayoutArea: PathArea from the layout, which does not split the
// path, is the split version (the reference, as PathArea was).
func TestLayoutArea(t *testing.T) {
	reference := func(p string) (string, string, bool) {
		segs := strings.Split(p, "/")
		dirs := segs[:len(segs)-1]
		at := -1
		for i, s := range dirs {
			if s == "src" {
				at = i
			}
		}
		if at < 0 {
			at = slices.IndexFunc(dirs, func(s string) bool { return s == "tests" || s == "benches" || s == "examples" })
		}
		if at >= 0 {
			crate := ""
			if at > 0 {
				crate = dirs[at-1]
			}
			return crate, strings.Join(segs[at:], "/"), true
		}
		for i, s := range dirs {
			if slices.Contains(crateParents, s) && i+1 < len(dirs) {
				return dirs[i+1], strings.Join(segs[i+2:], "/"), true
			}
		}
		return "", "", false
	}
	for _, p := range randomPaths(3000) {
		c, m, ok := reference(p)
		gc, gm, gok := PathArea(p)
		assert.Equal(t, []any{c, m, ok}, []any{gc, gm, gok}, "%q", p)
		// With crates of which none holds p: the layout, the same way.
		gc, gm, gok = PathArea(p, Crate{Name: "elsewhere", Dir: "no/such/dir"})
		assert.Equal(t, []any{c, m, ok}, []any{gc, gm, gok}, "%q with crates", p)
	}
}

// TestSplitWordsReference: SplitWords cuts and lowers as a word-by-word
// split does, on ASCII and other text.
func TestSplitWordsReference(t *testing.T) {
	reference := func(s string) []string {
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
	texts := []string{"", "---", "fix(Router): Add PaymentMethods", "3DS", "İstanbul KelvinK Ǆemal", "x\xffY", "ÀB_cD éF"}
	texts = append(texts, randomPaths(500)...)
	for _, s := range texts {
		assert.Equal(t, reference(s), SplitWords(s), "%q", s)
	}
}
