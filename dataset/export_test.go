package dataset

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/internal/filetree"
	"github.com/sftforge/sftforge/outdir"
	"github.com/sftforge/sftforge/sample"
)

// exportDir runs an export of the sample and returns every file's bytes.
func exportDir(t *testing.T, repoPath string, opts ExportOptions) (map[string]string, ExportStats) {
	t.Helper()
	repo, err := gitlog.Open(context.Background(), repoPath, gitlog.OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()
	opts.Dir = filepath.Join(t.TempDir(), "export")
	st, err := Export(context.Background(), repo, opts)
	require.NoError(t, err)
	files := map[string]string{}
	entries, err := os.ReadDir(opts.Dir)
	require.NoError(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(opts.Dir, e.Name()))
		require.NoError(t, err)
		files[e.Name()] = string(b)
	}
	return files, st
}

// TestExportIndependentOfWorkersAndBudget: the split of files between
// workers and the eviction of parse trees change nothing in the output.
func TestExportIndependentOfWorkersAndBudget(t *testing.T) {
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	want, st := exportDir(t, s.RepoPath, ExportOptions{Workers: 1, ResidentBytes: -1})
	require.NotEmpty(t, want)
	assert.Positive(t, st.Changes)
	tests := []struct {
		name string
		opts ExportOptions
	}{
		{"three workers", ExportOptions{Workers: 3}},
		{"evict every tree", ExportOptions{Workers: 2, ResidentBytes: 1}},
		{"small budget", ExportOptions{Workers: 1, ResidentBytes: 20 << 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := exportDir(t, s.RepoPath, tt.opts)
			assert.Equal(t, want, got)
		})
	}
}

// TestExportReplacesAtomically: a second run replaces the first run's
// directory as a whole and leaves nothing behind; a directory it did not
// write is refused; a failed run leaves the previous export untouched.
func TestExportReplacesAtomically(t *testing.T) {
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	repo, err := gitlog.Open(context.Background(), s.RepoPath, gitlog.OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()
	parent := t.TempDir()
	dir := filepath.Join(parent, "export")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine\n"), 0o644))
	_, err = Export(context.Background(), repo, ExportOptions{Dir: dir, Walk: gitlog.WalkOptions{MaxCommits: 3}})
	require.ErrorContains(t, err, "refusing to replace "+dir)
	require.NoError(t, os.Remove(filepath.Join(dir, "notes.txt")))

	_, err = Export(context.Background(), repo, ExportOptions{Dir: dir, Walk: gitlog.WalkOptions{MaxCommits: 3}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "stale.jsonl"), []byte("old\n"), 0o644))
	_, err = Export(context.Background(), repo, ExportOptions{Dir: dir, Walk: gitlog.WalkOptions{MaxCommits: 3}})
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(dir, "stale.jsonl"))
	assert.ErrorIs(t, err, os.ErrNotExist, "the old directory was replaced")
	entries, err := os.ReadDir(parent)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary directory or lock file left")

	// A cancelled run leaves the previous export untouched.
	before := filetree.Read(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Export(ctx, repo, ExportOptions{Dir: dir})
	require.Error(t, err)
	assert.Equal(t, before, filetree.Read(t, dir))
	entries, err = os.ReadDir(parent)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary directory left after a failed run")

	// The repository itself, or a directory inside it, is never written.
	for out, want := range map[string]string{s.RepoPath: "it is the input", filepath.Join(s.RepoPath, "out"): "it is inside the input"} {
		_, err = Export(context.Background(), repo, ExportOptions{Dir: out, Output: outdir.Options{Force: true}})
		assert.ErrorContains(t, err, want)
	}
}
