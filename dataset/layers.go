package dataset

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/sftforge/sftforge/archmap"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/license"
)

// Layer presets accepted by [MergeOptions.Preset] (and --preset).
const (
	// PresetAuto picks PresetHyperswitch for paths laid out like
	// juspay/hyperswitch and PresetWorkspace otherwise.
	PresetAuto = "auto"
	// PresetWorkspace infers the layers from the Cargo workspace alone
	// (archmap.Infer).
	PresetWorkspace = "workspace"
	// PresetHyperswitch names and splits the inferred layers with
	// archmap.HyperswitchPreset.
	PresetHyperswitch = "hyperswitch"
	// PresetKeywords is the word-table heuristics of archmap.Default,
	// which apply one vocabulary (API models, database, core…) everywhere.
	PresetKeywords = "keywords"
)

// Presets lists the accepted layer presets ("default" is accepted as an
// alias of PresetWorkspace).
var Presets = []string{PresetAuto, PresetWorkspace, PresetHyperswitch, PresetKeywords}

// ValidatePreset reports an unknown preset (see [Presets]; "" is
// [PresetAuto]).
func ValidatePreset(p string) error {
	if p == "" || p == "default" || slices.Contains(Presets, p) {
		return nil
	}
	return fmt.Errorf("unknown preset %q (want auto, workspace, hyperswitch or keywords)", p)
}

// MaxManifestRevisions bounds the revisions [WorkspaceForRepo] reads
// besides the start revision.
const MaxManifestRevisions = 64

// WorkspaceForRepo reads the Cargo workspace of the walked range of repo:
// at walk.Rev (default HEAD) and, for crates that moved or disappeared, just
// before each commit of the range that deleted a Cargo.toml or removed the
// [package] of a root manifest (a root package becoming a virtual
// workspace): a crate only disappears that way, so its last manifest is read (at most
// MaxManifestRevisions such revisions, evenly chosen). The commits are found
// by comparing trees, without reading blobs. The workspaces are united,
// newest first ([archmap.UnionWorkspaces]). walk selects the range as for
// the export (Rev, MaxCommits, Since, Until, AllParents); its globs are
// ignored.
func WorkspaceForRepo(ctx context.Context, repo *gitlog.Repository, walk gitlog.WalkOptions) (*archmap.Workspace, error) {
	ws, _, err := workspaceForRepo(ctx, repo, walk, nil)
	return ws, err
}

// workspaceForRepo is [WorkspaceForRepo]; with licenceInclude (globs of
// the files the export selects), the same walk of tree diffs also gives
// the licence history of the commits that change such files, when the
// walk allows one (see licenceHistoryFor); else it is nil.
func workspaceForRepo(ctx context.Context, repo *gitlog.Repository, walk gitlog.WalkOptions, licenceInclude []string) (*archmap.Workspace, *licenceHistory, error) {
	ww := newWorkspaceWalk(walk, licenceInclude)
	head, err := readWorkspaceAt(ctx, repo, ww.rev)
	if err != nil {
		return nil, nil, err
	}
	sel := gitlog.WalkOptions{Rev: ww.rev, MaxCommits: walk.MaxCommits, Since: walk.Since, Until: walk.Until,
		AllParents: walk.AllParents, Include: ww.globs}
	var changes []gitlog.PathsChange // newest first
	for c, err := range repo.ChangedPaths(ctx, sel) {
		if err != nil {
			return nil, nil, err
		}
		changes = append(changes, c)
	}
	return ww.workspace(ctx, repo, head, changes)
}

// workspaceWalk is what [workspaceForRepo] needs of a walk: the commits
// of the walked range that change a path of globs (every Cargo.toml and,
// for a licence history, the licence files and the exported files), with
// those paths. Its own walk (ChangedPaths) or the export's
// ([workspaceWalk.add] with the export walk watching globs) gives them.
type workspaceWalk struct {
	rev   string
	globs []string
	hist  bool // a licence history is made
	// changes are the commits that change a path of globs, in the order
	// add is called (the export's: oldest first), for the export's walk.
	changes []gitlog.PathsChange
	err     error // the newest commit whose tree could not be read
}

// newWorkspaceWalk returns the workspaceWalk of walk (the export's walk
// options); licenceInclude is as for workspaceForRepo.
func newWorkspaceWalk(walk gitlog.WalkOptions, licenceInclude []string) *workspaceWalk {
	ww := &workspaceWalk{rev: walk.Rev, globs: []string{"**/Cargo.toml"}}
	if ww.rev == "" {
		ww.rev = "HEAD"
	}
	if licenceInclude != nil && licenceHistoryFor(walk) {
		ww.hist = true
		ww.globs = slices.Concat(ww.globs, license.Globs(), licenceInclude)
	}
	return ww
}

// sharesWalk reports whether the export's walk, watching ww.globs, walks
// the commits workspaceForRepo's own walk would: the same selection
// (Rev, MaxCommits, Since, Until, AllParents) with no merges skipped,
// which the workspace walk keeps.
func sharesWalk(walk gitlog.WalkOptions) bool {
	return !walk.SkipMerges
}

// add takes the next commit of the export's walk ([export.Options.Watched]),
// which watches ww.globs. A boundary commit changes nothing known; a
// commit whose tree could not be read fails the workspace, as it fails
// workspaceForRepo's own walk.
func (ww *workspaceWalk) add(c *gitlog.Commit) {
	switch {
	case c.Boundary:
	case c.Err != nil:
		ww.err = fmt.Errorf("dataset: workspace: %w", c.Err)
	case len(c.Watched) > 0:
		ww.changes = append(ww.changes, gitlog.PathsChange{Hash: c.Hash, Paths: c.Watched, Deleted: c.WatchedDeleted})
	}
}

// finish returns the workspace and licence history of the commits add
// took, oldest first.
func (ww *workspaceWalk) finish(ctx context.Context, repo *gitlog.Repository) (*archmap.Workspace, *licenceHistory, error) {
	if ww.err != nil {
		return nil, nil, ww.err
	}
	head, err := readWorkspaceAt(ctx, repo, ww.rev)
	if err != nil {
		return nil, nil, err
	}
	changes := ww.changes
	ww.changes = nil
	slices.Reverse(changes)
	return ww.workspace(ctx, repo, head, changes)
}

// workspace unites head, the workspace at ww.rev, with those before the
// commits of changes (newest first) that delete a manifest or a root
// package, and places changes in licence epochs when ww.hist.
func (ww *workspaceWalk) workspace(ctx context.Context, repo *gitlog.Repository, head *archmap.Workspace, changes []gitlog.PathsChange) (*archmap.Workspace, *licenceHistory, error) {
	var hist *licenceHistory
	if ww.hist {
		hist = &licenceHistory{}
	}
	var deleting []string // newest first
	for _, c := range changes {
		if hist != nil {
			hist.add(c)
			c = manifestChanges(c)
			if len(c.Paths) == 0 {
				continue
			}
		}
		if len(c.Deleted) > 0 || lostPackage(ctx, repo, c) {
			deleting = append(deleting, c.Hash)
		}
	}
	if hist != nil {
		hist.done()
	}
	all := []*archmap.Workspace{head}
	for _, h := range evenly(deleting, MaxManifestRevisions) {
		ws, err := readWorkspaceAt(ctx, repo, h+"~1")
		if err != nil {
			continue // the root commit: nothing before it
		}
		all = append(all, ws)
	}
	return archmap.UnionWorkspaces(all...), hist, nil
}

// manifestChanges keeps the Cargo.toml paths of c.
func manifestChanges(c gitlog.PathsChange) gitlog.PathsChange {
	isManifest := func(p string) bool { return path.Base(p) == "Cargo.toml" }
	if !slices.ContainsFunc(c.Paths, func(p string) bool { return !isManifest(p) }) {
		return c
	}
	out := gitlog.PathsChange{Hash: c.Hash}
	for _, p := range c.Paths {
		if isManifest(p) {
			out.Paths = append(out.Paths, p)
		}
	}
	for _, p := range c.Deleted {
		if isManifest(p) {
			out.Deleted = append(out.Deleted, p)
		}
	}
	return out
}

var packageHeader = regexp.MustCompile(`(?m)^\s*\[package\]`)

// lostPackage reports whether a commit turned a root package manifest (at
// most one directory deep) into one without a [package] table.
func lostPackage(ctx context.Context, repo *gitlog.Repository, c gitlog.PathsChange) bool {
	before, err := repo.FS(ctx, c.Hash+"~1")
	if err != nil {
		return false
	}
	after, err := repo.FS(ctx, c.Hash)
	if err != nil {
		return false
	}
	// A text search, not a TOML parse: dependency bumps touch many
	// manifests at once.
	isPackage := func(fsys fs.FS, p string) bool {
		data, err := fs.ReadFile(fsys, p)
		return err == nil && packageHeader.Match(data)
	}
	for _, p := range c.Paths {
		// Roots only (the repository's, or a sub-directory's): a member
		// crate is removed, not turned into a workspace.
		if strings.Count(p, "/") > 1 {
			continue
		}
		if isPackage(before, p) && !isPackage(after, p) {
			return true
		}
	}
	return false
}

func readWorkspaceAt(ctx context.Context, repo *gitlog.Repository, rev string) (*archmap.Workspace, error) {
	fsys, err := repo.FS(ctx, rev)
	if err != nil {
		return nil, err
	}
	ws, err := archmap.ReadWorkspace(fsys)
	if err != nil {
		return nil, fmt.Errorf("dataset: workspace at %s: %w", rev, err)
	}
	return ws, nil
}

// evenly returns at most n elements of s, evenly spaced, keeping the first
// and the last.
func evenly(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	if n <= 1 {
		return s[:max(n, 0)]
	}
	out := make([]string, 0, n)
	for i := range n {
		out = append(out, s[i*(len(s)-1)/(n-1)])
	}
	return out
}

// LayerClassifier returns the classifier [Merge] uses: opts.Classifier
// when set, else the layers archmap infers from opts.Workspace (or, without
// it, from paths: those of the commits and PRs) with the preset opts.Preset
// asks for; PresetAuto picks the hyperswitch preset when paths look like
// juspay/hyperswitch. The crates inferred from paths count the source
// files of opts.Languages (default DefaultLanguages). Manifest warnings go
// to opts.Logger.
func LayerClassifier(opts MergeOptions, paths []string) (*archmap.Classifier, error) {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	if opts.Classifier != nil {
		return opts.Classifier, nil
	}
	if err := ValidatePreset(opts.Preset); err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	if opts.Preset == PresetKeywords {
		return archmap.Default(), nil
	}
	ws := opts.Workspace
	if ws == nil {
		langs := opts.Languages
		if langs == nil {
			langs = DefaultLanguages()
		}
		ws = archmap.WorkspaceFromPaths(paths, langs.IsSource)
	}
	var preset *archmap.Preset
	if opts.Preset == PresetHyperswitch || (opts.Preset == PresetAuto || opts.Preset == "") && looksLikeHyperswitch(paths) {
		preset = archmap.HyperswitchPreset()
	}
	c, err := archmap.Infer(ws, preset)
	if err != nil {
		return nil, fmt.Errorf("dataset: layers: %w", err)
	}
	for i, w := range c.Warnings() {
		if i == 20 {
			log.Warn("more workspace warnings", "count", len(c.Warnings())-i)
			break
		}
		log.Warn("workspace: " + w.String())
	}
	return c, nil
}
