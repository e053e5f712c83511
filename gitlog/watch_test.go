package gitlog

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// watchHistory builds a crate history where commits change only watched
// paths (a licence, a manifest), delete a crate, rename a file and make a
// one-line change beside a manifest bump. It returns the repository and
// the commits by name.
func watchHistory(t *testing.T) (*Repository, map[string]string) {
	r := newTestRepo(t)
	lib := "pub fn a() {}\n\npub fn b() {}\n\npub fn c() {}\n"
	s1 := files(
		"Cargo.toml", "[package]\nname = \"root\"\n",
		"LICENSE", "MIT\n",
		"README.md", "# root\n",
		"src/lib.rs", lib,
		"crates/a/Cargo.toml", "[package]\nname = \"a\"\n",
		"crates/a/src/lib.rs", "pub fn a() {}\n",
	)
	c1 := r.commit("init", nil, s1)
	s2 := with(s1, files("README.md", "# root, the crate\n"))
	c2 := r.commit("docs: readme only", []plumbing.Hash{c1}, s2)
	s3 := with(s2, files("LICENSE", "Apache-2.0\n"))
	c3 := r.commit("relicense", []plumbing.Hash{c2}, s3)
	s4 := with(s3, nil, "crates/a/Cargo.toml", "crates/a/src/lib.rs")
	c4 := r.commit("remove crate a", []plumbing.Hash{c3}, s4)
	s5 := with(s4, files("src/core.rs", lib), "src/lib.rs")
	c5 := r.commit("rename lib.rs", []plumbing.Hash{c4}, s5)
	s6 := with(s5, files("src/core.rs", strings.Replace(lib, "c()", "d()", 1), "Cargo.toml", "[package]\nname = \"root\"\nversion = \"2.0.0\"\n"))
	c6 := r.commit("bump and rename c", []plumbing.Hash{c5}, s6)
	r.setHead(c6)
	repo, err := Open(context.Background(), r.dir, OpenOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { repo.Close() })
	names := map[string]string{}
	for name, h := range map[string]plumbing.Hash{"c1": c1, "c2": c2, "c3": c3, "c4": c4, "c5": c5, "c6": c6} {
		names[h.String()] = name
	}
	return repo, names
}

func TestWalkWatch(t *testing.T) {
	repo, names := watchHistory(t)
	ctx := context.Background()
	rs := []string{"**/*.rs"}
	manifests := []string{"**/Cargo.toml", "**/LICENSE*"}
	// line renders a commit: name, files, watched paths (deleted ones
	// marked -) and whether it is yielded only for them.
	line := func(c *Commit) string {
		var b strings.Builder
		b.WriteString(names[c.Hash])
		for _, f := range c.Files {
			fmt.Fprintf(&b, " %s:%s", f.Status, f.Path)
			if f.OldPath != "" {
				fmt.Fprintf(&b, "<%s", f.OldPath)
			}
		}
		if len(c.Watched) > 0 {
			b.WriteString(" |")
		}
		for _, p := range c.Watched {
			mark := ""
			for _, d := range c.WatchedDeleted {
				if d == p {
					mark = "-"
				}
			}
			b.WriteString(" " + mark + p)
		}
		if c.WatchOnly {
			b.WriteString(" (watch only)")
		}
		return b.String()
	}
	tests := []struct {
		name string
		opts WalkOptions
		want []string
	}{
		{"no watch", WalkOptions{Include: rs}, []string{
			"c6 modified:src/core.rs",
			"c5 added:src/core.rs deleted:src/lib.rs",
			"c4 deleted:crates/a/src/lib.rs",
			"c1 added:crates/a/src/lib.rs added:src/lib.rs",
		}},
		{"commits changing only a watched path", WalkOptions{Include: rs, Watch: manifests}, []string{
			"c6 modified:src/core.rs | Cargo.toml",
			"c5 added:src/core.rs deleted:src/lib.rs",
			"c4 deleted:crates/a/src/lib.rs | -crates/a/Cargo.toml",
			"c3 | LICENSE (watch only)",
			"c1 added:crates/a/src/lib.rs added:src/lib.rs | Cargo.toml LICENSE crates/a/Cargo.toml",
		}},
		{"include and watch overlap", WalkOptions{Include: rs, Watch: []string{"**/Cargo.toml", "src/**"}}, []string{
			"c6 modified:src/core.rs | Cargo.toml src/core.rs",
			"c5 added:src/core.rs deleted:src/lib.rs | src/core.rs -src/lib.rs",
			"c4 deleted:crates/a/src/lib.rs | -crates/a/Cargo.toml",
			"c1 added:crates/a/src/lib.rs added:src/lib.rs | Cargo.toml crates/a/Cargo.toml src/lib.rs",
		}},
		{"renames are a deletion and an addition", WalkOptions{Include: rs, Watch: rs, DetectRenames: true, MaxCommits: 2}, []string{
			"c6 modified:src/core.rs | src/core.rs",
			"c5 renamed:src/core.rs<src/lib.rs | src/core.rs -src/lib.rs",
		}},
		{"excluded but watched", WalkOptions{Include: rs, Exclude: []string{"crates/**"}, Watch: manifests, MaxCommits: 3}, []string{
			"c6 modified:src/core.rs | Cargo.toml",
			"c5 added:src/core.rs deleted:src/lib.rs",
			"c4 | -crates/a/Cargo.toml (watch only)",
		}},
		{"fewer changed lines than MinChangedLines", WalkOptions{Include: rs, Watch: manifests, MinChangedLines: 3}, []string{
			"c6 | Cargo.toml (watch only)",
			"c5 added:src/core.rs deleted:src/lib.rs",
			"c4 | -crates/a/Cargo.toml (watch only)",
			"c3 | LICENSE (watch only)",
			"c1 added:crates/a/src/lib.rs added:src/lib.rs | Cargo.toml LICENSE crates/a/Cargo.toml",
		}},
		{"keep empty", WalkOptions{Include: rs, Watch: manifests, KeepEmpty: true, MaxCommits: 5}, []string{
			"c6 modified:src/core.rs | Cargo.toml",
			"c5 added:src/core.rs deleted:src/lib.rs",
			"c4 deleted:crates/a/src/lib.rs | -crates/a/Cargo.toml",
			"c3 | LICENSE",
			"c2",
		}},
		{"the newest N of the walk, oldest first", WalkOptions{Include: rs, Watch: manifests, MaxCommits: 4, Reverse: true}, []string{
			"c3 | LICENSE (watch only)",
			"c4 deleted:crates/a/src/lib.rs | -crates/a/Cargo.toml",
			"c5 added:src/core.rs deleted:src/lib.rs",
			"c6 modified:src/core.rs | Cargo.toml",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			var selected []*Commit
			watched := map[string]PathsChange{}
			for c, err := range repo.Commits(ctx, tt.opts) {
				require.NoError(t, err)
				got = append(got, line(c))
				if !c.WatchOnly {
					selected = append(selected, c)
				}
				if len(c.Watched) > 0 {
					watched[c.Hash] = PathsChange{Hash: c.Hash, Paths: c.Watched, Deleted: c.WatchedDeleted}
				}
			}
			assert.Equal(t, tt.want, got)

			// Watch adds commits, and changes nothing of the others.
			plain := tt.opts
			plain.Watch = nil
			var want []string
			for c, err := range repo.Commits(ctx, plain) {
				require.NoError(t, err)
				want = append(want, line(c))
			}
			var sel []string
			for _, c := range selected {
				c.Watched, c.WatchedDeleted = nil, nil
				sel = append(sel, line(c))
			}
			assert.Equal(t, want, sel, "the commits selected without Watch")

			// The watched paths are those ChangedPaths finds.
			if len(tt.opts.Watch) > 0 {
				cp := WalkOptions{Rev: tt.opts.Rev, MaxCommits: tt.opts.MaxCommits, Include: tt.opts.Watch}
				wantPaths := map[string]PathsChange{}
				for c, err := range repo.ChangedPaths(ctx, cp) {
					require.NoError(t, err)
					wantPaths[c.Hash] = c
				}
				assert.Equal(t, wantPaths, watched)
			}
		})
	}
}
