package cli

import (
	"errors"
	"os"
	"path/filepath"
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
		{[]string{"--licenses", "MIT,Apache-2.0"}, ""},
		{[]string{"--licenses", "MIT,permissive"}, `--licenses: license: "permissive" is not an SPDX licence identifier`},
		{[]string{"--licenses", ""}, "--licenses: license: empty licence list"},
		{[]string{"--decontaminate-ngram", "-3"}, "--decontaminate-ngram -3: want 1 or more"},
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

func TestDatasetFlagsFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	exclude := write("exclude.txt", "o/r#1\n")
	bench := write("bench.jsonl", `{"question": "a b c"}`+"\n")
	tests := []struct {
		args []string
		err  string
	}{
		{[]string{"--exclude", exclude, "--decontaminate", bench, "--decontaminate-field", "question", "--decontaminate-ngram", "2"}, ""},
		{[]string{"--exclude", filepath.Join(dir, "missing.txt")}, "--exclude: dataset: exclude list: open "},
		{[]string{"--exclude", write("bad.txt", "o/r#1\nnot an entry\n")}, "bad.txt:2: \"not an entry\""},
		{[]string{"--decontaminate", bench}, "bench.jsonl:1: none of the text fields problem_statement, text"},
		{[]string{"--decontaminate", write("bad.jsonl", "{\"text\": \"x\"}\n{oops\n")}, "bad.jsonl:2: not a JSON object"},
	}
	for _, tt := range tests {
		var d DatasetFlags
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		d.AddFlags(fs)
		require.NoError(t, fs.Parse(tt.args))
		mo, _, err := d.Options("")
		if tt.err == "" {
			require.NoError(t, err)
			assert.Equal(t, 1, mo.Exclude.Len())
			assert.True(t, mo.Benchmark.Contaminated("A b"))
			continue
		}
		require.Error(t, err, tt.args)
		assert.Contains(t, err.Error(), tt.err)
		assert.True(t, errors.As(err, new(UsageError)), "a usage error: exit code 2")
	}
}
