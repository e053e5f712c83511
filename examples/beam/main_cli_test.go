package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunExitCodes(t *testing.T) {
	dir := t.TempDir()
	sources := filepath.Join(dir, "sources.txt")
	require.NoError(t, os.WriteFile(sources, []byte("/x bogus=1\n"), 0o644))
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no sources flag", nil, 2, "--sources is required"},
		{"unknown flag", []string{"--nope"}, 2, "unknown flag"},
		{"bad sources file", []string{"--sources", sources}, 2, `sources.txt:1: unknown option "bogus"`},
		{"missing sources file", []string{"--sources", filepath.Join(dir, "none")}, 2, "--sources: open"},
		{"random split", []string{"--sources", sources, "--split", "random"}, 2, "--split random is not supported"},
		{"bad shards", []string{"--sources", "x", "--output-shards", "0"}, 2, "--output-shards 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			assert.Equal(t, tt.code, code)
			assert.Contains(t, stderr.String(), tt.err)
		})
	}
}

// TestRunOneRepository runs the binary's entry point on a small
// repository: the output files are in place, shards included, and the
// scratch directory is gone.
func TestRunOneRepository(t *testing.T) {
	dir := t.TempDir()
	repo := filepath.Join(dir, "alpha")
	buildRepo(t, repo, alphaHistory)
	sources := filepath.Join(dir, "sources.txt")
	require.NoError(t, os.WriteFile(sources, []byte(repo+" name=acme/alpha shards=2\n"), 0o644))
	out := filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--sources", sources, "-o", out, "--output-shards", "2"}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	assert.Contains(t, stdout.String(), "1 sources, 4 records")
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{".sftforge-output", "README.md", "report.html", "errors.jsonl", "statistics.json",
		"merged_dataset-00000-of-00002.jsonl", "merged_dataset-00001-of-00002.jsonl",
		"train-00000-of-00002.jsonl", "train-00001-of-00002.jsonl",
		"validation-00000-of-00002.jsonl", "validation-00001-of-00002.jsonl"}, names)
	assert.Equal(t, 4, strings.Count(readFile(t, filepath.Join(out, "merged_dataset-00000-of-00002.jsonl"))+
		readFile(t, filepath.Join(out, "merged_dataset-00001-of-00002.jsonl")), "\n"))
}

// TestRunOutputRules checks the local output's rules: the repository and
// a directory of other files are refused and left as they were; a rerun
// replaces the previous output as a whole (no shard of another count
// left); nothing stays beside it.
func TestRunOutputRules(t *testing.T) {
	dir := t.TempDir()
	repo := filepath.Join(dir, "alpha")
	buildRepo(t, repo, alphaHistory)
	sources := filepath.Join(dir, "sources.txt")
	require.NoError(t, os.WriteFile(sources, []byte(repo+" name=acme/alpha\n"), 0o644))
	foreign := filepath.Join(dir, "foreign")
	require.NoError(t, os.MkdirAll(foreign, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("mine"), 0o644))
	for out, want := range map[string]string{repo: "it is the input", foreign: "was not written by sftforge", sources: "is a file, not a directory"} {
		before := readTree(t, out)
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"--sources", sources, "-o", out, "--force"}, &stdout, &stderr)
		assert.Equal(t, 1, code, stderr.String())
		assert.Contains(t, stderr.String(), want)
		assert.Equal(t, before, readTree(t, out), out)
	}

	out := filepath.Join(dir, "out")
	for _, shards := range []string{"3", "1"} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"--sources", sources, "-o", out, "--output-shards", shards}, &stdout, &stderr)
		require.Equal(t, 0, code, stderr.String())
	}
	got, err := filepath.Glob(filepath.Join(out, "train-*"))
	require.NoError(t, err)
	assert.Equal(t, []string{filepath.Join(out, "train-00000-of-00001.jsonl")}, got)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 4, "alpha, sources.txt, foreign, out: nothing else")
}

// readTree returns the files under path (or the file at path) and their
// contents.
func readTree(t *testing.T, path string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			m[p] = string(b)
		}
		return nil
	})
	return m
}
