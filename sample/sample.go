package sample

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sftforge/sftforge/gitlog"
)

// fixtureFiles holds the sample's history steps and issues; "all:" keeps
// dot files such as the workspace's .gitignore.
//
//go:embed all:fixture
var fixtureFiles embed.FS

const (
	// owner and name are the GitHub repository the sample pretends to be.
	owner = "acme-payments"
	name  = "paygate"
	// gitHubDirName is the directory under Build's dir holding the GitHub
	// fixture files.
	gitHubDirName = "github_data"
)

// Sample is a built sample: where its repository and GitHub data are and
// which GitHub repository it stands for.
type Sample struct {
	// RepoPath is the repository's work tree (its git directory is
	// RepoPath/.git).
	RepoPath string
	// GitHubDir holds prs.jsonl, issues.jsonl and summary.json in the
	// github package's format.
	GitHubDir string
	// Owner and Name are the GitHub repository the data pretends to come
	// from, as passed to github.ParseLinks.
	Owner, Name string
	// Head is the full hash of the last commit of main.
	Head string
}

// Build writes the sample repository (a normal non-bare git repo with a work
// tree, branch main checked out) into dir and the GitHub fixture files into
// dir/github_data (prs.jsonl, issues.jsonl, summary.json), returning their
// absolute paths. dir must not exist or be empty; after an error it may hold
// a partial result. The output is deterministic: the same module version
// always produces the same commit hashes and bytes.
func Build(dir string) (*Sample, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	if err := requireEmptyDir(dir); err != nil {
		return nil, err
	}
	fsys, err := fs.Sub(fixtureFiles, "fixture")
	if err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	fx, err := loadFixture(fsys)
	if err != nil {
		return nil, err
	}
	repo, err := initRepo(dir, owner, name)
	if err != nil {
		return nil, err
	}
	h, err := buildHistory(repo, fx)
	if err != nil {
		return nil, err
	}
	head := h.Main[len(h.Main)-1].Hash
	if err := checkout(repo, head); err != nil {
		return nil, err
	}
	// The GitHub data lives inside the work tree; keep it out of git status
	// without committing an ignore rule to the sample's history.
	exclude := filepath.Join(dir, ".git", "info", "exclude")
	if err := os.MkdirAll(filepath.Dir(exclude), 0o755); err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	if err := os.WriteFile(exclude, []byte("/"+gitHubDirName+"/\n"), 0o644); err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	gr, err := gitlog.Open(context.Background(), dir, gitlog.OpenOptions{})
	if err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	prs, err := pullRequests(owner, name, fx, h, gr)
	if cerr := gr.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("sample: %w", cerr)
	}
	if err != nil {
		return nil, err
	}
	iss, err := issues(fx)
	if err != nil {
		return nil, err
	}
	ghDir := filepath.Join(dir, gitHubDirName)
	if err := writeGitHubData(ghDir, owner, name, prs, iss); err != nil {
		return nil, err
	}
	return &Sample{RepoPath: dir, GitHubDir: ghDir, Owner: owner, Name: name, Head: head.String()}, nil
}

// requireEmptyDir checks that dir does not exist or is an empty directory,
// so Build never mixes the sample with other files.
func requireEmptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("sample: %w", err)
	case len(entries) > 0:
		return fmt.Errorf("sample: %s: directory is not empty", dir)
	}
	return nil
}
