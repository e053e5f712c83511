package gitlog

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sftforge/sftforge/change"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// everything selects every file and loads every blob, as the git CLI does.
var everything = WalkOptions{Include: []string{"**"}, KeepVendored: true, MaxBlobSize: -1, KeepEmpty: true}

// walkAll collects a walk, failing the test on a walk error.
func walkAll(t testing.TB, repo *Repository, opts WalkOptions) []*Commit {
	t.Helper()
	var out []*Commit
	for c, err := range repo.Commits(context.Background(), opts) {
		require.NoError(t, err)
		out = append(out, c)
	}
	return out
}

func openTest(t testing.TB, dir string) *Repository {
	t.Helper()
	repo, err := Open(context.Background(), dir, OpenOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, repo.Close()) })
	return repo
}

// rawLines renders a walk like `git log --raw --no-abbrev`: one line per
// file, "commit <hash>" before each commit's files.
func rawLines(commits []*Commit) []string {
	var out []string
	for _, c := range commits {
		out = append(out, "commit "+c.Hash)
		for _, f := range c.Files {
			status := map[change.Status]string{change.StatusAdded: "A", change.StatusDeleted: "D", change.StatusModified: "M", change.StatusRenamed: "R"}[f.Status]
			oldHash, newHash := f.OldHash, f.NewHash
			if oldHash == "" {
				oldHash = strings.Repeat("0", 40)
			}
			if newHash == "" {
				newHash = strings.Repeat("0", 40)
			}
			path := f.Path
			if f.OldPath != "" {
				path = f.OldPath + "\t" + f.Path
			}
			out = append(out, fmt.Sprintf("%06o %06o %s %s %s %s", f.OldMode, f.NewMode, oldHash, newHash, status, path))
		}
	}
	return out
}

// numstatLines renders a walk like `git log --numstat`.
func numstatLines(commits []*Commit) []string {
	var out []string
	for _, c := range commits {
		out = append(out, "commit "+c.Hash)
		for _, f := range c.Files {
			add, del := strconv.Itoa(f.Additions), strconv.Itoa(f.Deletions)
			if f.Binary {
				add, del = "-", "-"
			}
			path := f.Path
			if f.OldPath != "" {
				path = gitRenameName(f.OldPath, f.Path)
			}
			out = append(out, add+"\t"+del+"\t"+path)
		}
	}
	return out
}

// gitRawLines runs `git log --raw` and renders it like rawLines: gitlinks
// (submodules) are left out, as the walker does, and a type change (T)
// counts as a modification.
func gitRawLines(t testing.TB, dir string, args ...string) []string {
	out := gitCLI(t, dir, append([]string{"log", "--raw", "--no-abbrev", "--format=commit %H"}, args...)...)
	var lines []string
	for line := range strings.Lines(out) {
		line = strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(line, "commit "):
			lines = append(lines, line)
		case strings.HasPrefix(line, ":"):
			meta, paths, _ := strings.Cut(line[1:], "\t")
			f := strings.Fields(meta)
			if f[0] == "160000" || f[1] == "160000" {
				continue
			}
			status := f[4][:1]
			if status == "T" {
				status = "M"
			}
			lines = append(lines, fmt.Sprintf("%s %s %s %s %s %s", f[0], f[1], f[2], f[3], status, paths))
		}
	}
	return lines
}

// gitNumstatLines runs `git log --numstat`, rendered like numstatLines.
func gitNumstatLines(t testing.TB, dir string, gitlinks []string, args ...string) []string {
	out := gitCLI(t, dir, append([]string{"log", "--numstat", "--format=commit %H"}, args...)...)
	var lines []string
	for line := range strings.Lines(out) {
		line = strings.TrimRight(line, "\n")
		if line == "" || slices.ContainsFunc(gitlinks, func(p string) bool { return strings.HasSuffix(line, "\t"+p) }) {
			continue
		}
		lines = append(lines, line)
	}
	return lines
}

func TestWalkMatchesGitCLI(t *testing.T) {
	tests := []struct {
		name       string
		allParents bool
		repack     bool
		renames    bool
		gitArgs    []string
	}{
		{name: "first-parent loose", gitArgs: []string{"--first-parent", "--diff-merges=first-parent", "--no-renames"}},
		{name: "first-parent packed", repack: true, gitArgs: []string{"--first-parent", "--diff-merges=first-parent", "--no-renames"}},
		{name: "all parents packed", allParents: true, repack: true, gitArgs: []string{"--diff-merges=first-parent", "--no-renames"}},
		{name: "renames", renames: true, gitArgs: []string{"--first-parent", "--diff-merges=first-parent", "-M"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScenario(t)
			if tt.repack {
				repack(t, s.dir, 4)
			}
			repo := openTest(t, s.dir)
			opts := everything
			opts.AllParents = tt.allParents
			opts.DetectRenames = tt.renames
			commits := walkAll(t, repo, opts)

			got, want := rawLines(commits), gitRawLines(t, s.dir, tt.gitArgs...)
			if tt.allParents { // git's order among equal dates is its own
				slices.Sort(got)
				slices.Sort(want)
			}
			assert.Equal(t, want, got, "changed files differ from git log --raw")

			got, want = numstatLines(commits), gitNumstatLines(t, s.dir, []string{"modsub"}, tt.gitArgs...)
			if tt.allParents {
				slices.Sort(got)
				slices.Sort(want)
			}
			assert.Equal(t, want, got, "line counts differ from git log --numstat")
		})
	}
}

// gitRenameName renders a rename as git's diffstat does ("src/{ => bin}/x.rs"),
// after pprint_rename in git's diff.c.
func gitRenameName(a, b string) string {
	pfx := 0
	for i := 0; i < len(a) && i < len(b) && a[i] == b[i]; i++ {
		if a[i] == '/' {
			pfx = i + 1
		}
	}
	sfx := 0
	for i, j := len(a), len(b); i >= pfx-1 && j >= pfx-1 && i >= 0 && j >= 0; i, j = i-1, j-1 {
		ca, cb := byte(0), byte(0)
		if i < len(a) {
			ca = a[i]
		}
		if j < len(b) {
			cb = b[j]
		}
		if ca != cb {
			break
		}
		if ca == '/' {
			sfx = len(a) - i
		}
	}
	if pfx == 0 && sfx == 0 {
		return a + " => " + b
	}
	aMid, bMid := max(len(a)-pfx-sfx, 0), max(len(b)-pfx-sfx, 0)
	return a[:pfx] + "{" + a[pfx:pfx+aMid] + " => " + b[pfx:pfx+bMid] + "}" + a[len(a)-sfx:]
}
