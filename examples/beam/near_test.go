package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/dataset"
)

// TestNearDuplicateSteps runs the near-duplicate steps by hand on one
// bucket: the older of two near-duplicates (from two sources) is marked
// and dropped, and counted; a distinct record stays.
func TestNearDuplicateSteps(t *testing.T) {
	text := strings.Repeat("add retries to the webhook sender with exponential backoff ", 30)
	mk := func(src, date, prompt string) string {
		r := sourceRecord{Source: src, Record: dataset.MergedRecord{Prompt: prompt, Response: "response",
			Metadata: dataset.MergedMetadata{MergedAt: date}}}
		return mustJSON(r)
	}
	recs := []string{
		mk("a", "2024-01-02T00:00:00Z", text+"1a2b3c4d5e"),
		mk("b", "2024-01-01T00:00:00Z", text+"9f8e7d6c5b"), // older, near-identical
		mk("c", "2024-01-03T00:00:00Z", "fix the refund status mapping of the acme connector"),
	}
	buckets := map[string][]string{}
	for _, r := range recs {
		require.NoError(t, (&nearBandsFn{Threshold: 0.85}).ProcessElement(r, func(k, v string) { buckets[k] = append(buckets[k], v) }))
	}
	marked := map[string]bool{}
	for band, es := range buckets {
		i := 0
		next := func(s *string) bool {
			if i == len(es) {
				return false
			}
			*s, i = es[i], i+1
			return true
		}
		require.NoError(t, (&nearPairsFn{Threshold: 0.85}).ProcessElement(band, next, func(k, _ string) { marked[k] = true }))
	}
	require.Len(t, marked, 1)
	for _, r := range recs {
		key, rec, err := keyByOrderFn(r)
		require.NoError(t, err)
		var kept, stats []string
		once := func(vals []string) func(*string) bool {
			return func(s *string) bool {
				if len(vals) == 0 {
					return false
				}
				*s, vals = vals[0], vals[1:]
				return true
			}
		}
		var marks []string
		if marked[key] {
			marks = []string{""}
		}
		(&nearFilterFn{}).ProcessElement(key, once([]string{rec}), once(marks),
			func(s string) { kept = append(kept, s) }, func(s string) { stats = append(stats, s) })
		var sr sourceRecord
		require.NoError(t, json.Unmarshal([]byte(r), &sr))
		if sr.Source == "b" {
			assert.Empty(t, kept)
			require.Len(t, stats, 1)
			var acc dataset.StatisticsAccumulator
			require.NoError(t, json.Unmarshal([]byte(stats[0]), &acc))
			assert.Equal(t, 1, acc.Merge.Dropped[dataset.DropNearDuplicate])
		} else {
			assert.Equal(t, []string{r}, kept)
		}
	}
}
