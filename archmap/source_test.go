package archmap

import (
	"strings"
	"testing"

	"github.com/sftforge/sftforge/change"
	"github.com/stretchr/testify/assert"
)

// toyLanguages is an archmap.Languages of .toy sources and toy.mod
// manifests.
type toyLanguages struct{}

func (toyLanguages) IsSource(p string) bool   { return strings.HasSuffix(p, ".toy") }
func (toyLanguages) IsManifest(p string) bool { return strings.HasSuffix(p, "toy.mod") }

// The functions that count source files take the caller's languages: with
// a predicate for .toy files, toy files count as Rust files do by default.
func TestSources(t *testing.T) {
	toy := func(p string) bool { return strings.HasSuffix(p, ".toy") }
	paths := []string{"crates/greet/src/hello.toy", "crates/greet/src/bye.toy", "crates/greet/src/lib.rs",
		"crates/other/src/x.toy", "docs/a.md", "crates/greet/Cargo.toml", "crates/greet/toy.mod"}
	layerOf := func(p string) string {
		if strings.HasPrefix(p, "docs/") {
			return LayerDocumentation
		}
		return ""
	}
	tests := []struct {
		name     string
		isSource func(string) bool
		langs    Languages
		areas    []Area
		large    []string
		files    map[string]int // crate name → source files of WorkspaceFromPaths
		patterns []Pattern
	}{
		{"nil is Rust", nil, nil,
			[]Area{{Crate: "greet", Module: "src/lib.rs", Files: 1}, {Layer: LayerDocumentation, Files: 1}},
			[]string{"greet"}, map[string]int{"greet": 1, "other": 0},
			[]Pattern{{Name: "Add new module/file", Count: 1}, {Name: "Update dependencies", Count: 1}}},
		{"toy", toy, toyLanguages{},
			[]Area{{Crate: "greet", Module: "src/hello.toy", Files: 1}, {Crate: "greet", Module: "src/bye.toy", Files: 1},
				{Crate: "other", Module: "src/x.toy", Files: 1}, {Layer: LayerDocumentation, Files: 1}},
			[]string{"greet"}, map[string]int{"greet": 2, "other": 1},
			[]Pattern{{Name: "Add new module/file", Count: 3}, {Name: "Update dependencies", Count: 1}}},
		{"RustSource", RustSource, nil,
			[]Area{{Crate: "greet", Module: "src/lib.rs", Files: 1}, {Layer: LayerDocumentation, Files: 1}},
			[]string{"greet"}, map[string]int{"greet": 1, "other": 0},
			[]Pattern{{Name: "Add new module/file", Count: 1}, {Name: "Update dependencies", Count: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.areas, CountAreas(paths, layerOf, tt.isSource))
			assert.Equal(t, tt.large, LargeCrates(paths, 0.5, tt.isSource))
			files := map[string]int{}
			for _, c := range WorkspaceFromPaths(paths, tt.isSource).Crates {
				files[c.Name] = c.Files
			}
			assert.Equal(t, tt.files, files)
			var added []change.File
			for _, p := range paths {
				added = append(added, change.File{Path: p, Status: change.StatusAdded, Additions: 1})
			}
			var detectors []Detector
			for _, d := range DefaultDetectors() {
				if d.Name == "Add new module/file" || d.Name == "Update dependencies" {
					detectors = append(detectors, d)
				}
			}
			c := Default().WithLanguages(tt.langs)
			assert.Equal(t, tt.patterns, DetectPatterns(added, nil, c, detectors...))
			assert.Equal(t, tt.langs == nil, c.IsSource("x.rs"))
			assert.Equal(t, tt.langs == nil, c.IsManifest("Cargo.lock"))
			assert.Equal(t, tt.langs != nil, c.IsManifest("a/toy.mod"))
		})
	}
	var nilClassifier *Classifier
	assert.True(t, nilClassifier.IsSource("src/lib.rs"))
	assert.True(t, nilClassifier.IsManifest("Cargo.toml"))
}
