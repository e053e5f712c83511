package archmap

import (
	"path"
	"strings"
)

// Languages is what archmap asks about the languages of a run: which
// paths are source files and which are manifests. lang.Registry
// implements it; [Classifier.WithLanguages] gives it to the detectors of
// [DetectPatterns].
type Languages interface {
	// IsSource reports whether a path is a source file.
	IsSource(path string) bool
	// IsManifest reports whether a path declares packages and their
	// dependencies (Cargo.toml, Cargo.lock; go.mod, go.sum).
	IsManifest(path string) bool
}

// RustSource reports whether p is a Rust source file (its name ends in
// .rs). It is what archmap counts as source code when a caller names no
// predicate of its own: the nil isSource of [CountAreas], [LargeCrates]
// and [WorkspaceFromPaths], a [Classifier] without
// [Classifier.WithLanguages]. A caller that knows the languages of its run
// passes theirs (package dataset passes lang.Registry.IsSource), so a
// language added there counts as source here with no change to archmap.
func RustSource(p string) bool { return strings.HasSuffix(p, ".rs") }

// RustManifest reports whether p is a Cargo manifest or lock file: what a
// [Classifier] without [Classifier.WithLanguages] counts as a manifest.
func RustManifest(p string) bool {
	base := path.Base(p)
	return base == "Cargo.toml" || base == "Cargo.lock"
}

// sourceOr returns isSource, or [RustSource] when it is nil.
func sourceOr(isSource func(path string) bool) func(path string) bool {
	if isSource == nil {
		return RustSource
	}
	return isSource
}

// WithLanguages returns a copy of c that asks l which paths are source
// files and manifests (nil: [RustSource] and [RustManifest]); the
// detectors of [DetectPatterns] ask it through [Classifier.IsSource] and
// [Classifier.IsManifest].
func (c *Classifier) WithLanguages(l Languages) *Classifier {
	d := c.clone()
	d.langs = l
	return d
}

// IsSource reports whether p is a source file of the languages c was given
// ([Classifier.WithLanguages]); [RustSource] by default and for a nil c.
func (c *Classifier) IsSource(p string) bool {
	if c == nil || c.langs == nil {
		return RustSource(p)
	}
	return c.langs.IsSource(p)
}

// IsManifest reports whether p is a manifest of the languages c was given
// ([Classifier.WithLanguages]); [RustManifest] by default and for a nil c.
func (c *Classifier) IsManifest(p string) bool {
	if c == nil || c.langs == nil {
		return RustManifest(p)
	}
	return c.langs.IsManifest(p)
}
