package gitlog

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenLocal(t *testing.T) {
	s := newScenario(t)
	work := filepath.Join(t.TempDir(), "work")
	gitCLI(t, filepath.Dir(s.dir), "clone", "-q", s.dir, work)
	require.NoError(t, os.MkdirAll(filepath.Join(work, "src", "deep"), 0o755))
	linked := filepath.Join(t.TempDir(), "linked")
	gitCLI(t, work, "worktree", "add", "-q", "--detach", linked, s.commits["c3"].String())

	tests := []struct {
		name, path, wantGitDir string
		wantHead               plumbing.Hash
	}{
		{"bare", s.dir, s.dir, s.commits["c8"]},
		{"work tree", work, filepath.Join(work, ".git"), s.commits["c8"]},
		{"inside a work tree", filepath.Join(work, "src", "deep"), filepath.Join(work, ".git"), s.commits["c8"]},
		{"linked work tree", linked, "", s.commits["c3"]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo := openTest(t, tt.path)
			if tt.wantGitDir != "" {
				assert.Equal(t, tt.wantGitDir, repo.Path())
			}
			commits := walkAll(t, repo, WalkOptions{MaxCommits: 1, KeepEmpty: true})
			require.Len(t, commits, 1)
			assert.Equal(t, tt.wantHead.String(), commits[0].Hash)
		})
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	notRepo := filepath.Join(dir, "plain")
	require.NoError(t, os.Mkdir(notRepo, 0o755))
	regular := filepath.Join(dir, "file.txt")
	require.NoError(t, os.WriteFile(regular, []byte("x"), 0o644))
	badGitFile := filepath.Join(dir, "badgitfile")
	require.NoError(t, os.MkdirAll(badGitFile, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(badGitFile, ".git"), []byte("nonsense\n"), 0o644))

	tests := []struct {
		name, source, want string
	}{
		{"empty", " ", "empty repository path or URL"},
		{"missing path", filepath.Join(dir, "missing"), "no such file or directory"},
		{"not a directory", regular, "not a directory"},
		{"not a repository", notRepo, "not a git repository"},
		{"bad .git file", badGitFile, `no "gitdir:" line`},
		{"unreachable URL", "file://" + filepath.Join(dir, "missing.git"), "gitlog: clone file://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo, err := Open(context.Background(), tt.source, OpenOptions{CacheDir: filepath.Join(dir, "cache")})
			require.Error(t, err)
			assert.Nil(t, repo)
			assert.ErrorContains(t, err, tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "gitlog: "), err.Error())
		})
	}
	entries, err := os.ReadDir(filepath.Join(dir, "cache"))
	require.NoError(t, err)
	assert.Empty(t, entries, "a failed clone leaves nothing in the cache")
}

func TestOpenURLClonesThenFetches(t *testing.T) {
	s := newScenario(t)
	cache := t.TempDir()
	url := "file://" + s.dir
	var progress bytes.Buffer

	repo, err := Open(context.Background(), url, OpenOptions{CacheDir: cache, Progress: &progress})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(repo.Path(), cache), repo.Path())
	if runtime.GOOS != "windows" {
		// The clone is a directory like any other (0755 less the umask), not
		// os.MkdirTemp's 0700.
		probe := filepath.Join(t.TempDir(), "probe")
		require.NoError(t, os.Mkdir(probe, 0o777))
		pfi, err := os.Stat(probe)
		require.NoError(t, err)
		fi, err := os.Stat(repo.Path())
		require.NoError(t, err)
		assert.Equal(t, 0o755&pfi.Mode().Perm(), fi.Mode().Perm())
	}
	commits := walkAll(t, repo, WalkOptions{MaxCommits: 1})
	require.Len(t, commits, 1)
	assert.Equal(t, s.commits["c8"].String(), commits[0].Hash)
	require.NoError(t, repo.Close())

	c9 := s.commit("feat: after the clone (#99)", []plumbing.Hash{s.commits["c8"]}, files("src/new.rs", "fn new() {}\n"))
	s.setHead(c9)

	repo, err = Open(context.Background(), url, OpenOptions{CacheDir: cache})
	require.NoError(t, err)
	defer repo.Close()
	commits = walkAll(t, repo, WalkOptions{MaxCommits: 1})
	require.Len(t, commits, 1)
	assert.Equal(t, c9.String(), commits[0].Hash, "the second Open fetched")
	assert.Equal(t, 99, commits[0].PRNumber)
}

func TestIsURL(t *testing.T) {
	tests := []struct {
		source string
		want   bool
	}{
		{"https://github.com/juspay/hyperswitch", true},
		{"HTTP://example.com/x.git", true},
		{"ssh://git@github.com/juspay/hyperswitch.git", true},
		{"git@github.com:juspay/hyperswitch.git", true},
		{"file:///srv/repo.git", true},
		{"/srv/repo.git", false},
		{"./repo", false},
		{"C:/repos/x", false},
		{"user@host", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, isURL(tt.source), tt.source)
	}
}

func TestCacheDirFor(t *testing.T) {
	a := cacheDirFor("/c", "https://github.com/juspay/hyperswitch.git")
	assert.True(t, strings.HasPrefix(a, "/c/github.com_juspay_hyperswitch-"), a)
	assert.True(t, strings.HasSuffix(a, ".git"), a)
	b := cacheDirFor("/c", "git@github.com:juspay/hyperswitch.git")
	assert.True(t, strings.HasPrefix(b, "/c/github.com_juspay_hyperswitch-"), b)
	assert.NotEqual(t, a, b, "distinct URLs get distinct clones")
	assert.Equal(t, a, cacheDirFor("/c", "https://github.com/juspay/hyperswitch.git"))
}
