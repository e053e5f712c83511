package archmap

import (
	"strings"
	"testing"

	"github.com/sftforge/sftforge/change"
	"github.com/stretchr/testify/assert"
)

// The functions that count source files take the caller's languages: with
// a predicate for .toy files, toy files count as Rust files do by default.
func TestSources(t *testing.T) {
	toy := func(p string) bool { return strings.HasSuffix(p, ".toy") }
	paths := []string{"crates/greet/src/hello.toy", "crates/greet/src/bye.toy", "crates/greet/src/lib.rs",
		"crates/other/src/x.toy", "docs/a.md"}
	layerOf := func(p string) string {
		if strings.HasPrefix(p, "docs/") {
			return LayerDocumentation
		}
		return ""
	}
	tests := []struct {
		name     string
		isSource func(string) bool
		areas    []Area
		large    []string
		files    map[string]int // crate name → source files of WorkspaceFromPaths
		patterns []Pattern
	}{
		{"nil is Rust", nil,
			[]Area{{Crate: "greet", Module: "src/lib.rs", Files: 1}, {Layer: LayerDocumentation, Files: 1}},
			[]string{"greet"}, map[string]int{"greet": 1, "other": 0},
			[]Pattern{{Name: "Add new module/file", Count: 1}}},
		{"toy", toy,
			[]Area{{Crate: "greet", Module: "src/hello.toy", Files: 1}, {Crate: "greet", Module: "src/bye.toy", Files: 1},
				{Crate: "other", Module: "src/x.toy", Files: 1}, {Layer: LayerDocumentation, Files: 1}},
			[]string{"greet"}, map[string]int{"greet": 2, "other": 1},
			[]Pattern{{Name: "Add new module/file", Count: 3}}},
		{"RustSource", RustSource,
			[]Area{{Crate: "greet", Module: "src/lib.rs", Files: 1}, {Layer: LayerDocumentation, Files: 1}},
			[]string{"greet"}, map[string]int{"greet": 1, "other": 0},
			[]Pattern{{Name: "Add new module/file", Count: 1}}},
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
			got := DetectPatterns(added, nil, Default().WithSources(tt.isSource),
				DefaultDetectors()[0]) // "Add new module/file"
			assert.Equal(t, tt.patterns, got)
			assert.Equal(t, tt.isSource == nil || tt.isSource("x.rs"), Default().WithSources(tt.isSource).IsSource("x.rs"))
		})
	}
	var nilClassifier *Classifier
	assert.True(t, nilClassifier.IsSource("src/lib.rs"))
}
