package github

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Where GatherOptions.PullHeads fetches the PR heads a clone lacks.
const (
	// PullHeadsCache fetches them into a bare repository of the gather
	// state that borrows the clone's objects (objects/info/alternates):
	// the clone is never written.
	PullHeadsCache = "cache"
	// PullHeadsClone fetches them into the clone itself, as
	// `git fetch origin '+refs/pull/*/head:refs/pull/*/head'` would.
	PullHeadsClone = "clone"
	// PullHeadsOff never fetches.
	PullHeadsOff = "off"
)

// pullRefSpec fetches every PR's head under its own name.
const pullRefSpec = "+refs/pull/*/head:refs/pull/*/head"

// fetchPullHeads fetches refs/pull/*/head from the origin remote of the
// clone whose git directory is gitDir, into the clone (dest == "") or into
// the bare repository dest, created when absent, whose alternates point at
// the clone's objects. It returns the git directory that now holds the PR
// heads.
func fetchPullHeads(ctx context.Context, gitDir, dest string) (string, error) {
	clone, err := git.PlainOpenWithOptions(gitDir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return "", fmt.Errorf("github: open %s: %w", gitDir, err)
	}
	remote, err := clone.Remote("origin")
	if err != nil {
		return "", fmt.Errorf("github: %s: no origin remote to fetch the PR heads from: %w", gitDir, err)
	}
	remoteURL := remote.Config().URLs[0]
	shown := withoutUserinfo(remoteURL)
	opts := &git.FetchOptions{RemoteURL: remoteURL, RefSpecs: []config.RefSpec{pullRefSpec}, Tags: git.NoTags}
	if dest == "" {
		if err := clone.FetchContext(ctx, opts); err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
			return "", fmt.Errorf("github: fetch the PR heads from %s into %s: %w", shown, gitDir, redactURL(err, remoteURL))
		}
		return gitDir, nil
	}
	objects := filepath.Join(gitDir, "objects")
	if fi, err := os.Stat(objects); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("github: %s has no objects directory to borrow from", gitDir)
	}
	objects, err = filepath.Abs(objects)
	if err != nil {
		return "", fmt.Errorf("github: %w", err)
	}
	if _, err := os.Stat(filepath.Join(dest, "HEAD")); err != nil {
		if _, err := git.PlainInit(dest, true); err != nil {
			return "", fmt.Errorf("github: create %s: %w", dest, err)
		}
	}
	// The fetch reads the clone's objects through its own storage (go-git
	// re-reads every pack index of an alternate at each lookup); the
	// alternates file is written after it, for gitlog.
	alternates := filepath.Join(dest, "objects", "info", "alternates")
	if err := os.Remove(alternates); err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("github: %w", err)
	}
	own := filesystem.NewStorageWithOptions(osfs.New(dest, osfs.WithBoundOS()), cache.NewObjectLRUDefault(), filesystem.Options{KeepDescriptors: true})
	defer own.Close()
	st := &borrowing{Storage: own, from: clone.Storer}
	// The clone's branches are what the fetch says it has, so that only
	// the PR branches' own objects are sent.
	refs, err := clone.References()
	if err != nil {
		return "", fmt.Errorf("github: %s: %w", gitDir, err)
	}
	err = refs.ForEach(func(ref *plumbing.Reference) error {
		name := ref.Name()
		if ref.Type() != plumbing.HashReference || !(name.IsBranch() || name.IsRemote()) {
			return nil
		}
		return own.SetReference(plumbing.NewHashReference(plumbing.ReferenceName("refs/clone/"+strings.TrimPrefix(name.String(), "refs/")), ref.Hash()))
	})
	if err != nil {
		return "", fmt.Errorf("github: %s: copy references: %w", dest, err)
	}
	repo, err := git.Open(st, nil)
	if err != nil {
		return "", fmt.Errorf("github: open %s: %w", dest, err)
	}
	// The remote's URL without credentials: the fetch is given the real
	// one, the configuration keeps no secret.
	_ = repo.DeleteRemote("origin")
	if _, err := repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{shown}}); err != nil {
		return "", fmt.Errorf("github: %s: %w", dest, err)
	}
	if err := repo.FetchContext(ctx, opts); err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return "", fmt.Errorf("github: fetch the PR heads from %s into %s: %w", shown, dest, redactURL(err, remoteURL))
	}
	if err := os.MkdirAll(filepath.Dir(alternates), 0o755); err != nil {
		return "", fmt.Errorf("github: %w", err)
	}
	if err := os.WriteFile(alternates, []byte(objects+"\n"), 0o644); err != nil {
		return "", fmt.Errorf("github: %w", err)
	}
	return dest, nil
}

// borrowing is a storage whose objects are its own or, failing that, those
// of another repository.
type borrowing struct {
	*filesystem.Storage
	from interface {
		EncodedObject(plumbing.ObjectType, plumbing.Hash) (plumbing.EncodedObject, error)
		HasEncodedObject(plumbing.Hash) error
		EncodedObjectSize(plumbing.Hash) (int64, error)
	}
}

// EncodedObject reads h from the storage or the one it borrows from.
func (b *borrowing) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	o, err := b.Storage.EncodedObject(t, h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return b.from.EncodedObject(t, h)
	}
	return o, err
}

// HasEncodedObject looks h up in both storages.
func (b *borrowing) HasEncodedObject(h plumbing.Hash) error {
	err := b.Storage.HasEncodedObject(h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return b.from.HasEncodedObject(h)
	}
	return err
}

// EncodedObjectSize returns h's size from either storage.
func (b *borrowing) EncodedObjectSize(h plumbing.Hash) (int64, error) {
	n, err := b.Storage.EncodedObjectSize(h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return b.from.EncodedObjectSize(h)
	}
	return n, err
}

// withoutUserinfo drops a user and password (a token) from a remote URL.
func withoutUserinfo(remote string) string {
	u, err := url.Parse(remote)
	if err != nil || u.User == nil {
		return remote
	}
	u.User = nil
	return u.String()
}

// redactURL keeps the password of a remote URL out of an error.
func redactURL(err error, remote string) error {
	u, perr := url.Parse(remote)
	if perr != nil || u.User == nil {
		return err
	}
	if p, ok := u.User.Password(); ok && p != "" {
		return redact(err, p)
	}
	return redact(err, u.User.Username())
}
