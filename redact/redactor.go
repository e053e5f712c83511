package redact

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Finding is one replaced span of a text.
type Finding struct {
	// RuleID names what was found: a gitleaks or curated rule ID
	// (aws-access-token, url-password…), a user rule ID, [EmailRule] or
	// [MentionRule].
	RuleID string
	// Start and End are byte offsets of the replaced span in the input
	// text, End exclusive.
	Start, End int
}

// span is a candidate finding.
type span struct {
	start, end int
	rule       string
}

// Redactor replaces secrets and personal data in texts. It is safe for
// concurrent use.
type Redactor struct {
	secrets  *secretEngine
	allow    *regexp.Regexp // nil: nothing allowed
	emails   bool
	mentions bool
	known    []string // Config.KnownSecrets of at least minKnownSecret bytes
}

// New builds a Redactor from cfg. It fails on an invalid user rule, allow
// pattern or allow path. Building one takes tens of milliseconds (the
// gitleaks rule set is parsed once per process); build it once and share
// it.
func New(cfg Config) (*Redactor, error) {
	r := &Redactor{emails: !cfg.KeepEmails, mentions: cfg.Mentions}
	for _, k := range cfg.KnownSecrets {
		if len(k) >= minKnownSecret {
			r.known = append(r.known, k)
		}
	}
	if len(cfg.AllowPatterns) > 0 {
		alts := make([]string, 0, len(cfg.AllowPatterns))
		for _, p := range cfg.AllowPatterns {
			if _, err := validateAllowPattern(p); err != nil {
				return nil, fmt.Errorf("redact: %w", err)
			}
			alts = append(alts, "(?:"+p+")")
		}
		r.allow = regexp.MustCompile(strings.Join(alts, "|"))
	}
	var err error
	if r.secrets, err = newSecretEngine(cfg.ExtraRules); err != nil {
		return nil, err
	}
	return r, nil
}

// Redact returns text with each secret (a rule's finding or a known
// secret) replaced by <REDACTED:rule-id>, each e-mail address by <EMAIL>
// and, if configured, each @-mention by <USER>, and the findings in order
// of position (offsets into text). Overlapping secrets are replaced by one
// placeholder; an "address" overlapping a secret (the pw@host of
// user:pw@host) is left to the secret's placeholder.
func (r *Redactor) Redact(text string) (string, []Finding) {
	var personal []span
	secrets := r.filterAllowed(text, r.secrets.find(text))
	if r.emails {
		personal = findEmails(personal, text)
	}
	if r.mentions {
		personal = findMentions(personal, text)
	}
	personal = r.filterAllowed(text, personal)
	secrets = r.findKnown(secrets, text)
	spans := mergeSpans(secrets, personal)
	if len(spans) == 0 {
		return text, nil
	}
	var b strings.Builder
	b.Grow(len(text))
	findings := make([]Finding, len(spans))
	prev := 0
	for i, s := range spans {
		b.WriteString(text[prev:s.start])
		b.WriteString(placeholder(s.rule))
		prev = s.end
		findings[i] = Finding{RuleID: s.rule, Start: s.start, End: s.end}
	}
	b.WriteString(text[prev:])
	return b.String(), findings
}

// findKnown appends the spans of every occurrence of a known secret.
func (r *Redactor) findKnown(out []span, text string) []span {
	for _, k := range r.known {
		for from := 0; ; {
			i := strings.Index(text[from:], k)
			if i < 0 {
				break
			}
			out = append(out, span{start: from + i, end: from + i + len(k), rule: KnownSecretRule})
			from += i + len(k)
		}
	}
	return out
}

// filterAllowed drops the spans whose text an allow pattern matches.
func (r *Redactor) filterAllowed(text string, spans []span) []span {
	if r.allow == nil {
		return spans
	}
	return slices.DeleteFunc(spans, func(s span) bool { return r.allow.MatchString(text[s.start:s.end]) })
}

// mergeSpans returns non-overlapping spans sorted by position. Overlapping
// secrets become one span named after the first (the longest on a tie, a
// provider's rule before a catch-all one). A personal span overlapping a
// secret is dropped: in postgres://app:pw@db.example.com the "address"
// pw@db.example.com is the password and a host, and the password's
// placeholder already covers the part that matters.
func mergeSpans(secrets, personal []span) []span {
	out := mergeOverlaps(secrets)
	if len(personal) == 0 {
		return out
	}
	personal = slices.DeleteFunc(personal, func(p span) bool {
		i, _ := slices.BinarySearchFunc(out, p.start, func(s span, start int) int {
			return cmp.Compare(s.end, start+1) // first secret ending after p.start
		})
		return i < len(out) && out[i].start < p.end
	})
	out = append(out, mergeOverlaps(personal)...)
	slices.SortFunc(out, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	return out
}

// mergeOverlaps sorts spans and merges overlapping ones; the merged span
// keeps the rule of the first.
func mergeOverlaps(spans []span) []span {
	slices.SortFunc(spans, func(a, b span) int {
		return cmp.Or(
			cmp.Compare(a.start, b.start),
			cmp.Compare(b.end, a.end),
			compareBool(isCatchAll(a.rule), isCatchAll(b.rule)),
			strings.Compare(a.rule, b.rule),
		)
	})
	var out []span
	for _, s := range spans {
		if s.end <= s.start {
			continue
		}
		if n := len(out); n > 0 && s.start < out[n-1].end {
			out[n-1].end = max(out[n-1].end, s.end)
			continue
		}
		out = append(out, s)
	}
	return out
}

// isCatchAll reports whether rule is one of the rules for secrets of any
// provider, which give way to a provider's own rule on the same span.
func isCatchAll(rule string) bool { return rule == genericRule || rule == rustLiteralRule }

// compareBool orders false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	default:
		return 1
	}
}

// RuleIDs returns the IDs of the secret rules in effect (gitleaks defaults,
// curated and user rules), sorted. [EmailRule] and [MentionRule] are not
// listed.
func (r *Redactor) RuleIDs() []string {
	return r.secrets.ruleIDs()
}
