package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/github/githubtest"
)

// TestTokenNeverWritten runs every stage against the fake GitHub with a
// token and checks that the token appears in no output file, no log line
// and no message: on success and on the error paths (bad token, rate
// limited, server errors, network down).
func TestTokenNeverWritten(t *testing.T) {
	const token = "ghp_SFTFORGEtestTOKEN0123456789abcdefghij"
	repo, err := githubtest.Generate(githubtest.GenerateOptions{Owner: "acme", Name: "pay", Dir: t.TempDir(), Merged: 6, Issues: 3})
	require.NoError(t, err)
	env := func(k string) string {
		if k == "GITHUB_TOKEN" {
			return token
		}
		return ""
	}
	tests := []struct {
		name  string
		setup func(s *githubtest.Server)
		down  bool
		code  int
	}{
		{"success", func(s *githubtest.Server) {}, false, 0},
		{"rate limited then fine", func(s *githubtest.Server) {
			s.Inject(githubtest.Fault{Kind: githubtest.FaultSecondary403, Times: 1})
			s.Inject(githubtest.Fault{Kind: githubtest.Fault500, Times: 1})
		}, false, 0},
		{"bad token", func(s *githubtest.Server) { s.SetToken("another-token") }, false, 1},
		{"network down", func(s *githubtest.Server) {}, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := githubtest.NewServer(repo)
			srv.SetToken(token)
			tt.setup(srv)
			api := srv.APIURL()
			if tt.down {
				srv.Close()
			} else {
				defer srv.Close()
			}
			out := filepath.Join(t.TempDir(), "out")
			var stdout, stderr bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			code := run(ctx, []string{"--github", "acme/pay", "--repo", repo.Dir, "--api-url", api, "-o", out, "-v"},
				&stdout, &stderr, env)
			assert.Equal(t, tt.code, code, "stderr: %s", stderr.String())
			assert.NotContains(t, stdout.String()+stderr.String(), token, "token in messages or logs")
			// The output and what a failed run keeps beside it.
			err := filepath.Walk(filepath.Dir(out), func(p string, info os.FileInfo, err error) error {
				if os.IsNotExist(err) {
					return nil
				}
				if err != nil || info.IsDir() {
					return err
				}
				b, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				assert.False(t, strings.Contains(string(b), token), "token written to %s", p)
				return nil
			})
			require.NoError(t, err)
			if tt.code == 0 {
				_, err := os.Stat(filepath.Join(out, "merged_dataset.jsonl"))
				assert.NoError(t, err)
				_, err = os.Stat(filepath.Join(out, "github_data", "prs.jsonl"))
				assert.NoError(t, err)
			}
		})
	}
}

// TestGitHubFetchResumes fails a run in its issues phase: the PRs it had
// fetched are kept beside the output (not in it), and the next run resumes
// from them and leaves nothing beside the output.
func TestGitHubFetchResumes(t *testing.T) {
	const token = "ghp_SFTFORGEtestTOKEN0123456789abcdefghij"
	repo, err := githubtest.Generate(githubtest.GenerateOptions{Owner: "acme", Name: "pay", Dir: t.TempDir(), Merged: 6, Issues: 3})
	require.NoError(t, err)
	env := func(k string) string {
		if k == "GITHUB_TOKEN" {
			return token
		}
		return ""
	}
	srv := githubtest.NewServer(repo)
	defer srv.Close()
	srv.SetToken(token)
	srv.SetGraphQL(false) // REST: the fault hits the issue listing, after the PRs
	srv.Inject(githubtest.Fault{Kind: githubtest.FaultUnauthorized, Match: "/issues", Times: 1})
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	args := []string{"--github", "acme/pay", "--repo", repo.Dir, "--api-url", srv.APIURL(), "-o", out}
	var stdout, stderr bytes.Buffer
	require.Equal(t, 1, run(context.Background(), args, &stdout, &stderr, env), stderr.String())
	assert.NoDirExists(t, out, "nothing in place after a failed run")
	assert.FileExists(t, filepath.Join(parent, ".out.sftforge-stage", "github_data", ".gather", "run", "prs.jsonl"), "the fetched PRs are kept")

	stdout.Reset()
	stderr.Reset()
	require.Equal(t, 0, run(context.Background(), args, &stdout, &stderr, env), stderr.String())
	assert.Contains(t, stderr.String(), "github: resuming")
	assert.FileExists(t, filepath.Join(out, "github_data", "prs.jsonl"))
	assert.FileExists(t, filepath.Join(out, "merged_dataset.jsonl"))
	entries, err := os.ReadDir(parent)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "nothing left beside the output")
}
