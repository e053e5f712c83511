package dataset

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/gitlog"
)

func TestLicenceHistory(t *testing.T) {
	// Newest first, as the walk yields them.
	var h licenceHistory
	for _, c := range []gitlog.PathsChange{
		{Hash: "e", Paths: []string{"src/lib.rs"}},
		{Hash: "d", Paths: []string{"LICENSE-MIT", "src/lib.rs"}},
		{Hash: "c", Paths: []string{"src/a.rs"}},
		{Hash: "b", Paths: []string{"crates/x/Cargo.toml"}},
		{Hash: "a", Paths: []string{"src/lib.rs"}},
	} {
		h.add(c)
	}
	h.done()
	tests := []struct {
		name      string
		c1, c2    string
		sameEpoch bool
		inHistory bool // c2
	}{
		{name: "no licence change between", c1: "e", c2: "d", sameEpoch: true, inHistory: true},
		{name: "a licence file changed", c1: "d", c2: "c", inHistory: true},
		{name: "a manifest changed", c1: "b", c2: "a", inHistory: true},
		{name: "the commit changing a manifest and the next", c1: "c", c2: "b", sameEpoch: true, inHistory: true},
		{name: "not in the history", c1: "e", c2: "f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e1, ok1 := h.epochOf(tt.c1)
			e2, ok2 := h.epochOf(tt.c2)
			assert.True(t, ok1)
			assert.Equal(t, tt.inHistory, ok2)
			if ok2 {
				assert.Equal(t, tt.sameEpoch, e1 == e2)
			}
		})
	}
	// What opens each epoch: b the first, d the second.
	for e, want := range map[int32][]string{1: {"crates/x/Cargo.toml"}, 2: {"LICENSE-MIT"}} {
		got, ok := h.opening(e)
		assert.True(t, ok, "epoch %d", e)
		assert.Equal(t, want, got, "epoch %d", e)
	}
	for _, e := range []int32{-1, 0, 3} {
		_, ok := h.opening(e)
		assert.False(t, ok, "epoch %d is opened by no commit", e)
	}
	var none *licenceHistory
	_, ok := none.epochOf("e")
	assert.False(t, ok)
	assert.False(t, none.changesTexts())
	assert.True(t, h.changesTexts(), "d changes LICENSE-MIT")
}

func TestLicenceHistoryTexts(t *testing.T) {
	tests := []struct {
		name  string
		paths [][]string
		want  bool
	}{
		{name: "sources only", paths: [][]string{{"src/lib.rs"}}},
		{name: "manifests only", paths: [][]string{{"Cargo.toml"}, {"crates/a/Cargo.toml", "src/lib.rs"}}},
		{name: "a licence file", paths: [][]string{{"src/lib.rs"}, {"crates/a/LICENSE-APACHE"}}, want: true},
		{name: "a file in a licences directory", paths: [][]string{{"LICENSES/MIT.txt"}}, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h licenceHistory
			for i, p := range tt.paths {
				h.add(gitlog.PathsChange{Hash: strconv.Itoa(i), Paths: p})
			}
			h.done()
			assert.Equal(t, tt.want, h.changesTexts())
		})
	}
}

func TestLicenceHistoryFor(t *testing.T) {
	tests := []struct {
		name string
		walk gitlog.WalkOptions
		want bool
	}{
		{name: "whole first-parent history", want: true},
		{name: "newest N", walk: gitlog.WalkOptions{MaxCommits: 10}, want: true},
		{name: "all parents", walk: gitlog.WalkOptions{AllParents: true}},
		{name: "merges skipped", walk: gitlog.WalkOptions{SkipMerges: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, licenceHistoryFor(tt.walk))
		})
	}
}

func TestChangesByFile(t *testing.T) {
	id := func(file, name string) change.Identifier { return change.Identifier{File: file, Name: name} }
	tests := []struct {
		name  string
		lists [][]change.Identifier
		want  map[string][]change.Identifier
	}{
		{name: "none", want: map[string][]change.Identifier{}},
		{name: "files interleaved, in order", lists: [][]change.Identifier{{id("a", "1"), id("b", "2"), id("a", "3")}, {id("b", "4")}},
			want: map[string][]change.Identifier{"a": {id("a", "1"), id("a", "3")}, "b": {id("b", "2"), id("b", "4")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			byFile := changesByFile(tt.lists...)
			got := map[string][]change.Identifier{}
			for k, p := range byFile.paths {
				got[p] = byFile.lists[k]
				assert.Equal(t, byFile.lists[k], byFile.get(p))
			}
			assert.Equal(t, tt.want, got)
			for _, g := range got {
				assert.Equal(t, len(g), cap(g), "a group must not grow into the next")
			}
		})
	}
}

// TestEpochLicencesCarried checks the licences of a history whose
// manifests and licence files change in every way that matters, looked up
// epoch by epoch (each epoch carrying what its neighbours found), against
// lookups at each commit from scratch, going through the history in
// both directions.
func TestEpochLicencesCarried(t *testing.T) {
	h := newHistoryBuilder(t)
	licenseMIT, licenseUnlicense := licenceText(t, "MIT.txt"), licenceText(t, "Unlicense.txt")
	pkg := func(name, extra string) string { return "[package]\nname = \"" + name + "\"\n" + extra }
	ws := func(extra string) string { return "[workspace]\nmembers = [\"crates/*\"]\n" + extra }
	steps := []struct {
		msg   string
		files []string // path, content pairs; content "" deletes
	}{
		{"init", []string{"Cargo.toml", ws("\n[workspace.package]\nlicense = \"MIT OR Apache-2.0\"\n"),
			"LICENSE-MIT", licenseMIT, "LICENSES/e.txt", licenseMIT,
			"crates/a/Cargo.toml", pkg("a", "license.workspace = true\n"), "crates/a/src/lib.rs", "pub fn a() {}\n",
			"crates/b/Cargo.toml", pkg("b", "license = \"BSD-3-Clause\"\n"), "crates/b/src/lib.rs", "pub fn b() {}\n",
			"crates/e/Cargo.toml", pkg("e", "license-file = \"../../LICENSES/e.txt\"\n"), "crates/e/src/lib.rs", "pub fn e() {}\n",
			"tools/gen.rs", "fn main() {}\n"}},
		{"edit a", []string{"crates/a/src/lib.rs", "pub fn a() -> u8 { 1 }\n"}},
		{"relicense b", []string{"crates/b/Cargo.toml", pkg("b", "license = \"ISC\"\n"), "crates/b/src/lib.rs", "pub fn b() -> u8 { 1 }\n"}},
		{"a crate in a crate", []string{"crates/a/sub/Cargo.toml", pkg("sub", "license = \"MPL-2.0\"\n"), "crates/a/sub/src/lib.rs", "pub fn s() {}\n"}},
		{"edit all", []string{"crates/a/src/lib.rs", "pub fn a() -> u8 { 2 }\n", "crates/a/sub/src/lib.rs", "pub fn s() -> u8 { 1 }\n",
			"crates/b/src/lib.rs", "pub fn b() -> u8 { 2 }\n", "crates/e/src/lib.rs", "pub fn e() -> u8 { 1 }\n"}},
		{"e's licence file", []string{"LICENSES/e.txt", licenseUnlicense}},
		{"edit e", []string{"crates/e/src/lib.rs", "pub fn e() -> u8 { 2 }\n"}},
		{"workspace relicensed", []string{"Cargo.toml", ws("\n[workspace.package]\nlicense = \"Apache-2.0\"\n"), "tools/gen.rs", "fn main() { }\n"}},
		{"b broken", []string{"crates/b/Cargo.toml", "[package\n", "crates/b/src/lib.rs", "pub fn b() -> u8 { 3 }\n"}},
		{"workspace without licence", []string{"Cargo.toml", ws(""), "crates/a/src/lib.rs", "pub fn a() -> u8 { 3 }\n"}},
		{"root licence file", []string{"LICENSE-MIT", licenseUnlicense, "tools/gen.rs", "fn main() { 1; }\n"}},
		{"b mended, sub removed", []string{"crates/b/Cargo.toml", pkg("b", "license = \"MIT\"\n"), "crates/a/sub/Cargo.toml", "",
			"crates/a/sub/src/lib.rs", "pub fn s() -> u8 { 2 }\n"}},
		{"edit all again", []string{"crates/a/src/lib.rs", "pub fn a() -> u8 { 4 }\n", "crates/b/src/lib.rs", "pub fn b() -> u8 { 4 }\n",
			"crates/e/src/lib.rs", "pub fn e() -> u8 { 3 }\n", "tools/gen.rs", "fn main() { 2; }\n"}},
	}
	var commits []string // oldest first
	for _, s := range steps {
		var write []string
		for i := 0; i+1 < len(s.files); i += 2 {
			if s.files[i+1] == "" {
				_, err := h.wt.Remove(s.files[i])
				require.NoError(t, err)
				continue
			}
			write = append(write, s.files[i], s.files[i+1])
		}
		commits = append(commits, h.commit("ada", s.msg, nil, write...).String())
	}
	ctx := context.Background()
	repo, err := gitlog.Open(ctx, h.dir, gitlog.OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()
	_, hist, err := workspaceForRepo(ctx, repo, gitlog.WalkOptions{}, DefaultLanguages().Globs())
	require.NoError(t, err)
	require.NotNil(t, hist)
	pathSets := [][]string{{"crates/a/src/lib.rs"}, {"crates/a/sub/src/lib.rs"}, {"crates/b/src/lib.rs"},
		{"crates/e/src/lib.rs"}, {"tools/gen.rs"}, {"crates/a/src/lib.rs", "crates/b/src/lib.rs", "crates/e/src/lib.rs"}}
	plain := RepositoryLicenses(ctx, repo)
	for _, order := range []string{"oldest first", "newest first"} {
		t.Run(order, func(t *testing.T) {
			cs := slices.Clone(commits)
			if order == "newest first" {
				slices.Reverse(cs)
			}
			byEpoch := repositoryLicenses(ctx, repo, hist)
			for _, c := range cs {
				for _, ps := range pathSets {
					want, wantErr := plain(c, ps)
					got, err := byEpoch(c, ps)
					assert.Equal(t, want, got, "%.8s %v", c, ps)
					assert.Equal(t, wantErr == nil, err == nil, "%.8s %v: %v, %v", c, ps, wantErr, err)
				}
			}
		})
	}
}

// licenceText is a licence text of package license's tests.
func licenceText(t *testing.T, name string) string {
	b, err := os.ReadFile(filepath.Join("..", "license", "testdata", name))
	require.NoError(t, err)
	return string(b)
}
