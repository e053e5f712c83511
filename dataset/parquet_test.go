package dataset

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/change"
)

// parquetRecords are records with every kind of metadata value: nested
// structs, lists of strings, ints and structs, an embedded struct.
func parquetRecords() []MergedRecord {
	r := rec(7, "2024-01-07T00:00:00Z", "alice", "feat: add refunds", 2)
	r.Prompt = "Add refunds <EMAIL>"
	r.Metadata.Labels = []string{"A-refunds", "C-feature"}
	r.Metadata.Intent = IntentRecord{FeatureType: "refund", Action: "add_feature", Entities: []string{"refund"}}
	r.Metadata.Layers = []LayerRecord{{Layer: "core", Title: "Core", Crates: []string{"router"}, Files: []string{"crates/router/src/core/refunds.rs"}}}
	r.Metadata.Patterns = []PatternRecord{{Name: "Add new types", Count: 2}}
	r.Metadata.LinkedIssues = []int{3, 5}
	r.Metadata.HasIdentifierData = true
	r.Metadata.ChangeID = strings.Repeat("ab", 16)
	r.Metadata.Changes = []MergedChange{{Commit: strings.Repeat("1", 40), Identifier: change.Identifier{
		File: "crates/router/src/core/refunds.rs", Op: change.OpAdded, Kind: change.KindFunction, Name: "refund",
		Visibility: "pub", Cfg: []string{`cfg(feature="v2")`}, Detail: []string{}, Line: 12}}}
	empty := rec(8, "2024-01-08T00:00:00Z", "bob", "fix: b", 0)
	for _, r := range []*MergedRecord{&empty} {
		md := &r.Metadata
		md.Labels, md.Layers, md.Unclassified, md.Patterns, md.LinkedIssues, md.Changes =
			[]string{}, []LayerRecord{}, []string{}, []PatternRecord{}, []int{}, []MergedChange{}
		md.Intent.Entities = []string{}
	}
	r.Metadata.Unclassified = []string{}
	r.Metadata.TestFiles, empty.Metadata.TestFiles = []string{}, []string{} // as the merge writes them
	return []MergedRecord{r, empty}
}

// TestParquetRoundTrip writes records in every format and reads them back
// with parquet-go into the same Go types: the rows equal the JSONL lines,
// and the columns are the JSON keys.
func TestParquetRoundTrip(t *testing.T) {
	recs := parquetRecords()
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, writeParquet(context.Background(), dir, "x.parquet", recs, func(int) bool { return true }, f, "system"))
			file, err := os.Open(filepath.Join(dir, "x.parquet"))
			require.NoError(t, err)
			defer file.Close()
			var got []string
			switch f {
			case FormatSFT:
				got = readParquet[sftLine[MergedMetadata]](t, file)
			case FormatMessages:
				got = readParquet[messagesLine[MergedMetadata]](t, file)
			case FormatCompletion:
				got = readParquet[completionLine[MergedMetadata]](t, file)
			case FormatAlpaca:
				got = readParquet[alpacaLine[MergedMetadata]](t, file)
			}
			var want []string
			for _, r := range recs {
				line, err := f.Encode("system", r.Prompt, r.Response, r.Metadata)
				require.NoError(t, err)
				want = append(want, string(line))
			}
			assert.Equal(t, want, got)
		})
	}
}

// readParquet reads a file's rows as T and returns them as JSON lines,
// checking that the column names are the JSON keys.
func readParquet[T any](t *testing.T, file *os.File) []string {
	t.Helper()
	st, err := file.Stat()
	require.NoError(t, err)
	pf, err := parquet.OpenFile(file, st.Size())
	require.NoError(t, err)
	assert.Equal(t, "ZSTD", pf.Metadata().RowGroups[0].Columns[0].MetaData.Codec.String())
	schema := pf.Schema().String()
	for _, col := range []string{"metadata", "change_id", "has_identifier_data", "linked_issues", "visibility", "commit"} {
		assert.Regexp(t, `\s`+col+`[ ;]`, schema, "column %s", col)
	}
	assert.NotContains(t, schema, "PRNumber", "Go names do not leak")
	opts := []parquet.ReaderOption{}
	for _, o := range JSONParquetTags(reflect.TypeFor[T]()) {
		opts = append(opts, o.(parquet.ReaderOption))
	}
	r := parquet.NewGenericReader[T](file, opts...)
	defer r.Close()
	rows := make([]T, pf.NumRows())
	n, err := r.Read(rows)
	if err != nil && n != len(rows) {
		require.NoError(t, err)
	}
	var out []string
	for _, row := range rows[:n] {
		b, err := marshalLine(row)
		require.NoError(t, err)
		out = append(out, string(b))
	}
	return out
}

// TestWriteDatasetParquet: the dataset has the Parquet files by default
// and the card's configs name them; NoParquet leaves them out.
func TestWriteDatasetParquet(t *testing.T) {
	recs := parquetRecords()
	for _, none := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "out")
		_, err := WriteDataset(dir, recs, MergeStats{}, WriteOptions{NoParquet: none, Split: SplitOptions{Validation: 0.5}})
		require.NoError(t, err)
		card, err := os.ReadFile(filepath.Join(dir, "README.md"))
		require.NoError(t, err)
		for _, name := range []string{MergedParquet, TrainParquet, ValidationParquet} {
			_, err := os.Stat(filepath.Join(dir, name))
			if none {
				assert.True(t, os.IsNotExist(err), name)
			} else {
				assert.NoError(t, err, name)
			}
		}
		if none {
			assert.Contains(t, string(card), "path: train.jsonl")
		} else {
			assert.Contains(t, string(card), "path: train.parquet\n  - split: validation\n    path: validation.parquet")
		}
	}
}
