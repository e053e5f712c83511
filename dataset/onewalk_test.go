package dataset

import (
	"context"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/gitlog"
)

// workspaceHistory builds a workspace history: a crate removed, a root
// package turned into a virtual workspace, a licence changed alone, a
// merged side branch adding a crate. It returns the repository's path and
// the committer date of its third commit.
func workspaceHistory(t *testing.T) (string, time.Time) {
	h := newHistoryBuilder(t)
	ws := "[workspace]\nmembers = [\"crates/*\"]\n"
	pkg := func(name string) string { return "[package]\nname = \"" + name + "\"\n" }
	h.commit("ada", "init", nil,
		"Cargo.toml", pkg("root")+ws, "src/lib.rs", "pub fn root() {}\n", "LICENSE-MIT", "MIT\n",
		"crates/a/Cargo.toml", pkg("a"), "crates/a/src/lib.rs", "pub fn a() {}\n",
		"crates/b/Cargo.toml", pkg("b"), "crates/b/src/lib.rs", "pub fn b() {}\n")
	h.commit("ada", "edit a", nil, "crates/a/src/lib.rs", "pub fn a() -> u8 { 1 }\n")
	third := h.clock
	h.commit("ada", "relicense", nil, "LICENSE-MIT", "MIT, 2024\n")
	_, err := h.wt.Remove("crates/b/Cargo.toml")
	require.NoError(t, err)
	_, err = h.wt.Remove("crates/b/src/lib.rs")
	require.NoError(t, err)
	h.commit("ada", "remove b", nil, "crates/a/src/lib.rs", "pub fn a() -> u8 { 2 }\n")
	_, err = h.wt.Remove("src/lib.rs")
	require.NoError(t, err)
	c5 := h.commit("ada", "virtual workspace", nil, "Cargo.toml", ws)
	side := h.commit("bob", "add c", []plumbing.Hash{c5}, "crates/c/Cargo.toml", pkg("c"), "crates/c/src/lib.rs", "pub fn c() {}\n")
	_, err = h.wt.Remove("crates/c/Cargo.toml")
	require.NoError(t, err)
	_, err = h.wt.Remove("crates/c/src/lib.rs")
	require.NoError(t, err)
	c6 := h.commit("ada", "edit a again", []plumbing.Hash{c5}, "crates/a/src/lib.rs", "pub fn a() -> u8 { 3 }\n")
	h.commit("ada", "Merge pull request #7 from bob/c", []plumbing.Hash{c6, side}, "crates/c/Cargo.toml", pkg("c"), "crates/c/src/lib.rs", "pub fn c() {}\n")
	h.commit("ada", "edit a and c", nil, "crates/a/src/lib.rs", "pub fn a() -> u8 { 4 }\n", "crates/c/src/lib.rs", "pub fn c() -> u8 { 1 }\n")
	return h.dir, third
}

// TestWorkspaceFromExportWalk checks that the export's walk, watching the
// workspace's globs, gives the workspace and licence epochs of
// workspaceForRepo's own walk, and the export's records and statistics
// stay those of an export without it.
func TestWorkspaceFromExportWalk(t *testing.T) {
	dir, third := workspaceHistory(t)
	ctx := context.Background()
	repo, err := gitlog.Open(ctx, dir, gitlog.OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()
	tests := []struct {
		name    string
		walk    gitlog.WalkOptions
		licence bool // a licence history is asked for
		crates  int  // crates of the walked range's workspace
	}{
		{name: "whole history", walk: gitlog.WalkOptions{}, licence: true, crates: 4},
		{name: "whole history, licences given", walk: gitlog.WalkOptions{}, crates: 4},
		{name: "newest commits", walk: gitlog.WalkOptions{MaxCommits: 4}, licence: true, crates: 3},
		{name: "since (no epochs)", walk: gitlog.WalkOptions{Since: third}, licence: true, crates: 4},
		{name: "all parents (no epochs)", walk: gitlog.WalkOptions{AllParents: true}, licence: true, crates: 4},
		{name: "include", walk: gitlog.WalkOptions{Include: []string{"crates/a/**"}}, licence: true, crates: 4},
		{name: "exclude", walk: gitlog.WalkOptions{Exclude: []string{"crates/c/**"}}, licence: true, crates: 4},
		{name: "min changed lines", walk: gitlog.WalkOptions{MinChangedLines: 3}, licence: true, crates: 4},
		{name: "renames", walk: gitlog.WalkOptions{DetectRenames: true, MaxCommits: 6}, licence: true, crates: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.True(t, sharesWalk(tt.walk))
			var include []string
			if tt.licence {
				if include = tt.walk.Include; include == nil {
					include = DefaultLanguages().Globs()
				}
			}
			export := func(ww *workspaceWalk) ([]CommitRecord, ExportStats) {
				var recs []CommitRecord
				st, err := exportRecords(ctx, repo, ExportOptions{Walk: tt.walk, workspace: ww}, func(r CommitRecord) error {
					recs = append(recs, r)
					return nil
				})
				require.NoError(t, err)
				st.Elapsed, st.WalkTime, st.ParseTime, st.ReadTime = 0, 0, 0, 0
				return recs, st
			}
			ww := newWorkspaceWalk(tt.walk, include)
			recs, stats := export(ww)
			ws, hist, err := ww.finish(ctx, repo)
			require.NoError(t, err)

			wantRecs, wantStats := export(nil)
			assert.Equal(t, wantRecs, recs, "records")
			assert.Equal(t, wantStats, stats, "statistics")
			wantWS, wantHist, err := workspaceForRepo(ctx, repo, tt.walk, include)
			require.NoError(t, err)
			assert.Equal(t, wantWS, ws, "workspace")
			assert.Equal(t, wantHist, hist, "licence history")
			assert.Equal(t, tt.licence && licenceHistoryFor(tt.walk), hist != nil)
			assert.Len(t, ws.Crates, tt.crates, "root, a, c and, unless the range is too new, b")
		})
	}
	assert.False(t, sharesWalk(gitlog.WalkOptions{SkipMerges: true}))
}
