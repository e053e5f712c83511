package github

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// localRepo computes PR commits and patches from a local clone, so that
// --repo-dir costs no request. A go-git repository is not safe for
// concurrent use, so each worker borrows its own handle from a pool.
type localRepo struct {
	path     string
	pool     chan *git.Repository
	storages []*filesystem.Storage
}

// openLocalRepo opens handles handles on the clone at path (a work tree or
// a bare repository). Pack files stay open (KeepDescriptors) until Close.
func openLocalRepo(path string, handles int) (*localRepo, error) {
	gitDir := path
	if fi, err := os.Stat(filepath.Join(path, ".git")); err == nil && fi.IsDir() {
		gitDir = filepath.Join(path, ".git")
	}
	l := &localRepo{path: path, pool: make(chan *git.Repository, handles)}
	for range handles {
		st := filesystem.NewStorageWithOptions(osfs.New(gitDir), cache.NewObjectLRUDefault(), filesystem.Options{KeepDescriptors: true})
		repo, err := git.Open(st, nil)
		if err != nil {
			l.Close()
			return nil, fmt.Errorf("github: open local clone %s: %w", path, err)
		}
		l.storages = append(l.storages, st)
		l.pool <- repo
	}
	return l, nil
}

// Close releases the open pack files.
func (l *localRepo) Close() error {
	var first error
	for _, st := range l.storages {
		if err := st.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// prChanges returns the commits reachable from head but not from base,
// oldest first, and the diff from their merge base to head (what GitHub
// shows for a PR). An error means the clone lacks a commit.
func (l *localRepo) prChanges(baseSHA, headSHA string) ([]PRCommit, string, error) {
	repo := <-l.pool
	defer func() { l.pool <- repo }()
	if baseSHA == "" || headSHA == "" {
		return nil, "", errors.New("no base or head SHA")
	}
	base, err := repo.CommitObject(plumbing.NewHash(baseSHA))
	if err != nil {
		return nil, "", fmt.Errorf("%s: base commit %s: %w", l.path, baseSHA, err)
	}
	head, err := repo.CommitObject(plumbing.NewHash(headSHA))
	if err != nil {
		return nil, "", fmt.Errorf("%s: head commit %s: %w", l.path, headSHA, err)
	}
	commits, mergeBase, err := commitsBetween(base, head)
	if err != nil {
		return nil, "", fmt.Errorf("%s: commits %s..%s: %w", l.path, baseSHA, headSHA, err)
	}
	if mergeBase == nil {
		return nil, "", fmt.Errorf("%s: %s and %s have no common ancestor", l.path, baseSHA, headSHA)
	}
	patch, err := l.patch(mergeBase, head)
	if err != nil {
		return nil, "", err
	}
	return commits, patch, nil
}

// mergePatch returns the change a merge (or squash-merge) commit brought to
// its first parent: the PR's patch when the clone lacks the PR's own
// commits.
func (l *localRepo) mergePatch(mergeSHA string) (string, error) {
	repo := <-l.pool
	defer func() { l.pool <- repo }()
	if mergeSHA == "" {
		return "", errors.New("no merge commit")
	}
	merge, err := repo.CommitObject(plumbing.NewHash(mergeSHA))
	if err != nil {
		return "", fmt.Errorf("%s: merge commit %s: %w", l.path, mergeSHA, err)
	}
	parent, err := merge.Parent(0)
	if err != nil {
		return "", fmt.Errorf("%s: parent of %s: %w", l.path, mergeSHA, err)
	}
	return l.patch(parent, merge)
}

// patch renders the diff between two commits' trees, renames detected.
func (l *localRepo) patch(fromCommit, toCommit *object.Commit) (string, error) {
	from, err := fromCommit.Tree()
	if err != nil {
		return "", fmt.Errorf("%s: commit %s: %w", l.path, fromCommit.Hash, err)
	}
	to, err := toCommit.Tree()
	if err != nil {
		return "", fmt.Errorf("%s: commit %s: %w", l.path, toCommit.Hash, err)
	}
	changes, err := object.DiffTreeWithOptions(context.Background(), from, to, &object.DiffTreeOptions{DetectRenames: true})
	if err != nil {
		return "", fmt.Errorf("%s: diff %s..%s: %w", l.path, fromCommit.Hash, toCommit.Hash, err)
	}
	patch, err := changes.Patch()
	if err != nil {
		return "", fmt.Errorf("%s: patch %s..%s: %w", l.path, fromCommit.Hash, toCommit.Hash, err)
	}
	return patch.String(), nil
}

// commitsBetween lists the commits reachable from head and not from base
// (git log base..head), oldest first, and returns their merge base (the
// newest commit both reach). Like git it walks newest first from both ends,
// painting what each reaches, and stops when no commit only head reaches is
// left in the queue, so it reads the PR's commits and little more.
func commitsBetween(base, head *object.Commit) ([]PRCommit, *object.Commit, error) {
	const fromHead, fromBase = 1, 2
	paint := map[plumbing.Hash]uint8{}
	seen := map[plumbing.Hash]*object.Commit{}
	q := &commitQueue{}
	push := func(c *object.Commit, flag uint8) {
		if paint[c.Hash]|flag == paint[c.Hash] {
			return
		}
		paint[c.Hash] |= flag
		seen[c.Hash] = c
		heap.Push(q, c)
	}
	push(head, fromHead)
	push(base, fromBase)
	headOnly := func() bool {
		for _, c := range *q {
			if paint[c.Hash] == fromHead {
				return true
			}
		}
		return false
	}
	for q.Len() > 0 && headOnly() {
		c := heap.Pop(q).(*object.Commit)
		flag := paint[c.Hash]
		err := c.Parents().ForEach(func(p *object.Commit) error {
			push(p, flag)
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("parents of %s: %w", c.Hash, err)
		}
	}
	var out []*object.Commit
	var mergeBase *object.Commit
	for h, flag := range paint {
		c := seen[h]
		switch {
		case flag == fromHead:
			out = append(out, c)
		case flag == fromHead|fromBase && (mergeBase == nil || c.Committer.When.After(mergeBase.Committer.When) ||
			c.Committer.When.Equal(mergeBase.Committer.When) && c.Hash.String() < mergeBase.Hash.String()):
			mergeBase = c
		}
	}
	sort.Slice(out, func(i, j int) bool {
		ti, tj := out[i].Committer.When, out[j].Committer.When
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return out[i].Hash.String() < out[j].Hash.String()
	})
	commits := make([]PRCommit, len(out))
	for i, c := range out {
		commits[i] = PRCommit{SHA: c.Hash.String(), Message: strings.TrimRight(c.Message, "\n")}
	}
	return commits, mergeBase, nil
}

// commitQueue is a max-heap of commits by committer time.
type commitQueue []*object.Commit

func (q commitQueue) Len() int           { return len(q) }
func (q commitQueue) Less(i, j int) bool { return q[i].Committer.When.After(q[j].Committer.When) }
func (q commitQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)        { *q = append(*q, x.(*object.Commit)) }
func (q *commitQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}
