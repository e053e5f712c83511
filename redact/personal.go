package redact

import "strings"

// Rule IDs of the personal-data findings.
const (
	// EmailRule is the RuleID of an e-mail address; its placeholder is <EMAIL>.
	EmailRule = "email"
	// MentionRule is the RuleID of an @-mention; its placeholder is <USER>.
	MentionRule = "mention"
)

// findAround appends a span of rule for each '@' in text around which
// match finds one (match returns ok false to skip that '@'); the search
// goes on after the end of each span found.
func findAround(out []span, text, rule string, match func(at int) (start, end int, ok bool)) []span {
	for from := 0; ; {
		i := strings.IndexByte(text[from:], '@')
		if i < 0 {
			return out
		}
		at := from + i
		from = at + 1
		if start, end, ok := match(at); ok {
			out = append(out, span{start: start, end: end, rule: rule})
			from = end
		}
	}
}

// findEmails appends the spans of e-mail addresses in text. It looks
// outward from each '@' rather than running a regex over the whole text.
// An SSH remote (git@github.com:org/repo) is not an address.
func findEmails(out []span, text string) []span {
	return findAround(out, text, EmailRule, func(at int) (int, int, bool) {
		start := at
		for start > 0 && isLocalPartByte(text[start-1]) {
			start--
		}
		for start < at && text[start] == '.' {
			start++
		}
		if start == at || text[start:at] == "git" {
			return 0, 0, false
		}
		end := domainEnd(text, at+1)
		return start, end, end >= 0
	})
}

// domainEnd returns the end of a domain name (labels of letters, digits
// and dashes, at least two, the last one of two or more letters) starting
// at p, or -1.
func domainEnd(text string, p int) int {
	end := p
	for end < len(text) && (isAlnum(text[end]) || text[end] == '-' || text[end] == '.') {
		if text[end] == '.' && (end == p || text[end-1] == '.') {
			break
		}
		end++
	}
	for end > p && (text[end-1] == '.' || text[end-1] == '-') {
		end--
	}
	lastDot := strings.LastIndexByte(text[p:end], '.')
	if lastDot <= 0 || lastDot >= end-p-2 {
		return -1
	}
	lastDot += p
	for _, c := range []byte(text[lastDot+1 : end]) {
		if !isLetter(c) {
			return -1
		}
	}
	return end
}

// findMentions appends the spans of GitHub-style @-mentions: '@' after a
// space, punctuation or the start of the text, followed by a user name (up
// to 39 letters, digits and inner dashes) that does not go on into a path,
// a domain or another address. Team mentions (@org/team) are kept.
func findMentions(out []span, text string) []span {
	return findAround(out, text, MentionRule, func(at int) (int, int, bool) {
		if at > 0 && (isAlnum(text[at-1]) || strings.IndexByte("._%+-/@\\`", text[at-1]) >= 0) {
			return 0, 0, false
		}
		end := at + 1
		for end < len(text) && end-at <= 39 && (isAlnum(text[end]) || text[end] == '-' && end+1 < len(text) && isAlnum(text[end+1])) {
			end++
		}
		if end == at+1 || end-at > 39 {
			return 0, 0, false
		}
		if end < len(text) {
			next := text[end]
			if next == '_' || next == '/' || next == '@' || next == '-' || isAlnum(next) {
				return 0, 0, false
			}
			if next == '.' && end+1 < len(text) && isAlnum(text[end+1]) {
				return 0, 0, false
			}
		}
		return at, end, true
	})
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isAlnum(c byte) bool { return isLetter(c) || '0' <= c && c <= '9' }

func isLocalPartByte(c byte) bool {
	return isAlnum(c) || strings.IndexByte("._%+-", c) >= 0
}
