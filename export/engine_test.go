package export_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/export"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/lang"
	"github.com/sftforge/sftforge/sample"
)

// openSample builds the embedded sample repository and opens it.
func openSample(t *testing.T) *gitlog.Repository {
	t.Helper()
	s, err := sample.Build(filepath.Join(t.TempDir(), "paygate"))
	require.NoError(t, err)
	repo, err := gitlog.Open(context.Background(), s.RepoPath, gitlog.OpenOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { repo.Close() })
	return repo
}

// result is what a run yields of one commit, comparable across runs.
type result struct {
	Hash    string
	Files   int
	Diffs   []lang.FileDiff
	Skipped []string
}

// collect runs Commits and keeps what it yields.
func collect(t *testing.T, repo *gitlog.Repository, opts export.Options) ([]result, export.Times) {
	t.Helper()
	var out []result
	var times export.Times
	for c, err := range export.Commits(context.Background(), repo, opts, &times) {
		require.NoError(t, err)
		require.Nil(t, c.Owned)
		require.Len(t, c.Diffs, len(c.Files))
		require.Len(t, c.Skipped, len(c.Files))
		out = append(out, result{c.Hash, len(c.Files), c.Diffs, c.Skipped})
	}
	return out, times
}

// collectShards runs Shard for every shard of `of` and joins the parts.
func collectShards(t *testing.T, repo *gitlog.Repository, opts export.Options, of int) []result {
	t.Helper()
	var out []result
	for shard := range of {
		seq := 0
		for c, err := range export.Shard(context.Background(), repo, opts, shard, of, nil) {
			require.NoError(t, err)
			if shard == 0 {
				out = append(out, result{c.Hash, len(c.Files), make([]lang.FileDiff, len(c.Files)), make([]string, len(c.Files))})
			}
			require.Less(t, seq, len(out), "shard %d yields more commits than shard 0", shard)
			r := &out[seq]
			require.Equal(t, r.Hash, c.Hash, "shard %d, commit %d", shard, seq)
			for i, owned := range c.Owned {
				if owned {
					r.Diffs[i], r.Skipped[i] = c.Diffs[i], c.Skipped[i]
				}
			}
			seq++
		}
		require.Equal(t, len(out), seq, "shard %d", shard)
	}
	return out
}

// TestCommitsIndependentOfSplit: the number of workers, the parse-tree
// budget and the number of shards change nothing in what is yielded.
func TestCommitsIndependentOfSplit(t *testing.T) {
	repo := openSample(t)
	want, times := collect(t, repo, export.Options{Workers: 1, ResidentBytes: -1})
	require.NotEmpty(t, want)
	assert.Positive(t, times.Parse)
	changes := 0
	for _, r := range want {
		for _, d := range r.Diffs {
			changes += len(d.Changes)
		}
	}
	assert.Positive(t, changes)
	tests := []struct {
		name   string
		opts   export.Options
		shards int // 0: Commits
	}{
		{"three workers", export.Options{Workers: 3}, 0},
		{"evict every tree", export.Options{Workers: 2, ResidentBytes: 1}, 0},
		{"small budget", export.Options{Workers: 1, ResidentBytes: 20 << 10}, 0},
		{"one shard", export.Options{}, 1},
		{"three shards", export.Options{}, 3},
		{"three shards evicting", export.Options{ResidentBytes: 1}, 3},
		{"two shards following renames", export.Options{Walk: gitlog.WalkOptions{DetectRenames: true}}, 2},
		{"two balanced shards", export.Options{ShardPaths: balanced(t, repo, gitlog.WalkOptions{}, 2)}, 2},
		{"three balanced shards", export.Options{ShardPaths: balanced(t, repo, gitlog.WalkOptions{}, 3)}, 3},
		{"three shards, paths out of range", export.Options{ShardPaths: map[string]int{"src/lib.rs": 7, "src/api.rs": -1}}, 3},
		{"two balanced shards following renames", export.Options{Walk: gitlog.WalkOptions{DetectRenames: true},
			ShardPaths: balanced(t, repo, gitlog.WalkOptions{DetectRenames: true}, 2)}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []result
			if tt.shards == 0 {
				got, _ = collect(t, repo, tt.opts)
			} else {
				got = collectShards(t, repo, tt.opts, tt.shards)
			}
			if tt.opts.Walk.DetectRenames {
				// Renames change the walk's files, not only the split:
				// compare with Commits under the same walk.
				want, _ := collect(t, repo, export.Options{Walk: tt.opts.Walk, Workers: 1})
				assert.Equal(t, want, got)
				return
			}
			assert.Equal(t, want, got)
		})
	}
}

// TestCommitsStopEarly: a consumer may stop; nothing is yielded after.
func TestCommitsStopEarly(t *testing.T) {
	repo := openSample(t)
	all, _ := collect(t, repo, export.Options{Workers: 2})
	require.Greater(t, len(all), 3)
	for _, tt := range []struct {
		name string
		seq  func(*export.Times) func(func(*export.Commit, error) bool)
	}{
		{"commits", func(tm *export.Times) func(func(*export.Commit, error) bool) {
			return export.Commits(context.Background(), repo, export.Options{Workers: 2}, tm)
		}},
		{"shard", func(tm *export.Times) func(func(*export.Commit, error) bool) {
			return export.Shard(context.Background(), repo, export.Options{}, 1, 2, tm)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var times export.Times
			n := 0
			for c, err := range tt.seq(&times) {
				require.NoError(t, err)
				assert.Equal(t, all[n].Hash, c.Hash)
				n++
				if n == 3 {
					break
				}
			}
			assert.Equal(t, 3, n)
			assert.Zero(t, times, "times of a run stopped early")
		})
	}
}

// TestErrors: bad options and a cancelled context end the sequence with
// one error.
func TestErrors(t *testing.T) {
	repo := openSample(t)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name     string
		ctx      context.Context
		opts     export.Options
		shard    int
		of       int // 0: Commits
		contains string
	}{
		{"bad include glob", context.Background(), export.Options{Walk: gitlog.WalkOptions{Include: []string{"[a-"}}}, 0, 0, "export: "},
		{"unknown revision", context.Background(), export.Options{Walk: gitlog.WalkOptions{Rev: "no-such-branch"}}, 0, 0, "no-such-branch"},
		{"cancelled", cancelled, export.Options{}, 0, 0, "context canceled"},
		{"shard out of range", context.Background(), export.Options{}, 2, 2, "shard 2 of 2 out of range"},
		{"no shards", context.Background(), export.Options{}, 0, -1, "out of range"},
		{"shard with a bad glob", context.Background(), export.Options{Walk: gitlog.WalkOptions{Include: []string{"[a-"}}}, 0, 1, "export: shard: "},
		{"shard of an unknown revision", context.Background(), export.Options{Walk: gitlog.WalkOptions{Rev: "no-such-branch"}}, 0, 1, "export: shard 0 of 1: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seq := export.Commits(tt.ctx, repo, tt.opts, nil)
			if tt.of != 0 {
				seq = export.Shard(tt.ctx, repo, tt.opts, tt.shard, tt.of, nil)
			}
			var errs []error
			for c, err := range seq {
				if err != nil {
					assert.Nil(t, c)
					errs = append(errs, err)
				}
			}
			require.Len(t, errs, 1, fmt.Sprint(errs))
			assert.Contains(t, errs[0].Error(), tt.contains)
		})
	}
}

// balanced returns export.BalancedShards of the walk.
func balanced(t *testing.T, repo *gitlog.Repository, walk gitlog.WalkOptions, of int) map[string]int {
	t.Helper()
	paths, err := export.BalancedShards(context.Background(), repo, walk, nil, of)
	require.NoError(t, err)
	return paths
}

// TestBalancedShards: every path the walk changes has a shard in range,
// the split is the same every time, no shard is left without work while
// another has two paths or more, and the heaviest shard carries at most
// the lightest plus the heaviest single path.
func TestBalancedShards(t *testing.T) {
	repo := openSample(t)
	var changed []string
	for c, err := range repo.ChangedPaths(context.Background(), gitlog.WalkOptions{Include: export.DefaultLanguages().Globs()}) {
		require.NoError(t, err)
		changed = append(changed, c.Paths...)
	}
	require.NotEmpty(t, changed)
	for _, of := range []int{1, 2, 3, 5} {
		t.Run(fmt.Sprintf("%d shards", of), func(t *testing.T) {
			paths := balanced(t, repo, gitlog.WalkOptions{}, of)
			assert.Equal(t, paths, balanced(t, repo, gitlog.WalkOptions{}, of), "deterministic")
			perShard := make([]int, of)
			for _, p := range changed {
				s, ok := paths[p]
				require.True(t, ok, "%s has a shard", p)
				require.True(t, s >= 0 && s < of, "%s: shard %d of %d", p, s, of)
			}
			for _, s := range paths {
				perShard[s]++
			}
			if len(paths) >= of {
				for s, n := range perShard {
					assert.Positive(t, n, "shard %d has paths", s)
				}
			}
		})
	}
	_, err := export.BalancedShards(context.Background(), repo, gitlog.WalkOptions{}, nil, 0)
	assert.Error(t, err)
}

// TestCancelledMidRun: a context cancelled while the commits are yielded
// (Ctrl-C in sftforge, often after the walk is over and while the workers
// still parse) ends the sequence with the context's error, never an
// internal error about commits left unassembled. Repeated: which of the
// walker and the workers sees the cancellation first varies.
func TestCancelledMidRun(t *testing.T) {
	repo := openSample(t)
	for _, tt := range []struct {
		name    string
		workers int
		after   int // commits yielded before the cancellation
	}{
		{"one worker, first commit", 1, 1},
		{"two workers, first commit", 2, 1},
		{"two workers, third commit", 2, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for range 20 {
				ctx, cancel := context.WithCancel(context.Background())
				n := 0
				var errs []error
				for c, err := range export.Commits(ctx, repo, export.Options{Workers: tt.workers}, nil) {
					if err != nil {
						errs = append(errs, err)
						continue
					}
					require.NotNil(t, c)
					if n++; n == tt.after {
						cancel()
					}
				}
				cancel()
				require.LessOrEqual(t, len(errs), 1, fmt.Sprint(errs))
				if len(errs) == 1 {
					require.ErrorIs(t, errs[0], context.Canceled)
				}
			}
		})
	}
}
