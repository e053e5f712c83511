package export

import (
	"context"
	"fmt"
	"iter"
	"sync/atomic"
	"time"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/lang"
)

// Shard is the part of [Commits] that one of `of` shards does: it walks
// the same commits (oldest first) and diffs only the files it owns, the
// same files the shard-th of `of` workers of Commits would diff (split by
// path, renames followed), so the output does not depend on how many
// shards there are. Without rename detection, a shard reads and line-diffs
// only the blobs of the files it owns (the walk lists the others with no
// contents: [gitlog.WalkOptions.LoadFilter]); with it, owners follow
// renames, so every shard reads every file. Every commit of the walk (but
// those yielded only for opts.Walk.Watch, passed to opts.Watched) is
// yielded, in order, even when the shard owns none of its files, so that
// an assembler can tell when it has all the parts; [Commit.Owned] says
// which files this shard diffed. Errors and *times are as for Commits
// (times.Walk is 0: the shard parses as it walks).
func Shard(ctx context.Context, repo *gitlog.Repository, opts Options, shard, of int, times *Times) iter.Seq2[*Commit, error] {
	return sequence(times, func(emit func(*Commit) error) (Times, error) {
		return runShard(ctx, repo, opts, shard, of, emit)
	})
}

// runShard is Shard calling emit with each commit.
func runShard(ctx context.Context, repo *gitlog.Repository, opts Options, shard, of int, emit func(*Commit) error) (Times, error) {
	var times Times
	if of <= 0 || shard < 0 || shard >= of {
		return times, fmt.Errorf("export: shard %d of %d out of range", shard, of)
	}
	walk := opts.walk()
	shardOf := func(p string) int {
		if s, ok := opts.ShardPaths[p]; ok && s >= 0 && s < of {
			return s
		}
		return workerFor(p, of)
	}
	if !walk.DetectRenames {
		// Without renames a path's owner is its own (see pathOwners).
		walk.LoadFilter = func(p string) bool { return shardOf(p) == shard }
	}
	if err := walk.Validate(); err != nil {
		return times, fmt.Errorf("export: shard: %w", err)
	}
	budget := opts.ResidentBytes / int64(of)
	if opts.ResidentBytes == 0 {
		budget = DefaultResidentBytes / int64(of)
	} else if opts.ResidentBytes < 0 {
		budget = 0
	}
	states := newResidentFiles(budget)
	defer states.closeAll()
	var parseNanos, readNanos atomic.Int64
	owners := pathOwners{}
	seq := 0
	for c, err := range repo.Commits(ctx, walk) {
		if err != nil {
			return times, fmt.Errorf("export: shard %d of %d: %w", shard, of, err)
		}
		if opts.Watched != nil {
			opts.Watched(c)
		}
		if c.WatchOnly {
			continue
		}
		part := &Commit{Commit: c, Diffs: make([]lang.FileDiff, len(c.Files)), Skipped: make([]string, len(c.Files)), Owned: make([]bool, len(c.Files))}
		for i := range c.Files {
			f := &c.Files[i]
			if owners.next(f, shardOf) != shard {
				f.ReleaseContent()
				continue
			}
			res := processFile(states, fileJob{seq: seq, idx: i, file: f}, opts.Languages, &parseNanos, &readNanos)
			part.Diffs[i], part.Skipped[i], part.Owned[i] = res.diff, res.skipped, true
		}
		if err := emit(part); err != nil {
			return times, err
		}
		seq++
	}
	times.Parse = time.Duration(parseNanos.Load())
	times.Read = time.Duration(readNanos.Load())
	return times, nil
}

// pathOwners follows file lineage through renames as files are assigned
// to workers or shards: a path keeps the owner of the path it was renamed
// from; a new path gets the owner pick chooses.
type pathOwners map[string]int

// next returns the owner of f's change and records the owner of its path
// afterwards.
func (o pathOwners) next(f *gitlog.FileChange, pick func(path string) int) int {
	key := f.Path
	if f.Status == change.StatusRenamed && f.OldPath != "" {
		key = f.OldPath
	}
	w, ok := o[key]
	if !ok {
		w = pick(key)
	}
	delete(o, key)
	if f.Status != change.StatusDeleted {
		o[f.Path] = w
	}
	return w
}
