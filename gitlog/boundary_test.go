package gitlog

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shallowClone makes a bare `git clone --depth depth` of the repository in
// dir, through file:// so that git honours the depth.
func shallowClone(t *testing.T, dir string, depth int) string {
	t.Helper()
	clone := filepath.Join(t.TempDir(), "shallow.git")
	gitCLI(t, t.TempDir(), "clone", "-q", "--bare", "--no-local", "--depth", strconv.Itoa(depth), "file://"+filepath.ToSlash(dir), clone)
	return clone
}

// openLogged opens dir with a logger writing into the returned buffer.
func openLogged(t *testing.T, dir string) (*Repository, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	repo, err := Open(context.Background(), dir, OpenOptions{Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, repo.Close()) })
	return repo, &buf
}

// TestWalkBoundary checks that the edge of an incomplete history (a shallow
// clone, grafts) is reported as a boundary with unknown changes, never
// compared with the empty tree as a root, and that the commits above it
// are the same as in the full history.
func TestWalkBoundary(t *testing.T) {
	s := newScenario(t)
	full := map[string]*Commit{}
	all := everything
	all.AllParents = true
	for _, c := range walkAll(t, openTest(t, s.dir), all) {
		full[c.Hash] = c
	}
	tests := []struct {
		name string
		// prepare returns the repository to walk.
		prepare func(t *testing.T) string
		opts    WalkOptions
		// want are the yielded commits, newest first; boundaries those
		// that must be boundaries.
		want       []string
		boundaries []string
	}{
		{
			name:       "shallow clone, first parent",
			prepare:    func(t *testing.T) string { return shallowClone(t, s.dir, 3) },
			opts:       everything,
			want:       []string{"c8", "c7", "c6"},
			boundaries: []string{"c6"},
		},
		{
			name:       "shallow clone, filters do not hide the boundary",
			prepare:    func(t *testing.T) string { return shallowClone(t, s.dir, 3) },
			opts:       WalkOptions{MinChangedLines: 1000},
			want:       []string{"c6"},
			boundaries: []string{"c6"},
		},
		{
			name:       "shallow clone, all parents",
			prepare:    func(t *testing.T) string { return shallowClone(t, s.dir, 4) },
			opts:       WalkOptions{Include: everything.Include, KeepVendored: true, KeepEmpty: true, AllParents: true},
			want:       []string{"c8", "c7", "c6", "c5", "side"},
			boundaries: []string{"c5", "side"},
		},
		{
			name: "grafts",
			prepare: func(t *testing.T) string {
				s := newScenario(t)
				require.NoError(t, os.MkdirAll(filepath.Join(s.dir, "info"), 0o755))
				require.NoError(t, os.WriteFile(filepath.Join(s.dir, "info", "grafts"),
					[]byte("# a comment\n"+s.commits["c4"].String()+"\n"), 0o644))
				return s.dir
			},
			opts:       everything,
			want:       []string{"c8", "c7", "c6", "c5", "c4"},
			boundaries: []string{"c4"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo, logs := openLogged(t, tt.prepare(t))
			for range 2 {
				commits := walkAll(t, repo, tt.opts)
				var names []string
				for _, c := range commits {
					name := s.name(c.Hash)
					names = append(names, name)
					if slices.Contains(tt.boundaries, name) {
						assert.True(t, c.Boundary, "%s is the boundary", name)
						assert.Empty(t, c.Files, "a boundary's changes are unknown")
						assert.NoError(t, c.Err)
						continue
					}
					assert.False(t, c.Boundary, name)
					want := full[c.Hash]
					require.NotNil(t, want)
					if tt.opts.Include != nil {
						assert.Equal(t, summary([]*Commit{want}), summary([]*Commit{c}), name)
					}
				}
				assert.Equal(t, tt.want, names)
			}
			// Two walks, one warning.
			assert.Equal(t, 1, strings.Count(logs.String(), "the history is incomplete (a shallow clone or grafts)"), logs.String())
		})
	}
}

// name returns the scenario's name for a commit hash.
func (s *scenario) name(hash string) string {
	for name, h := range s.commits {
		if h.String() == hash {
			return name
		}
	}
	return hash
}

func TestWalkBoundaryRevision(t *testing.T) {
	s := newScenario(t)
	repo, _ := openLogged(t, shallowClone(t, s.dir, 3))
	for _, err := range repo.Commits(context.Background(), WalkOptions{Rev: "HEAD~5"}) {
		require.Error(t, err)
		assert.Equal(t, `gitlog: revision "HEAD~5" cannot be resolved: history has only 3 first-parent commits from HEAD (the history is shallow or grafted: it ends at `+s.commits["c6"].String()[:8]+")", err.Error())
	}
}

func TestWalkRootInShallowFileIsNotABoundary(t *testing.T) {
	s := newScenario(t)
	require.NoError(t, os.WriteFile(filepath.Join(s.dir, "shallow"), []byte(s.commits["c1"].String()+"\n"), 0o644))
	commits := walkAll(t, openTest(t, s.dir), everything)
	require.NotEmpty(t, commits)
	root := commits[len(commits)-1]
	assert.Equal(t, "c1", s.name(root.Hash))
	assert.False(t, root.Boundary)
	assert.NotEmpty(t, root.Files, "a root's changes are known")
}

// TestOpenCorruptPacks checks that a damaged pack is reported by name when
// the repository is opened, not as a missing HEAD later.
func TestOpenCorruptPacks(t *testing.T) {
	tests := []struct {
		name    string
		corrupt func(t *testing.T, idx, pack string)
		want    string // after "gitlog: open DIR: "
	}{
		{
			name: "flipped byte in the index",
			corrupt: func(t *testing.T, idx, _ string) {
				b, err := os.ReadFile(idx)
				require.NoError(t, err)
				b[8+256*4+3] ^= 0xff // inside the first object name
				require.NoError(t, os.WriteFile(idx, b, 0o644))
			},
			want: "pack index objects/pack/PACK.idx: corrupt: checksum mismatch",
		},
		{
			name:    "truncated index",
			corrupt: func(t *testing.T, idx, _ string) { require.NoError(t, os.Truncate(idx, 1100)) },
			want:    "pack index objects/pack/PACK.idx: corrupt: checksum mismatch",
		},
		{
			name:    "empty index",
			corrupt: func(t *testing.T, idx, _ string) { require.NoError(t, os.Truncate(idx, 0)) },
			want:    "pack index objects/pack/PACK.idx: corrupt: not a version 2 pack index",
		},
		{
			name: "truncated pack",
			corrupt: func(t *testing.T, _, pack string) {
				fi, err := os.Stat(pack)
				require.NoError(t, err)
				require.NoError(t, os.Truncate(pack, fi.Size()/2))
			},
			want: "pack objects/pack/PACK.pack: truncated or does not match its index objects/pack/PACK.idx (checksum mismatch)",
		},
		{
			name:    "pack missing",
			corrupt: func(t *testing.T, _, pack string) { require.NoError(t, os.Remove(pack)) },
			want:    "pack objects/pack/PACK.pack: open",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScenario(t)
			repack(t, s.dir, 10)
			idxs, err := filepath.Glob(filepath.Join(s.dir, "objects", "pack", "*.idx"))
			require.NoError(t, err)
			require.Len(t, idxs, 1)
			pack := strings.TrimSuffix(idxs[0], ".idx") + ".pack"
			tt.corrupt(t, idxs[0], pack)
			_, err = Open(context.Background(), s.dir, OpenOptions{})
			require.Error(t, err)
			want := "gitlog: open " + s.dir + ": " + strings.ReplaceAll(tt.want, "PACK", strings.TrimSuffix(filepath.Base(idxs[0]), ".idx"))
			assert.Contains(t, err.Error(), want)
			assert.NotContains(t, err.Error(), "reference not found")
		})
	}
}

// TestWalkMostlyUnreadable checks that a walk over a history most of whose
// commits cannot be read ends with an error, while a few unreadable
// objects are reported on their commits only.
func TestWalkMostlyUnreadable(t *testing.T) {
	tests := []struct {
		name string
		// remove names the commits whose root trees are deleted.
		remove []string
		want   string // "" when the walk must succeed
	}{
		{name: "one commit", remove: []string{"c5"}},
		{name: "half", remove: []string{"c2", "c5"}}, // c2, c3, c5, c6 fail: 4 of 8 is not more than half
		{name: "most", remove: []string{"c2", "c5", "c7"}, want: "most of the history is unreadable: 6 of 8 selected commits could not be read; the first: gitlog: commit "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScenario(t)
			for _, name := range tt.remove {
				c, err := s.repo.CommitObject(s.commits[name])
				require.NoError(t, err)
				require.NoError(t, os.Remove(s.objectPath(c.TreeHash)))
			}
			repo := openTest(t, s.dir)
			var errs []error
			n := 0
			for c, err := range repo.Commits(context.Background(), everything) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				n++
				assert.Empty(t, errs, "the error comes after the last commit")
				_ = c
			}
			assert.Equal(t, 8, n)
			if tt.want == "" {
				assert.Empty(t, errs)
				return
			}
			require.Len(t, errs, 1)
			assert.Contains(t, errs[0].Error(), tt.want)
			// Walked newest first, c8 is diffed against c7's missing tree.
			assert.Contains(t, errs[0].Error(), "the first: gitlog: commit "+s.commits["c8"].String()[:8]+": diff trees")
			assert.ErrorIs(t, errs[0], plumbing.ErrObjectNotFound)
		})
	}
}

// TestRangeStopsAtBoundaries: two branches cloned with depth 1 share no
// history in the clone; Range stops at their boundaries instead of failing
// on the missing parents.
func TestRangeStopsAtBoundaries(t *testing.T) {
	s := newScenario(t)
	require.NoError(t, s.repo.Storer.SetReference(plumbing.NewHashReference("refs/heads/side", s.commits["side"])))
	clone := filepath.Join(t.TempDir(), "shallow.git")
	gitCLI(t, t.TempDir(), "clone", "-q", "--bare", "--no-local", "--depth", "1", "--no-single-branch", "file://"+filepath.ToSlash(s.dir), clone)
	repo, _ := openLogged(t, clone)
	commits, mergeBase, err := repo.Range(context.Background(), s.commits["c8"].String(), "side")
	require.NoError(t, err)
	require.Len(t, commits, 1)
	assert.Equal(t, s.commits["side"].String(), commits[0].Hash)
	assert.True(t, commits[0].Boundary)
	assert.Empty(t, mergeBase, "the common history is not in the clone")
	// Commit marks the boundary too.
	c, err := repo.Commit(context.Background(), "side")
	require.NoError(t, err)
	assert.Equal(t, s.commits["side"].String(), c.Hash)
	assert.True(t, c.Boundary)
	assert.Zero(t, c.MergeAuthor)
}

// TestPartialCloneWarning: a partial clone (git clone --filter) lacks
// blobs by design; a walk says so once, naming the promisor remote, so
// that the files skipped as missing objects are explained. A complete
// clone gets no warning.
func TestPartialCloneWarning(t *testing.T) {
	tests := []struct {
		name   string
		config string // appended to the repository's config
		want   string // the promisor remote named; "" no warning
	}{
		{"complete clone", "", ""},
		{"remote only", "[remote \"origin\"]\n\turl = https://example.com/r.git\n", ""},
		{"promisor remote", "[remote \"upstream\"]\n\turl = https://example.com/r.git\n\tpromisor = true\n\tpartialclonefilter = blob:limit=4k\n", "promisor=upstream"},
		{"promisor false", "[remote \"origin\"]\n\turl = https://example.com/r.git\n\tpromisor = false\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScenario(t)
			cfg := filepath.Join(s.dir, ".git", "config")
			if _, err := os.Stat(cfg); err != nil {
				cfg = filepath.Join(s.dir, "config")
			}
			f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
			require.NoError(t, err)
			_, err = f.WriteString(tt.config)
			require.NoError(t, err)
			require.NoError(t, f.Close())
			repo, logs := openLogged(t, s.dir)
			for range 2 {
				require.NotEmpty(t, walkAll(t, repo, WalkOptions{}))
			}
			n := strings.Count(logs.String(), "gitlog: a partial clone (git clone --filter)")
			if tt.want == "" {
				assert.Zero(t, n, logs.String())
				return
			}
			assert.Equal(t, 1, n, "two walks, one warning: %s", logs.String())
			assert.Contains(t, logs.String(), tt.want)
		})
	}
}
