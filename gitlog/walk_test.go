package gitlog

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

// summary renders a walk for golden files and assertions.
func summary(commits []*Commit) string {
	var b strings.Builder
	for _, c := range commits {
		fmt.Fprintf(&b, "%s %q pr=%d parents=%d", c.ShortHash(), c.Subject, c.PRNumber, len(c.Parents))
		if c.Err != nil {
			fmt.Fprintf(&b, " err=%v", c.Err)
		}
		if c.Boundary {
			b.WriteString(" boundary")
		}
		b.WriteString("\n")
		for _, f := range c.Files {
			fmt.Fprintf(&b, "  %-8s %s", f.Status, f.Path)
			if f.OldPath != "" {
				fmt.Fprintf(&b, " (from %s)", f.OldPath)
			}
			fmt.Fprintf(&b, " +%d -%d", f.Additions, f.Deletions)
			if f.Binary {
				b.WriteString(" binary")
			}
			if f.Skipped != "" {
				fmt.Fprintf(&b, " skipped=%q", f.Skipped)
			}
			if f.Err != nil {
				b.WriteString(" err")
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func TestWalkGolden(t *testing.T) {
	tests := []struct {
		name string
		opts WalkOptions
	}{
		{"default", WalkOptions{}}, // every file
		{"rust", WalkOptions{Include: []string{"**/*.rs"}}},
		{"renames-all-files", WalkOptions{Include: []string{"**"}, DetectRenames: true, MaxBlobSize: 1000}},
		{"reverse-all-parents", WalkOptions{Include: []string{"**/*.rs"}, AllParents: true, Reverse: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScenario(t)
			got := summary(walkAll(t, openTest(t, s.dir), tt.opts))
			golden := filepath.Join("testdata", "walk-"+tt.name+".golden")
			if *update {
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to create it")
			assert.Equal(t, string(want), got)
		})
	}
}

func TestWalkSelection(t *testing.T) {
	s := newScenario(t)
	repo := openTest(t, s.dir)
	short := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, s.commits[n].String()[:8])
		}
		return out
	}
	hashes := func(opts WalkOptions) []string {
		var out []string
		for _, c := range walkAll(t, repo, opts) {
			out = append(out, c.ShortHash())
		}
		return out
	}
	at := func(name string) time.Time {
		c, err := repo.repo.CommitObject(s.commits[name])
		require.NoError(t, err)
		return c.Committer.When
	}
	tests := []struct {
		name string
		opts WalkOptions
		want []string
	}{
		{"skips commits without selected changes", WalkOptions{Include: []string{"**/*.rs"}}, short("c8", "c7", "c6", "c5", "c3", "c2", "c1")},
		{"keep empty", WalkOptions{KeepEmpty: true}, short("c8", "c7", "c6", "c5", "c4", "c3", "c2", "c1")},
		{"max commits counts walked commits", WalkOptions{MaxCommits: 5}, short("c8", "c7", "c6", "c5")},
		{"reverse keeps the newest selection", WalkOptions{MaxCommits: 3, Reverse: true}, short("c6", "c7", "c8")},
		{"since and until", WalkOptions{Since: at("c3"), Until: at("c6")}, short("c6", "c5", "c3")},
		{"skip merges", WalkOptions{SkipMerges: true}, short("c8", "c7", "c5", "c3", "c2", "c1")},
		{"min changed lines", WalkOptions{Include: []string{"**/*.rs"}, MinChangedLines: 9}, short("c8", "c5", "c3")},
		{"all parents", WalkOptions{AllParents: true}, short("c8", "c7", "c6", "c5", "side", "c3", "c2", "c1")},
		{"start revision", WalkOptions{Rev: s.commits["c3"].String()}, short("c3", "c2", "c1")},
		{"start revision with a suffix", WalkOptions{Rev: "HEAD~6"}, short("c2", "c1")},
		{"include and exclude", WalkOptions{Include: []string{"src/**"}, Exclude: []string{"**/lib.rs"}}, short("c8", "c7", "c6", "c5", "c3", "c2", "c1")},
		{"include matches nothing", WalkOptions{Include: []string{"nothing/**"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, hashes(tt.opts))
		})
	}
}

func TestWalkFileRules(t *testing.T) {
	s := newScenario(t)
	repo := openTest(t, s.dir)
	commits := walkAll(t, repo, WalkOptions{Include: []string{"**"}, MaxBlobSize: 1000, MaxCommits: 1})
	require.Len(t, commits, 1)
	byPath := map[string]FileChange{}
	for _, f := range commits[0].Files {
		byPath[f.Path] = f
	}
	tests := []struct {
		path    string
		skipped string
		added   int
	}{
		{"src/big.rs", SkipTooLarge, 0},
		{"gen/api.pb.go", SkipGenerated, 0},
		{"vendor/dep/lib.rs", SkipVendored, 0},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			f, ok := byPath[tt.path]
			require.True(t, ok)
			assert.Equal(t, tt.skipped, f.Skipped)
			assert.Equal(t, tt.added, f.Additions)
			assert.NotEmpty(t, f.NewHash, "skipped files keep their hashes")
			b, err := f.NewContent()
			require.NoError(t, err, "contents of skipped files are read on demand")
			assert.NotEmpty(t, b)
		})
	}
}

func TestWalkContent(t *testing.T) {
	s := newScenario(t)
	repo := openTest(t, s.dir)
	for _, keep := range []bool{false, true} {
		t.Run(fmt.Sprintf("keep=%v", keep), func(t *testing.T) {
			commits := walkAll(t, repo, WalkOptions{KeepContent: keep, DetectRenames: true})
			var n int
			for _, c := range commits {
				for i := range c.Files {
					f := &c.Files[i]
					assert.Equal(t, keep && f.NewHash != "" && f.Skipped == "", f.newLoaded, "%s %s", c.ShortHash(), f.Path)
					for _, side := range []struct {
						hash string
						get  func() ([]byte, error)
					}{{f.OldHash, f.OldContent}, {f.NewHash, f.NewContent}} {
						got, err := side.get()
						require.NoError(t, err)
						if side.hash == "" {
							assert.Nil(t, got)
							continue
						}
						want, err := repo.Blob(side.hash)
						require.NoError(t, err)
						assert.Equal(t, want, got)
						n++
					}
					f.ReleaseContent()
					assert.False(t, f.oldLoaded || f.newLoaded)
				}
			}
			assert.Greater(t, n, 10)
		})
	}
}

// TestWalkLoadFilter: files the filter refuses are listed as without it,
// with no line counts and no contents read; the others are unchanged. With
// rename detection the filter is ignored.
func TestWalkLoadFilter(t *testing.T) {
	s := newScenario(t)
	repo := openTest(t, s.dir)
	only := func(p string) bool { return p != "src/lib.rs" }
	for _, renames := range []bool{false, true} {
		t.Run(fmt.Sprintf("renames=%v", renames), func(t *testing.T) {
			all := walkAll(t, repo, WalkOptions{KeepContent: true, DetectRenames: renames})
			some := walkAll(t, repo, WalkOptions{KeepContent: true, DetectRenames: renames, LoadFilter: only})
			require.Len(t, some, len(all))
			refused := 0
			for i, c := range all {
				require.Len(t, some[i].Files, len(c.Files))
				for j, want := range c.Files {
					got := some[i].Files[j]
					assert.Equal(t, want.Path, got.Path)
					assert.Equal(t, want.Status, got.Status)
					assert.Equal(t, want.NewHash, got.NewHash)
					if renames || only(want.Path) || want.Skipped != "" {
						assert.Equal(t, want.Additions, got.Additions, got.Path)
						assert.Equal(t, want.Deletions, got.Deletions, got.Path)
						assert.Equal(t, want.Binary, got.Binary, got.Path)
						continue
					}
					refused++
					assert.Zero(t, got.Additions+got.Deletions, got.Path)
					assert.Nil(t, got.Hunks, got.Path)
					assert.False(t, got.oldLoaded || got.newLoaded, got.Path)
				}
			}
			if !renames {
				assert.Positive(t, refused)
			}
		})
	}
}

func TestWalkMissingObjects(t *testing.T) {
	tests := []struct {
		name string
		// remove returns the object to delete from the scenario.
		remove        func(s *scenario) plumbing.Hash
		commitErr     string // in the Err of the commits named errCommits
		errCommits    []string
		fileErr       string // path whose FileChange has an error
		wantMinCommit int
	}{
		{
			name: "missing blob marks the file",
			remove: func(s *scenario) plumbing.Hash {
				return s.blob("pub fn dep() {}\npub fn dep2() {}\n")
			},
			fileErr:       "vendor/dep/lib.rs",
			wantMinCommit: 8,
		},
		{
			name: "missing tree marks the commit",
			remove: func(s *scenario) plumbing.Hash {
				c, err := s.repo.CommitObject(s.commits["c5"])
				require.NoError(t, err)
				return c.TreeHash
			},
			errCommits:    []string{"c5", "c6"}, // c6 is diffed against c5
			commitErr:     "diff trees",
			wantMinCommit: 8,
		},
		{
			name:          "missing parent commit ends the history",
			remove:        func(s *scenario) plumbing.Hash { return s.commits["c2"] },
			errCommits:    []string{"c3"},
			commitErr:     "read parent",
			wantMinCommit: 6,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScenario(t)
			h := tt.remove(s)
			require.NoError(t, os.Remove(s.objectPath(h)))
			repo := openTest(t, s.dir)
			commits := walkAll(t, repo, WalkOptions{Include: []string{"**"}, KeepVendored: true, KeepEmpty: true})
			assert.GreaterOrEqual(t, len(commits), tt.wantMinCommit)
			var sawCommitErr, sawFileErr bool
			for _, c := range commits {
				if c.Err != nil {
					var want []string
					for _, name := range tt.errCommits {
						want = append(want, s.commits[name].String())
					}
					assert.Contains(t, want, c.Hash, "unexpected error %v", c.Err)
					assert.Contains(t, c.Err.Error(), tt.commitErr)
					assert.Contains(t, c.Err.Error(), "gitlog: commit "+c.ShortHash())
					assert.ErrorIs(t, c.Err, plumbing.ErrObjectNotFound)
					sawCommitErr = true
				}
				for _, f := range c.Files {
					if f.Err != nil {
						assert.Equal(t, tt.fileErr, f.Path)
						assert.Contains(t, f.Err.Error(), "read blob "+f.Path)
						assert.ErrorIs(t, f.Err, plumbing.ErrObjectNotFound)
						sawFileErr = true
					}
				}
			}
			assert.Equal(t, tt.commitErr != "", sawCommitErr)
			assert.Equal(t, tt.fileErr != "", sawFileErr)
		})
	}
}

func TestWalkStopsEarly(t *testing.T) {
	s := newScenario(t)
	repo := openTest(t, s.dir)
	n := 0
	for c, err := range repo.Commits(context.Background(), WalkOptions{Workers: 2}) {
		require.NoError(t, err)
		require.NotNil(t, c)
		n++
		if n == 2 {
			break
		}
	}
	assert.Equal(t, 2, n)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var gotErr error
	for _, err := range repo.Commits(ctx, WalkOptions{}) {
		gotErr = err
	}
	assert.ErrorIs(t, gotErr, context.Canceled)
}

func TestWalkErrors(t *testing.T) {
	s := newScenario(t)
	repo := openTest(t, s.dir)
	tests := []struct {
		name string
		opts WalkOptions
		want string
	}{
		{"unknown revision", WalkOptions{Rev: "no-such-branch"}, `revision "no-such-branch" cannot be resolved: reference not found`},
		{"past the root by ~", WalkOptions{Rev: "HEAD~99999"}, `gitlog: revision "HEAD~99999" cannot be resolved: history has only 8 first-parent commits from HEAD`},
		{"one past the root", WalkOptions{Rev: "HEAD~8"}, `gitlog: revision "HEAD~8" cannot be resolved: history has only 8 first-parent commits from HEAD`},
		{"past the root by ^", WalkOptions{Rev: "HEAD^^^^^^^~2"}, `gitlog: revision "HEAD^^^^^^^~2" cannot be resolved: history has only 8 first-parent commits from HEAD`},
		{"second parent of a non-merge", WalkOptions{Rev: "HEAD^2"}, `revision "HEAD^2" cannot be resolved`},
		{"invalid option", WalkOptions{MaxCommits: -1}, "MaxCommits is -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errs []error
			for c, err := range repo.Commits(context.Background(), tt.opts) {
				assert.Nil(t, c)
				errs = append(errs, err)
			}
			require.Len(t, errs, 1)
			assert.ErrorContains(t, errs[0], tt.want)
		})
	}
}

func TestWalkOptionsValidate(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name string
		opts WalkOptions
		want string
	}{
		{"zero value", WalkOptions{}, ""},
		{"negative max commits", WalkOptions{MaxCommits: -2}, "MaxCommits"},
		{"negative min lines", WalkOptions{MinChangedLines: -1}, "MinChangedLines"},
		{"negative workers", WalkOptions{Workers: -1}, "Workers"},
		{"negative rename limit", WalkOptions{RenameLimit: -1}, "RenameLimit"},
		{"since after until", WalkOptions{Since: now, Until: now.Add(-time.Hour)}, "Since"},
		{"malformed include", WalkOptions{Include: []string{"src/[a"}}, `Include glob "src/[a"`},
		{"empty exclude", WalkOptions{Exclude: []string{""}}, "Exclude has an empty glob"},
		{"malformed watch", WalkOptions{Watch: []string{"**/[C"}}, `Watch glob "**/[C"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.opts.Validate()
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "gitlog: "))
		})
	}
}

func TestBlob(t *testing.T) {
	s := newScenario(t)
	repo := openTest(t, s.dir)
	h := s.blob("pub fn a() {}\n")
	got, err := repo.Blob(h.String())
	require.NoError(t, err)
	assert.Equal(t, "pub fn a() {}\n", string(got))

	_, err = repo.Blob("xyz")
	assert.ErrorContains(t, err, `gitlog: blob "xyz"`)
	_, err = repo.Blob(strings.Repeat("ab", 20))
	assert.True(t, errors.Is(err, plumbing.ErrObjectNotFound), "%v", err)
	_, err = repo.Blob(s.commits["c1"].String())
	assert.Error(t, err, "a commit is not a blob")
}

// TestWalkUnbornHead: a HEAD that names a branch without a commit (git
// init, or a bare clone whose HEAD names a branch it lacks) is named in
// the error, not "reference not found".
func TestWalkUnbornHead(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T) string
		rev     string
		want    string
	}{
		{"git init, no commit", func(t *testing.T) string {
			dir := t.TempDir()
			gitCLI(t, dir, "init", "-q", "-b", "trunk")
			return dir
		}, "", "HEAD names refs/heads/trunk, which does not exist (a repository without commits, or a clone whose HEAD names a missing branch)"},
		{"HEAD names a missing branch", func(t *testing.T) string {
			s := newScenario(t)
			gitCLI(t, s.dir, "symbolic-ref", "HEAD", "refs/heads/gone")
			return s.dir
		}, "HEAD", "HEAD names refs/heads/gone, which does not exist"},
		{"another revision is not about HEAD", func(t *testing.T) string {
			dir := t.TempDir()
			gitCLI(t, dir, "init", "-q")
			return dir
		}, "main", `revision "main" cannot be resolved: reference not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo := openTest(t, tt.prepare(t))
			var errs []error
			for c, err := range repo.Commits(context.Background(), WalkOptions{Rev: tt.rev}) {
				assert.Nil(t, c)
				errs = append(errs, err)
			}
			require.Len(t, errs, 1)
			assert.ErrorContains(t, errs[0], tt.want)
		})
	}
}
