package dataset

import (
	"strings"
	"testing"
)

// commitTitleCases are subjects and bodies of plain, numbered, merge and
// empty-subject commits.
var commitTitleCases = []struct{ subject, body string }{
	{"Add feature", ""},
	{"  Add feature (#12)  ", "Body text.\n\nCo-authored-by: x <x@y>"},
	{"Fix #12 and #13", "Closes #13"},
	{"Merge pull request #12 from user/branch", "Add the feature\n\nLonger text (#12)."},
	{"Merge #12", "12: Title of the PR r=rev a=author\n\nText"},
	{"Merge #12 #13", "12: First r=a\n13: Second r=b\n"},
	{"Auto merge of #12 - user:branch, r=reviewer", "Title (#12)\n\nr? @x\nbors r+"},
	{"Merge branch 'main' into feature", ""},
	{"", "\n\nTitle from the body\nmore"},
	{"   ", ""},
	{"feat: x (#5)", "See https://github.com/o/r/pull/5"},
	{"Rollup merge of #7 - a:b, r=c", ""},
	{"\tSubject with tab #9\t", "(#9)"},
}

// TestCommitTitle checks that commitTitle is CommitText's title.
func TestCommitTitle(t *testing.T) {
	for _, c := range commitTitleCases {
		want, _ := CommitText(c.subject, c.body)
		if got := commitTitle(c.subject, c.body); got != want {
			t.Errorf("commitTitle(%q, %q) = %q, want %q", c.subject, c.body, got, want)
		}
	}
}

// FuzzCommitTitle compares commitTitle with CommitText's title.
func FuzzCommitTitle(f *testing.F) {
	for _, c := range commitTitleCases {
		f.Add(c.subject, c.body)
	}
	f.Fuzz(func(t *testing.T, subject, body string) {
		want, _ := CommitText(subject, body)
		if got := commitTitle(subject, body); got != want {
			t.Fatalf("commitTitle(%q, %q) = %q, want %q", subject, body, got, want)
		}
	})
}

// isMergeLineRegexp is IsMergeLine without its prefix test: the
// reference of FuzzIsMergeLine.
func isMergeLineRegexp(s string) bool {
	s = strings.TrimSpace(s)
	return mergePRLine.MatchString(s) || mergeQueueLine.MatchString(s) || mergeHomuLine.MatchString(s) ||
		mergeBranchLine.MatchString(s)
}

// FuzzIsMergeLine compares IsMergeLine with the regular expressions alone.
func FuzzIsMergeLine(f *testing.F) {
	for _, c := range commitTitleCases {
		f.Add(c.subject)
	}
	f.Add("Merge of #3")
	f.Add("Merge remote-tracking branch 'origin/x'")
	f.Add(" Auto merge of #1 - a:b")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := IsMergeLine(s), isMergeLineRegexp(s); got != want {
			t.Fatalf("IsMergeLine(%q) = %v, want %v", s, got, want)
		}
	})
}
