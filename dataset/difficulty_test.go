package dataset

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sftforge/sftforge/change"
)

func TestDifficulty(t *testing.T) {
	layer := func(crates ...string) LayerRecord { return LayerRecord{Crates: crates} }
	changes := func(code, tests int) []MergedChange {
		var out []MergedChange
		for i := range code + tests {
			out = append(out, MergedChange{Identifier: change.Identifier{Name: fmt.Sprint(i), Test: i >= code}})
		}
		return out
	}
	md := func(files, testFiles int, layers []LayerRecord, code, tests int) MergedMetadata {
		return MergedMetadata{FilesChanged: files, TestFiles: make([]string, testFiles), Layers: layers,
			Changes: changes(code, tests), IdentifierChanges: code + tests}
	}
	tests := []struct {
		name string
		md   MergedMetadata
		want string
	}{
		{"one file, one change", md(1, 0, []LayerRecord{layer("a")}, 1, 0), DifficultyEasy},
		{"docs only", md(2, 0, []LayerRecord{layer()}, 0, 0), DifficultyEasy},
		{"a fix with its tests", md(3, 2, []LayerRecord{layer("a")}, 2, 30), DifficultyEasy},
		// files 2-3: 1, layers 2: 1, crates 2: 1, changes 3-10: 1 = 4
		{"two crates", md(3, 0, []LayerRecord{layer("a"), layer("b")}, 6, 0), DifficultyMedium},
		// files 4-10: 2, layers 3: 2, crates 3: 2, changes 11-40: 2 = 8
		{"a feature across layers", md(8, 1, []LayerRecord{layer("a"), layer("b"), layer("c", "a")}, 25, 4), DifficultyHard},
		// files >10: 3, layers 5: 3, crates 5: 3, changes >40: 3 = 12
		{"a wide refactoring", md(60, 0, []LayerRecord{layer("a"), layer("b"), layer("c"), layer("d"), layer("e")}, 300, 0), DifficultyVeryHard},
		// changes past the cap count (IdentifierChanges): 45 > 40 is 3 points.
		{"capped changes", MergedMetadata{FilesChanged: 1, IdentifierChanges: 45, Layers: []LayerRecord{layer("a")}}, DifficultyMedium},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Difficulty(&tt.md), tt.name)
	}
	assert.Equal(t, "easy 2, very_hard 1", difficultyText(map[string]int{DifficultyVeryHard: 1, DifficultyEasy: 2, DifficultyHard: 0}))
	assert.Equal(t, "none", difficultyText(nil))
}
