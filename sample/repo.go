package sample

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/memory"
)

// snapshot is the content of a tree: path -> file content.
type snapshot map[string][]byte

// apply returns a copy of s with a step's renames, deletions and files
// applied, in that order. Errors name the missing path.
func (s snapshot) apply(st *step) (snapshot, error) {
	out := maps.Clone(s)
	for _, r := range st.Meta.Rename {
		content, ok := out[r.From]
		if !ok {
			return nil, fmt.Errorf("rename %s: no such file", r.From)
		}
		delete(out, r.From)
		out[r.To] = content
	}
	for _, p := range st.Meta.Delete {
		if _, ok := out[p]; !ok {
			return nil, fmt.Errorf("delete %s: no such file", p)
		}
		delete(out, p)
	}
	for p, content := range st.Files {
		out[p] = content
	}
	return out, nil
}

// builtCommit is a commit the builder wrote.
type builtCommit struct {
	Step    *step
	Hash    plumbing.Hash
	Parents []plumbing.Hash
	Tree    snapshot
	Message string
}

// branchState is a branch under construction.
type branchState struct {
	Tip  *builtCommit
	Fork *builtCommit // main's tip when the branch was created; nil for main
	// Commits are the branch's own commits, oldest first.
	Commits []*builtCommit
}

// history is the result of building the fixture history: main's commits
// first-parent order, oldest first, plus every commit by step name.
type history struct {
	Main   []*builtCommit
	ByStep map[string]*builtCommit
	// Branches are the merged branches by name, for the merge PRs.
	Branches map[string]*branchState
}

// objectWriter writes git objects, each at most once, into an in-memory
// store; writePack then moves them into the repository as one packfile,
// which is far cheaper than a loose file (and directory) per object.
type objectWriter struct {
	store   storer.EncodedObjectStorer
	written map[plumbing.Hash]bool
	order   []plumbing.Hash // in order of writing, for the pack
}

// write encodes a tree or commit and keeps it.
func (w *objectWriter) write(o interface {
	Encode(plumbing.EncodedObject) error
}) (plumbing.Hash, error) {
	obj := w.store.NewEncodedObject()
	if err := o.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return w.keep(obj)
}

// keep stores an encoded object, unless it already is, and records it for
// the pack.
func (w *objectWriter) keep(obj plumbing.EncodedObject) (plumbing.Hash, error) {
	h := obj.Hash()
	if w.written[h] {
		return h, nil
	}
	if _, err := w.store.SetEncodedObject(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	w.written[h] = true
	w.order = append(w.order, h)
	return h, nil
}

// writePack writes every object as one packfile (with its index) into the
// repository's object store.
func (w *objectWriter) writePack(repo *git.Repository) error {
	pw, ok := repo.Storer.(storer.PackfileWriter)
	if !ok {
		// A store that cannot take packs (only in tests) takes objects one by one.
		for _, h := range w.order {
			obj, err := w.store.EncodedObject(plumbing.AnyObject, h)
			if err != nil {
				return err
			}
			if _, err := repo.Storer.SetEncodedObject(obj); err != nil {
				return err
			}
		}
		return nil
	}
	// No delta search: the pack is small either way and deltas cost a
	// quarter of the build time.
	out, err := pw.PackfileWriter()
	if err != nil {
		return err
	}
	if _, err := packfile.NewEncoder(out, w.store, false).Encode(w.order, 0); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// writeBlob keeps a blob of content.
func (w *objectWriter) writeBlob(content []byte) (plumbing.Hash, error) {
	obj := w.store.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	obj.SetSize(int64(len(content)))
	wr, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := wr.Write(content); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := wr.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return w.keep(obj)
}

// writeTree writes the tree (and subtrees and blobs) of snap and returns the
// root tree's hash.
func (w *objectWriter) writeTree(snap snapshot) (plumbing.Hash, error) {
	return w.writeDir(snap, slices.Sorted(maps.Keys(snap)), "")
}

// writeDir writes the tree of directory dir ("" for the root); paths are the
// sorted paths of snap under dir.
func (w *objectWriter) writeDir(snap snapshot, paths []string, dir string) (plumbing.Hash, error) {
	prefix := ""
	if dir != "" {
		prefix = dir + "/"
	}
	var entries []object.TreeEntry
	for i := 0; i < len(paths); {
		rest := strings.TrimPrefix(paths[i], prefix)
		name, _, isDir := strings.Cut(rest, "/")
		if !isDir {
			h, err := w.writeBlob(snap[paths[i]])
			if err != nil {
				return plumbing.ZeroHash, fmt.Errorf("blob %s: %w", paths[i], err)
			}
			entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Regular, Hash: h})
			i++
			continue
		}
		sub := prefix + name + "/"
		j := i
		for j < len(paths) && strings.HasPrefix(paths[j], sub) {
			j++
		}
		h, err := w.writeDir(snap, paths[i:j], prefix+name)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: h})
		i = j
	}
	// Git orders entries by name, a directory's name compared as "name/".
	slices.SortFunc(entries, func(a, b object.TreeEntry) int {
		return strings.Compare(gitSortKey(a), gitSortKey(b))
	})
	h, err := w.write(&object.Tree{Entries: entries})
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("tree %s: %w", path.Join("/", dir), err)
	}
	return h, nil
}

func gitSortKey(e object.TreeEntry) string {
	if e.Mode == filemode.Dir {
		return e.Name + "/"
	}
	return e.Name
}

// githubCommitter is who GitHub records as committer of the commits it
// creates when a pull request is merged.
var githubCommitter = person{Name: "GitHub", Email: "noreply@github.com"}

// buildHistory writes the fixture's commits into repo and points main at
// the last one.
func buildHistory(repo *git.Repository, fx *fixture) (*history, error) {
	w := &objectWriter{store: memory.NewStorage(), written: map[plumbing.Hash]bool{}}
	branches := map[string]*branchState{}
	h := &history{ByStep: map[string]*builtCommit{}, Branches: map[string]*branchState{}}
	for _, st := range fx.Steps {
		c, err := buildStep(w, branches, st)
		if err != nil {
			return nil, fmt.Errorf("sample: step %s: %w", st.Name, err)
		}
		h.ByStep[st.Name] = c
		if st.Meta.Merge != "" {
			h.Branches[st.Meta.Merge] = branches[st.Meta.Merge]
			delete(branches, st.Meta.Merge)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(branches)) {
		if name != mainBranch {
			return nil, fmt.Errorf("sample: fixture: branch %s is never merged into %s", name, mainBranch)
		}
	}
	mainBr := branches[mainBranch]
	h.Main = mainBr.Commits
	if err := w.writePack(repo); err != nil {
		return nil, fmt.Errorf("sample: write objects: %w", err)
	}
	ref := plumbing.NewHashReference(plumbing.NewBranchReferenceName(mainBranch), mainBr.Tip.Hash)
	if err := repo.Storer.SetReference(ref); err != nil {
		return nil, fmt.Errorf("sample: set %s: %w", ref.Name(), err)
	}
	return h, nil
}

// buildStep writes one step's commit on its branch.
func buildStep(w *objectWriter, branches map[string]*branchState, st *step) (*builtCommit, error) {
	name := st.Meta.Branch
	if name == "" {
		name = mainBranch
	}
	br := branches[name]
	switch {
	case br == nil && name == mainBranch:
		br = &branchState{}
		branches[name] = br
	case br == nil:
		mainBr := branches[mainBranch]
		if mainBr == nil {
			return nil, fmt.Errorf("branch %s: nothing to fork from", name)
		}
		br = &branchState{Tip: mainBr.Tip, Fork: mainBr.Tip}
		branches[name] = br
	}
	base := snapshot{}
	var parents []plumbing.Hash
	if br.Tip != nil {
		base = br.Tip.Tree
		parents = append(parents, br.Tip.Hash)
	}
	if st.Meta.Merge != "" {
		other := branches[st.Meta.Merge]
		if other == nil || other.Fork == nil {
			return nil, fmt.Errorf("merge %s: no such branch", st.Meta.Merge)
		}
		merged, err := mergeTrees(other.Fork.Tree, base, other.Tip.Tree)
		if err != nil {
			return nil, fmt.Errorf("merge %s: %w", st.Meta.Merge, err)
		}
		base = merged
		parents = append(parents, other.Tip.Hash)
	}
	tree, err := base.apply(st)
	if err != nil {
		return nil, err
	}
	treeHash, err := w.writeTree(tree)
	if err != nil {
		return nil, err
	}
	committer := st.Meta.Author
	if st.Meta.Committer != nil {
		committer = *st.Meta.Committer
	}
	commit := &object.Commit{
		Author:       object.Signature{Name: st.Meta.Author.Name, Email: st.Meta.Author.Email, When: st.When},
		Committer:    object.Signature{Name: committer.Name, Email: committer.Email, When: st.When},
		Message:      st.Meta.Message,
		TreeHash:     treeHash,
		ParentHashes: parents,
	}
	hash, err := w.write(commit)
	if err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	c := &builtCommit{Step: st, Hash: hash, Parents: parents, Tree: tree, Message: st.Meta.Message}
	br.Tip = c
	br.Commits = append(br.Commits, c)
	return c, nil
}

// mergeTrees is a file-level three-way merge: every path the branch (theirs)
// changed since base takes the branch's version. A path both sides changed
// differently is a conflict; fixtures must avoid them.
func mergeTrees(base, ours, theirs snapshot) (snapshot, error) {
	out := maps.Clone(ours)
	paths := slices.Sorted(maps.Keys(theirs))
	for p := range base {
		if _, ok := theirs[p]; !ok {
			paths = append(paths, p)
		}
	}
	for _, p := range paths {
		b, inBase := base[p]
		t, inTheirs := theirs[p]
		if inBase == inTheirs && string(b) == string(t) {
			continue // the branch left it alone
		}
		o, inOurs := ours[p]
		if (inOurs != inBase || string(o) != string(b)) && (inOurs != inTheirs || string(o) != string(t)) {
			return nil, fmt.Errorf("%s: changed on both sides", p)
		}
		if inTheirs {
			out[p] = t
		} else {
			delete(out, p)
		}
	}
	return out, nil
}

// initRepo creates the repository at dir with main as default branch and an
// origin remote naming the sample's GitHub repository.
func initRepo(dir, owner, name string) (*git.Repository, error) {
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName(mainBranch)},
	})
	if err != nil {
		return nil, fmt.Errorf("sample: init %s: %w", dir, err)
	}
	_, err = repo.CreateRemote(&config.RemoteConfig{
		Name: "origin",
		URLs: []string{fmt.Sprintf("https://github.com/%s/%s.git", owner, name)},
	})
	if err != nil {
		return nil, fmt.Errorf("sample: %s: add remote: %w", dir, err)
	}
	return repo, nil
}

// checkout fills the work tree and the index from head.
func checkout(repo *git.Repository, head plumbing.Hash) error {
	wt, err := repo.Worktree()
	if err != nil {
		return fmt.Errorf("sample: worktree: %w", err)
	}
	if err := wt.Reset(&git.ResetOptions{Commit: head, Mode: git.HardReset}); err != nil {
		return fmt.Errorf("sample: check out %s: %w", head, err)
	}
	return nil
}
