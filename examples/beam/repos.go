package main

import (
	"context"
	"fmt"
	"io/fs"
	"sync"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/sftforge/sftforge/dataset"
	"github.com/sftforge/sftforge/gitlog"
)

// openRepos keeps the repositories a worker process has opened, one per
// location, so that the shards of a source that run on one worker share a
// clone in the cache directory (and never clone or fetch it concurrently).
var openRepos struct {
	sync.Mutex
	byLocation map[string]*openRepo
}

type openRepo struct {
	once sync.Once
	repo *gitlog.Repository
	err  error
}

// openSource opens (cloning into cacheDir if it is a URL) the repository
// of a source, once per worker process. The repositories stay open for
// the life of the process, as workers are reused across bundles.
func openSource(src Source, cacheDir string) (*gitlog.Repository, error) {
	openRepos.Lock()
	if openRepos.byLocation == nil {
		openRepos.byLocation = map[string]*openRepo{}
	}
	o := openRepos.byLocation[src.Location]
	if o == nil {
		o = &openRepo{}
		openRepos.byLocation[src.Location] = o
	}
	openRepos.Unlock()
	o.once.Do(func() {
		// Not the bundle's context: the repository outlives the bundle.
		o.repo, o.err = gitlog.Open(context.Background(), src.Location, gitlog.OpenOptions{CacheDir: cacheDir})
	})
	return o.repo, o.err
}

// resolveRevision returns the commit hash rev names in repo, so that every
// shard of a source walks the same history even if a worker's clone is
// fetched in between, and the number of files at that commit that the
// walk selects (the globs of dataset.DefaultLanguages), which sizes the
// shards. The files are listed from gitlog's trees (a fourth of go-git's
// tree walker's time), which the balancing of the shards then reads again.
func resolveRevision(ctx context.Context, repo *gitlog.Repository, rev string) (hash string, files int, err error) {
	if rev == "" {
		rev = "HEAD"
	}
	r, err := git.PlainOpenWithOptions(repo.Path(), &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	if err != nil {
		return "", 0, fmt.Errorf("open %s: %w", repo.Path(), err)
	}
	h, err := r.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return "", 0, fmt.Errorf("revision %q: %w", rev, err)
	}
	c, err := r.CommitObject(*h)
	if err != nil {
		return "", 0, fmt.Errorf("commit %s: %w", h, err)
	}
	fsys, err := repo.FS(ctx, c.Hash.String())
	if err != nil {
		return "", 0, fmt.Errorf("commit %s: tree: %w", h, err)
	}
	langs := dataset.DefaultLanguages()
	err = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if (d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0) && langs.For(name) != nil {
			files++
		}
		return nil
	})
	if err != nil {
		return "", 0, fmt.Errorf("commit %s: list files: %w", h, err)
	}
	return h.String(), files, nil
}

// shardCount is the number of shards of a source with files selected
// files: fixed (the source's shards= or --shards), or one shard per
// filesPerShard files, at most maxShards.
func shardCount(fixed, files, filesPerShard, maxShards int) int {
	if fixed > 0 {
		return fixed
	}
	n := (files + filesPerShard - 1) / max(filesPerShard, 1)
	return max(1, min(n, maxShards))
}
