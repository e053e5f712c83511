package dataset

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sftforge/sftforge/github"
)

// GitHubData is what the github stage wrote into a directory.
type GitHubData struct {
	PRs         []github.PR
	Issues      []github.Issue
	Owner, Repo string // from summary.json, when present
}

// ErrIncomplete marks an input directory that is obviously incomplete: a
// gather that did not finish, PR or issue files that disagree with the
// summary, no PRs at all, an export without index.csv.
var ErrIncomplete = errors.New("incomplete input")

// ReadGitHubDir reads prs.jsonl, summary.json and issues.jsonl from a
// directory written by the github stage, and refuses one that is obviously
// incomplete (errors wrap [ErrIncomplete]):
//   - no summary.json: the gather did not finish (it writes the summary
//     last), so "run it again to resume";
//   - prs.jsonl or issues.jsonl holding another number of records than
//     summary.json counts (cut short, or changed after the gather);
//   - no PRs at all: nothing to merge, whatever the summary says (a
//     dataset of zero records is never what a run is for).
func ReadGitHubDir(dir string) (GitHubData, error) {
	var d GitHubData
	pp := filepath.Join(dir, github.PRsFile)
	prs, err := github.ReadPRs(pp)
	if err != nil {
		return d, fmt.Errorf("dataset: %w", err)
	}
	d.PRs = prs
	sp := filepath.Join(dir, github.SummaryFile)
	b, err := os.ReadFile(sp)
	if errors.Is(err, fs.ErrNotExist) {
		return d, fmt.Errorf("dataset: %s: no %s: gather did not finish: run it again to resume: %w", dir, github.SummaryFile, ErrIncomplete)
	}
	if err != nil {
		return d, fmt.Errorf("dataset: %w", err)
	}
	var s github.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return d, fmt.Errorf("dataset: %s: %w", sp, err)
	}
	d.Owner, d.Repo = s.Owner, s.Repo
	if len(prs) != s.PRs {
		return d, fmt.Errorf("dataset: %s holds %d PRs, %s says %d: the directory is incomplete or was changed after gather finished; run gather again: %w",
			pp, len(prs), github.SummaryFile, s.PRs, ErrIncomplete)
	}
	if len(prs) == 0 {
		return d, fmt.Errorf("dataset: %s: no PRs (gather found none for %s/%s, state %q): nothing to merge: %w", pp, s.Owner, s.Repo, s.State, ErrIncomplete)
	}
	ip := filepath.Join(dir, github.IssuesFile)
	if _, err := os.Stat(ip); err == nil {
		if d.Issues, err = github.ReadIssues(ip); err != nil {
			return d, fmt.Errorf("dataset: %w", err)
		}
	}
	if len(d.Issues) != s.Issues {
		return d, fmt.Errorf("dataset: %s holds %d issues, %s says %d: the directory is incomplete or was changed after gather finished; run gather again: %w",
			ip, len(d.Issues), github.SummaryFile, s.Issues, ErrIncomplete)
	}
	return d, nil
}

// CommitPaths returns the distinct file paths of a commit export, in order
// of first appearance (used to recognise a repository's layout).
func CommitPaths(commits []CommitRecord) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range commits {
		for _, f := range c.Metadata.Files {
			if !seen[f.Path] {
				seen[f.Path] = true
				out = append(out, f.Path)
			}
		}
	}
	return out
}

// metadataPaths is [CommitPaths] over commit metadata.
func metadataPaths(commits []CommitMetadata) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range commits {
		for _, f := range c.Files {
			if !seen[f.Path] {
				seen[f.Path] = true
				out = append(out, f.Path)
			}
		}
	}
	return out
}
