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

// ReadGitHubDir reads prs.jsonl (required), issues.jsonl and summary.json
// (both optional) from a directory written by the github stage.
func ReadGitHubDir(dir string) (GitHubData, error) {
	var d GitHubData
	prs, err := github.ReadPRs(filepath.Join(dir, "prs.jsonl"))
	if err != nil {
		return d, fmt.Errorf("dataset: %w", err)
	}
	d.PRs = prs
	ip := filepath.Join(dir, "issues.jsonl")
	if _, err := os.Stat(ip); err == nil {
		if d.Issues, err = github.ReadIssues(ip); err != nil {
			return d, fmt.Errorf("dataset: %w", err)
		}
	}
	sp := filepath.Join(dir, "summary.json")
	b, err := os.ReadFile(sp)
	switch {
	case err == nil:
		var s github.Summary
		if err := json.Unmarshal(b, &s); err != nil {
			return d, fmt.Errorf("dataset: %s: %w", sp, err)
		}
		d.Owner, d.Repo = s.Owner, s.Repo
	case !errors.Is(err, fs.ErrNotExist):
		return d, fmt.Errorf("dataset: %w", err)
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
