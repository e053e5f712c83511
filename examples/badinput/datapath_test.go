package badinput_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/dataset"
)

// init adds the rows of the data path (issue 14) to the table.
func init() { badInputs = append(badInputs, dataPathRows...) }

var dataPathRows = []badInput{
	{
		// Record files are named %05d: from record 100000 on the number
		// has six digits, and the merge once skipped those files.
		name: "merge: export whose record numbers pass 99999 (six-digit file names)",
		bin:  "merge",
		setup: func(f *fixture) invocation {
			exp := exportOf(f)
			gh := f.Sample().GitHubDir
			f.Run("merge", gh, exp, "-o", f.Path("want"))
			renumberExport(f.t, exp, 99998)
			return invocation{Args: []string{gh, exp, "-o", f.Path("out")}, Guard: []string{exp}}
		},
		code: 0,
		check: func(t *testing.T, f *fixture) {
			names, err := filepath.Glob(f.Path("export", "1[0-9][0-9][0-9][0-9][0-9]_*.jsonl"))
			require.NoError(t, err)
			require.NotEmpty(t, names, "the export has six-digit names")
			want, err := os.ReadFile(f.Path("want", "merged_dataset.jsonl"))
			require.NoError(t, err)
			got, err := os.ReadFile(f.Path("out", "merged_dataset.jsonl"))
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got), "every record file was read")
		},
	},
}

// renumberExport renames the record files of an export so that they are
// numbered from first on, in the same order, and rewrites index.csv to
// match.
func renumberExport(t *testing.T, dir string, first int) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "index.csv"))
	require.NoError(t, err)
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	require.NoError(t, err)
	require.Greater(t, len(rows), 3, "the sample export has records to renumber")
	for i, row := range rows[1:] {
		n := first + i
		name := dataset.ExportFileName(n, row[1])
		require.NoError(t, os.Rename(filepath.Join(dir, row[len(row)-1]), filepath.Join(dir, name)))
		row[0], row[len(row)-1] = strconv.Itoa(n), name
	}
	var b strings.Builder
	require.NoError(t, csv.NewWriter(&b).WriteAll(rows))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.csv"), []byte(b.String()), 0o644))
}
