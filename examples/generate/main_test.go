package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/dataset"
	"github.com/sftforge/sftforge/sample"
)

func TestGenerate(t *testing.T) {
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "commits_export")
	tests := []struct {
		name     string
		args     []string
		code     int
		stderrIs string
	}{
		{"help", []string{"--help"}, 0, ""},
		{"no repository", []string{"-o", out}, 2, "want exactly one repository"},
		{"bad format", []string{s.RepoPath, "-f", "xml"}, 2, "unknown format"},
		{"bad date", []string{s.RepoPath, "--since", "yesterday"}, 2, "--since"},
		{"not a repository", []string{t.TempDir(), "-o", out}, 1, "generate:"},
		{"flags after the repository", []string{s.RepoPath, "-o", out, "-m", "1", "--workers", "2"}, 0, ""},
		{"flags before the repository", []string{"-o", out, "-n", "5", "-f", "messages", s.RepoPath}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			assert.Equal(t, tt.code, code, "stderr: %s", stderr.String())
			if tt.stderrIs != "" {
				assert.Contains(t, stderr.String(), tt.stderrIs)
			}
			if tt.code == 0 && tt.name != "help" {
				assert.Contains(t, stdout.String(), "wrote ")
				_, err := os.Stat(filepath.Join(out, "index.csv"))
				assert.NoError(t, err)
			}
		})
	}
	recs, err := dataset.ReadCommitExport(out)
	require.NoError(t, err, "the messages format reads back")
	require.NotEmpty(t, recs)
	assert.LessOrEqual(t, len(recs), 5, "-n 5 selects the newest 5 commits")
	for _, r := range recs {
		assert.NotEmpty(t, r.Prompt)
		assert.True(t, strings.HasPrefix(r.Response, "Files to modify:"), r.Response)
	}
}
