package cli

import (
	"errors"
	"testing"

	flag "github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDatasetFlagsValidate(t *testing.T) {
	tests := []struct {
		args []string
		err  string // "" when valid
	}{
		{nil, ""},
		{[]string{"--max-samples", "10", "--min-identifiers", "0", "--validation", "-1"}, ""},
		{[]string{"--max-samples", "-1"}, "--max-samples -1: want 0 or more"},
		{[]string{"--max-patch-bytes", "-2"}, "--max-patch-bytes -2: want 0 or more"},
		{[]string{"--max-prompt-tokens", "-5"}, "--max-prompt-tokens -5: want 0 or more"},
		{[]string{"--max-response-tokens", "-5"}, "--max-response-tokens: -5 is negative (0 means no budget)"},
		{[]string{"--min-identifiers", "-1"}, "--min-identifiers -1: want 0 or more"},
		{[]string{"--near-dup", "0", "--keep-same-change"}, ""},
		{[]string{"--near-dup", "1.5"}, "--near-dup 1.5: want a similarity from 0 to 1"},
		{[]string{"--near-dup", "-0.1"}, "--near-dup -0.1: want a similarity from 0 to 1"},
		{[]string{"--near-dup", "NaN"}, "--near-dup NaN: want a similarity from 0 to 1"},
		{[]string{"--format", "csv"}, "--format: "},
		{[]string{"--preset", "nope"}, `--preset: unknown preset "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.err, func(t *testing.T) {
			var d DatasetFlags
			fs := flag.NewFlagSet("x", flag.ContinueOnError)
			d.AddFlags(fs)
			require.NoError(t, fs.Parse(tt.args))
			err := d.Validate()
			_, _, oerr := d.Options("")
			if tt.err == "" {
				assert.NoError(t, err)
				assert.NoError(t, oerr)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
			require.Error(t, oerr, "Options validates too")
			assert.True(t, errors.As(err, new(UsageError)), "a usage error: exit code 2")
		})
	}
}
