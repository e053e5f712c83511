package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sftforge/sftforge/archmap"
	"github.com/sftforge/sftforge/dataset"
	"github.com/sftforge/sftforge/gitlog"
)

// layerFigures are issue 13's layer targets over one history. Each
// first-parent commit is a record whose files are every path it changes.
type layerFigures struct {
	records, layers           int
	files, unclassified       int // changed files; in no layer
	inCrate, inListedLayer    int // classified files under a crate; of those, in a layer listing that crate
	outsideCrates             int // Rust files classified by directory name only: under no known crate, in no role layer
	pairs, violations         int // ordered pairs of crate layers in records; pairs against the dependency order
	crates, historicalCrates  int // crates known; of those, not at the start revision
	manifestWarnings          int
	elapsedWorkspace, elapsed time.Duration
}

// runRepo measures the layers of a repository's first-parent history.
func runRepo(out io.Writer, path string, n int, preset string, header bool, show int) error {
	ctx := context.Background()
	start := time.Now()
	repo, err := gitlog.Open(ctx, path, gitlog.OpenOptions{})
	if err != nil {
		return err
	}
	defer repo.Close()
	walk := gitlog.WalkOptions{MaxCommits: n, Include: []string{"**"}}
	ws, err := dataset.WorkspaceForRepo(ctx, repo, walk)
	if err != nil {
		return err
	}
	headFS, err := repo.FS(ctx, "HEAD")
	if err != nil {
		return err
	}
	head, err := archmap.ReadWorkspace(headFS)
	if err != nil {
		return err
	}
	var f layerFigures
	f.elapsedWorkspace = time.Since(start)
	var commits []gitlog.PathsChange
	var all []string
	for c, err := range repo.ChangedPaths(ctx, walk) {
		if err != nil {
			return err
		}
		commits = append(commits, c)
		all = append(all, c.Paths...)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	c, err := dataset.LayerClassifier(dataset.MergeOptions{Workspace: ws, Preset: preset, Logger: quiet}, all)
	if err != nil {
		return err
	}
	f.manifestWarnings = len(c.Warnings())
	f.crates = len(ws.Crates)
	atHead := map[string]bool{}
	for _, cr := range head.Crates {
		atHead[cr.Dir] = true
	}
	for _, cr := range ws.Crates {
		if !atHead[cr.Dir] {
			f.historicalCrates++
		}
	}
	reach := dependencyClosure(ws)
	layerSet := map[string]bool{}
	for _, commit := range commits {
		f.records++
		groups, unclassified := c.Group(commit.Paths)
		f.files += len(commit.Paths)
		f.unclassified += len(unclassified)
		for _, g := range groups {
			layerSet[g.Layer.ID] = true
			for _, p := range g.Files {
				if cr, ok := ws.CrateOf(p); ok {
					f.inCrate++
					if slices.Contains(g.Crates, cr.Name) {
						f.inListedLayer++
					}
				} else if strings.HasSuffix(p, ".rs") && !isRole(c, g.Layer.ID) {
					f.outsideCrates++
					if f.outsideCrates <= show {
						fmt.Fprintf(os.Stderr, "outside crates: %s → %s\n", p, g.Layer.ID)
					}
				}
			}
		}
		for i := range groups {
			for j := i + 1; j < len(groups); j++ {
				if len(groups[i].Crates) == 0 || len(groups[j].Crates) == 0 {
					continue
				}
				a, b := crateDirs(ws, groups[i].Files), crateDirs(ws, groups[j].Files)
				f.pairs++
				if violates(a, b, reach) {
					f.violations++
					if f.violations <= show {
						fmt.Fprintf(os.Stderr, "order: %s: %s %v before %s %v\n", commit.Hash[:8], groups[i].Layer.ID, a, groups[j].Layer.ID, b)
					}
				}
			}
		}
	}
	f.layers = len(layerSet)
	f.elapsed = time.Since(start)
	if header {
		fmt.Fprintf(out, "| repository | commits | crates (of them gone at HEAD) | layers used | changed files | unclassified | in a layer listing their crate | Rust files in no known crate nor role | layer pairs against dependency order | manifest warnings | time |\n")
		fmt.Fprintf(out, "|---|---|---|---|---|---|---|---|---|---|---|\n")
	}
	name := strings.TrimSuffix(filepath.Base(filepath.Clean(path)), ".git")
	fmt.Fprintf(out, "| %s | %d | %d (%d) | %d | %d | %d (%.2f%%) | %d of %d (%.2f%%) | %d | %d of %d (%.2f%%) | %d | %.1fs (workspace %.1fs) |\n",
		name, f.records, f.crates, f.historicalCrates, f.layers, f.files, f.unclassified, pct(f.unclassified, f.files),
		f.inListedLayer, f.inCrate, pct(f.inListedLayer, f.inCrate), f.outsideCrates, f.violations, f.pairs, pct(f.violations, f.pairs),
		f.manifestWarnings, f.elapsed.Seconds(), f.elapsedWorkspace.Seconds())
	return nil
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// dependencyClosure maps each crate directory to the directories of the
// crates it depends on, directly or not (normal and build dependencies). A
// dependency names a package; when several crates share the name, a
// workspace member wins, then the shallowest directory (as archmap.Infer
// does).
func dependencyClosure(ws *archmap.Workspace) map[string]map[string]bool {
	target := map[string]archmap.Crate{}
	for _, c := range ws.Crates {
		t, ok := target[c.Name]
		if !ok || c.Member && !t.Member || c.Member == t.Member && strings.Count(c.Dir, "/") < strings.Count(t.Dir, "/") {
			target[c.Name] = c
		}
	}
	deps := map[string][]string{}
	for _, c := range ws.Crates {
		for _, d := range c.Deps {
			if t, ok := target[d]; ok && t.Dir != c.Dir {
				deps[c.Dir] = append(deps[c.Dir], t.Dir)
			}
		}
	}
	out := map[string]map[string]bool{}
	for _, c := range ws.Crates {
		seen := map[string]bool{}
		stack := slices.Clone(deps[c.Dir])
		for len(stack) > 0 {
			d := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[d] {
				continue
			}
			seen[d] = true
			stack = append(stack, deps[d]...)
		}
		out[c.Dir] = seen
	}
	return out
}

// violates reports whether a layer listed before another depends on it: a
// crate of the first depends on a crate of the second, which is not one of
// its own.
func violates(first, second []string, reach map[string]map[string]bool) bool {
	for _, a := range first {
		for _, b := range second {
			if a != b && !slices.Contains(first, b) && reach[a][b] {
				return true
			}
		}
	}
	return false
}

// crateDirs returns the directories of the crates holding files.
func crateDirs(ws *archmap.Workspace, files []string) []string {
	var dirs []string
	for _, p := range files {
		if c, ok := ws.CrateOf(p); ok && !slices.Contains(dirs, c.Dir) {
			dirs = append(dirs, c.Dir)
		}
	}
	return dirs
}

// isRole reports whether a layer is a role layer (tests, examples…): a Rust
// file there is where it belongs, not a crate that was missed.
func isRole(c *archmap.Classifier, id string) bool {
	l, ok := c.Layer(id)
	if !ok {
		return false
	}
	return len(l.Crates) == 0 && l.Order < 1<<30
}
