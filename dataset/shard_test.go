package dataset

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/export"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/sample"
)

// shardedRecords runs every shard of a sharded export, passes the parts
// through JSON (as a cluster would), assembles them per commit and returns
// the record lines in commit order.
func shardedRecords(t *testing.T, repoPath string, walk gitlog.WalkOptions, of int, balanced bool) []string {
	t.Helper()
	repo, err := gitlog.Open(context.Background(), repoPath, gitlog.OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()
	var paths map[string]int
	if balanced {
		paths, err = export.BalancedShards(context.Background(), repo, walk, nil, of)
		require.NoError(t, err)
		require.NotEmpty(t, paths)
	}
	bySeq := map[int][]ShardCommit{}
	for shard := range of {
		_, err := ExportShard(context.Background(), repo, ExportOptions{Walk: walk, ShardPaths: paths}, shard, of, func(p ShardCommit) error {
			b, err := json.Marshal(p)
			require.NoError(t, err)
			var back ShardCommit
			require.NoError(t, json.Unmarshal(b, &back))
			bySeq[back.Seq] = append(bySeq[back.Seq], back)
			return nil
		})
		require.NoError(t, err)
	}
	seqs := make([]int, 0, len(bySeq))
	for s := range bySeq {
		seqs = append(seqs, s)
	}
	sort.Ints(seqs)
	var lines []string
	for _, s := range seqs {
		rec, ok, err := AssembleCommit(bySeq[s])
		require.NoError(t, err)
		if !ok {
			continue
		}
		line, err := FormatSFT.Encode(DefaultLanguages().SystemPrompt(), rec.Prompt, rec.Response, rec.Metadata)
		require.NoError(t, err)
		lines = append(lines, string(line)+"\n")
	}
	return lines
}

// exportLines returns the record lines of Export's files in index order.
// sampleExport builds the sample and returns its commit export (as the
// export files hold it, oldest first) and its GitHub data.
func sampleExport(t *testing.T) ([]CommitRecord, GitHubData) {
	t.Helper()
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	files, _ := exportDir(t, s.RepoPath, ExportOptions{Workers: 1})
	var commits []CommitRecord
	for _, l := range exportLines(files) {
		var rec CommitRecord
		require.NoError(t, json.Unmarshal([]byte(l), &rec))
		commits = append(commits, rec)
	}
	gh, err := ReadGitHubDir(s.GitHubDir)
	require.NoError(t, err)
	return commits, gh
}

func exportLines(files map[string]string) []string {
	var names []string
	for n := range files {
		if strings.HasSuffix(n, ".jsonl") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	lines := make([]string, len(names))
	for i, n := range names {
		lines[i] = files[n]
	}
	return lines
}

// TestExportShardAssemblesToExport: whatever the number of shards and
// however paths are split between them (by hash, or balanced by
// export.BalancedShards), the assembled records equal Export's byte for
// byte, with and without rename detection.
func TestExportShardAssemblesToExport(t *testing.T) {
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	for _, renames := range []bool{false, true} {
		walk := gitlog.WalkOptions{DetectRenames: renames}
		files, _ := exportDir(t, s.RepoPath, ExportOptions{Workers: 2, Walk: walk})
		want := exportLines(files)
		require.NotEmpty(t, want)
		for _, of := range []int{1, 3, 7} {
			for _, balanced := range []bool{false, true} {
				got := shardedRecords(t, s.RepoPath, walk, of, balanced)
				assert.Equal(t, want, got, "renames %v, %d shards, balanced %v", renames, of, balanced)
			}
		}
	}
}

func TestAssembleCommitErrors(t *testing.T) {
	part := func(shard, of int, diffs ...int) ShardCommit {
		p := ShardCommit{Hash: "0123456789abcdef", Shard: shard, Of: of, Date: "2024-03-01T12:00:00Z",
			Files: []change.File{{Path: "a.rs", Status: "added"}, {Path: "b.rs", Status: "added"}}}
		for _, i := range diffs {
			p.Diffs = append(p.Diffs, ShardFileDiff{Index: i})
		}
		return p
	}
	tests := []struct {
		name  string
		parts []ShardCommit
		want  string
	}{
		{"none", nil, "no parts"},
		{"missing", []ShardCommit{part(0, 2, 0)}, "1 parts of 2 shards"},
		{"repeated shard", []ShardCommit{part(0, 2, 0), part(0, 2, 1)}, "shard 0 repeated"},
		{"repeated file", []ShardCommit{part(0, 2, 0), part(1, 2, 0)}, "file index 0 repeated"},
		{"file out of range", []ShardCommit{part(0, 1, 5)}, "file index 5"},
		{"disagree", []ShardCommit{part(0, 2), func() ShardCommit { p := part(1, 2); p.Hash = "ff"; return p }()}, "disagrees"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := AssembleCommit(tt.parts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	rec, ok, err := AssembleCommit([]ShardCommit{part(1, 2, 1), part(0, 2, 0)})
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Len(t, rec.Metadata.Files, 2)
	_, ok, err = AssembleCommit([]ShardCommit{{Hash: "ab", Of: 1}})
	require.NoError(t, err)
	assert.False(t, ok, "a commit without files has no record")
}

func TestExportShardBadShard(t *testing.T) {
	for _, c := range [][2]int{{0, 0}, {-1, 2}, {2, 2}} {
		_, err := ExportShard(context.Background(), nil, ExportOptions{}, c[0], c[1], nil)
		assert.ErrorContains(t, err, "out of range")
	}
}

func TestValidationCountMatchesSplit(t *testing.T) {
	for _, share := range []float64{0, -1, 0.1, 0.25, 0.5} {
		for n := range 25 {
			recs := make([]MergedRecord, n)
			for i := range recs {
				recs[i].Metadata.PRNumber = i + 1
			}
			o := SplitOptions{Validation: share}
			_, val := o.split(recs)
			assert.Equal(t, len(val), o.ValidationCount(n), "share %v, n %d", share, n)
		}
	}
}

// TestStatisticsAccumulator: records added one at a time into two
// accumulators, merged, give ComputeStatistics' result.
func TestStatisticsAccumulator(t *testing.T) {
	commits, gh := sampleExport(t)
	recs, ms, err := Merge(gh.PRs, gh.Issues, commits, MergeOptions{Filters: FilterOptions{KeepSameChange: true}})
	require.NoError(t, err)
	require.Greater(t, len(recs), 2)
	// Merge counts paths, not layers; nothing was filtered, so every
	// record's paths are counted once.
	classified, unclassified := 0, 0
	for _, r := range recs {
		for _, l := range r.Metadata.Layers {
			classified += len(l.Files)
		}
		unclassified += len(r.Metadata.Unclassified)
	}
	require.Equal(t, len(recs), ms.Records)
	assert.Equal(t, classified, ms.ClassifiedPaths)
	assert.Equal(t, unclassified, ms.UnclassifiedPaths)
	ms.ExportRedactions = map[string]int{"email": 2}
	want := ComputeStatistics(recs, ms)

	var a, b StatisticsAccumulator
	a.AddMergeStats(ms)
	for i := range recs {
		if i%2 == 0 {
			a.AddRecord(&recs[i])
		} else {
			b.AddRecord(&recs[i])
		}
	}
	b.Add(&a)
	assert.Equal(t, want, b.Statistics())

	var empty StatisticsAccumulator
	assert.Equal(t, ComputeStatistics(nil, MergeStats{}), empty.Statistics())
}

// TestShardedMergeContext checks that the workspace and licences a
// sharded run reads are those of WorkspaceForRepo and RepositoryLicenses,
// for walks that allow licence epochs and one that does not.
func TestShardedMergeContext(t *testing.T) {
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	repo, err := gitlog.Open(context.Background(), s.RepoPath, gitlog.OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()
	tests := []struct {
		name string
		walk gitlog.WalkOptions
	}{
		{name: "whole history", walk: gitlog.WalkOptions{}},
		{name: "newest commits", walk: gitlog.WalkOptions{MaxCommits: 5}},
		{name: "all parents (no epochs)", walk: gitlog.WalkOptions{AllParents: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			ws, lic, err := ShardedMergeContext(ctx, repo, tt.walk, nil)
			require.NoError(t, err)
			want, err := WorkspaceForRepo(ctx, repo, tt.walk)
			require.NoError(t, err)
			assert.Equal(t, want.Crates, ws.Crates)
			plain := RepositoryLicenses(ctx, repo)
			n := 0
			for c, err := range repo.ChangedPaths(ctx, tt.walk) {
				require.NoError(t, err)
				got, gerr := lic(c.Hash, c.Paths)
				exp, eerr := plain(c.Hash, c.Paths)
				assert.Equal(t, eerr, gerr)
				assert.Equal(t, exp, got, c.Hash)
				n++
			}
			assert.Positive(t, n)
		})
	}
}
