package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	flag "github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExitCode(t *testing.T) {
	tests := []struct {
		err  error
		code int
	}{
		{nil, ExitOK},
		{flag.ErrHelp, ExitOK},
		{errors.New("gitlog: open x: not a git repository"), ExitError},
		{Usagef("--workers %d: want 0 or more", -1), ExitUsage},
		{fmt.Errorf("wrapped: %w", Usagef("x")), ExitUsage},
		{Usage(nil), ExitOK},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.code, ExitCode(tt.err), "%v", tt.err)
	}
	var stderr bytes.Buffer
	assert.Equal(t, ExitUsage, Report(&stderr, "merge", Usagef("want GITHUB_DIR and EXPORT_DIR")))
	assert.Equal(t, ExitOK, Report(&stderr, "merge", flag.ErrHelp))
	assert.Equal(t, "merge: want GITHUB_DIR and EXPORT_DIR\n", stderr.String(), "help prints nothing more")
}

func TestParse(t *testing.T) {
	var stderr bytes.Buffer
	fs := NewFlagSet("tool", "Usage: tool ARG [flags]\n", &stderr)
	var c Common
	c.AddFlags(fs)
	n := fs.IntP("workers", "w", 0, "workers")

	require.NoError(t, Parse(fs, []string{"arg", "-v", "--workers", "-2"}), "flags after positional arguments")
	assert.Equal(t, []string{"arg"}, fs.Args())
	assert.True(t, c.Verbose)
	assert.Equal(t, -2, *n)
	err := NonNegative(fs, "workers")
	assert.EqualError(t, err, "--workers -2: want 0 or more")
	assert.Equal(t, ExitUsage, ExitCode(err))

	err = Parse(NewFlagSet("tool", "", io.Discard), []string{"--nope"})
	assert.ErrorContains(t, err, "unknown flag: --nope")
	assert.Equal(t, ExitUsage, ExitCode(err))

	for _, args := range [][]string{{"--out", "a"}, {"--output", "a"}, {"-o", "a"}} {
		fs := NewFlagSet("tool", "", io.Discard)
		out := fs.StringP("output", "o", "default", "output directory")
		require.NoError(t, Parse(fs, args))
		assert.Equal(t, "a", *out, "%v: --out is --output", args)
	}

	stderr.Reset()
	fs = NewFlagSet("tool", "Usage: tool ARG [flags]\n", &stderr)
	c.AddFlags(fs)
	err = Parse(fs, []string{"--help"})
	assert.Equal(t, ExitOK, ExitCode(err))
	assert.Contains(t, stderr.String(), "Usage: tool ARG [flags]\n\nFlags:\n")
	assert.Contains(t, stderr.String(), "-v, --verbose")
}

func TestHistoryWalk(t *testing.T) {
	tests := []struct {
		args []string
		err  string
	}{
		{nil, ""},
		{[]string{"-n", "5", "-m", "2", "--since", "2024-03-01", "--rev", "v1"}, ""},
		{[]string{"--since", "2024-03-01T12:00:00Z"}, ""},
		{[]string{"-n", "-1"}, "--max-commits -1: want 0 or more"},
		{[]string{"-m", "-1"}, "--min-lines -1: want 0 or more"},
		{[]string{"--since", "yesterday"}, `--since "yesterday": want YYYY-MM-DD or RFC 3339`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.args), func(t *testing.T) {
			var h HistoryFlags
			fs := NewFlagSet("x", "", io.Discard)
			h.AddFlags(fs)
			require.NoError(t, Parse(fs, tt.args))
			w, err := h.Walk()
			if tt.err != "" {
				assert.EqualError(t, err, tt.err)
				assert.Equal(t, ExitUsage, ExitCode(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, h.Rev, w.Rev)
			assert.Equal(t, h.MaxCommits, w.MaxCommits)
			assert.Equal(t, h.MinChangedLines, w.MinChangedLines)
			if len(tt.args) > 0 && tt.args[0] == "-n" {
				assert.Equal(t, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), w.Since)
				assert.Equal(t, "v1", w.Rev)
			}
		})
	}
}

// TestDefaultPipelineFlags pins the defaults sftforge and the Beam
// pipeline share (examples/beam compares the two binaries' flags).
func TestDefaultPipelineFlags(t *testing.T) {
	p := DefaultPipelineFlags()
	assert.Equal(t, "HEAD", p.Rev)
	assert.True(t, p.CommitsAsPRs, "offline, a commit without a PR is a record of its own")
	assert.Equal(t, "sft", p.Dataset.Format)
	assert.Equal(t, "auto", p.Dataset.Preset)
	assert.Equal(t, 1, p.Dataset.Filters.MinIdentifierChanges)
	assert.Equal(t, 0.1, p.Dataset.Validation)
	require.NoError(t, p.Validate())
}

func TestGitHubFlags(t *testing.T) {
	dir := t.TempDir()
	good := dir + "/token"
	require.NoError(t, os.WriteFile(good, []byte("ghp_0123456789abcdefghijklmnopqrstuvwxyz\n"), 0o600))
	bad := dir + "/bad"
	require.NoError(t, os.WriteFile(bad, []byte("two words\n"), 0o600))
	env := func(tok string) func(string) string {
		return func(k string) string {
			if k == "GITHUB_TOKEN" {
				return tok
			}
			return ""
		}
	}
	tests := []struct {
		name   string
		args   []string
		env    string
		token  string
		source string
		err    string
	}{
		{"file", []string{"--token-file", good}, "", "ghp_0123456789abcdefghijklmnopqrstuvwxyz", "--token-file", ""},
		{"environment", nil, "ghp_fromenv0123456789", "ghp_fromenv0123456789", "GITHUB_TOKEN", ""},
		{"bad file", []string{"--token-file", bad}, "", "", "", "--token-file: "},
		{"bad environment", nil, "with space", "", "", "GITHUB_TOKEN: "},
		{"bad API URL", []string{"--api-url", "ghe.example.com"}, "", "", "", `bad API URL "ghe.example.com"`},
		{"negative --max-prs", []string{"--max-prs", "-1"}, "", "", "", "--max-prs -1: want 0 or more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var g GitHubFlags
			fs := NewFlagSet("x", "", io.Discard)
			g.AddFlags(fs)
			require.NoError(t, Parse(fs, tt.args))
			err := g.Validate()
			var token, source string
			if err == nil {
				token, source, err = g.Token(context.Background(), env(tt.env))
			}
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				assert.Equal(t, ExitUsage, ExitCode(err))
				assert.NotContains(t, err.Error(), "with space", "the token is never printed")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.token, token)
			assert.Equal(t, tt.source, source)
		})
	}
}
