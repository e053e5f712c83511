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
	"github.com/sftforge/sftforge/internal/filetree"
	"github.com/sftforge/sftforge/sample"
)

// TestOutputRules: merge never writes into its inputs or over files it
// did not write, and a failed rerun leaves the previous output as it was.
func TestOutputRules(t *testing.T) {
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	repo, err := gitlog.Open(context.Background(), s.RepoPath, gitlog.OpenOptions{})
	require.NoError(t, err)
	export := filepath.Join(t.TempDir(), "commits_export")
	_, err = dataset.Export(context.Background(), repo, dataset.ExportOptions{Dir: export})
	require.NoError(t, err)
	require.NoError(t, repo.Close())
	done := filepath.Join(t.TempDir(), "done")
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{s.GitHubDir, export, "-o", done}, &stdout, &stderr), stderr.String())
	bad := filepath.Join(t.TempDir(), "bad.tmpl")
	// Passes the up-front template check (its probe record has this title)
	// and fails on real records, in the middle of the run.
	require.NoError(t, os.WriteFile(bad, []byte("{{if eq .Title \"Add customer search\"}}ok{{else}}{{ .Nope }}{{end}}"), 0o644))
	foreign := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("mine"), 0o644))

	tests := []struct {
		name, out string
		args      []string
		wantErr   string
	}{
		{"the PR data", s.GitHubDir, []string{"--force"}, "it is the input"},
		{"the commit export", export, []string{"--force"}, "it is the input"},
		{"inside the commit export", filepath.Join(export, "out"), nil, "it is inside the input"},
		{"a directory of other files", foreign, []string{"--force"}, "was not written by sftforge"},
		{"a template error in a rerun", done, []string{"--template", bad}, "Nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := filetree.Read(t, filepath.Dir(tt.out))
			var stdout, stderr bytes.Buffer
			code := run(append([]string{s.GitHubDir, export, "-o", tt.out}, tt.args...), &stdout, &stderr)
			assert.Equal(t, 1, code, stderr.String())
			assert.Contains(t, stderr.String(), tt.wantErr)
			assert.Equal(t, before, filetree.Read(t, filepath.Dir(tt.out)), "untouched")
		})
	}
}
