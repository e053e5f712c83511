package github

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// A reference is #N, OWNER/REPO#N or an issue URL on the web host. The
// leading group keeps "abc#1" and "x/y/z#1" from matching; the trailing
// check (in refsIn) keeps "#12abc" out.
func refPattern(host string) string {
	return `(?:` +
		`https?://(?i:` + regexp.QuoteMeta(host) + `)/([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+)/(issues|pull)/(\d+)` +
		`|([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+)#(\d+)` +
		`|#(\d+))`
}

// linkPatterns are the expressions for one web host.
type linkPatterns struct {
	// closing: a keyword GitHub honours, an optional colon, then a reference.
	closing, ref *regexp.Regexp
}

var hostPatterns sync.Map // host -> *linkPatterns

func patternsFor(host string) *linkPatterns {
	if p, ok := hostPatterns.Load(host); ok {
		return p.(*linkPatterns)
	}
	p := &linkPatterns{
		closing: regexp.MustCompile(`(?i)(^|[^A-Za-z0-9_/])(close[sd]?|fix(?:e[sd])?|resolve[sd]?)(?:\s*:\s*|\s+)` + refPattern(host)),
		ref:     regexp.MustCompile(`(^|[^A-Za-z0-9_/&.-])` + refPattern(host)),
	}
	actual, _ := hostPatterns.LoadOrStore(host, p)
	return actual.(*linkPatterns)
}

var (
	htmlCommentRE = regexp.MustCompile(`(?s)<!--.*?(?:-->|$)`)
	fencedCodeRE  = regexp.MustCompile("(?ms)^[ \t]*```.*?(?:^[ \t]*```[^\n]*$|\\z)|^[ \t]*~~~.*?(?:^[ \t]*~~~[^\n]*$|\\z)")
	inlineCodeRE  = regexp.MustCompile("`[^`\n]*`")
)

// ParseLinks finds the issue references in text (a PR body or a commit
// message) of the repository owner/repo. A reference preceded by a closing
// keyword GitHub honours (close, closes, closed, fix, fixes, fixed, resolve,
// resolves, resolved; any case; optional colon) is a closing link; any other
// reference ("see #12", "related to #12") is a mention. References are #N,
// OWNER/REPO#N and issue URLs; #N refers to owner/repo. HTML comments and
// code are ignored. Every reference has Source SourceText. Both lists are in order of first appearance, without
// duplicates, and a closing reference is not repeated among the mentions.
func ParseLinks(owner, repo, text string) (closing []IssueRef, mentions []IssueRef) {
	return ParseLinksOn("github.com", owner, repo, text)
}

// ParseLinksOn is ParseLinks for a repository of another web host, e.g. a
// GitHub Enterprise server's ghe.example.com (see WebHost): issue URLs are
// recognised on that host.
func ParseLinksOn(host, owner, repo, text string) (closing []IssueRef, mentions []IssueRef) {
	pat := patternsFor(host)
	// Each expression runs only on a text holding what it needs to match
	// (most commit messages have no code, and no closing keyword).
	if strings.Contains(text, "<!--") {
		text = htmlCommentRE.ReplaceAllString(text, " ")
	}
	if strings.Contains(text, "```") || strings.Contains(text, "~~~") {
		text = fencedCodeRE.ReplaceAllString(text, " ")
	}
	if strings.Contains(text, "`") {
		text = inlineCodeRE.ReplaceAllString(text, " ")
	}

	closingAt := map[int]bool{} // end offsets of references that close
	for _, m := range closingMatches(pat, text) {
		ref, end, ok := refAt(owner, repo, text, m, 3, true)
		if !ok || !boundaryAfter(text, end) {
			continue
		}
		closingAt[end] = true
		closing = appendRef(closing, ref)
	}
	for _, m := range pat.ref.FindAllStringSubmatchIndex(text, -1) {
		ref, end, ok := refAt(owner, repo, text, m, 2, false)
		if !ok || !boundaryAfter(text, end) || closingAt[end] || containsRef(closing, ref) {
			continue
		}
		mentions = appendRef(mentions, ref)
	}
	return closing, mentions
}

// closingMatches runs the closing pattern on text if text holds a part of
// each keyword: "clo", "fix" or "olv" in any case. (These letters fold to
// no other than their ASCII cases, unlike the s of "closes", which (?i)
// also matches as U+017F.)
func closingMatches(pat *linkPatterns, text string) [][]int {
	if !containsFold(text, "clo") && !containsFold(text, "fix") && !containsFold(text, "olv") {
		return nil
	}
	return pat.closing.FindAllStringSubmatchIndex(text, -1)
}

// containsFold reports whether s contains word (lower-case ASCII letters)
// in any ASCII case.
func containsFold(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		if s[i]|0x20 == word[0] && strings.EqualFold(s[i:i+len(word)], word) {
			return true
		}
	}
	return false
}

// refAt decodes the reference whose groups start at group g (the URL owner
// group) in a match m of the closing or reference pattern; it returns the reference and
// the offset where it ends.
func refAt(owner, repo, text string, m []int, g int, closing bool) (IssueRef, int, bool) {
	group := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return text[m[2*i]:m[2*i+1]]
	}
	var ref IssueRef
	var num string
	switch {
	case group(g) != "": // URL
		if closing && group(g+2) != "issues" {
			return IssueRef{}, 0, false // a closing keyword takes issue URLs only
		}
		ref.Owner, ref.Repo, num = group(g), group(g+1), group(g+3)
	case group(g+4) != "":
		ref.Owner, ref.Repo, num = group(g+4), group(g+5), group(g+6)
	default:
		ref.Owner, ref.Repo, num = owner, repo, group(g+7)
	}
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 {
		return IssueRef{}, 0, false
	}
	ref.Number, ref.Source = n, SourceText
	if strings.EqualFold(ref.Owner, owner) && strings.EqualFold(ref.Repo, repo) {
		ref.Owner, ref.Repo = owner, repo
	}
	return ref, m[1], true
}

// boundaryAfter reports whether a reference ending at end is not followed by
// a word character ("#12abc" is no reference).
func boundaryAfter(text string, end int) bool {
	if end >= len(text) {
		return true
	}
	c := text[end]
	return !(c == '_' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')
}

func containsRef(refs []IssueRef, ref IssueRef) bool {
	for _, r := range refs {
		if r.same(ref) {
			return true
		}
	}
	return false
}

func appendRef(refs []IssueRef, ref IssueRef) []IssueRef {
	if containsRef(refs, ref) {
		return refs
	}
	return append(refs, ref)
}

// sameRepoNumbers returns the numbers of the references to owner/repo.
func sameRepoNumbers(owner, repo string, refs []IssueRef) []int {
	out := []int{}
	for _, r := range refs {
		if r.Owner == owner && r.Repo == repo {
			out = append(out, r.Number)
		}
	}
	return out
}
