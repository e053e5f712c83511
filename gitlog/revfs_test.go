package gitlog

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/archmap"
)

// crateHistory builds a workspace whose crates appear, move and disappear:
// c1 has crates a and storage_models; c2 edits a source file; c3 renames
// storage_models to diesel_models and removes nothing else; c4 removes a.
func crateHistory(t *testing.T) (*Repository, []string) {
	r := newTestRepo(t)
	ws := "[workspace]\nmembers = [\"crates/*\"]\n"
	pkg := func(name, deps string) string {
		return "[package]\nname = \"" + name + "\"\n[dependencies]\n" + deps
	}
	s1 := files(
		"Cargo.toml", ws,
		"crates/a/Cargo.toml", pkg("a", "storage_models = { path = \"../storage_models\" }\n"),
		"crates/a/src/lib.rs", "pub fn a() {}\n",
		"crates/storage_models/Cargo.toml", pkg("storage_models", ""),
		"crates/storage_models/src/lib.rs", "pub struct S;\n",
		"README.md", "# shop\n",
	)
	c1 := r.commit("init", nil, s1)
	s2 := with(s1, files("crates/a/src/lib.rs", "pub fn a() { todo!() }\n"))
	c2 := r.commit("edit", []plumbing.Hash{c1}, s2)
	s3 := with(s2, files(
		"crates/a/Cargo.toml", pkg("a", "diesel_models = { path = \"../diesel_models\" }\n"),
		"crates/diesel_models/Cargo.toml", pkg("diesel_models", ""),
		"crates/diesel_models/src/lib.rs", "pub struct S;\n",
		"vendor/mod", "", // a submodule below
	), "crates/storage_models/Cargo.toml", "crates/storage_models/src/lib.rs")
	s3["vendor/mod"] = file{content: c1.String(), mode: filemode.Submodule}
	c3 := r.commit("rename storage_models", []plumbing.Hash{c2}, s3)
	s4 := with(s3, files("crates/b/Cargo.toml", pkg("b", "diesel_models = { path = \"../diesel_models\" }\n"),
		"crates/b/src/lib.rs", ""), "crates/a/Cargo.toml", "crates/a/src/lib.rs")
	c4 := r.commit("replace a by b", []plumbing.Hash{c3}, s4)
	r.setHead(c4)
	repo, err := Open(context.Background(), r.dir, OpenOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { repo.Close() })
	return repo, []string{c4.String(), c3.String(), c2.String(), c1.String()}
}

func TestRevisionFS(t *testing.T) {
	repo, hashes := crateHistory(t)
	ctx := context.Background()
	head, err := repo.FS(ctx, "HEAD")
	require.NoError(t, err)
	require.NoError(t, fstest.TestFS(head, "Cargo.toml", "README.md", "crates/b/src/lib.rs", "crates/diesel_models/Cargo.toml"))
	b, err := fs.ReadFile(head, "crates/diesel_models/src/lib.rs")
	require.NoError(t, err)
	assert.Equal(t, "pub struct S;\n", string(b))
	_, err = fs.Stat(head, "crates/a/Cargo.toml")
	assert.True(t, errors.Is(err, fs.ErrNotExist), "%v", err)
	fi, err := fs.Stat(head, "vendor/mod")
	require.NoError(t, err)
	assert.True(t, fi.IsDir(), "a submodule is an empty directory")

	first, err := repo.FS(ctx, hashes[3])
	require.NoError(t, err)
	b, err = fs.ReadFile(first, "crates/a/src/lib.rs")
	require.NoError(t, err)
	assert.Equal(t, "pub fn a() {}\n", string(b))

	// Hashes with ~N and ^ steps are resolved from the commit objects.
	for _, rev := range []string{hashes[0] + "~3", hashes[1] + "~1~1", hashes[2] + "^", hashes[2] + "^1", "HEAD~3"} {
		fsys, err := repo.FS(ctx, rev)
		require.NoError(t, err, rev)
		b, err = fs.ReadFile(fsys, "crates/a/src/lib.rs")
		require.NoError(t, err, rev)
		assert.Equal(t, "pub fn a() {}\n", string(b), rev)
	}
	_, err = repo.FS(ctx, hashes[3]+"~1")
	assert.ErrorContains(t, err, "has no parent 1")
	_, err = repo.FS(ctx, hashes[2]+"^2")
	assert.ErrorContains(t, err, "has no parent 2")
	_, err = repo.FS(ctx, "no-such-branch")
	assert.ErrorContains(t, err, `resolve revision "no-such-branch"`)
	_, err = head.Open("../x")
	assert.True(t, errors.Is(err, fs.ErrInvalid))
}

func TestChangedPaths(t *testing.T) {
	repo, hashes := crateHistory(t)
	ctx := context.Background()
	var got []PathsChange
	for c, err := range repo.ChangedPaths(ctx, WalkOptions{Include: []string{"**/Cargo.toml"}}) {
		require.NoError(t, err)
		got = append(got, c)
	}
	assert.Equal(t, []PathsChange{
		{Hash: hashes[0], Paths: []string{"crates/a/Cargo.toml", "crates/b/Cargo.toml"}, Deleted: []string{"crates/a/Cargo.toml"}},
		{Hash: hashes[1], Paths: []string{"crates/a/Cargo.toml", "crates/diesel_models/Cargo.toml", "crates/storage_models/Cargo.toml"},
			Deleted: []string{"crates/storage_models/Cargo.toml"}},
		{Hash: hashes[3], Paths: []string{"Cargo.toml", "crates/a/Cargo.toml", "crates/storage_models/Cargo.toml"}},
	}, got)
	hs, err := repo.CommitsChanging(ctx, WalkOptions{Include: []string{"**/Cargo.toml"}, MaxCommits: 2})
	require.NoError(t, err)
	assert.Equal(t, []string{hashes[0], hashes[1]}, hs)
	_, err = repo.CommitsChanging(ctx, WalkOptions{Include: []string{"a/["}})
	assert.ErrorContains(t, err, "malformed")
}

// TestWorkspaceHistory reads the workspace at HEAD and before each commit
// that deleted a manifest, as the dataset does: every crate the history had
// is known, with the manifest of a revision where it existed.
func TestWorkspaceHistory(t *testing.T) {
	repo, _ := crateHistory(t)
	ctx := context.Background()
	read := func(rev string) *archmap.Workspace {
		fsys, err := repo.FS(ctx, rev)
		require.NoError(t, err)
		ws, err := archmap.ReadWorkspace(fsys)
		require.NoError(t, err)
		return ws
	}
	all := []*archmap.Workspace{read("HEAD")}
	for c, err := range repo.ChangedPaths(ctx, WalkOptions{Include: []string{"**/Cargo.toml"}}) {
		require.NoError(t, err)
		if len(c.Deleted) > 0 {
			all = append(all, read(c.Hash+"~1"))
		}
	}
	ws := archmap.UnionWorkspaces(all...)
	var names []string
	for _, c := range ws.Crates {
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"a", "b", "diesel_models", "storage_models"}, names)
	a, ok := ws.CrateOf("crates/a/src/lib.rs")
	require.True(t, ok)
	assert.Equal(t, []string{"diesel_models"}, a.Deps, "the newest manifest of a removed crate")
	c, err := archmap.Infer(ws, nil)
	require.NoError(t, err)
	for _, p := range []string{"crates/a/src/lib.rs", "crates/storage_models/src/lib.rs", "crates/b/src/lib.rs"} {
		groups, unclassified := c.Group([]string{p})
		require.Empty(t, unclassified, p)
		require.Len(t, groups, 1)
		assert.NotEmpty(t, groups[0].Crates, p)
	}
	order := func(id string) int { l, _ := c.Layer(id); return l.Order }
	assert.Less(t, order("diesel_models"), order("a"))
	assert.True(t, slices.IsSortedFunc([]int{order("diesel_models"), order("b")}, func(x, y int) int { return x - y }))
}

// TestChangedPathsParents compares each commit with its first parent,
// whichever commit the walk selects next: on a first-parent walk the next
// one is that parent, with all parents a side branch's commit may come
// between a merge and its first parent, and a side commit's parent may
// not come next.
func TestChangedPathsParents(t *testing.T) {
	r := newTestRepo(t)
	base := files("src/a.rs", "fn a() {}\n", "src/b.rs", "fn b() {}\n")
	c1 := r.commit("init", nil, base)
	main2 := with(base, files("src/a.rs", "fn a2() {}\n"))
	c2 := r.commit("edit a", []plumbing.Hash{c1}, main2)
	side := with(base, files("src/b.rs", "fn b2() {}\n", "src/c.rs", "fn c() {}\n"))
	s1 := r.commit("side: edit b, add c", []plumbing.Hash{c1}, side) // newer than c2
	merged := with(main2, files("src/b.rs", "fn b2() {}\n", "src/c.rs", "fn c() {}\n"))
	m := r.commit("merge side", []plumbing.Hash{c2, s1}, merged)
	c3 := r.commit("edit c", []plumbing.Hash{m}, with(merged, files("src/c.rs", "fn c2() {}\n")))
	r.setHead(c3)
	repo, err := Open(context.Background(), r.dir, OpenOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { repo.Close() })
	names := map[string]string{c1.String(): "c1", c2.String(): "c2", s1.String(): "s1", m.String(): "m", c3.String(): "c3"}

	tests := []struct {
		name string
		opts WalkOptions
		want []string // name: paths, newest first
	}{
		{"first parents", WalkOptions{},
			[]string{"c3: src/c.rs", "m: src/b.rs src/c.rs", "c2: src/a.rs", "c1: src/a.rs src/b.rs"}},
		{"all parents: the side commit comes between the merge and its first parent", WalkOptions{AllParents: true},
			[]string{"c3: src/c.rs", "m: src/b.rs src/c.rs", "s1: src/b.rs src/c.rs", "c2: src/a.rs", "c1: src/a.rs src/b.rs"}},
		{"all parents, merges skipped", WalkOptions{AllParents: true, SkipMerges: true},
			[]string{"c3: src/c.rs", "s1: src/b.rs src/c.rs", "c2: src/a.rs", "c1: src/a.rs src/b.rs"}},
		{"the newest two: the last one's parent is not selected", WalkOptions{MaxCommits: 2},
			[]string{"c3: src/c.rs", "m: src/b.rs src/c.rs"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Include = []string{"**/*.rs"}
			var got []string
			for c, err := range repo.ChangedPaths(context.Background(), tt.opts) {
				require.NoError(t, err)
				got = append(got, names[c.Hash]+": "+strings.Join(c.Paths, " "))
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
