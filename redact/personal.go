package redact

import "strings"

// Rule IDs of the personal-data findings.
const (
	// EmailRule is the RuleID of an e-mail address; its placeholder is <EMAIL>.
	EmailRule = "email"
	// MentionRule is the RuleID of an @-mention; its placeholder is <USER>.
	MentionRule = "mention"
)

// findEmails appends the spans of e-mail addresses in text. It looks
// outward from each '@' rather than running a regex over the whole text.
// An SSH remote (git@github.com:org/repo) is not an address.
func findEmails(out []span, text string) []span {
	for from := 0; ; {
		i := strings.IndexByte(text[from:], '@')
		if i < 0 {
			return out
		}
		at := from + i
		from = at + 1
		start := at
		for start > 0 && isLocalPartByte(text[start-1]) {
			start--
		}
		for start < at && text[start] == '.' {
			start++
		}
		if start == at || text[start:at] == "git" {
			continue
		}
		end := domainEnd(text, at+1)
		if end < 0 {
			continue
		}
		out = append(out, span{start: start, end: end, rule: EmailRule})
		from = end
	}
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
	for from := 0; ; {
		i := strings.IndexByte(text[from:], '@')
		if i < 0 {
			return out
		}
		at := from + i
		from = at + 1
		if at > 0 && (isAlnum(text[at-1]) || strings.IndexByte("._%+-/@\\`", text[at-1]) >= 0) {
			continue
		}
		end := at + 1
		for end < len(text) && end-at <= 39 && (isAlnum(text[end]) || text[end] == '-' && end+1 < len(text) && isAlnum(text[end+1])) {
			end++
		}
		if end == at+1 || end-at > 39 {
			continue
		}
		if end < len(text) {
			next := text[end]
			if next == '_' || next == '/' || next == '@' || next == '-' || isAlnum(next) {
				continue
			}
			if next == '.' && end+1 < len(text) && isAlnum(text[end+1]) {
				continue
			}
		}
		out = append(out, span{start: at, end: end, rule: MentionRule})
		from = end
	}
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isAlnum(c byte) bool { return isLetter(c) || '0' <= c && c <= '9' }

func isLocalPartByte(c byte) bool {
	return isAlnum(c) || strings.IndexByte("._%+-", c) >= 0
}
