package dataset

// Redactor removes secrets and personal data from the texts of records.
// It is a placeholder until the redact package lands.
type Redactor struct{}

// NewRedactor builds a Redactor from a rules file's redaction section.
func NewRedactor(rulesFile string, mentions bool) (*Redactor, error) { return &Redactor{}, nil }

// RedactRecord redacts a merged record in place.
func (r *Redactor) RedactRecord(rec *MergedRecord, counts map[string]int) bool { return false }
