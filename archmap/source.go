package archmap

import "strings"

// RustSource reports whether p is a Rust source file (its name ends in
// .rs). It is what archmap counts as source code when a caller names no
// predicate of its own: the nil isSource of [CountAreas], [LargeCrates]
// and [WorkspaceFromPaths], a [Classifier] without [Classifier.WithSources].
// A caller that knows the languages of its run passes theirs (package
// dataset passes lang.Registry.IsSource), so a language added there counts
// as source here with no change to archmap.
func RustSource(p string) bool { return strings.HasSuffix(p, ".rs") }

// sourceOr returns isSource, or [RustSource] when it is nil.
func sourceOr(isSource func(path string) bool) func(path string) bool {
	if isSource == nil {
		return RustSource
	}
	return isSource
}

// WithSources returns a copy of c whose source files are those isSource
// reports (nil: [RustSource]); the detectors of [DetectPatterns] ask it
// through [Classifier.IsSource].
func (c *Classifier) WithSources(isSource func(path string) bool) *Classifier {
	d := c.clone()
	d.isSource = isSource
	return d
}

// IsSource reports whether p is a source file of the languages c was given
// ([Classifier.WithSources]); [RustSource] by default and for a nil c.
func (c *Classifier) IsSource(p string) bool {
	if c == nil {
		return RustSource(p)
	}
	return sourceOr(c.isSource)(p)
}
