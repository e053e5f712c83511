package gitlog

import (
	"cmp"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/stretchr/testify/require"
)

// file is one file of a test commit: contents and mode (0 = regular).
type file struct {
	content string
	mode    filemode.FileMode
}

// files builds a snapshot from path/content pairs of regular files.
func files(pathContent ...string) map[string]file {
	m := make(map[string]file, len(pathContent)/2)
	for i := 0; i+1 < len(pathContent); i += 2 {
		m[pathContent[i]] = file{content: pathContent[i+1]}
	}
	return m
}

// with returns a copy of snapshot with changes applied; a nil-content entry
// from del removes the path.
func with(snapshot map[string]file, changes map[string]file, del ...string) map[string]file {
	out := make(map[string]file, len(snapshot)+len(changes))
	for p, f := range snapshot {
		out[p] = f
	}
	for p, f := range changes {
		out[p] = f
	}
	for _, p := range del {
		delete(out, p)
	}
	return out
}

// testRepo builds a bare repository object by object with go-git, with fixed
// authors and dates so that hashes are stable across runs.
type testRepo struct {
	t     testing.TB
	dir   string
	st    storer.EncodedObjectStorer
	repo  *git.Repository
	clock time.Time
}

func newTestRepo(t testing.TB) *testRepo {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo.git")
	repo, err := git.PlainInit(dir, true)
	require.NoError(t, err)
	return &testRepo{t: t, dir: dir, st: repo.Storer, repo: repo, clock: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)}
}

// encoder is a go-git object that encodes itself.
type encoder interface {
	Encode(plumbing.EncodedObject) error
}

func (r *testRepo) put(o encoder) plumbing.Hash {
	r.t.Helper()
	obj := r.st.NewEncodedObject()
	require.NoError(r.t, o.Encode(obj))
	h, err := r.st.SetEncodedObject(obj)
	require.NoError(r.t, err)
	return h
}

func (r *testRepo) blob(content string) plumbing.Hash {
	r.t.Helper()
	obj := r.st.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, err := obj.Writer()
	require.NoError(r.t, err)
	_, err = w.Write([]byte(content))
	require.NoError(r.t, err)
	require.NoError(r.t, w.Close())
	h, err := r.st.SetEncodedObject(obj)
	require.NoError(r.t, err)
	return h
}

// tree writes the tree of a snapshot (paths relative to it) and returns its
// hash.
func (r *testRepo) tree(snapshot map[string]file) plumbing.Hash {
	r.t.Helper()
	subdirs := map[string]map[string]file{}
	var entries []object.TreeEntry
	for p, f := range snapshot {
		if dir, rest, ok := strings.Cut(p, "/"); ok {
			if subdirs[dir] == nil {
				subdirs[dir] = map[string]file{}
			}
			subdirs[dir][rest] = f
			continue
		}
		mode := f.mode
		if mode == 0 {
			mode = filemode.Regular
		}
		h := plumbing.NewHash(f.content) // a gitlink names a commit
		if mode != filemode.Submodule {
			h = r.blob(f.content)
		}
		entries = append(entries, object.TreeEntry{Name: p, Mode: mode, Hash: h})
	}
	for dir, sub := range subdirs {
		entries = append(entries, object.TreeEntry{Name: dir, Mode: filemode.Dir, Hash: r.tree(sub)})
	}
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	slices.SortFunc(entries, func(a, b object.TreeEntry) int { return cmp.Compare(key(a), key(b)) })
	return r.put(&object.Tree{Entries: entries})
}

// commit writes a commit of snapshot with the given parents, one hour after
// the previous one, and returns its hash.
func (r *testRepo) commit(msg string, parents []plumbing.Hash, snapshot map[string]file) plumbing.Hash {
	r.t.Helper()
	r.clock = r.clock.Add(time.Hour)
	sig := object.Signature{Name: "Ada Lovelace", Email: "ada@example.com", When: r.clock}
	return r.put(&object.Commit{
		Author:       sig,
		Committer:    sig,
		Message:      msg,
		TreeHash:     r.tree(snapshot),
		ParentHashes: parents,
	})
}

// setHead points the branch HEAD names at h.
func (r *testRepo) setHead(h plumbing.Hash) {
	r.t.Helper()
	head, err := r.repo.Storer.Reference(plumbing.HEAD)
	require.NoError(r.t, err)
	require.NoError(r.t, r.repo.Storer.SetReference(plumbing.NewHashReference(head.Target(), h)))
}

// objectPath is where a loose object is stored.
func (r *testRepo) objectPath(h plumbing.Hash) string {
	s := h.String()
	return filepath.Join(r.dir, "objects", s[:2], s[2:])
}

// gitCLI runs git in the repository and returns its output.
func gitCLI(t testing.TB, dir string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir())
	cmd.Stdin = strings.NewReader("") // not os.DevNull, which need not be a device
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %s: %s", strings.Join(args, " "), out)
	return string(out)
}

// repack packs every object of the repository into one pack with deltas of
// at most the given depth and removes the loose copies. It runs
// pack-objects itself rather than `git repack`, which reads /dev/null.
func repack(t testing.TB, dir string, depth int) {
	t.Helper()
	gitCLI(t, dir, "pack-objects", "--all", "--revs", "-q", "--window=10", fmt.Sprintf("--depth=%d", depth), filepath.Join(dir, "objects", "pack", "pack"))
	gitCLI(t, dir, "prune-packed")
}

// scenario is a history with every kind of change the walker must handle.
type scenario struct {
	*testRepo
	commits map[string]plumbing.Hash // by short name
}

const mainRS = "fn main() {\n    println!(\"hello\");\n    let x = 1;\n    let y = 2;\n    let z = x + y;\n    println!(\"{z}\");\n}\n"

// scenarioTemplate is built once per test binary; newScenario copies it, which
// is much cheaper than building it again in every test.
var scenarioTemplate struct {
	once    sync.Once
	dir     string
	clock   time.Time
	commits map[string]plumbing.Hash
	err     error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if scenarioTemplate.dir != "" {
		os.RemoveAll(filepath.Dir(scenarioTemplate.dir))
	}
	os.Exit(code)
}

// newScenario returns a private copy of the scenario repository.
func newScenario(t testing.TB) *scenario {
	t.Helper()
	tpl := &scenarioTemplate
	tpl.once.Do(func() {
		root, err := os.MkdirTemp("", "gitlog-scenario-")
		if err != nil {
			tpl.err = err
			return
		}
		s := buildScenario(&templateTB{TB: t, dir: root})
		tpl.dir, tpl.clock, tpl.commits = s.dir, s.clock, s.commits
	})
	require.NoError(t, tpl.err)
	dir := filepath.Join(t.TempDir(), "repo.git")
	require.NoError(t, os.CopyFS(dir, os.DirFS(tpl.dir)))
	repo, err := git.PlainOpen(dir)
	require.NoError(t, err)
	return &scenario{
		testRepo: &testRepo{t: t, dir: dir, st: repo.Storer, repo: repo, clock: tpl.clock},
		commits:  tpl.commits,
	}
}

// templateTB is the testing.TB of the test that builds the template, with a
// temporary directory that outlives that test.
type templateTB struct {
	testing.TB
	dir string
}

func (tb *templateTB) TempDir() string { return tb.dir }

func buildScenario(t testing.TB) *scenario {
	t.Helper()
	s := &scenario{testRepo: newTestRepo(t), commits: map[string]plumbing.Hash{}}
	v1 := with(files(
		"src/lib.rs", "pub fn a() {}\n",
		"src/main.rs", mainRS,
		"README.md", "# demo\n",
		"vendor/dep/lib.rs", "pub fn dep() {}\n",
		"assets/logo.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
		"docs", "a file that becomes a directory\n",
		"modsub", "0123456789012345678901234567890123456789",
	), map[string]file{
		"scripts/run.sh": {content: "#!/bin/sh\necho run\n"},
		"modsub":         {content: "0123456789012345678901234567890123456789", mode: filemode.Submodule},
	})
	c1 := s.commit("init", nil, v1)
	v2 := with(v1, files(
		"src/lib.rs", "pub fn a() {}\n\npub fn b() -> u32 {\n    2\n}\n",
		"src/b.rs", "pub struct B;\nimpl B {\n    pub fn new() -> Self { B }\n}\n",
	))
	c2 := s.commit("feat(core): add b (#12)\n\nAdds B.\n", []plumbing.Hash{c1}, v2)
	v3 := with(v2, files(
		"src/util/b.rs", v2["src/b.rs"].content,
		"src/bin/main.rs", strings.Replace(mainRS, "hello", "hello, world", 1),
	), "src/b.rs", "src/main.rs", "README.md")
	c3 := s.commit("refactor: move files around", []plumbing.Hash{c2}, v3)
	c4 := s.commit("chore: empty commit", []plumbing.Hash{c3}, v3)
	side := s.commit("side: add side.rs", []plumbing.Hash{c4}, with(v3, files("src/side.rs", "pub fn side() {}\n")))
	v5 := with(v3, files(
		"src/lib.rs", "pub fn a() {}\r\n\r\npub fn b() -> u32 {\r\n    3\r\n}",
		"src/latin1.rs", "// caf\xe9 cr\xe8me\nfn f() {}\n",
	))
	c5 := s.commit("fix: crlf and latin-1", []plumbing.Hash{c4}, v5)
	v6 := with(v5, files("src/side.rs", "pub fn side() {}\n"))
	c6 := s.commit("Merge pull request #34 from someone/side\n\nside work\n", []plumbing.Hash{c5, side}, v6)
	v7 := with(v6, map[string]file{
		"docs/index.md":   {content: "# docs\n"},
		"scripts/run.sh":  {content: "#!/bin/sh\necho run\n", mode: filemode.Executable},
		"assets/logo.png": {content: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR2"},
		"src/link.rs":     {content: "lib.rs", mode: filemode.Symlink},
		"src/util/b.rs":   {content: "pub struct B;\nimpl B {\n    pub fn new() -> Self { B }\n    pub fn two() -> u8 { 2 }\n}\n"},
	}, "docs")
	c7 := s.commit("feat: docs dir, exec bit, binary change (#56)", []plumbing.Hash{c6}, v7)
	big := strings.Repeat("// padding line for a large file\n", 100)
	v8 := with(v7, files(
		"src/big.rs", big,
		"gen/api.pb.go", "// Code generated by protoc-gen-go. DO NOT EDIT.\npackage api\n",
		"vendor/dep/lib.rs", "pub fn dep() {}\npub fn dep2() {}\n",
	))
	c8 := s.commit("feat: big, generated and vendored files", []plumbing.Hash{c7}, v8)
	for name, h := range map[string]plumbing.Hash{"c1": c1, "c2": c2, "c3": c3, "c4": c4, "side": side, "c5": c5, "c6": c6, "c7": c7, "c8": c8} {
		s.commits[name] = h
	}
	s.setHead(c8)
	return s
}
