package dataset

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteDatasetCancelled checks that the write stops with the run's
// context: a cancelled run writes no file into the staged directory.
func TestWriteDatasetCancelled(t *testing.T) {
	recs, gh := sampleExport(t)
	merged, ms, err := Merge(gh.PRs, gh.Issues, recs, MergeOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, merged)
	tests := []struct {
		name      string
		cancelled bool
		files     int // written into the directory
	}{
		{"not cancelled", false, len(DatasetFiles) - 2}, // all but commits_export and github_data
		{"cancelled", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancelled {
				cancel()
			}
			dir := t.TempDir()
			_, err := writeDataset(ctx, dir, merged, ms, WriteOptions{})
			if tt.cancelled {
				assert.ErrorIs(t, err, context.Canceled)
			} else {
				assert.NoError(t, err)
			}
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Len(t, entries, tt.files)
		})
	}
}
