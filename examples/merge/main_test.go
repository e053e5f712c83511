package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/dataset"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/sample"
)

func TestMerge(t *testing.T) {
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	repo, err := gitlog.Open(context.Background(), s.RepoPath, gitlog.OpenOptions{})
	require.NoError(t, err)
	export := filepath.Join(t.TempDir(), "commits_export")
	_, err = dataset.Export(context.Background(), repo, dataset.ExportOptions{Dir: export})
	require.NoError(t, err)
	require.NoError(t, repo.Close())
	out := filepath.Join(t.TempDir(), "final")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"help", []string{"-h"}, 0, ""},
		{"one argument", []string{s.GitHubDir}, 2, "want GITHUB_DIR and EXPORT_DIR"},
		{"unknown flag", []string{s.GitHubDir, export, "--frobnicate"}, 2, "unknown flag"},
		{"bad preset", []string{s.GitHubDir, export, "--preset", "nope"}, 2, "unknown preset"},
		{"missing github data", []string{t.TempDir(), export, "-o", out}, 1, "prs.jsonl"},
		{"ok", []string{s.GitHubDir, export, "-o", out, "--format", "messages"}, 0, ""},
		{"flags first", []string{"-o", out, "--validation", "0.5", s.GitHubDir, export}, 0, ""},
		{"layers from the repository", []string{s.GitHubDir, export, "-o", out, "--repo", s.RepoPath}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			assert.Equal(t, tt.code, code, "stderr: %s", stderr.String())
			assert.Contains(t, stderr.String(), tt.stderr)
			if tt.code == 0 && tt.name != "help" {
				for _, f := range []string{"merged_dataset.jsonl", "train.jsonl", "validation.jsonl", "statistics.json", "README.md"} {
					_, err := os.Stat(filepath.Join(out, f))
					assert.NoError(t, err, f)
				}
				recs, err := os.ReadFile(filepath.Join(out, "merged_dataset.jsonl"))
				require.NoError(t, err)
				assert.Contains(t, string(recs), `"crates":["`, "layers list their crates")
			}
		})
	}
}
