package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/internal/filetree"
	"github.com/sftforge/sftforge/outdir"
	"github.com/sftforge/sftforge/sample"
)

// TestOutputRules: generate never deletes what is not its own output: the
// repository (work tree or bare), a directory of other files, a regular
// file; nor an output another run is writing.
func TestOutputRules(t *testing.T) {
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	bare := filepath.Join(t.TempDir(), "bare.git")
	if b, err := exec.Command("git", "clone", "-q", "--bare", s.RepoPath, bare).CombinedOutput(); err != nil {
		t.Skipf("git clone --bare: %v: %s", err, b)
	}
	tests := []struct {
		name    string
		setup   func(t *testing.T) (repo, out string)
		wantErr string
	}{
		{"the work tree", func(t *testing.T) (string, string) { return s.RepoPath, s.RepoPath }, "it is the input"},
		{"the .git directory", func(t *testing.T) (string, string) { return s.RepoPath, filepath.Join(s.RepoPath, ".git") }, "it is the input"},
		{"a bare repository", func(t *testing.T) (string, string) { return bare, bare }, "it is the input"},
		{"inside a bare repository", func(t *testing.T) (string, string) { return bare, filepath.Join(bare, "export") }, "it is inside the input"},
		{"a directory of other files", func(t *testing.T) (string, string) {
			d := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(d, "thesis.tex"), []byte("mine"), 0o644))
			return s.RepoPath, d
		}, "was not written by sftforge"},
		{"a regular file", func(t *testing.T) (string, string) {
			f := filepath.Join(t.TempDir(), "f")
			require.NoError(t, os.WriteFile(f, []byte("mine"), 0o644))
			return s.RepoPath, f
		}, "is a file, not a directory"},
		{"another run writes it", func(t *testing.T) (string, string) {
			out := filepath.Join(t.TempDir(), "out")
			d, err := outdir.Stage(out, outdir.Options{})
			require.NoError(t, err)
			t.Cleanup(func() { d.Close() })
			return s.RepoPath, out
		}, fmt.Sprintf("another sftforge run (pid %d) is writing", os.Getpid())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo, out := tt.setup(t)
			before, repoBefore := filetree.Read(t, out), filetree.Read(t, repo)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{repo, "-o", out, "-n", "3", "--force"}, &stdout, &stderr)
			assert.Equal(t, 1, code, stderr.String())
			assert.Contains(t, stderr.String(), tt.wantErr)
			assert.Equal(t, before, filetree.Read(t, out), "the output path is untouched")
			assert.Equal(t, repoBefore, filetree.Read(t, repo), "the repository is untouched")
		})
	}
}
