package redact

import (
	"regexp"
	"unicode"
	"unicode/utf8"
)

// placeholder returns the text that replaces a finding of rule.
func placeholder(rule string) string {
	switch rule {
	case EmailRule:
		return "<EMAIL>"
	case MentionRule:
		return "<USER>"
	default:
		return "<REDACTED:" + rule + ">"
	}
}

var placeholderPattern = regexp.MustCompile(`<(?:REDACTED:[a-z0-9][a-z0-9-]*|EMAIL|USER)>`)

// PlaceholderShare returns the share, from 0 to 1, of the non-space
// characters of text that belong to placeholders (<REDACTED:…>, <EMAIL>,
// <USER>). A caller can drop a record whose prompt or response is mostly
// placeholders, e.g. when the share exceeds 0.5. An empty or all-space text
// has share 0.
func PlaceholderShare(text string) float64 {
	total := countNonSpace(text)
	if total == 0 {
		return 0
	}
	covered := 0
	for _, loc := range placeholderPattern.FindAllStringIndex(text, -1) {
		covered += loc[1] - loc[0] // placeholders are ASCII without spaces
	}
	return float64(covered) / float64(total)
}

func countNonSpace(text string) int {
	n := 0
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f' {
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			n++
		}
		i += size
	}
	return n
}
