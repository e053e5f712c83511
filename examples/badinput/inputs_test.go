package badinput_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// init adds the rows of hostile or careless inputs (issue 12, items 6 to
// 12) to the table: rules files, incomplete merge inputs, templates,
// control characters, dates, negative counts, token files and repository
// names. Each row is one case.
func init() { badInputs = append(badInputs, inputRows...) }

var inputRows = []badInput{
	// Rules files: a misspelt section must not silently switch rules off.
	{
		name: "sftforge: rules file with redaction: instead of redact:",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			rules := f.Write("rules.yaml", "redaction:\n  allow_patterns: ['^sk_test_']\n")
			return invocation{Args: []string{"--rules", rules, "-o", f.Path("out")}, Guard: []string{rules}}
		},
		code:   2,
		stderr: []string{`rules.yaml:1: unknown top-level key "redaction" (known: layers, rules, keywords, taxonomy, redact)`},
	},
	{
		name: "sftforge: rules file with an unknown key inside redact:",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			rules := f.Write("rules.yaml", "redact:\n  allow_pattern: ['^sk_test_']\n")
			return invocation{Args: []string{"--rules", rules, "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{`rules.yaml:2: redact: unknown key "allow_pattern"`},
	},
	// Token files: never carry on unauthenticated or retry a bad header.
	{
		name: "gather: empty --token-file",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			tok := f.Write("token", "")
			return invocation{Args: []string{"acme", "pay", "--token-file", tok, "-o", f.Path("out"), "--api-url", "http://127.0.0.1:1/"}}
		},
		code:   2,
		stderr: []string{"token is empty"},
		check:  absent("out"),
	},
	{
		name: "gather: two-line --token-file",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			tok := f.Write("token", fakeToken+"\n"+fakeToken+"\n")
			return invocation{Args: []string{"acme", "pay", "--token-file", tok, "-o", f.Path("out"), "--api-url", "http://127.0.0.1:1/"}}
		},
		code:        2,
		stderr:      []string{"token has more than one line"},
		notInOutput: []string{fakeToken},
		check:       absent("out"),
	},
	{
		name: "sftforge: --token-file with a space",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			tok := f.Write("token", fakeToken[:10]+" "+fakeToken[10:]+"\n")
			return invocation{Args: []string{"--github", "acme/pay", "--token-file", tok, "-o", f.Path("out"), "--api-url", "http://127.0.0.1:1/"}}
		},
		code:        2,
		stderr:      []string{"token contains whitespace"},
		notInOutput: []string{fakeToken[:10], fakeToken[10:]},
		check:       absent("out"),
	},
	{
		name: "sftforge: empty --token-file",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			tok := f.Write("token", "\n")
			return invocation{Args: []string{"--github", "acme/pay", "--token-file", tok, "-o", f.Path("out"), "--api-url", "http://127.0.0.1:1/"}}
		},
		code:   2,
		stderr: []string{"token is empty"},
		check:  absent("out"),
	},
	// OWNER/REPO: checked against GitHub's rules before any request.
	{
		name: "gather: REPO with a query string",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"tokio-rs", "axum?x=", "-o", f.Path("out")}, Env: []string{"GITHUB_TOKEN=" + fakeToken}}
		},
		code:        2,
		stderr:      []string{`repository "axum?x=": character '?' not allowed`},
		notInOutput: []string{fakeToken},
		check:       absent("out"),
	},
	{
		name: "gather: OWNER ..",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"..", "..", "-o", f.Path("out")}, Env: []string{"GITHUB_TOKEN=" + fakeToken}}
		},
		code:   2,
		stderr: []string{`owner "..": character '.' not allowed`},
		check:  absent("out"),
	},
	{
		name: "sftforge: --github owner/repo#frag",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"--github", "owner/repo#frag", "-o", f.Path("out")}, Env: []string{"GITHUB_TOKEN=" + fakeToken}}
		},
		code:        2,
		stderr:      []string{`--github "owner/repo#frag": want OWNER/REPO: github: repository "repo#frag": character '#' not allowed`},
		notInOutput: []string{fakeToken},
		check:       absent("out"),
	},
	{
		name: "sftforge: --github ../..",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"--github", "../..", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{`--github "../..": want OWNER/REPO`},
		check:  absent("out"),
	},
}

// absent checks that the row's run left no file or directory at name.
func absent(name string) func(t *testing.T, f *fixture) {
	return func(t *testing.T, f *fixture) {
		t.Helper()
		_, err := os.Lstat(f.Path(name))
		assert.True(t, os.IsNotExist(err), "%s exists", strings.TrimPrefix(f.Path(name), f.Dir))
	}
}
