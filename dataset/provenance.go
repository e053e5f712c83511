package dataset

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/license"
)

// Source names the repository records come from, for their provenance
// (metadata id, repo and url).
type Source struct {
	// Owner is the repository's owner; "" when unknown (a local
	// repository without a remote).
	Owner string
	// Repo is the repository's name (its directory's base name when
	// nothing better is known).
	Repo string
	// Web is the repository's web address, e.g.
	// https://github.com/juspay/hyperswitch; "" when the host is unknown.
	// Record URLs are its /pull/N and /commit/SHA pages.
	Web string
}

// Name is "owner/repo", or the repository's name when no owner is known.
func (s Source) Name() string {
	if s.Owner == "" {
		return s.Repo
	}
	return s.Owner + "/" + s.Repo
}

// ID is the stable identifier of a record: "owner/repo#N" for PR N,
// "owner/repo@SHA" for a commit without a PR.
func (s Source) ID(pr int, commit string) string {
	if pr > 0 {
		return s.Name() + "#" + strconv.Itoa(pr)
	}
	if commit == "" {
		return ""
	}
	return s.Name() + "@" + commit
}

// URL is the web page of PR pr (when above 0) or of commit, "" when the
// host is unknown.
func (s Source) URL(pr int, commit string) string {
	switch {
	case s.Web == "":
		return ""
	case pr > 0:
		return s.Web + "/pull/" + strconv.Itoa(pr)
	case commit != "":
		return s.Web + "/commit/" + commit
	}
	return ""
}

// SourceFor names a repository from what the command line and the
// repository say, most trusted first: a GitHub OWNER/REPO (githubRepo,
// with its web address githubWeb, default on github.com), the repository's
// remote URL
// (see gitlog.WebURL), a name given by the user (name: OWNER/REPO, or a
// web address such as https://gitlab.com/group/proj), and last the
// repository location's base name.
func SourceFor(githubRepo, githubWeb, remote, name, location string) Source {
	if owner, repo, ok := strings.Cut(githubRepo, "/"); ok && owner != "" && repo != "" {
		if githubWeb == "" {
			githubWeb = "https://github.com/" + owner + "/" + repo
		}
		return Source{Owner: owner, Repo: repo, Web: githubWeb}
	}
	for _, u := range []string{remote, name} {
		if web, ok := gitlog.WebURL(u); ok {
			p := strings.TrimPrefix(web, "https://")
			_, p, _ = strings.Cut(p, "/")
			i := strings.LastIndexByte(p, '/')
			return Source{Owner: p[:i], Repo: p[i+1:], Web: web}
		}
	}
	if owner, repo, ok := strings.Cut(name, "/"); ok && owner != "" && repo != "" && !strings.Contains(repo, "/") {
		return Source{Owner: owner, Repo: repo}
	}
	base := path.Base(strings.TrimRight(strings.ReplaceAll(location, "\\", "/"), "/"))
	base = strings.TrimSuffix(base, ".git")
	if base == "." || base == "/" {
		base = ""
	}
	return Source{Repo: base}
}

// PipelineSource names the repository of a pipeline run as [RunPipeline]
// does when MergeOptions.Source is not set: OWNER/REPO of GitHub data
// (fromGitHub) is on github.com; else the clone's remote, owner/repo as a
// name, the location's base name.
func PipelineSource(repo *gitlog.Repository, fromGitHub bool, owner, name, location string) Source {
	githubRepo, named := "", ""
	if owner != "" {
		named = owner + "/" + name
		if fromGitHub {
			githubRepo = named
		}
	}
	remote, _ := repo.RemoteURL() // a config that does not read names no remote
	return SourceFor(githubRepo, "", remote, named, location)
}

// repoLocation is the repository's directory: its work tree's for a .git
// directory.
func repoLocation(repo *gitlog.Repository) string {
	p := filepath.Clean(repo.Path())
	if filepath.Base(p) == ".git" {
		return filepath.Dir(p)
	}
	return p
}

// Licenser returns the SPDX licence expression of paths at a commit, ""
// when none is found; an error when the commit cannot be read.
type Licenser func(commit string, paths []string) (string, error)

// RepositoryLicenses returns the [Licenser] of repo: license.Detector's
// rule over the revision's files, cached by blob.
func RepositoryLicenses(ctx context.Context, repo *gitlog.Repository) Licenser {
	return repositoryLicenses(ctx, repo, nil)
}

// repositoryLicenses is [RepositoryLicenses], which with hist (nil: none)
// looks the commits of one epoch of hist up at one revision (the first
// looked up), whose lookups keep what they find per directory: the
// results that depend only on the files the epochs follow (tracked) hold
// for every commit of the epoch. An untracked result is looked up again
// at the commit itself.
func repositoryLicenses(ctx context.Context, repo *gitlog.Repository, hist *licenceHistory) Licenser {
	d := &license.Detector{}
	type epochRevision struct {
		commit string
		rev    *license.Revision
	}
	var mu sync.Mutex
	revs := map[int32]epochRevision{}
	return func(commit string, paths []string) (string, error) {
		e, inHistory := hist.epochOf(commit)
		if inHistory {
			mu.Lock()
			er, ok := revs[e]
			mu.Unlock()
			if !ok {
				fsys, err := repo.FS(ctx, commit)
				if err != nil {
					return "", err
				}
				mu.Lock()
				if er, ok = revs[e]; !ok {
					er = epochRevision{commit, d.At(fsys)}
					// The neighbouring epochs' lookups (the merge
					// goes through the history in order) hold for
					// the directories the licence files and
					// manifests that changed between them are not
					// in or above.
					if prev, ok := revs[e-1]; ok {
						if changed, ok := hist.opening(e); ok {
							er.rev.Carry(prev.rev, changed)
						}
					}
					if next, ok := revs[e+1]; ok {
						if changed, ok := hist.opening(e + 1); ok {
							er.rev.Carry(next.rev, changed)
						}
					}
					revs[e] = er
				}
				mu.Unlock()
			}
			expr, tracked, err := er.rev.Detect(paths)
			if tracked || er.commit == commit {
				if err != nil {
					return expr, fmt.Errorf("licence at %.12s: %w", commit, err)
				}
				return expr, nil
			}
		}
		fsys, err := repo.FS(ctx, commit)
		if err != nil {
			return "", err
		}
		expr, _, err := d.DetectTracked(fsys, paths)
		if err != nil {
			return expr, fmt.Errorf("licence at %.12s: %w", commit, err)
		}
		return expr, nil
	}
}

// licenceHistory places the commits of a first-parent walk in epochs:
// the commits of one epoch have the same files license.Affects reports (no
// commit between them changed one), so a licence lookup that depends on
// those files only (license.Detector.DetectTracked) gives the same result
// at each of them for the same directories.
type licenceHistory struct {
	hashes   []string // newest first, as the walk yields them
	relevant []bool   // hashes[i] changes a file license.Affects reports
	epoch    map[string]int32
	// changed are the files license.Affects reports of each relevant
	// commit, newest first; opens[e] those of the commit that opens epoch
	// e (what differs between epochs e-1 and e).
	changed [][]string
	opens   [][]string
	// texts is set when a commit changes a licence file (not only a
	// manifest): lookups are then likely to classify licence texts.
	texts bool
}

// licenceHistoryFor reports whether a walk's commits can be placed in
// epochs: a first-parent walk of consecutive commits (no date bounds,
// which may skip commits in the middle, no merges skipped).
func licenceHistoryFor(walk gitlog.WalkOptions) bool {
	return !walk.AllParents && !walk.SkipMerges && walk.Since.IsZero() && walk.Until.IsZero()
}

// add records the next (older) commit of the walk.
func (h *licenceHistory) add(c gitlog.PathsChange) {
	h.hashes = append(h.hashes, c.Hash)
	var affected []string
	for _, p := range c.Paths {
		if license.Affects(p) {
			affected = append(affected, p)
			h.texts = h.texts || path.Base(p) != "Cargo.toml"
		}
	}
	h.relevant = append(h.relevant, affected != nil)
	if affected != nil {
		h.changed = append(h.changed, affected)
	}
}

// changesTexts reports whether a commit of the history changes a licence
// file (false for nil).
func (h *licenceHistory) changesTexts() bool { return h != nil && h.texts }

// done numbers the epochs, oldest first: a commit's epoch counts the
// commits at or before it that change a licence file or manifest.
func (h *licenceHistory) done() {
	h.epoch = make(map[string]int32, len(h.hashes))
	h.opens = make([][]string, len(h.changed)+1) // epoch 0 is opened by no commit of the walk
	var e int32
	for i := len(h.hashes) - 1; i >= 0; i-- {
		if h.relevant[i] {
			e++
			h.opens[e] = h.changed[len(h.changed)-int(e)]
		}
		h.epoch[h.hashes[i]] = e
	}
	h.hashes, h.relevant, h.changed = nil, nil, nil
}

// opening returns the files license.Affects reports that the commit
// opening epoch e changes; false for an epoch no commit of the walk opens.
func (h *licenceHistory) opening(e int32) ([]string, bool) {
	if e <= 0 || int(e) >= len(h.opens) {
		return nil, false
	}
	return h.opens[e], true
}

// epochOf is commit's epoch; false when commit is not in the history
// (or h is nil).
func (h *licenceHistory) epochOf(commit string) (int32, bool) {
	if h == nil {
		return 0, false
	}
	e, ok := h.epoch[commit]
	return e, ok
}

// fillProvenance sets a record's provenance fields (id, repo, url, base
// and merge commits, creation date, licence) from its PR and matched
// commits (history order, oldest first, as [matchPRs] gives them).
func fillProvenance(md *MergedMetadata, pr *github.PR, commits []*CommitMetadata, paths []string, src Source, lic Licenser) error {
	md.Repo = src.Name()
	md.MergeCommit = pr.MergeCommitSHA
	if n := len(commits); md.MergeCommit == "" && n > 0 {
		md.MergeCommit = commits[n-1].Commit
	}
	if len(commits) > 0 && len(commits[0].Parents) > 0 {
		md.BaseCommit = commits[0].Parents[0]
	} else if len(commits) == 0 {
		md.BaseCommit = pr.BaseSHA
	}
	if !pr.CreatedAt.IsZero() {
		md.CreatedAt = pr.CreatedAt.UTC().Format(time.RFC3339)
	}
	for _, c := range commits { // the oldest commit's date
		if c.Date != "" && (md.CreatedAt == "" || c.Date < md.CreatedAt) && pr.CreatedAt.IsZero() {
			md.CreatedAt = c.Date
		}
	}
	md.ID = src.ID(pr.Number, md.MergeCommit)
	md.URL = src.URL(pr.Number, md.MergeCommit)
	if lic == nil {
		return nil
	}
	// The licence after the change: at the merge commit, else at the
	// newest commit of the PR the history holds.
	revs := []string{md.MergeCommit}
	if n := len(commits); n > 0 && commits[n-1].Commit != md.MergeCommit {
		revs = append(revs, commits[n-1].Commit)
	}
	var err error
	for _, rev := range revs {
		if rev == "" {
			continue
		}
		var expr string
		if expr, err = lic(rev, paths); expr != "" || err == nil {
			md.License = expr
			return err
		}
	}
	return err
}
