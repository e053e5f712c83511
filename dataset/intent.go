package dataset

import (
	"strings"

	"github.com/sftforge/sftforge/archmap"
	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/github"
)

// largeCrateShare is the share of a repository's source paths from which a
// crate is split by its modules for intent (see archmap.LargeCrates).
const largeCrateShare = 1.0 / 3

// intentContext detects the intent of every record of one merge: one
// prepared taxonomy and the repository's crate-name prefix.
type intentContext struct {
	detector *archmap.IntentDetector
	project  string
	split    []string
	isSource func(path string) bool // the languages' source files
}

// newIntentContext prepares intent detection for a merge: tax when set,
// else the payments taxonomy for juspay/hyperswitch's layout (the preset's
// domain) and the generic one elsewhere, extended with extra; the project word is the prefix
// shared by the crates the export's paths lie in, and the crates split by
// their modules are those holding a third of its source paths (as
// isSource says) or more.
func newIntentContext(tax *archmap.Taxonomy, extra archmap.Taxonomy, commits []CommitMetadata, isSource func(path string) bool) intentContext {
	paths := metadataPaths(commits)
	var t archmap.Taxonomy
	switch {
	case tax != nil:
		t = *tax
	case looksLikeHyperswitch(paths):
		t = archmap.PaymentsTaxonomy()
	default:
		t = archmap.DefaultTaxonomy()
	}
	t = t.Extend(extra)
	var crates []string
	seen := map[string]bool{}
	for _, p := range paths {
		if strings.HasPrefix(p, "examples/") || strings.Contains(p, "/examples/") {
			continue // example crates are named after what they show, not the project
		}
		if c, _, ok := archmap.PathArea(p); ok && !seen[c] {
			seen[c] = true
			crates = append(crates, c)
		}
	}
	return intentContext{detector: archmap.NewIntentDetector(t), project: archmap.CratePrefix(crates),
		split: archmap.LargeCrates(paths, largeCrateShare, isSource), isSource: isSource}
}

// detect returns the intent of a PR from its words and where its files
// are (their crates and modules, and the layers of the files outside
// crates) and, last, what its identifier changes do.
func (ic intentContext) detect(pr *github.PR, subjects, paths []string, layers []LayerRecord, changes []MergedChange) archmap.Intent {
	var counts archmap.IdentifierCounts
	for i := range changes {
		switch changes[i].Op {
		case change.OpAdded:
			counts.Added++
		case change.OpRemoved:
			counts.Removed++
		default:
			counts.Modified++
		}
	}
	layerOf := make(map[string]string, len(paths))
	for _, l := range layers {
		for _, f := range l.Files {
			layerOf[f] = l.Layer
		}
	}
	return ic.detector.Detect(archmap.IntentInput{
		Title: pr.Title, Body: pr.Body, Labels: pr.Labels, Subjects: subjects,
		Areas:   archmap.CountAreas(paths, func(p string) string { return layerOf[p] }, ic.isSource),
		Project: ic.project, SplitCrates: ic.split, Identifiers: counts,
	})
}
