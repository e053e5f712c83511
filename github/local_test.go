package github

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/github/githubtest"
)

func TestIssueNumberFromURL(t *testing.T) {
	assert.Equal(t, 12, issueNumberFromURL("https://api.github.com/repos/o/r/issues/12"))
	assert.Equal(t, 0, issueNumberFromURL("https://api.github.com/repos/o/r/pulls/12"))
	assert.Equal(t, 0, issueNumberFromURL("https://api.github.com/repos/o/r/issues/x"))
}

func TestBackoffBounds(t *testing.T) {
	rt := &retryTransport{baseDelay: 100 * time.Millisecond, maxDelay: time.Second}
	for attempt := 0; attempt < 40; attempt++ {
		d := rt.backoff(attempt)
		want := min(100*time.Millisecond<<min(attempt, 20), time.Second)
		assert.GreaterOrEqual(t, d, want/2, "attempt %d", attempt)
		assert.LessOrEqual(t, d, want, "attempt %d", attempt)
	}
}

// TestLocalRepoFill fills PRs of a generated repository from the clone and
// compares with what the fake GitHub serves: the commits, the changed files
// (which also equal ParseDiffFiles of the local patch) and, without the PR
// commits in the clone, the merge commit's patch.
func TestLocalRepoFill(t *testing.T) {
	tests := []struct {
		name        string
		omit        bool
		wantSource  string
		wantCommits bool
	}{
		{"clone with refs/pull", false, "local", true},
		{"clone without the PR commits", true, "local-merge", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, err := githubtest.Generate(githubtest.GenerateOptions{Owner: "o", Name: "r", Dir: filepath.Join(t.TempDir(), "git"), Merged: 6, Unmerged: 1, OmitPRCommits: tt.omit})
			require.NoError(t, err)
			l, err := openLocalRepo(fake.Dir, 2)
			require.NoError(t, err)
			defer func() { require.NoError(t, l.Close()) }()
			for _, p := range fake.Pulls {
				if p.MergeCommitSHA == "" && tt.omit {
					continue
				}
				pr := PR{Number: p.Number, BaseSHA: p.BaseSHA, HeadSHA: p.HeadSHA, MergeCommitSHA: p.MergeCommitSHA}
				haveCommits, havePatch, err := l.fill(context.Background(), &pr)
				require.NoError(t, err, "PR #%d", p.Number)
				assert.True(t, havePatch)
				assert.Equal(t, tt.wantCommits, haveCommits)
				assert.Equal(t, tt.wantSource, pr.PatchSource)
				parsed, err := ParseDiffFiles(pr.Patch)
				require.NoError(t, err)
				assert.Equal(t, parsed, pr.Files, "PR #%d: files and patch disagree", p.Number)
				var want []PRFile
				for _, f := range p.Files {
					want = append(want, PRFile{Path: f.Path, PreviousPath: f.PreviousPath, Status: f.Status, Additions: f.Additions, Deletions: f.Deletions})
				}
				assert.Equal(t, want, pr.Files, "PR #%d", p.Number)
				if tt.wantCommits {
					require.Len(t, pr.Commits, len(p.Commits))
					for i, c := range p.Commits {
						assert.Equal(t, PRCommit{SHA: c.SHA, Message: c.Message}, pr.Commits[i])
					}
				}
			}
		})
	}
}

func TestOpenLocalRepoErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
	tests := []struct {
		name, path, contains string
	}{
		{"missing directory", filepath.Join(dir, "nope"), "open local clone " + filepath.Join(dir, "nope")},
		{"a file", file, "not a directory"},
		{"a URL is not a local clone", "https://example.com/o/r.git", "open local clone https://example.com/o/r.git"},
		{"a directory that is no repository", dir, "open local clone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openLocalRepo(tt.path, 1)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.contains)
		})
	}
}
