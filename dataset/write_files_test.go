package dataset

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestValidationMask: the mask the write uses picks the records split
// puts in validation, for every method and share.
func TestValidationMask(t *testing.T) {
	var recs []MergedRecord
	for i := 1; i <= 37; i++ {
		recs = append(recs, rec(i, fmt.Sprintf("2024-01-%02dT00:00:00Z", (i*7)%28+1), "a", fmt.Sprintf("t%d", i), 1))
	}
	for _, tt := range []struct {
		name string
		opts SplitOptions
		n    int
	}{
		{"by date, default share", SplitOptions{}, 37},
		{"by date, a quarter", SplitOptions{Validation: 0.25}, 37},
		{"random, seeded", SplitOptions{Method: SplitRandom, Seed: 7, Validation: 0.3}, 37},
		{"random, other seed", SplitOptions{Method: SplitRandom, Seed: 99}, 37},
		{"none", SplitOptions{Validation: -1}, 37},
		{"one record", SplitOptions{}, 1},
		{"no record", SplitOptions{}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rs := recs[:tt.n]
			train, val := tt.opts.split(rs)
			if len(train) == 0 {
				train = nil // split returns recs itself
			}
			isVal, n := tt.opts.validationMask(rs)
			require.Len(t, isVal, len(rs))
			assert.Equal(t, len(val), n)
			var gotTrain, gotVal []MergedRecord
			for i := range rs {
				if isVal[i] {
					gotVal = append(gotVal, rs[i])
				} else {
					gotTrain = append(gotTrain, rs[i])
				}
			}
			assert.Equal(t, train, gotTrain)
			assert.Equal(t, val, gotVal)
		})
	}
}

// TestWriteRecordFiles: the files written in one pass (and the Parquet
// ones beside) are those written one by one from split's records, in
// every format.
func TestWriteRecordFiles(t *testing.T) {
	var recs []MergedRecord
	for i := range 30 {
		r := parquetRecords()[i%2]
		r.Metadata.PRNumber = i + 1
		r.Metadata.MergedAt = fmt.Sprintf("2024-02-%02dT00:00:00Z", (i*11)%28+1)
		r.Prompt = strings.Repeat("prompt ", i)
		recs = append(recs, r)
	}
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			opts := WriteOptions{Format: f, SystemPrompt: "system", Split: SplitOptions{Validation: 0.2}}
			dir := t.TempDir()
			isVal, _ := opts.Split.validationMask(recs)
			require.NoError(t, writeRecordFiles(context.Background(), dir, recs, isVal, opts))
			train, val := opts.Split.split(recs)
			for _, file := range []struct {
				name string
				recs []MergedRecord
				f    Format
			}{{"merged_dataset", recs, FormatSFT}, {"train", train, f}, {"validation", val, f}} {
				var want strings.Builder
				for i := range file.recs {
					r := &file.recs[i]
					line, err := file.f.Encode("system", r.Prompt, r.Response, r.Metadata)
					require.NoError(t, err)
					want.Write(line)
					want.WriteByte('\n')
				}
				got, err := os.ReadFile(filepath.Join(dir, file.name+".jsonl"))
				require.NoError(t, err)
				assert.Equal(t, want.String(), string(got), file.name)
				assert.FileExists(t, filepath.Join(dir, file.name+".parquet"))
			}
		})
	}
}
