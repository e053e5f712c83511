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
// (may be empty: built-in rules only). mentions also replaces @-mentions;
// known are exact secrets (such as the GitHub token in use) that are always
// replaced.
func NewRedactor(rulesFile string, mentions bool, known ...string) (*Redactor, error) {
	var cfg redact.Config
	if rulesFile != "" {
		c, err := redact.LoadConfig(rulesFile)
		if err != nil {
			return nil, fmt.Errorf("dataset: %w", err)
		}
		cfg = c
	}
	cfg.Mentions = cfg.Mentions || mentions
	for _, k := range known {
		if k != "" {
			cfg.KnownSecrets = append(cfg.KnownSecrets, k)
		}
	}
	r, err := redact.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	return &Redactor{r: r}, nil
}

// NewRedactorFrom wraps a configured redact.Redactor.
func NewRedactorFrom(r *redact.Redactor) *Redactor { return &Redactor{r: r} }

// texts redacts each text in place, counts findings by rule into counts,
// and reports how many there were and whether the record is mostly
// placeholders (its prompt or response, the first two texts, above
// MaxPlaceholderShare) and should be dropped.
func (r *Redactor) texts(counts map[string]int, texts ...*string) (found int, drop bool) {
	for _, t := range texts {
		out, findings := r.r.Redact(*t)
		*t = out
		for _, f := range findings {
			counts[f.RuleID]++
		}
		found += len(findings)
	}
	drop = found > 0 && (redact.PlaceholderShare(*texts[0]) > MaxPlaceholderShare ||
		redact.PlaceholderShare(*texts[1]) > MaxPlaceholderShare)
	return found, drop
}

// RedactRecord redacts a merged record's prompt, response and title in
// place, counting findings by rule into counts, and sets
// Metadata.Redactions. It reports whether the record should be dropped
// because its prompt or response is mostly placeholders.
func (r *Redactor) RedactRecord(rec *MergedRecord, counts map[string]int) (drop bool) {
	rec.Metadata.Redactions, drop = r.texts(counts, &rec.Prompt, &rec.Response, &rec.Metadata.Title)
	return drop
}

// RedactCommitRecord does the same for a commit export record: prompt,
// response, subject and authors, then the body, whose findings are not
// counted again (the prompt holds the same text).
func (r *Redactor) RedactCommitRecord(rec *CommitRecord, counts map[string]int) (drop bool) {
	_, drop = r.texts(counts, &rec.Prompt, &rec.Response, &rec.Metadata.Subject, &rec.Metadata.Author,
		&rec.Metadata.MergeAuthor)
	rec.Metadata.Body, _ = r.r.Redact(rec.Metadata.Body)
	return drop
}
