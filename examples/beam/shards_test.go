package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/dataset"
)

func TestShardEntry(t *testing.T) {
	tests := []struct {
		name, key, line, formatted string
		want                       string
	}{
		{name: "sft: one line", key: "2024\x00k", line: `{"prompt":"p"}`, formatted: `{"prompt":"p"}`,
			want: "2024\x00k\n{\"prompt\":\"p\"}"},
		{name: "another format: two lines", key: "k", line: `{"prompt":"p"}`, formatted: `{"messages":[]}`,
			want: "k\n{\"prompt\":\"p\"}\n{\"messages\":[]}"},
		{name: "empty key", key: "", line: "{}", formatted: "{}", want: "\n{}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := encodeShardEntry(tt.key, tt.line, tt.formatted)
			assert.Equal(t, tt.want, e)
			key, line, formatted, err := decodeShardEntry(e)
			require.NoError(t, err)
			assert.Equal(t, []string{tt.key, tt.line, tt.formatted}, []string{key, line, formatted})
		})
	}
	_, _, _, err := decodeShardEntry("no lines")
	assert.Error(t, err)
}

// TestRecordOutputsAndWriter renders records as recordOutputsFn does and
// writes them as writeShardsFn does, in each format: every record is in
// merged_dataset (sft) and in train or validation (the format chosen), by
// its order key against the cutoff.
func TestRecordOutputsAndWriter(t *testing.T) {
	recs := []sourceRecord{
		{Source: "a", Record: dataset.MergedRecord{Prompt: "old", Response: "r1", Metadata: dataset.MergedMetadata{MergedAt: "2024-01-01T00:00:00Z", PRNumber: 1}}},
		{Source: "a", Record: dataset.MergedRecord{Prompt: "mid", Response: "r2", Metadata: dataset.MergedMetadata{MergedAt: "2024-02-01T00:00:00Z", PRNumber: 2}}},
		{Source: "a", Record: dataset.MergedRecord{Prompt: "new", Response: "r3", Metadata: dataset.MergedMetadata{MergedAt: "2024-03-01T00:00:00Z", PRNumber: 3}}},
	}
	cutoff := orderKey(&recs[2]) // the newest is validation
	for _, format := range dataset.Formats {
		t.Run(string(format), func(t *testing.T) {
			const shards = 2
			fn := &recordOutputsFn{Format: string(format), OutputShards: shards, SystemPrompt: "sys"}
			byShard := map[int][]string{}
			var keys []string
			for _, r := range recs {
				require.NoError(t, fn.ProcessElement(mustJSON(r), func(k string) { keys = append(keys, k) },
					func(string) {}, func(string) {}, func(shard int, e string) { byShard[shard] = append(byShard[shard], e) }))
			}
			assert.Len(t, keys, len(recs))
			dir := t.TempDir()
			w := &writeShardsFn{Dir: dir, OutputShards: shards}
			var written []string
			for shard, es := range byShard {
				i := 0
				next := func(e *string) bool {
					if i == len(es) {
						return false
					}
					*e, i = es[i], i+1
					return true
				}
				require.NoError(t, w.ProcessElement(context.Background(), shard, next, cutoff, func(n string) { written = append(written, n) }))
			}
			encode := func(f dataset.Format, rs ...sourceRecord) []string {
				var out []string
				for _, r := range rs {
					b, err := f.Encode("sys", r.Record.Prompt, r.Record.Response, r.Record.Metadata)
					require.NoError(t, err)
					out = append(out, string(b))
				}
				return out
			}
			read := func(base string) []string {
				var out []string
				for _, n := range written {
					if strings.HasPrefix(n, base+"-") {
						b, err := os.ReadFile(filepath.Join(dir, n))
						require.NoError(t, err)
						out = append(out, strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")...)
					}
				}
				return out
			}
			assert.ElementsMatch(t, encode(dataset.FormatSFT, recs...), read("merged_dataset"))
			assert.ElementsMatch(t, encode(format, recs[:2]...), read("train"))
			assert.ElementsMatch(t, encode(format, recs[2]), read("validation"))
		})
	}
}
