package github

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/linediff"
)

// localRepo computes PR commits, files and patches from a local clone with
// gitlog's porcelain, so that --repo-dir costs no request. Its methods are
// safe for concurrent use.
type localRepo struct {
	repo *gitlog.Repository
}

// openLocalRepo opens the clone at path (a work tree or a bare repository).
// handles is unused: one gitlog.Repository serves every worker.
func openLocalRepo(path string, handles int) (*localRepo, error) {
	_ = handles
	// A URL would be cloned by gitlog.Open: --repo-dir names a clone on
	// disk, so check that it is a directory first.
	if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
		if err == nil {
			err = errors.New("not a directory")
		}
		return nil, fmt.Errorf("github: open local clone %s: %w", path, err)
	}
	repo, err := gitlog.Open(context.Background(), path, gitlog.OpenOptions{})
	if err != nil {
		return nil, fmt.Errorf("github: open local clone %s: %w", path, err)
	}
	return &localRepo{repo: repo}, nil
}

// Close releases the open pack files.
func (l *localRepo) Close() error { return l.repo.Close() }

// fill completes pr from the clone: commits, files and patch from the merge
// base of base and head to head (what GitHub shows for a PR), or, when the
// clone lacks the PR's own commits, files and patch of its merge commit
// against its first parent. It reports what it filled; an error it met is
// returned for the log, and GitHub is asked for the rest.
func (l *localRepo) fill(ctx context.Context, pr *PR) (haveCommits, havePatch bool, err error) {
	commits, files, patch, err := l.prChanges(ctx, pr.BaseSHA, pr.HeadSHA)
	if err == nil {
		pr.Commits, pr.Files, pr.Patch, pr.PatchSource = commits, files, patch, "local"
		return true, true, nil
	}
	files, patch, merr := l.mergePatch(ctx, pr.MergeCommitSHA)
	if merr == nil {
		// A clone without refs/pull/*: the merge commit gives the patch,
		// GitHub the commit list.
		pr.Files, pr.Patch, pr.PatchSource = files, patch, "local-merge"
		return false, true, nil
	}
	return false, false, fmt.Errorf("%w; merge commit: %w", err, merr)
}

// prChanges returns the commits reachable from head but not from base,
// oldest first, and the files and patch of the diff from their merge base
// to head. An error means the clone lacks a commit.
func (l *localRepo) prChanges(ctx context.Context, baseSHA, headSHA string) ([]PRCommit, []PRFile, string, error) {
	if baseSHA == "" || headSHA == "" {
		return nil, nil, "", errors.New("no base or head SHA")
	}
	commits, mergeBase, err := l.repo.Range(ctx, baseSHA, headSHA)
	if err != nil {
		return nil, nil, "", err
	}
	if mergeBase == "" {
		return nil, nil, "", fmt.Errorf("%s: %s and %s have no common ancestor", l.repo.Path(), baseSHA, headSHA)
	}
	files, patch, err := l.diff(ctx, mergeBase, headSHA)
	if err != nil {
		return nil, nil, "", err
	}
	out := make([]PRCommit, len(commits))
	for i, c := range commits {
		out[i] = PRCommit{SHA: c.Hash, Message: strings.TrimRight(c.Message, "\n")}
	}
	return out, files, patch, nil
}

// mergePatch returns the files and patch a merge (or squash-merge) commit
// brought to its first parent: the PR's change when the clone lacks the
// PR's own commits.
func (l *localRepo) mergePatch(ctx context.Context, mergeSHA string) ([]PRFile, string, error) {
	if mergeSHA == "" {
		return nil, "", errors.New("no merge commit")
	}
	return l.diff(ctx, mergeSHA+"^", mergeSHA)
}

// diff returns the files and the `git diff --full-index from to` patch
// between two revisions.
func (l *localRepo) diff(ctx context.Context, from, to string) ([]PRFile, string, error) {
	changes, err := l.repo.Diff(ctx, from, to, gitlog.DiffOptions{})
	if err != nil {
		return nil, "", err
	}
	patch, err := gitlog.Patch(changes, gitlog.PatchOptions{})
	if err != nil {
		return nil, "", err
	}
	return prFiles(changes), patch, nil
}

// prFiles lists changed files as ParseDiffFiles reads them from the patch:
// GitHub's statuses ("removed", "changed" for a mode-only change), binary
// files without line counts, and a change between a file and a symlink as
// a removal and an addition.
func prFiles(changes []gitlog.FileChange) []PRFile {
	files := make([]PRFile, 0, len(changes))
	for i := range changes {
		c := &changes[i]
		if c.OldHash != "" && c.NewHash != "" && c.OldMode&0o170000 != c.NewMode&0o170000 {
			old, new := c.OldPath, c.Path
			if old == "" {
				old = new
			}
			del, add := PRFile{Path: old, Status: "removed"}, PRFile{Path: new, Status: "added"}
			if !c.Binary {
				o, _ := c.OldContent()
				n, _ := c.NewContent()
				del.Deletions, add.Additions = len(linediff.SplitLines(o)), len(linediff.SplitLines(n))
			}
			files = append(files, del, add)
			continue
		}
		f := PRFile{Path: c.Path, PreviousPath: c.OldPath, Additions: c.Additions, Deletions: c.Deletions}
		switch c.Status {
		case gitlog.StatusAdded:
			f.Status = "added"
		case gitlog.StatusDeleted:
			f.Status = "removed"
		case gitlog.StatusRenamed:
			f.Status = "renamed"
		default:
			f.Status = "modified"
			if c.OldMode != c.NewMode && c.Additions == 0 && c.Deletions == 0 {
				f.Status = "changed"
			}
		}
		files = append(files, f)
	}
	return files
}
