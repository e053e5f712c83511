package dataset

import (
	"strconv"
	"strings"
)

// The difficulty buckets of [MergedMetadata.Difficulty], easiest first.
const (
	DifficultyEasy     = "easy"
	DifficultyMedium   = "medium"
	DifficultyHard     = "hard"
	DifficultyVeryHard = "very_hard"
)

// Difficulties lists the buckets in order.
var Difficulties = []string{DifficultyEasy, DifficultyMedium, DifficultyHard, DifficultyVeryHard}

// difficultyScale gives each measure of a change 0 to 3 points: the
// points are the number of thresholds the measure is above.
var difficultyScale = []struct {
	measure    string
	thresholds [3]int // 1 point above the first, 2 above the second, 3 above the third
}{
	{"code files", [3]int{1, 3, 10}},
	{"layers", [3]int{1, 2, 4}},
	{"crates", [3]int{1, 2, 4}},
	{"code identifier changes", [3]int{2, 10, 40}},
}

// Difficulty buckets a record by the size and spread of its change, from
// its metadata: the code files it changes (its files that are not
// test_files), the layers and distinct crates they span, and its
// identifier changes that are not test code. Each measure scores 0 to 3
// points, one per threshold it is above:
//
//	code files                  >1  >3  >10
//	layers                      >1  >2  >4
//	crates                      >1  >2  >4
//	code identifier changes     >2  >10 >40
//
// and the sum (0 to 12) gives the bucket: easy 0–2 (a local change: one
// or two files of one crate), medium 3–5, hard 6–8, very_hard 9–12 (many
// files across many layers and crates). Test changes do not count: a
// change with its tests is no harder than without.
func Difficulty(md *MergedMetadata) string {
	crates := map[string]bool{}
	for _, l := range md.Layers {
		for _, c := range l.Crates {
			crates[c] = true
		}
	}
	tests := 0
	for _, c := range md.Changes {
		if c.Test {
			tests++
		}
	}
	// Changes past the cap are counted in IdentifierChanges, not listed.
	measures := []int{md.FilesChanged - len(md.TestFiles), len(md.Layers), len(crates), md.IdentifierChanges - tests}
	score := 0
	for i, s := range difficultyScale {
		for _, t := range s.thresholds {
			if measures[i] > t {
				score++
			}
		}
	}
	switch {
	case score <= 2:
		return DifficultyEasy
	case score <= 5:
		return DifficultyMedium
	case score <= 8:
		return DifficultyHard
	}
	return DifficultyVeryHard
}

// difficultyText lists the buckets' counts in order: "easy 3, medium 1";
// "none" when there are none.
func difficultyText(counts map[string]int) string {
	var parts []string
	for _, d := range Difficulties {
		if counts[d] > 0 {
			parts = append(parts, d+" "+strconv.Itoa(counts[d]))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
