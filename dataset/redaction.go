package dataset

import (
	"fmt"

	"github.com/sftforge/sftforge/redact"
)

// MaxPlaceholderShare is the share of a prompt or response made of
// redaction placeholders above which a record is dropped: what is left
// would teach nothing.
const MaxPlaceholderShare = 0.5

// Redactor removes secrets (gitleaks' rule set plus curated and user
// rules) and e-mail addresses from every text that goes into a record. It
// is on by default in the binaries; --no-redact turns it off.
type Redactor struct {
	r *redact.Redactor
}

// NewRedactor builds a Redactor from the `redact:` section of a rules file
// (may be empty: built-in rules only). mentions also replaces @-mentions.
func NewRedactor(rulesFile string, mentions bool) (*Redactor, error) {
	var cfg redact.Config
	if rulesFile != "" {
		c, err := redact.LoadConfig(rulesFile)
		if err != nil {
			return nil, fmt.Errorf("dataset: %w", err)
		}
		cfg = c
	}
	cfg.Mentions = cfg.Mentions || mentions
	r, err := redact.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	return &Redactor{r: r}, nil
}

// NewRedactorFrom wraps a configured redact.Redactor.
func NewRedactorFrom(r *redact.Redactor) *Redactor { return &Redactor{r: r} }

// text redacts one text and counts its findings.
func (r *Redactor) text(s string, counts map[string]int) (string, int) {
	out, findings := r.r.Redact(s)
	for _, f := range findings {
		counts[f.RuleID]++
	}
	return out, len(findings)
}

// RedactRecord redacts a merged record's prompt, response and title in
// place, counting findings by rule into counts, and sets
// Metadata.Redactions. It reports whether the record should be dropped
// because its prompt or response is mostly placeholders.
func (r *Redactor) RedactRecord(rec *MergedRecord, counts map[string]int) (drop bool) {
	var n, total int
	rec.Prompt, n = r.text(rec.Prompt, counts)
	total += n
	rec.Response, n = r.text(rec.Response, counts)
	total += n
	rec.Metadata.Title, n = r.text(rec.Metadata.Title, counts)
	total += n
	rec.Metadata.Redactions = total
	return total > 0 && (redact.PlaceholderShare(rec.Prompt) > MaxPlaceholderShare ||
		redact.PlaceholderShare(rec.Response) > MaxPlaceholderShare)
}

// RedactCommitRecord does the same for a commit export record: prompt,
// response, subject and author.
func (r *Redactor) RedactCommitRecord(rec *CommitRecord, counts map[string]int) (drop bool) {
	var n, total int
	rec.Prompt, n = r.text(rec.Prompt, counts)
	total += n
	rec.Response, n = r.text(rec.Response, counts)
	total += n
	rec.Metadata.Subject, n = r.text(rec.Metadata.Subject, counts)
	total += n
	rec.Metadata.Author, n = r.text(rec.Metadata.Author, counts)
	total += n
	return total > 0 && (redact.PlaceholderShare(rec.Prompt) > MaxPlaceholderShare ||
		redact.PlaceholderShare(rec.Response) > MaxPlaceholderShare)
}
