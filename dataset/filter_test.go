package dataset

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/change"
)

func rec(n int, date, author, title string, idents int) MergedRecord {
	return MergedRecord{
		Prompt:   fmt.Sprintf("prompt %d", n),
		Response: fmt.Sprintf("response %d", n),
		Metadata: MergedMetadata{PRNumber: n, MergedAt: date, Author: author, Title: title,
			IdentifierChanges: idents, Commits: []string{fmt.Sprintf("%040d", n)}},
	}
}

func TestFilters(t *testing.T) {
	base := []MergedRecord{
		rec(1, "2024-01-01T00:00:00Z", "alice", "feat: a", 3),
		rec(2, "2024-01-02T00:00:00Z", "dependabot[bot]", "chore(deps): bump serde", 1),
		rec(3, "2024-01-03T00:00:00Z", "bob", "chore(version): 2024.01.03.0", 0),
		rec(4, "2024-01-04T00:00:00Z", "carol", "fix: b", 0),
		rec(5, "2024-01-05T00:00:00Z", "dave", "feat: c", 5),
	}
	dup := rec(6, "2024-01-06T00:00:00Z", "erin", "feat: c again", 5)
	dup.Prompt, dup.Response = base[4].Prompt, base[4].Response
	base = append(base, dup)
	tests := []struct {
		name    string
		opts    FilterOptions
		keep    []int
		dropped map[string]int
	}{
		{"defaults", FilterOptions{}, []int{1, 4, 5}, map[string]int{DropBot: 1, DropVersionBump: 1, DropDuplicate: 1}},
		{"min identifiers", FilterOptions{MinIdentifierChanges: 1}, []int{1, 5},
			map[string]int{DropBot: 1, DropVersionBump: 1, DropDuplicate: 1, DropFewChanges: 1}},
		{"keep all", FilterOptions{KeepBots: true, KeepVersionBumps: true, KeepDuplicates: true}, []int{1, 2, 3, 4, 5, 6}, map[string]int{}},
		{"max samples keeps newest", FilterOptions{MaxSamples: 2}, []int{4, 5},
			map[string]int{DropBot: 1, DropVersionBump: 1, DropDuplicate: 1, DropMaxSamples: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dropped := map[string]int{}
			kept, err := tt.opts.apply(append([]MergedRecord(nil), base...), dropped)
			require.NoError(t, err)
			var nums []int
			for _, r := range kept {
				nums = append(nums, r.Metadata.PRNumber)
			}
			assert.Equal(t, tt.keep, nums)
			assert.Equal(t, tt.dropped, dropped)
		})
	}
}

// TestDuplicateFilters: records (newest first, as the merge orders them)
// of the same change, or near-duplicates, keep the newest.
func TestDuplicateFilters(t *testing.T) {
	long := strings.Repeat("add retries to the webhook sender with exponential backoff and a cap ", 20)
	mk := func(n int, changeID string, idents int, prompt string) MergedRecord {
		r := rec(n, fmt.Sprintf("2024-01-%02dT00:00:00Z", 30-n), "alice", fmt.Sprintf("feat: change %d", n), idents)
		r.Metadata.HasIdentifierData = idents > 0
		r.Metadata.ChangeID = changeID
		if prompt != "" {
			r.Prompt = prompt
		}
		return r
	}
	base := []MergedRecord{
		mk(1, "aaaa", 2, ""),                        // a reapplied change: kept, the newest
		mk(2, "bbbb", 1, ""),                        // another change
		mk(3, "aaaa", 2, ""),                        // the original of 1
		mk(4, "cccc", 0, ""),                        // files only: never compared by change
		mk(5, "cccc", 0, ""),                        // same files, no identifiers: kept
		mk(6, "dddd", 3, long+" (commit 1a2b3c4d)"), // a backport of 7, other SHA
		mk(7, "eeee", 3, long+" (commit 9f8e7d6c)"),
		mk(8, "", 0, ""),
		mk(9, "ffff", 1, long+" revert"), // a revert of 10: alike, opposite
		mk(10, "gggg", 1, long+" feature"),
	}
	fn := change.Identifier{File: "src/lib.rs", Op: change.OpRemoved, Kind: change.KindFunction, Name: "retry"}
	base[8].Metadata.Changes = []MergedChange{{Identifier: fn}}
	fn.Op = change.OpAdded
	base[9].Metadata.Changes = []MergedChange{{Identifier: fn}}
	tests := []struct {
		name    string
		opts    FilterOptions
		keep    []int
		dropped map[string]int
	}{
		{"library defaults: same change removed, near-duplicates kept", FilterOptions{}, []int{1, 2, 4, 5, 6, 7, 8, 9, 10},
			map[string]int{DropSameChange: 1}},
		{"near-duplicates at 0.85; a change and its revert are not", FilterOptions{NearDuplicates: 0.85}, []int{1, 2, 4, 5, 6, 8, 9, 10},
			map[string]int{DropSameChange: 1, DropNearDuplicate: 1}},
		{"keep same change", FilterOptions{KeepSameChange: true, NearDuplicates: 0.85}, []int{1, 2, 3, 4, 5, 6, 8, 9, 10},
			map[string]int{DropNearDuplicate: 1}},
		{"same change counted before max samples", FilterOptions{NearDuplicates: 0.85, MaxSamples: 2}, []int{1, 2},
			map[string]int{DropSameChange: 1, DropNearDuplicate: 1, DropMaxSamples: 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dropped := map[string]int{}
			kept, err := tt.opts.apply(append([]MergedRecord(nil), base...), dropped)
			require.NoError(t, err)
			var nums []int
			for _, r := range kept {
				nums = append(nums, r.Metadata.PRNumber)
			}
			assert.Equal(t, tt.keep, nums)
			assert.Equal(t, tt.dropped, dropped)
		})
	}
	_, err := FilterOptions{NearDuplicates: 2}.apply(base, map[string]int{})
	assert.ErrorContains(t, err, "threshold 2")
}

func TestSplit(t *testing.T) {
	var recs []MergedRecord
	for i := 1; i <= 20; i++ {
		recs = append(recs, rec(i, fmt.Sprintf("2024-01-%02dT00:00:00Z", i), "a", "t", 1))
	}
	train, val := SplitOptions{}.split(recs)
	require.Len(t, val, 2)
	assert.Equal(t, 19, val[0].Metadata.PRNumber)
	assert.Equal(t, 20, val[1].Metadata.PRNumber)
	assert.Len(t, train, 18)

	a1, b1 := SplitOptions{Method: SplitRandom, Seed: 7, Validation: 0.25}.split(recs)
	a2, b2 := SplitOptions{Method: SplitRandom, Seed: 7, Validation: 0.25}.split(recs)
	assert.Equal(t, a1, a2, "seeded split is deterministic")
	assert.Equal(t, b1, b2)
	assert.Len(t, b1, 5)

	_, none := SplitOptions{Validation: -1}.split(recs)
	assert.Empty(t, none)
	assert.Error(t, SplitOptions{Method: "weird"}.Validate())
}

func TestPercentiles(t *testing.T) {
	p := percentiles([]int{5, 1, 4, 2, 3, 6, 7, 8, 9, 10})
	assert.Equal(t, Percentiles{Min: 1, P50: 5, P90: 9, P95: 10, P99: 10, Max: 10, Mean: 5.5}, p)
	assert.Equal(t, Percentiles{}, percentiles(nil))
}

func TestIsVersionBumpAndBot(t *testing.T) {
	for _, s := range []string{"chore(version): 2024.03.01.0", "2024.03.01.0", "v1.2.3", "Bump version to 1.2"} {
		assert.True(t, IsVersionBump(s), s)
	}
	for _, s := range []string{"feat(core): add version field to payments", "fix: bump retry count"} {
		assert.False(t, IsVersionBump(s), s)
	}
}

func TestIsBot(t *testing.T) {
	tests := []struct {
		author string
		extra  []string
		bot    bool
	}{
		{"dependabot[bot]", nil, true},
		{"github-actions", nil, true},
		{"Renovate", nil, true},
		{"mergify[bot]", nil, true},
		{"hyperswitch-bot[bot]", nil, true},
		{"meili-bot", nil, true},
		{"Release Bot", nil, true},
		{"ci-runner", []string{"CI-Runner"}, true},
		{"ci-runner[bot]", []string{"other"}, true},
		// Merge queues merge PRs; they write none and are not bots.
		{"bors", nil, false},
		{"bors[bot]", nil, false},
		{"meili-bors[bot]", nil, false},
		{"github-merge-queue[bot]", nil, false},
		{"homu", nil, false},
		// People whose names hold the letters.
		{"Abbott", nil, false},
		{"Botond Kovacs", nil, false},
		{"Talbot", nil, false},
		{"robotics-dev", nil, false},
		{"", nil, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.bot, IsBot(tt.author, tt.extra...), tt.author)
	}
	assert.True(t, IsMergeQueue("bors[bot]"))
	assert.False(t, IsMergeQueue("dependabot[bot]"))
}

func TestLoadBotNames(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
		err       string
	}{
		{"list", "bots: [release-helper, Cron Job]\nrules: []\n", []string{"release-helper", "Cron Job"}, ""},
		{"absent", "rules: []\n", nil, ""},
		{"empty", "bots:\n", nil, ""},
		{"not a list", "other: 1\nbots: {a: 1}\n", nil, "rules.yaml:2: bots: expected a list of account names"},
		{"not a name", "bots:\n  - [a]\n", nil, "rules.yaml:2: bots: expected an account name"},
		{"not yaml", "bots: [\n", nil, "dataset: rules file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "rules.yaml")
			require.NoError(t, os.WriteFile(p, []byte(tt.src), 0o644))
			got, err := LoadBotNames(p)
			if tt.err != "" {
				assert.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestMergeSameChange: the sample reverts #19 (#29) and reapplies it
// (#30): #30 has the change ID of #19, which the merge drops as the same
// change, the newest kept.
func TestMergeSameChange(t *testing.T) {
	commits, gh := sampleExport(t)
	byPR := func(recs []MergedRecord) map[int]MergedRecord {
		m := map[int]MergedRecord{}
		for _, r := range recs {
			m[r.Metadata.PRNumber] = r
		}
		return m
	}
	all, _, err := Merge(gh.PRs, gh.Issues, commits, MergeOptions{Filters: FilterOptions{KeepSameChange: true}})
	require.NoError(t, err)
	kept := byPR(all)
	require.Contains(t, kept, 19)
	assert.Equal(t, kept[19].Metadata.ChangeID, kept[30].Metadata.ChangeID, "a reapplied change")
	assert.NotEqual(t, kept[19].Metadata.ChangeID, kept[29].Metadata.ChangeID, "its revert")
	ids := map[string]bool{}
	for _, r := range all {
		assert.Regexp(t, `^[0-9a-f]{32}$`, r.Metadata.ChangeID)
		ids[r.Metadata.ChangeID] = true
	}
	assert.Len(t, ids, len(all)-1, "one change twice")

	recs, ms, err := Merge(gh.PRs, gh.Issues, commits, MergeOptions{Filters: FilterOptions{NearDuplicates: 0.85}})
	require.NoError(t, err)
	assert.Len(t, recs, len(all)-1)
	assert.NotContains(t, byPR(recs), 19)
	assert.Contains(t, byPR(recs), 30)
	assert.Equal(t, map[string]int{DropSameChange: 1}, ms.Dropped)
}
