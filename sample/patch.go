package sample

import (
	"context"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/sftforge/sftforge/gitlog"
)

// prPatch returns the diff between two commits of the built repository as
// GitHub's diff media type shows it: `git diff` with 7-digit blob hashes,
// renames found by gitlog's detection (the fixture's declared renames only
// move files; no second detector decides what the patch calls a rename).
func prPatch(repo *gitlog.Repository, from, to plumbing.Hash) (string, error) {
	files, err := repo.Diff(context.Background(), from.String(), to.String(), gitlog.DiffOptions{})
	if err != nil {
		return "", fmt.Errorf("diff %s..%s: %w", from, to, err)
	}
	return gitlog.Patch(files, gitlog.PatchOptions{Abbrev: 7})
}
