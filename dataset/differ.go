package dataset

import (
	"github.com/sftforge/sftforge/lang"
	"github.com/sftforge/sftforge/rustparse"
)

// DefaultLanguages returns the languages sftforge ships, the one place
// they are registered: Rust (rustparse.Language). A caller adds a language
// by passing a registry with one more entry as [ExportOptions.Languages]
// and [MergeOptions.Languages]; nothing else changes (see lang's package
// example).
func DefaultLanguages() lang.Registry {
	return lang.Registry{rustparse.Language()}
}

// nonNil returns s, or an empty slice for nil, so that JSON has [] not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
