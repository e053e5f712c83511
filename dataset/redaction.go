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
	// onText, when set (by tests), is told every text given to r.
	onText func(text string)
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

// texts redacts each text in place (an empty text is no call), counts
// findings by rule into counts, and reports how many there were.
func (r *Redactor) texts(counts map[string]int, texts ...*string) (found int) {
	for _, t := range texts {
		if *t == "" {
			continue
		}
		if r.onText != nil {
			r.onText(*t)
		}
		out, findings := r.r.Redact(*t)
		*t = out
		for _, f := range findings {
			counts[f.RuleID]++
		}
		found += len(findings)
	}
	return found
}

// mostlyPlaceholders reports whether a record whose texts had found
// findings should be dropped: its prompt or response is mostly
// placeholders (above MaxPlaceholderShare).
func mostlyPlaceholders(found int, prompt, response string) bool {
	return found > 0 && (redact.PlaceholderShare(prompt) > MaxPlaceholderShare ||
		redact.PlaceholderShare(response) > MaxPlaceholderShare)
}

// RedactRecord redacts a merged record's prompt, response and title in
// place, counting findings by rule into counts, and sets
// Metadata.Redactions. It reports whether the record should be dropped
// because its prompt or response is mostly placeholders.
func (r *Redactor) RedactRecord(rec *MergedRecord, counts map[string]int) (drop bool) {
	return r.redactMerged(rec, counts, false)
}

// redactMerged is RedactRecord; with textsRedacted, the prompt and title
// are made of text that was redacted already (a PR derived from redacted
// commit records) and only the response, new text, is redacted.
func (r *Redactor) redactMerged(rec *MergedRecord, counts map[string]int, textsRedacted bool) (drop bool) {
	if textsRedacted {
		rec.Metadata.Redactions = r.texts(counts, &rec.Response)
	} else {
		rec.Metadata.Redactions = r.texts(counts, &rec.Prompt, &rec.Response, &rec.Metadata.Title)
	}
	return mostlyPlaceholders(rec.Metadata.Redactions, rec.Prompt, rec.Response)
}

// RedactCommitRecord does the same for a commit export record: each of its
// texts once (subject, body, authors and response), its prompt rebuilt
// from the redacted subject and body (see [CommitPrompt]) rather than
// redacted a second time.
func (r *Redactor) RedactCommitRecord(rec *CommitRecord, counts map[string]int) (drop bool) {
	md := &rec.Metadata
	found := r.texts(counts, &md.Subject, &md.Body, &rec.Response, &md.Author, &md.MergeAuthor)
	if found > 0 {
		rec.Prompt = CommitPrompt(md.Subject, md.Body)
	}
	return mostlyPlaceholders(found, rec.Prompt, rec.Response)
}
