package gitlog

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParsePRNumber(t *testing.T) {
	tests := []struct {
		name, subject, body string
		want                int
	}{
		{"squash merge", "feat(connector): add PlaceToPay cards (#1234)", "", 1234},
		{"last of several", "Revert \"feat: x (#12)\" (#34)", "", 34},
		{"merge pull request", "Merge pull request #12 from juspay/feature", "", 12},
		{"bors merge", "Merge #77", "77: fix things r=someone a=other", 77},
		{"homu auto merge", "Auto merge of #18370 - duncpro:goto-def-ranges, r=Veykril", "feat: x", 18370},
		{"rollup merge", "Rollup merge of #5 - a:b, r=c", "", 5},
		{"mergify queue", "Merge of #41", "", 41},
		{"merge line in body", "Merge branch 'main'", "Merge pull request #9 from a/b\n", 9},
		{"none", "fix: typo", "see #12 for details", 0},
		{"issue mention is not a pr", "fix: handle #12 properly", "", 0},
		{"too many digits", "feat: x (#12345678901234)", "", 0},
		{"leading spaces", "  Merge pull request #5 from x/y", "", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, ParsePRNumber(tt.subject, tt.body))
		})
	}
}

func FuzzParsePRNumber(f *testing.F) {
	f.Add("feat: x (#12)", "")
	f.Add("Merge pull request #12 from a/b", "body")
	f.Add("Merge #3", "")
	f.Add("x", "Merge #99999 and more\n")
	f.Fuzz(func(t *testing.T, subject, body string) {
		n := ParsePRNumber(subject, body)
		if n < 0 {
			t.Fatalf("negative PR number %d", n)
		}
		if n > 0 && !strings.Contains(subject+"\n"+body, "#"+strconv.Itoa(n)) && !strings.Contains(subject+"\n"+body, "#0") {
			t.Fatalf("PR number %d does not appear in %q / %q", n, subject, body)
		}
	})
}

func TestSplitMessage(t *testing.T) {
	tests := []struct {
		msg, subject, body string
	}{
		{"subject\n\nbody line\n", "subject", "body line"},
		{"\n\nsubject only\n", "subject only", ""},
		{"", "", ""},
		{"a\nb\nc", "a", "b\nc"},
	}
	for _, tt := range tests {
		s, b := splitMessage(tt.msg)
		assert.Equal(t, tt.subject, s, "subject of %q", tt.msg)
		assert.Equal(t, tt.body, b, "body of %q", tt.msg)
	}
}
