package github

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/change"
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
		squash      string
		wantSource  string
		wantCommits bool
	}{
		{"clone with refs/pull", false, "", "local", true},
		{"clone without the PR commits, default squash messages", true, "", "local-squash", true},
		{"clone without the PR commits, edited squash messages", true, "edited", "local-merge", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, err := githubtest.Generate(githubtest.GenerateOptions{Owner: "o", Name: "r", Dir: filepath.Join(t.TempDir(), "git"), Merged: 6, Unmerged: 1, OmitPRCommits: tt.omit, SquashMessage: tt.squash})
			require.NoError(t, err)
			l, err := openLocalRepo(fake.Dir)
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
				var want PRFiles
				for _, f := range p.Files {
					want = append(want, change.File{Path: f.Path, OldPath: f.PreviousPath, Status: FileStatus(f.Status), Additions: f.Additions, Deletions: f.Deletions})
				}
				assert.Equal(t, want, pr.Files, "PR #%d", p.Number)
				if tt.wantCommits {
					require.Len(t, pr.Commits, len(p.Commits))
					for i, c := range p.Commits {
						want := PRCommit{SHA: c.SHA, Message: c.Message}
						if tt.wantSource == "local-squash" && i < len(p.Commits)-1 {
							want.SHA = "" // a squash message names no commit but the head
						}
						assert.Equal(t, want, pr.Commits[i])
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
			_, err := openLocalRepo(tt.path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.contains)
		})
	}
}

func TestParseSquashMessage(t *testing.T) {
	const head = "1111111111111111111111111111111111111111"
	tests := []struct {
		name string
		msg  string
		want []string // messages; nil: not a squash message of PR #7
	}{
		{"one commit, subject only", "fix: thing (#7)", []string{"fix: thing"}},
		{"one commit with body", "fix: thing (#7)\n\nFixes #3\n", []string{"fix: thing\n\nFixes #3"}},
		{"list", "feat: x (#7)\n\n* step one\n\n* step two\n\nCloses #3\n\n* step three",
			[]string{"step one", "step two\n\nCloses #3", "step three"}},
		{"list with a bullet body", "feat: x (#7)\n\n* step one\n\n- a\n* b\n\n* step two",
			[]string{"step one\n\n- a\n* b", "step two"}},
		{"co-authors dropped", "feat: x (#7)\n\n* a\n\n* b\n\n---------\n\nCo-authored-by: X <x@example.com>",
			[]string{"a", "b"}},
		{"co-authors without separator", "fix: y (#7)\n\nbody\n\nCo-authored-by: X <x@example.com>\n", []string{"fix: y\n\nbody"}},
		{"CRLF", "feat: x (#7)\r\n\r\n* a\r\n\r\n* b", []string{"a", "b"}},
		{"other PR", "fix: thing (#8)", nil},
		{"no number", "fix: thing", nil},
		{"merge commit", "Merge pull request #7 from a/b\n\nfix", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			commits, ok := ParseSquashMessage(tt.msg, 7, head)
			if tt.want == nil {
				assert.False(t, ok)
				return
			}
			require.True(t, ok)
			var got []string
			for i, c := range commits {
				got = append(got, c.Message)
				if i == len(commits)-1 {
					assert.Equal(t, head, c.SHA)
				} else {
					assert.Empty(t, c.SHA)
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
