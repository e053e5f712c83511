package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
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
