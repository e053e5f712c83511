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
	assert.ElementsMatch(t, []string{"README.md", "errors.jsonl", "statistics.json",
		"merged_dataset-00000-of-00002.jsonl", "merged_dataset-00001-of-00002.jsonl",
		"train-00000-of-00002.jsonl", "train-00001-of-00002.jsonl",
		"validation-00000-of-00002.jsonl", "validation-00001-of-00002.jsonl"}, names)
	assert.Equal(t, 4, strings.Count(readFile(t, filepath.Join(out, "merged_dataset-00000-of-00002.jsonl"))+
		readFile(t, filepath.Join(out, "merged_dataset-00001-of-00002.jsonl")), "\n"))
}
