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

	"github.com/sftforge/sftforge/sample"
)

func noEnv(string) string { return "" }

func TestSftforgeOnEmbeddedSample(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-o", out}, &stdout, &stderr, noEnv)
	require.Equal(t, 0, code, "stderr: %s", stderr.String())
	assert.Contains(t, stdout.String(), "embedded sample")
	assert.Contains(t, stdout.String(), "Dataset written to "+out)
	// The summary gives each stage's CPU time ("-" where the system does
	// not report it), then its wall time, last (bench/lib.sh reads them).
	assert.Regexp(t, `(?m)^stage\s+result\s+cpu\s+time$`, stdout.String())
	for _, stage := range []string{"export", "merge", "write"} {
		assert.Regexp(t, `(?m)^`+stage+`\s.*\s(-|[0-9.]+(s|ms|µs))\s+[0-9.]+(s|ms|µs)$`, stdout.String(), stage)
	}
	for _, f := range []string{"merged_dataset.jsonl", "train.jsonl", "validation.jsonl", "statistics.json", "README.md", "commits_export/index.csv"} {
		_, err := os.Stat(filepath.Join(out, f))
		assert.NoError(t, err, f)
	}
	// The planted fake secrets never reach the training files.
	for _, f := range []string{"merged_dataset.jsonl", "train.jsonl", "validation.jsonl"} {
		b, err := os.ReadFile(filepath.Join(out, f))
		require.NoError(t, err)
		assert.NotContains(t, string(b), "sk_live_", f)
		assert.NotContains(t, string(b), "@northwind-traders.example", f)
	}
}

func TestSftforgeOffline(t *testing.T) {
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--repo", s.RepoPath, "-o", out, "-n", "10", "--format", "alpaca"}, &stdout, &stderr, noEnv)
	require.Equal(t, 0, code, "stderr: %s", stderr.String())
	b, err := os.ReadFile(filepath.Join(out, "train.jsonl"))
	require.NoError(t, err)
	assert.Contains(t, string(b), `"instruction"`)
}

func TestSftforgeErrors(t *testing.T) {
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"
	env := func(k string) string {
		if k == "GITHUB_TOKEN" {
			return token
		}
		return ""
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"help", []string{"--help"}, 0, ""},
		{"positional argument", []string{"somewhere"}, 2, "unexpected argument"},
		{"bad github repo", []string{"--github", "justone"}, 2, "want OWNER/REPO"},
		{"bad format", []string{"--repo", s.RepoPath, "--format", "csv"}, 2, "unknown format"},
		{"missing repo", []string{"--repo", filepath.Join(t.TempDir(), "nope")}, 1, "sftforge:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr, env)
			assert.Equal(t, tt.code, code, "stderr: %s", stderr.String())
			assert.Contains(t, stderr.String(), tt.stderr)
			assert.False(t, strings.Contains(stdout.String()+stderr.String(), token), "token leaked")
		})
	}
}
