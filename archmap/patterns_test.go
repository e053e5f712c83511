package archmap

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sftforge/sftforge/change"
	"github.com/stretchr/testify/assert"
)

type patternCase struct {
	Name    string              `yaml:"name"`
	Files   []change.File       `yaml:"files"`
	Changes []change.Identifier `yaml:"changes"`
}

func TestPatternsGolden(t *testing.T) {
	cases := readCases[patternCase](t, "patterns_cases.yaml")
	c := Hyperswitch()
	var b strings.Builder
	for _, pc := range cases {
		fmt.Fprintf(&b, "%s:\n", pc.Name)
		for _, p := range DetectPatterns(pc.Files, pc.Changes, c) {
			fmt.Fprintf(&b, "  %s (%d)\n", p.Name, p.Count)
		}
	}
	golden(t, "patterns.golden", []byte(b.String()))
}

func TestCustomDetector(t *testing.T) {
	unsafeBlocks := Detector{
		Name: "Touch unsafe code",
		Doc:  "functions whose name says unsafe",
		Count: func(s *ChangeSet) int {
			return countChanges(s, func(c change.Identifier) bool { return strings.HasPrefix(c.Name, "unsafe_") })
		},
	}
	changes := []change.Identifier{
		{File: "src/lib.rs", Op: change.OpAdded, Kind: "function", Name: "unsafe_copy", Visibility: "pub"},
		{File: "src/lib.rs", Op: change.OpModified, Kind: "function", Name: "unsafe_read", Visibility: "private", Detail: []string{"body"}},
	}
	got := DetectPatterns(nil, changes, nil, append(DefaultDetectors(), unsafeBlocks)...)
	assert.Equal(t, []Pattern{{Name: "Add public functions", Count: 1}, {Name: "Touch unsafe code", Count: 2}}, got)

	// Only the given detectors run; detectors without Count are skipped.
	got = DetectPatterns(nil, changes, Default(), unsafeBlocks, Detector{Name: "broken"})
	assert.Equal(t, []Pattern{{Name: "Touch unsafe code", Count: 2}}, got)
	assert.Equal(t, []Pattern{}, DetectPatterns(nil, nil, nil))
}

func TestDefaultDetectorsDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range DefaultDetectors() {
		assert.NotEmpty(t, d.Doc, d.Name)
		assert.NotNil(t, d.Count, d.Name)
		assert.False(t, seen[d.Name], "duplicate detector %s", d.Name)
		seen[d.Name] = true
	}
}
