package dataset

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/sample"
)

// copyDir copies the regular files of src (one level) into a new
// directory and returns it.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644))
	}
	return dst
}

// TestReadIncompleteInputs: merge's inputs that are obviously incomplete
// are errors wrapping ErrIncomplete, with a message saying what to do.
func TestReadIncompleteInputs(t *testing.T) {
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	repo, err := gitlog.Open(context.Background(), s.RepoPath, gitlog.OpenOptions{})
	require.NoError(t, err)
	exportDir := filepath.Join(t.TempDir(), "export")
	_, err = Export(context.Background(), repo, ExportOptions{Dir: exportDir})
	repo.Close()
	require.NoError(t, err)

	firstLine := func(p string) {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		line, _, _ := strings.Cut(string(b), "\n")
		require.NoError(t, os.WriteFile(p, []byte(line+"\n"), 0o644))
	}
	tests := []struct {
		name   string
		export bool // mutate a copy of the export, else of the GitHub data
		mutate func(dir string)
		err    string // "" when the directory is fine
	}{
		{name: "complete GitHub data", mutate: func(string) {}},
		{name: "complete export", export: true, mutate: func(string) {}},
		{name: "no summary.json (interrupted gather)", mutate: func(d string) { os.Remove(filepath.Join(d, "summary.json")) },
			err: "no summary.json: gather did not finish: run it again to resume"},
		{name: "empty prs.jsonl", mutate: func(d string) { os.WriteFile(filepath.Join(d, "prs.jsonl"), nil, 0o644) },
			err: "PRs, summary.json says"},
		{name: "prs.jsonl cut short", mutate: func(d string) { firstLine(filepath.Join(d, "prs.jsonl")) },
			err: "holds 1 PRs, summary.json says"},
		{name: "no PRs at all", mutate: func(d string) {
			os.WriteFile(filepath.Join(d, "prs.jsonl"), nil, 0o644)
			os.WriteFile(filepath.Join(d, "summary.json"), []byte(`{"owner":"o","repo":"r","state":"merged","prs":0,"issues":0}`), 0o644)
			os.Remove(filepath.Join(d, "issues.jsonl"))
		}, err: `no PRs (gather found none for o/r, state "merged"): nothing to merge`},
		{name: "issues.jsonl missing", mutate: func(d string) { os.Remove(filepath.Join(d, "issues.jsonl")) },
			err: "issues.jsonl holds 0 issues, summary.json says"},
		{name: "export without index.csv", export: true, mutate: func(d string) { os.Remove(filepath.Join(d, "index.csv")) },
			err: "no index.csv: not a complete commit export (run generate again)"},
		{name: "export missing a record file", export: true, mutate: func(d string) {
			names, _ := filepath.Glob(filepath.Join(d, "*.jsonl"))
			os.Remove(names[0])
		}, err: "record files: not a complete commit export"},
		{name: "empty export directory", export: true, mutate: func(d string) {
			names, _ := filepath.Glob(filepath.Join(d, "*"))
			for _, n := range names {
				os.Remove(n)
			}
		}, err: "no index.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.export {
				d := copyDir(t, exportDir)
				tt.mutate(d)
				_, err = ReadCommitExport(d)
			} else {
				d := copyDir(t, s.GitHubDir)
				tt.mutate(d)
				_, err = ReadGitHubDir(d)
			}
			if tt.err == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrIncomplete)
			assert.Contains(t, err.Error(), tt.err)
		})
	}
}
