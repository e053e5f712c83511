package dataset

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/sftforge/sftforge/gitlog"
)

// Merge lines: the subjects that merge tools write instead of a title. The
// pull request's own title and description, when the tool keeps them, are
// in the body.
var (
	// "Merge pull request #12 from user/branch": GitHub's merge commits.
	mergePRLine = regexp.MustCompile(`^Merge pull request #\d+\b`)
	// "Merge #12", "Merge #12 #13" (bors-ng), "Merge of #12" (Mergify).
	mergeQueueLine = regexp.MustCompile(`^Merge (?:of )?#\d+\b`)
	// "Auto merge of #12 - user:branch, r=reviewer" (homu, bors on
	// rust-lang), "Rollup merge of #12 - …".
	mergeHomuLine = regexp.MustCompile(`^(?:Auto|Rollup) merge of #\d+\b`)
	// "Merge branch 'x' into y", "Merge remote-tracking branch 'origin/x'",
	// "Merge tag 'v1'", "Merge commit '…'": merges without a pull request.
	mergeBranchLine = regexp.MustCompile(`^Merge (?:remote-tracking branch|branch|branches|tag|commit) `)
	// bors-ng's line for each merged pull request: "12: Title r=rev a=author".
	borsTitleLine = regexp.MustCompile(`^(\d+):\s+(.*?)(?:\s+r=\S+)?(?:\s+a=\S+)?\s*$`)
	// Lines that address a merge bot or a reviewer: "bors r+", "@bors
	// r=x", "r? @x", "r=x", "@rustbot label …".
	reviewerLine = regexp.MustCompile(`(?i)^\s*(@?(bors|homu|rustbot|mergify|bors-ng)\b|r\?\s*@?[\w-]+\s*$|r=\S+\s*$)`)
)

// IsMergeLine reports whether a subject or title is a merge line written by
// a merge tool ("Merge pull request #12 from user/branch", "Merge #12",
// "Auto merge of #12 - user:branch, r=reviewer", "Merge branch 'x'") rather
// than a title of its own.
func IsMergeLine(s string) bool {
	s = strings.TrimSpace(s)
	// Every merge line starts so: most lines are rejected without the
	// regular expressions.
	switch {
	case strings.HasPrefix(s, "Merge "):
		return mergePRLine.MatchString(s) || mergeQueueLine.MatchString(s) || mergeBranchLine.MatchString(s)
	case strings.HasPrefix(s, "Auto merge of #"), strings.HasPrefix(s, "Rollup merge of #"):
		return mergeHomuLine.MatchString(s)
	}
	return false
}

// CommitText returns the title and description that a commit message gives
// for its change, without what merge tools and reviews add: for a merge
// commit the pull request's title and description are the body (GitHub and
// homu put the title on the body's first line, bors-ng as "12: Title
// r=reviewer a=author"); the merge line, the commit's own PR number ("(#12)"
// suffixes, "#12"), reviewer lines ("r? @x", "bors r+") and trailers
// (Co-authored-by, Signed-off-by) are removed. A merge commit whose body
// gives nothing keeps its merge line as title (see [IsMergeLine]).
func CommitText(subject, body string) (title, description string) {
	subject = strings.TrimSpace(subject)
	own := gitlog.ParsePRNumber(subject, body)
	lines := strings.Split(strings.ReplaceAll(CleanCommitBody(body), "\r\n", "\n"), "\n")
	title = subject
	if IsMergeLine(subject) {
		title = ""
	}
	var kept []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if reviewerLine.MatchString(t) || IsMergeLine(strings.TrimLeft(t, "*-+ ")) {
			continue // also "* Merge branch 'main' into x" in a squash's list of commits
		}
		if m := borsTitleLine.FindStringSubmatch(t); m != nil && IsMergeLine(subject) &&
			(title == "" || strings.Contains(t, " r=") || strings.Contains(t, " a=")) {
			if title == "" {
				title = m[2]
				continue
			}
			l = m[2] // another pull request of a bors batch: its title stays as text
		}
		if title == "" {
			if t == "" {
				continue
			}
			title = t
			continue
		}
		kept = append(kept, l)
	}
	if title == "" {
		title = subject
	}
	title = stripOwnNumber(title, own)
	description = stripOwnNumber(foldBlankLines(kept), own)
	return strings.TrimSpace(title), strings.TrimSpace(description)
}

// commitTitle returns the title of [CommitText] alone: when the subject
// is a title of its own (neither empty nor a merge line), the body only
// names the commit's own PR number, and its lines are not gone through.
func commitTitle(subject, body string) string {
	s := strings.TrimSpace(subject)
	if s == "" || IsMergeLine(s) {
		title, _ := CommitText(subject, body)
		return title
	}
	return strings.TrimSpace(stripOwnNumber(s, gitlog.ParsePRNumber(s, body)))
}

// stripOwnNumber removes a pull request's own number from text: "(#12)"
// and "#12" as whole tokens. Other numbers (issues, other PRs) stay.
//
// It removes what the regular expression `\s*\(#N\)|\s?#N\b` matches
// (leftmost first, RE2's ASCII \s and \b) and trims the result, as
// stripOwnNumberRegexp does, without compiling the expression for each
// text.
func stripOwnNumber(text string, n int) string {
	if n <= 0 {
		return text
	}
	num := "#" + strconv.Itoa(n)
	if !strings.Contains(text, num) {
		return text
	}
	paren := "(" + num + ")"
	var b strings.Builder
	last := 0 // text[last:i] is kept, not yet copied
	for i := 0; i < len(text); {
		if e := ownNumberAt(text, i, num, paren); e > i {
			b.WriteString(text[last:i])
			last, i = e, e
			continue
		}
		i++
	}
	b.WriteString(text[last:])
	return strings.TrimSpace(b.String())
}

// ownNumberAt returns the end of the match of `\s*\(#N\)|\s?#N\b` (num is
// "#N", paren "(#N)") that starts at i, or -1.
func ownNumberAt(text string, i int, num, paren string) int {
	j := i
	for j < len(text) && isRE2Space(text[j]) {
		j++
	}
	if strings.HasPrefix(text[j:], paren) {
		return j + len(paren)
	}
	if i < len(text) && isRE2Space(text[i]) && strings.HasPrefix(text[i+1:], num) && wordEnds(text, i+1+len(num)) {
		return i + 1 + len(num)
	}
	if strings.HasPrefix(text[i:], num) && wordEnds(text, i+len(num)) {
		return i + len(num)
	}
	return -1
}

// isRE2Space reports whether c is in RE2's \s, [\t\n\f\r ].
func isRE2Space(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// wordEnds reports whether a word character before p is followed by a
// word boundary (RE2's \b): p is the end, or text[p] is not an ASCII
// letter, digit or underscore.
func wordEnds(text string, p int) bool {
	if p >= len(text) {
		return true
	}
	c := text[p]
	return !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_')
}
