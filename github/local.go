package github

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/linediff"
)

// localRepo computes PR commits, files and patches from a local clone with
// gitlog's porcelain, so that --repo-dir costs no request. Its methods are
// safe for concurrent use.
type localRepo struct {
	repo *gitlog.Repository
}

// openLocalRepo opens the clone at path (a work tree or a bare repository);
// one gitlog.Repository serves every worker.
func openLocalRepo(path string) (*localRepo, error) {
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

// has reports whether the clone holds commit sha.
func (l *localRepo) has(ctx context.Context, sha string) bool {
	_, err := l.repo.Commit(ctx, sha)
	return err == nil
}

// Close releases the open pack files.
func (l *localRepo) Close() error { return l.repo.Close() }

// fill completes pr from the clone: commits, files and patch from the merge
// base of base and head to head (what GitHub shows for a PR), or, when the
// clone lacks the PR's own commits, files and patch of its merge commit
// against its first parent, with the commit messages its squash message
// lists when it is GitHub's default one ("local-squash"). It reports what
// it filled; an error it met is returned for the log, and GitHub is asked
// for the rest.
func (l *localRepo) fill(ctx context.Context, pr *PR) (haveCommits, havePatch bool, err error) {
	commits, files, patch, err := l.prChanges(ctx, pr.BaseSHA, pr.HeadSHA)
	if err == nil {
		pr.Commits, pr.Files, pr.Patch, pr.PatchSource = commits, files, patch, "local"
		return true, true, nil
	}
	files, patch, merr := l.mergePatch(ctx, pr.MergeCommitSHA)
	if merr != nil {
		return false, false, fmt.Errorf("%w; merge commit: %w", err, merr)
	}
	pr.Files, pr.Patch, pr.PatchSource = files, patch, "local-merge"
	if commits, ok := l.squashCommits(ctx, pr); ok {
		pr.Commits, pr.PatchSource = commits, "local-squash"
		return true, true, nil
	}
	// A clone without refs/pull/* whose merge commit does not list the
	// PR's commits: the merge commit gives the patch, GitHub the commits.
	return false, true, nil
}

// squashCommits reads pr's commit messages from its squash commit, when
// that commit has one parent and GitHub's default squash message (see
// ParseSquashMessage).
func (l *localRepo) squashCommits(ctx context.Context, pr *PR) ([]PRCommit, bool) {
	merge, err := l.repo.Commit(ctx, pr.MergeCommitSHA)
	if err != nil || len(merge.Parents) != 1 {
		return nil, false
	}
	return ParseSquashMessage(merge.Message, pr.Number, pr.HeadSHA)
}

// ParseSquashMessage reads the commit messages of pull request number from
// GitHub's default squash commit message: for a PR of one commit, that
// commit's subject followed by " (#N)" and its body; for more, the PR title
// followed by " (#N)" and a body listing each commit's message as an item
// starting with "* " after a blank line (a "---------" line and the
// Co-authored-by trailers GitHub appends are dropped). It returns false
// when the subject does not end with " (#N)". The commits' hashes are not
// in the message: the last one is given headSHA (the PR's head commit), the
// others "". A message that lists no commits reads as one commit: exact for
// a PR of one commit, a summary for a repository that squashes with the PR
// title alone (of the newest 2,000 first-parent commits, axum lists the
// commits in 232 of its 1,526 squash commits, greptimedb in 1,340 of 2,000,
// hyperswitch in none).
func ParseSquashMessage(msg string, number int, headSHA string) ([]PRCommit, bool) {
	msg = strings.ReplaceAll(msg, "\r\n", "\n")
	subject, body, _ := strings.Cut(msg, "\n")
	suffix := fmt.Sprintf(" (#%d)", number)
	subject = strings.TrimRight(subject, " ")
	if !strings.HasSuffix(subject, suffix) {
		return nil, false
	}
	lines := strings.Split(strings.Trim(body, "\n"), "\n")
	// Trailers GitHub appends: "---------" then Co-authored-by lines.
	for i, line := range lines {
		if strings.TrimSpace(line) == "---------" {
			lines = lines[:i]
			break
		}
	}
	for len(lines) > 0 {
		last := strings.TrimSpace(lines[len(lines)-1])
		if last != "" && !strings.HasPrefix(strings.ToLower(last), "co-authored-by:") {
			break
		}
		lines = lines[:len(lines)-1]
	}
	var messages []string
	if len(lines) > 0 && strings.HasPrefix(lines[0], "* ") {
		var cur []string
		for i, line := range lines {
			if strings.HasPrefix(line, "* ") && (i == 0 || strings.TrimSpace(lines[i-1]) == "") {
				if cur != nil {
					messages = append(messages, strings.TrimRight(strings.Join(cur, "\n"), "\n "))
				}
				cur = []string{strings.TrimPrefix(line, "* ")}
				continue
			}
			cur = append(cur, line)
		}
		messages = append(messages, strings.TrimRight(strings.Join(cur, "\n"), "\n "))
	} else {
		m := strings.TrimSuffix(subject, suffix)
		if b := strings.TrimRight(strings.Join(lines, "\n"), "\n "); b != "" {
			m += "\n\n" + b
		}
		messages = []string{m}
	}
	commits := make([]PRCommit, len(messages))
	for i, m := range messages {
		commits[i] = PRCommit{Message: m}
	}
	commits[len(commits)-1].SHA = headSHA
	return commits, true
}

// prChanges returns the commits reachable from head but not from base,
// oldest first, and the files and patch of the diff from their merge base
// to head. An error means the clone lacks a commit.
func (l *localRepo) prChanges(ctx context.Context, baseSHA, headSHA string) ([]PRCommit, []change.File, string, error) {
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
func (l *localRepo) mergePatch(ctx context.Context, mergeSHA string) ([]change.File, string, error) {
	if mergeSHA == "" {
		return nil, "", errors.New("no merge commit")
	}
	return l.diff(ctx, mergeSHA+"^", mergeSHA)
}

// diff returns the files and the `git diff --full-index from to` patch
// between two revisions.
func (l *localRepo) diff(ctx context.Context, from, to string) ([]change.File, string, error) {
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
// GitHub's statuses ("changed" for a mode-only change), binary
// files without line counts, and a change between a file and a symlink as
// a removal and an addition.
func prFiles(changes []gitlog.FileChange) []change.File {
	files := make([]change.File, 0, len(changes))
	for i := range changes {
		c := &changes[i]
		if c.OldHash != "" && c.NewHash != "" && c.OldMode&0o170000 != c.NewMode&0o170000 {
			old, new := c.OldPath, c.Path
			if old == "" {
				old = new
			}
			del, add := change.File{Path: old, Status: change.StatusDeleted}, change.File{Path: new, Status: change.StatusAdded}
			if !c.Binary {
				o, _ := c.OldContent()
				n, _ := c.NewContent()
				del.Deletions, add.Additions = len(linediff.SplitLines(o)), len(linediff.SplitLines(n))
			}
			files = append(files, del, add)
			continue
		}
		f := c.File
		if f.Status == change.StatusModified && c.OldMode != c.NewMode && c.Additions == 0 && c.Deletions == 0 {
			f.Status = change.StatusChanged
		}
		files = append(files, f)
	}
	return files
}
