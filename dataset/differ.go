package dataset

import (
	"github.com/sftforge/sftforge/export"
	"github.com/sftforge/sftforge/lang"
)

// DefaultLanguages returns the languages sftforge ships, registered in
// one place, the export engine ([export.DefaultLanguages]): Rust. A caller
// adds a language by passing a registry with one more entry as
// [ExportOptions.Languages] and [MergeOptions.Languages]; nothing else
// changes (see lang's package example).
func DefaultLanguages() lang.Registry {
	return export.DefaultLanguages()
}

// nonNil returns s, or an empty slice for nil, so that JSON has [] not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
