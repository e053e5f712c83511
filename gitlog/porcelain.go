package gitlog

import (
	"container/heap"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/sftforge/sftforge/linediff"
)

// The porcelain: what `git rev-list`, `git merge-base`, `git show` and `git
// diff` print for one or two revisions, on the walker's object reader, tree diff, rename
// detection and line diff. Every method is safe for concurrent use.

// DefaultDiffRenameLimit is git diff's default diff.renameLimit.
const DefaultDiffRenameLimit = 1000

// DiffOptions configure [Repository.Diff].
type DiffOptions struct {
	// NoRenames lists renamed files as a deletion plus an addition, like
	// `git diff --no-renames`. By default renames are detected as git diff
	// does (exact, then at least 50% similar).
	NoRenames bool
	// RenameLimit bounds the similarity pass of rename detection (see
	// [WalkOptions.RenameLimit]); 0 means DefaultDiffRenameLimit.
	RenameLimit int
}

// Diff compares the trees of two revisions (any revision go-git resolves:
// a hash, a branch, "HEAD~3"; or the hash of a tree, as git diff accepts
// one) like `git diff from to`: every changed file,
// sorted by path, with status, modes, blob hashes, line counts and hunks.
// Unlike a walk it selects all paths and skips nothing: vendored, generated,
// large and binary files are listed as git diff lists them (binary files
// without line counts). The blob contents are kept in the returned files,
// so [WritePatch] does not read them again; a blob that cannot be read is
// an error.
func (r *Repository) Diff(ctx context.Context, from, to string, opts DiffOptions) ([]FileChange, error) {
	if opts.RenameLimit < 0 {
		return nil, fmt.Errorf("gitlog: diff: RenameLimit is %d, want >= 0", opts.RenameLimit)
	}
	if opts.RenameLimit == 0 {
		opts.RenameLimit = DefaultDiffRenameLimit
	}
	trees := [2]plumbing.Hash{}
	for i, rev := range []string{from, to} {
		h, err := r.resolve(rev)
		if err != nil {
			return nil, fmt.Errorf("gitlog: diff %s %s: %w", from, to, err)
		}
		if trees[i], err = r.revisionTree(h); err != nil {
			return nil, fmt.Errorf("gitlog: diff %s %s: revision %s: %w", from, to, rev, err)
		}
	}
	return r.diffTrees(ctx, trees[0], trees[1], opts, from+".."+to)
}

// revisionTree returns the tree of commit h, or h when it names a tree.
func (r *Repository) revisionTree(h plumbing.Hash) (plumbing.Hash, error) {
	tree, err := r.parentTree(h)
	if err == nil {
		return tree, nil
	}
	if _, terr := r.readObject(plumbing.TreeObject, h, 0); terr == nil {
		return h, nil
	}
	return plumbing.ZeroHash, err
}

// diffTrees diffs two trees; what names them in errors.
func (r *Repository) diffTrees(ctx context.Context, oldTree, newTree plumbing.Hash, opts DiffOptions, what string) ([]FileChange, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("gitlog: diff %s: %w", what, err)
	}
	d := treeDiff{repo: r, match: keepAll}
	if err := d.diff("", oldTree, newTree); err != nil {
		return nil, fmt.Errorf("gitlog: diff %s: %w", what, err)
	}
	w := &walker{repo: r, opts: &WalkOptions{
		KeepVendored:  true,
		MaxBlobSize:   -1,
		DetectRenames: !opts.NoRenames,
		RenameLimit:   opts.RenameLimit,
		KeepContent:   true,
	}}
	files := w.fileChanges(&Commit{Hash: what}, newTree, d.out)
	for i := range files {
		f := &files[i]
		if f.Err != nil {
			return nil, f.Err
		}
		if !f.Binary && f.OldHash != "" && f.NewHash != "" && f.Additions+f.Deletions > 0 {
			// The hunks git prints, so that the counts agree with the
			// patch even where git's diff is not the shortest.
			f.Hunks, f.Additions, f.Deletions = countHunks(linediff.GitHunks(f.oldContent, f.newContent))
			f.gitHunks = true
		}
	}
	return files, nil
}

// Range lists the commits reachable from head but not from base, like `git
// rev-list base..head` (a pull request's commits when base is its target
// branch), oldest first: by committer date, then by hash. Their Files are
// not computed. It also returns the merge base of base and head, the newest
// commit both reach ("" when they share no history): the diff of a pull
// request runs from there to head.
//
// Like git it walks newest first from both ends, marking what each one
// reaches, and stops when every commit still queued is reachable from base,
// so it reads the range and little more, however long the history. In a
// shallow or grafted history it stops at the boundary commits, as git does,
// and marks them ([Commit.Boundary]).
func (r *Repository) Range(ctx context.Context, base, head string) (commits []*Commit, mergeBase string, err error) {
	fail := func(err error) ([]*Commit, string, error) {
		return nil, "", fmt.Errorf("gitlog: range %s..%s: %w", base, head, err)
	}
	bh, err := r.resolve(base)
	if err != nil {
		return fail(err)
	}
	hh, err := r.resolve(head)
	if err != nil {
		return fail(err)
	}
	// The parents of a shallow or grafted boundary are not in the
	// repository: the walk stops there.
	cut, err := r.boundarySet()
	if err != nil {
		return fail(err)
	}
	const fromHead, fromBase = 1, 2
	type node struct {
		c      *object.Commit
		paint  uint8
		queued bool
	}
	nodes := map[plumbing.Hash]*node{}
	q := &commitQueue{}
	headOnly := 0 // queued commits painted fromHead only
	paint := func(h plumbing.Hash, flag uint8) error {
		n := nodes[h]
		if n == nil {
			c, err := r.readCommit(h)
			if err != nil {
				return err
			}
			n = &node{c: c}
			nodes[h] = n
		}
		if n.paint|flag == n.paint {
			return nil
		}
		if n.queued && n.paint == fromHead {
			headOnly--
		}
		n.paint |= flag
		if !n.queued {
			n.queued = true
			heap.Push(q, n.c)
		}
		if n.paint == fromHead {
			headOnly++
		}
		return nil
	}
	if err := paint(hh, fromHead); err != nil {
		return fail(err)
	}
	if err := paint(bh, fromBase); err != nil {
		return fail(err)
	}
	for q.Len() > 0 && headOnly > 0 {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		n := nodes[heap.Pop(q).(*object.Commit).Hash]
		n.queued = false
		if n.paint == fromHead {
			headOnly--
		}
		if cut[n.c.Hash] {
			continue
		}
		for _, p := range n.c.ParentHashes {
			if err := paint(p, n.paint); err != nil {
				return fail(fmt.Errorf("parent of %s: %w", shortHash(n.c.Hash.String()), err))
			}
		}
	}
	var out []*object.Commit
	var mb *object.Commit
	for _, n := range nodes {
		c := n.c
		switch {
		case n.paint == fromHead:
			out = append(out, c)
		case n.paint == fromHead|fromBase && (mb == nil || c.Committer.When.After(mb.Committer.When) ||
			c.Committer.When.Equal(mb.Committer.When) && c.Hash.String() < mb.Hash.String()):
			mb = c
		}
	}
	slices.SortFunc(out, func(a, b *object.Commit) int {
		if c := a.Committer.When.Compare(b.Committer.When); c != 0 {
			return c
		}
		return strings.Compare(a.Hash.String(), b.Hash.String())
	})
	commits = make([]*Commit, len(out))
	for i, c := range out {
		commits[i] = r.metadata(c, cut)
	}
	if mb != nil {
		mergeBase = mb.Hash.String()
	}
	return commits, mergeBase, nil
}

// Commit reads one commit (any revision go-git resolves), like `git show
// --no-patch`: hash, parents, author, committer, message and the merged
// branch's author, without its Files. A shallow or grafted boundary is
// marked ([Commit.Boundary]).
func (r *Repository) Commit(ctx context.Context, rev string) (*Commit, error) {
	fail := func(err error) (*Commit, error) {
		return nil, fmt.Errorf("gitlog: commit %s: %w", rev, err)
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	h, err := r.resolve(rev)
	if err != nil {
		return fail(err)
	}
	c, err := r.readCommit(h)
	if err != nil {
		return fail(err)
	}
	cut, err := r.boundarySet()
	if err != nil {
		return fail(err)
	}
	return r.metadata(c, cut), nil
}

// boundarySet is [Repository.boundaries] under the repository's lock (nil
// once the repository is closed).
func (r *Repository) boundarySet() (map[plumbing.Hash]bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.main == nil {
		return nil, nil
	}
	return r.boundaries()
}

// metadata is c without its Files, marked a boundary when cut holds it
// (a root commit is never one): a boundary's merged branch is not read.
func (r *Repository) metadata(c *object.Commit, cut map[plumbing.Hash]bool) *Commit {
	boundary := cut[c.Hash] && c.NumParents() > 0
	w := &walker{repo: r}
	out := w.newCommit(commitJob{commit: c, boundary: boundary})
	out.Boundary = boundary
	return out
}

// countHunks returns hunks with their added and deleted lines.
func countHunks(hunks []linediff.Hunk) ([]linediff.Hunk, int, int) {
	added, deleted := 0, 0
	for _, h := range hunks {
		added += h.NewLines
		deleted += h.OldLines
	}
	return hunks, added, deleted
}

// resolve turns a revision into a commit hash: a 40-character hex hash as
// is, a reference with resolveRef, anything else through go-git's
// resolver.
func (r *Repository) resolve(rev string) (plumbing.Hash, error) {
	if rev == "" {
		return plumbing.ZeroHash, fmt.Errorf("empty revision")
	}
	if h, err := parseHash(rev); err == nil {
		return h, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.main == nil {
		return plumbing.ZeroHash, fmt.Errorf("repository %s is closed", r.path)
	}
	if h, ok := r.resolveRef(rev); ok {
		return h, nil
	}
	h, err := r.repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("resolve revision %q: %w", rev, err)
	}
	return *h, nil
}

// readCommit reads and decodes commit h through the concurrent object
// reader.
func (r *Repository) readCommit(h plumbing.Hash) (*object.Commit, error) {
	raw, err := r.readObject(plumbing.CommitObject, h, 0)
	if err != nil {
		return nil, err
	}
	obj := &plumbing.MemoryObject{}
	obj.SetType(plumbing.CommitObject)
	if _, err := obj.Write(raw); err != nil {
		return nil, fmt.Errorf("commit %s: %w", shortHash(h.String()), err)
	}
	c := &object.Commit{}
	if err := c.Decode(obj); err != nil {
		return nil, fmt.Errorf("commit %s: corrupt object: %w", shortHash(h.String()), err)
	}
	c.Hash = h
	if obj.Hash() != h {
		return nil, fmt.Errorf("commit %s: corrupt object: hash mismatch", shortHash(h.String()))
	}
	return c, nil
}
