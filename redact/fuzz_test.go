package redact

import (
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

var fuzzRedactor = sync.OnceValues(func() (*Redactor, error) { return New(Config{Mentions: true}) })

// FuzzRedact checks the invariants of Redact on any text: findings are in
// order, inside the text and disjoint; the output is the text with each
// finding replaced by its placeholder; and no finding's text is left in
// the output where it was.
func FuzzRedact(f *testing.F) {
	for _, text := range fixtureTexts(f) {
		f.Add(text)
	}
	f.Add("api_key = \"" + fakeAPIValue + "\" jane@x.io @bob " + fakeGitHubPAT)
	f.Add("-----BEGIN PRIVATE KEY-----\nabc")
	f.Add("@\x00@a.b\n@")
	f.Fuzz(func(t *testing.T, text string) {
		r, err := fuzzRedactor()
		require.NoError(t, err)
		out, findings := r.Redact(text)
		var b strings.Builder
		prev := 0
		for i, fd := range findings {
			require.True(t, prev <= fd.Start && fd.Start < fd.End && fd.End <= len(text), "finding %d %+v after %d in %d bytes", i, fd, prev, len(text))
			b.WriteString(text[prev:fd.Start])
			b.WriteString(placeholder(fd.RuleID))
			prev = fd.End
		}
		b.WriteString(text[prev:])
		require.Equal(t, b.String(), out)
		if len(findings) == 0 {
			require.Equal(t, text, out)
		}
	})
}
