package gitlog

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// FS returns a read-only file system over the tree of revision rev (any
// revision go-git resolves: "HEAD", a branch, a hash). Trees are read
// lazily, through the repository's caches, so walking only the directories
// one needs is cheap. Submodules are empty directories; symbolic links are
// files holding their target. The result implements fs.ReadDirFS,
// fs.ReadFileFS and fs.StatFS and is safe for concurrent use while the
// repository is open.
func (r *Repository) FS(ctx context.Context, rev string) (fs.FS, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("gitlog: %s: revision %q: %w", r.path, rev, err)
	}
	if rev == "" {
		rev = "HEAD"
	}
	h, ok, err := r.resolveHash(rev)
	if err != nil {
		return nil, fmt.Errorf("gitlog: %s: resolve revision %q: %w", r.path, rev, err)
	}
	if !ok {
		r.mu.Lock()
		if r.main == nil {
			r.mu.Unlock()
			return nil, fmt.Errorf("gitlog: %s: repository is closed", r.path)
		}
		if rh, ok := r.resolveRef(rev); ok {
			h = rh
			r.mu.Unlock()
		} else {
			rh, err := r.repo.ResolveRevision(plumbing.Revision(rev))
			r.mu.Unlock()
			if err != nil {
				return nil, fmt.Errorf("gitlog: %s: resolve revision %q: %w", r.path, rev, err)
			}
			h = *rh
		}
	}
	tree, err := r.parentTree(h)
	if err != nil {
		return nil, fmt.Errorf("gitlog: %s: revision %q: %w", r.path, rev, err)
	}
	return &revFS{repo: r, root: tree}, nil
}

// resolveHash resolves a full hash followed by ~N and ^N steps from the
// commit objects themselves, which is much cheaper than go-git's
// ResolveRevision (it reads every reference first). It reports false for
// any other revision.
func (r *Repository) resolveHash(rev string) (plumbing.Hash, bool, error) {
	i := strings.IndexAny(rev, "~^")
	if i < 0 {
		i = len(rev)
	}
	if i != 2*len(plumbing.ZeroHash) || !plumbing.IsHash(rev[:i]) {
		return plumbing.ZeroHash, false, nil
	}
	h := plumbing.NewHash(rev[:i])
	for rest := rev[i:]; rest != ""; {
		op := rest[0]
		j := 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		n := 1
		if j > 1 {
			n = atoiOrZero(rest[1:j])
		}
		rest = rest[j:]
		steps, nth := n, 1 // ~N: N first parents; ^N: the Nth parent
		if op == '^' {
			steps, nth = 1, n
		}
		for range steps {
			if nth == 0 {
				break
			}
			raw, err := r.readObject(plumbing.CommitObject, h, 0)
			if err != nil {
				return h, true, err
			}
			parents := commitParents(raw)
			if len(parents) < nth {
				return h, true, fmt.Errorf("commit %s has no parent %d", shortHash(h.String()), nth)
			}
			h = parents[nth-1]
		}
	}
	return h, true, nil
}

// commitParents reads the parent lines of a raw commit object.
func commitParents(raw []byte) []plumbing.Hash {
	var out []plumbing.Hash
	for _, line := range bytes.Split(raw, []byte{'\n'}) {
		if len(line) == 0 {
			break // end of the header
		}
		if hexHash, ok := bytes.CutPrefix(line, []byte("parent ")); ok && plumbing.IsHash(string(hexHash)) {
			out = append(out, plumbing.NewHash(string(hexHash)))
		}
	}
	return out
}

// CommitsChanging returns the hashes of the commits of a walk (opts select
// them as for [Repository.Commits]: Rev, MaxCommits, Since, Until,
// AllParents, SkipMerges) whose diff against their first parent touches a
// path selected by opts.Include and opts.Exclude, newest first. It compares
// trees only and reads no blob, so finding the commits that changed a
// Cargo.toml (Include "**/Cargo.toml") costs little next to the walk.
func (r *Repository) CommitsChanging(ctx context.Context, opts WalkOptions) ([]string, error) {
	var out []string
	for c, err := range r.ChangedPaths(ctx, opts) {
		if err != nil {
			return nil, err
		}
		out = append(out, c.Hash)
	}
	return out, nil
}

// PathsChange is one commit and the selected paths its diff against its
// first parent touches (added, modified or deleted), in path order.
type PathsChange struct {
	Hash  string
	Paths []string
	// Deleted are the paths of Paths that the commit deletes.
	Deleted []string
}

// ChangedPaths yields, newest first, the commits of a walk selected by opts
// (as for [Repository.Commits]) that touch a path selected by opts.Include
// and opts.Exclude, with those paths. It compares trees only: no blob is
// read, no line counted, no rename detected, nothing skipped as vendored.
// Boundary commits of a shallow or grafted history are left out.
func (r *Repository) ChangedPaths(ctx context.Context, opts WalkOptions) iter.Seq2[PathsChange, error] {
	return func(yield func(PathsChange, error) bool) {
		if err := opts.Validate(); err != nil {
			yield(PathsChange{}, err)
			return
		}
		o := opts.withDefaults()
		jobs, err := r.selectCommits(ctx, &o)
		if err != nil {
			yield(PathsChange{}, err)
			return
		}
		for i, job := range jobs {
			if err := ctx.Err(); err != nil {
				yield(PathsChange{}, fmt.Errorf("gitlog: %s: %w", r.path, err))
				return
			}
			if job.boundary {
				continue // its parents are not here: what it changed is unknown
			}
			h := job.commit.Hash.String()
			var oldTree plumbing.Hash
			switch {
			case len(job.commit.ParentHashes) == 0:
			case i+1 < len(jobs) && jobs[i+1].commit.Hash == job.commit.ParentHashes[0]:
				// A first-parent walk: the parent is the next commit,
				// read already.
				oldTree = jobs[i+1].commit.TreeHash
			default:
				if oldTree, err = r.parentTree(job.commit.ParentHashes[0]); err != nil {
					yield(PathsChange{}, fmt.Errorf("gitlog: commit %s: read parent: %w", shortHash(h), err))
					return
				}
			}
			d := treeDiff{repo: r, match: func(p string) (bool, bool) { return o.selects(p), false }}
			if err := d.diff("", oldTree, job.commit.TreeHash); err != nil {
				yield(PathsChange{}, fmt.Errorf("gitlog: commit %s: diff trees: %w", shortHash(h), err))
				return
			}
			if len(d.out) == 0 {
				continue
			}
			c := PathsChange{Hash: h, Paths: make([]string, len(d.out))}
			for i, rc := range d.out {
				c.Paths[i] = rc.path
				if rc.newHash.IsZero() {
					c.Deleted = append(c.Deleted, rc.path)
				}
			}
			if !yield(c, nil) {
				return
			}
		}
	}
}

// revFS is the file system of one tree.
type revFS struct {
	repo *Repository
	root plumbing.Hash
}

// lookup finds the entry of a valid fs path; the root is a directory entry
// with the root tree's hash.
func (f *revFS) lookup(op, name string) (treeEntry, error) {
	if !fs.ValidPath(name) {
		return treeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	e := treeEntry{name: ".", mode: modeDir, hash: f.root}
	if name == "." {
		return e, nil
	}
	for _, seg := range strings.Split(name, "/") {
		if !e.isDir() {
			return treeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		entries, err := f.repo.tree(e.hash)
		if err != nil {
			return treeEntry{}, &fs.PathError{Op: op, Path: name, Err: err}
		}
		i := slices.IndexFunc(entries, func(x treeEntry) bool { return x.name == seg })
		if i < 0 {
			return treeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		e = entries[i]
	}
	return e, nil
}

// Open implements fs.FS.
func (f *revFS) Open(name string) (fs.File, error) {
	e, err := f.lookup("open", name)
	if err != nil {
		return nil, err
	}
	if e.isDir() || e.isGitlink() {
		list, err := f.readDir(name, e)
		if err != nil {
			return nil, err
		}
		fi, _ := f.info(name, e)
		return &revDir{info: fi.(entryInfo), entries: list}, nil
	}
	b, err := f.repo.readBlob(e.hash, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &revFile{info: entryInfo{e: e, base: path.Base(name), size: int64(len(b))}, r: bytes.NewReader(b)}, nil
}

// ReadFile implements fs.ReadFileFS.
func (f *revFS) ReadFile(name string) ([]byte, error) {
	e, err := f.lookup("read", name)
	if err != nil {
		return nil, err
	}
	if e.isDir() || e.isGitlink() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("is a directory")}
	}
	b, err := f.repo.readBlob(e.hash, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return slices.Clone(b), nil
}

// ReadDir implements fs.ReadDirFS.
func (f *revFS) ReadDir(name string) ([]fs.DirEntry, error) {
	e, err := f.lookup("readdir", name)
	if err != nil {
		return nil, err
	}
	if !e.isDir() && !e.isGitlink() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fmt.Errorf("not a directory")}
	}
	return f.readDir(name, e)
}

// Stat implements fs.StatFS. The size of a file is read from its blob.
func (f *revFS) Stat(name string) (fs.FileInfo, error) {
	e, err := f.lookup("stat", name)
	if err != nil {
		return nil, err
	}
	return f.info(name, e)
}

// info returns the FileInfo of an entry, with the size of a file's blob.
func (f *revFS) info(name string, e treeEntry) (fs.FileInfo, error) {
	base := path.Base(name)
	if name == "." {
		base = "."
	}
	fi := entryInfo{e: e, base: base}
	if !fi.IsDir() {
		b, err := f.repo.readBlob(e.hash, 0)
		if err != nil {
			return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
		}
		fi.size = int64(len(b))
	}
	return fi, nil
}

func (f *revFS) readDir(name string, e treeEntry) ([]fs.DirEntry, error) {
	if e.isGitlink() {
		return nil, nil
	}
	entries, err := f.repo.tree(e.hash)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	out := make([]fs.DirEntry, len(entries))
	for i, x := range entries {
		out[i] = revDirEntry{fs: f, path: path.Join(name, x.name), e: x}
	}
	// git orders a directory "a" as "a/"; fs.ReadDir wants plain names.
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// revDirEntry is one entry of a directory listing; its Info reads the size
// of a file only when asked.
type revDirEntry struct {
	fs   *revFS
	path string
	e    treeEntry
}

func (d revDirEntry) Name() string               { return d.e.name }
func (d revDirEntry) IsDir() bool                { return d.e.isDir() || d.e.isGitlink() }
func (d revDirEntry) Type() fs.FileMode          { return entryInfo{e: d.e}.Mode().Type() }
func (d revDirEntry) Info() (fs.FileInfo, error) { return d.fs.info(d.path, d.e) }

// entryInfo is the fs.FileInfo of a tree entry.
type entryInfo struct {
	e    treeEntry
	base string
	size int64
}

func (i entryInfo) Name() string { return i.base }
func (i entryInfo) Size() int64  { return i.size }
func (i entryInfo) Mode() fs.FileMode {
	switch {
	case i.e.isDir() || i.e.isGitlink():
		return fs.ModeDir | 0o555
	case i.e.mode&modeTypeMask == 0o120000:
		return fs.ModeSymlink | 0o444
	case i.e.mode&0o111 != 0:
		return 0o555
	}
	return 0o444
}
func (i entryInfo) ModTime() time.Time { return time.Time{} }
func (i entryInfo) IsDir() bool        { return i.e.isDir() || i.e.isGitlink() }
func (i entryInfo) Sys() any           { return nil }

// revFile is an open blob.
type revFile struct {
	info entryInfo
	r    *bytes.Reader
}

func (f *revFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *revFile) Read(b []byte) (int, error) { return f.r.Read(b) }
func (f *revFile) Close() error               { return nil }

// revDir is an open directory.
type revDir struct {
	info    entryInfo
	entries []fs.DirEntry
	off     int
}

func (d *revDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *revDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.base, Err: fmt.Errorf("is a directory")}
}
func (d *revDir) Close() error { return nil }

// ReadDir implements fs.ReadDirFile.
func (d *revDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return slices.Clone(rest), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	k := min(n, len(rest))
	d.off += k
	return slices.Clone(rest[:k]), nil
}
