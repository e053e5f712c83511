package gitlog

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rustFile is a Rust-shaped source: functions of nested blocks with blank
// lines and many lines alike ("}", "    Ok(())"), where a diff has freedom
// in placing its hunks.
func rustFile(r *rand.Rand, fns int) []string {
	var lines []string
	for i := range fns {
		name := fmt.Sprintf("f%d", r.IntN(fns*2))
		lines = append(lines, "", "/// Does "+name+".", fmt.Sprintf("pub fn %s() -> Result<(), Error> {", name))
		for range 1 + r.IntN(4) {
			switch r.IntN(4) {
			case 0:
				lines = append(lines, "    if x {", "        y();", "    }")
			case 1:
				lines = append(lines, "    let v = call();", "")
			case 2:
				lines = append(lines, "\tmatch v {", "\t\t_ => {}", "\t}")
			default:
				lines = append(lines, fmt.Sprintf("    step(%d);", i))
			}
		}
		lines = append(lines, "    Ok(())", "}")
	}
	return lines
}

// editRust applies a few random line edits: insertions of copies of
// nearby lines, deletions and replacements.
func editRust(r *rand.Rand, lines []string) []string {
	out := append([]string(nil), lines...)
	for range 1 + r.IntN(5) {
		if len(out) == 0 {
			break
		}
		at := r.IntN(len(out))
		n := min(1+r.IntN(6), len(out)-at)
		switch r.IntN(3) {
		case 0:
			from := r.IntN(len(out) - n + 1)
			ins := append([]string(nil), out[from:from+n]...)
			out = append(out[:at], append(ins, out[at:]...)...)
		case 1:
			out = append(out[:at], out[at+n:]...)
		default:
			out[at] = fmt.Sprintf("    changed(%d);", r.IntN(100))
		}
	}
	return out
}

func joinLines(lines []string, finalNewline bool) string {
	s := strings.Join(lines, "\n")
	if finalNewline && len(lines) > 0 {
		s += "\n"
	}
	return s
}

// porcelainRepo builds a history with the changes a patch must render:
// quoted paths, a space in a name, renames with and without edits, a mode
// change, a file that becomes a symlink, binary and empty files, missing
// final newlines, and a branch merged back.
func porcelainRepo(t *testing.T) (*testRepo, map[string]plumbing.Hash) {
	r := newTestRepo(t)
	rnd := rand.New(rand.NewPCG(1, 2))
	lib := rustFile(rnd, 12)
	v1 := files(
		"src/lib.rs", joinLines(lib, true),
		"src/old name.rs", "fn spaced() {}\n",
		"src/caf\u00e9.rs", "fn cafe() {}\n",
		"src/moved.rs", joinLines(rustFile(rnd, 5), true),
		"src/same.rs", "pub fn same() {}\n",
		"bin/tool", "#!/bin/sh\n",
		"assets/blob.bin", "\x00\x01\x02",
		"src/link.rs", "fn link() {}\n",
		"notes.txt", "no newline",
		"docs/my notes.md", "# Notes\n\nfirst\n",
		"docs/tab\tand \"quote\".md", "x\n",
	)
	c1 := r.commit("init\n", nil, v1)
	v2 := with(v1, map[string]file{
		"src/lib.rs":                 {content: joinLines(editRust(rnd, lib), true)},
		"src/new name.rs":            {content: "fn spaced() {}\n"},
		"src/util/moved.rs":          {content: strings.Replace(v1["src/moved.rs"].content, "Ok(())", "Ok(done())", 1)},
		"src/kept.rs":                {content: "pub fn same() {}\n"},
		"bin/tool":                   {content: "#!/bin/sh\n", mode: filemode.Executable},
		"assets/blob.bin":            {content: "\x00\x01\x02\x03"},
		"assets/new.bin":             {content: "\x00new"},
		"src/link.rs":                {content: "lib.rs", mode: filemode.Symlink},
		"notes.txt":                  {content: "no newline\nnow two lines"},
		"empty.txt":                  {content: ""},
		"src/ünï.rs":                 {content: "fn u() {}\n"},
		"docs/my notes.md":           {content: "# Notes\n\nfirst\nsecond\n"},
		"docs/tab\tand \"quote\".md": {content: "y\n"},
	}, "src/old name.rs", "src/moved.rs", "src/same.rs", "src/caf\u00e9.rs")
	c2 := r.commit("feat: many kinds of change (#2)\n\nBody.\n", []plumbing.Hash{c1}, v2)
	side := r.commit("side: edit\n", []plumbing.Hash{c1}, with(v1, files("src/side.rs", "fn side() {}\n")))
	v3 := with(v2, files("src/side.rs", "fn side() {}\n"))
	c3 := r.commit("Merge branch side\n", []plumbing.Hash{c2, side}, v3)
	hs := map[string]plumbing.Hash{"c1": c1, "c2": c2, "side": side, "c3": c3}
	// Successive random edits of one file, for hunk placement.
	cur, prev := lib, c3
	snap := v3
	for i := range 30 {
		cur = editRust(rnd, cur)
		snap = with(snap, files("src/lib.rs", joinLines(cur, i%7 != 3)))
		prev = r.commit(fmt.Sprintf("edit %d\n", i), []plumbing.Hash{prev}, snap)
		hs[fmt.Sprintf("e%d", i)] = prev
	}
	r.setHead(prev)
	return r, hs
}

// TestDiffPatchMatchesGitCLI compares Patch(Diff(a, b)) with `git diff
// --full-index a b` byte for byte.
func TestDiffPatchMatchesGitCLI(t *testing.T) {
	r, hs := porcelainRepo(t)
	gitCLI(t, r.dir, "version") // skips without git
	repo := openTest(t, r.dir)
	pairs := [][2]string{{"c1", "c2"}, {"c2", "c1"}, {"c1", "c3"}, {"side", "c3"}, {"c2", "c3"}, {"c1", "e29"}}
	for i := range 29 {
		pairs = append(pairs, [2]string{fmt.Sprintf("e%d", i), fmt.Sprintf("e%d", i+1)})
	}
	for _, p := range pairs {
		t.Run(p[0]+".."+p[1], func(t *testing.T) {
			a, b := hs[p[0]].String(), hs[p[1]].String()
			files, err := repo.Diff(context.Background(), a, b, DiffOptions{})
			require.NoError(t, err)
			got, err := Patch(files, PatchOptions{})
			require.NoError(t, err)
			want := gitCLI(t, r.dir, "diff", "--full-index", a, b)
			assert.Equal(t, want, got)
			got, err = Patch(files, PatchOptions{Abbrev: 7})
			require.NoError(t, err)
			assert.Equal(t, gitCLI(t, r.dir, "diff", "--abbrev=7", a, b), got)
		})
	}
	// Trees are revisions too, as for git diff.
	for _, p := range pairs[:6] {
		t.Run(p[0]+"^{tree}.."+p[1]+"^{tree}", func(t *testing.T) {
			a := strings.TrimSpace(gitCLI(t, r.dir, "rev-parse", hs[p[0]].String()+"^{tree}"))
			b := strings.TrimSpace(gitCLI(t, r.dir, "rev-parse", hs[p[1]].String()+"^{tree}"))
			files, err := repo.Diff(context.Background(), a, b, DiffOptions{})
			require.NoError(t, err)
			got, err := Patch(files, PatchOptions{})
			require.NoError(t, err)
			assert.Equal(t, gitCLI(t, r.dir, "diff", "--full-index", a, b), got)
		})
	}
}

func TestRangeMatchesGitCLI(t *testing.T) {
	r, hs := porcelainRepo(t)
	gitCLI(t, r.dir, "version")
	repo := openTest(t, r.dir)
	tests := []struct{ base, head string }{
		{"c1", "c3"}, {"c2", "c3"}, {"side", "c3"}, {"c3", "side"}, {"c1", "c1"}, {"c3", "c1"}, {"c2", "e5"}, {"side", "e29"},
	}
	for _, tt := range tests {
		t.Run(tt.base+".."+tt.head, func(t *testing.T) {
			base, head := hs[tt.base].String(), hs[tt.head].String()
			commits, mb, err := repo.Range(context.Background(), base, head)
			require.NoError(t, err)
			got := []string{}
			for _, c := range commits {
				got = append(got, c.Hash)
				assert.NotEmpty(t, c.Message)
			}
			want := strings.Fields(gitCLI(t, r.dir, "rev-list", "--reverse", base+".."+head))
			if want == nil {
				want = []string{}
			}
			assert.Equal(t, want, got)
			assert.Equal(t, strings.TrimSpace(gitCLI(t, r.dir, "merge-base", base, head)), mb)
		})
	}
}

// TestCommitMatchesGitCLI reads single commits and compares them with
// `git show --no-patch`.
func TestCommitMatchesGitCLI(t *testing.T) {
	r, hs := porcelainRepo(t)
	gitCLI(t, r.dir, "version")
	repo := openTest(t, r.dir)
	tests := []struct{ name, rev string }{
		{"root", hs["c1"].String()},
		{"merge", hs["c3"].String()},
		{"side", hs["side"].String()},
		{"branch name", "HEAD"},
		{"relative", hs["e5"].String() + "~2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := repo.Commit(context.Background(), tt.rev)
			require.NoError(t, err)
			want := strings.Split(gitCLI(t, r.dir, "show", "--no-patch", "--format=%H%n%P%n%an%n%aI%n%B", tt.rev), "\n")
			assert.Equal(t, want[0], c.Hash)
			assert.Equal(t, strings.Fields(want[1]), c.Parents)
			assert.Equal(t, want[2], c.Author.Name)
			at, err := time.Parse(time.RFC3339, want[3])
			require.NoError(t, err)
			assert.True(t, at.Equal(c.Author.When), "author date %s, git %s", c.Author.When, at)
			assert.Equal(t, strings.TrimRight(strings.Join(want[4:], "\n"), "\n"), strings.TrimRight(c.Message, "\n"))
			assert.Empty(t, c.Files)
			assert.False(t, c.Boundary)
			if len(c.Parents) > 1 {
				assert.Equal(t, "Ada Lovelace", c.MergeAuthor.Name)
			}
		})
	}
}

func TestDiffErrors(t *testing.T) {
	r, hs := porcelainRepo(t)
	repo := openTest(t, r.dir)
	ctx := context.Background()
	missing := strings.Repeat("ab", 20)
	tests := []struct {
		name     string
		run      func() error
		contains string
	}{
		{"unknown revision", func() error { _, err := repo.Diff(ctx, "nope", hs["c1"].String(), DiffOptions{}); return err }, `resolve revision "nope"`},
		{"missing commit", func() error { _, err := repo.Diff(ctx, missing, hs["c1"].String(), DiffOptions{}); return err }, missing},
		{"a blob is no revision", func() error {
			_, err := repo.Diff(ctx, r.blob("pub fn same() {}\n").String(), hs["c1"].String(), DiffOptions{})
			return err
		}, "commit"},
		{"commit of an unknown revision", func() error { _, err := repo.Commit(ctx, "nope"); return err }, `gitlog: commit nope: resolve revision "nope"`},
		{"commit missing", func() error { _, err := repo.Commit(ctx, missing); return err }, "gitlog: commit " + missing},
		{"a tree is no commit", func() error {
			_, err := repo.Commit(ctx, r.tree(files("a.rs", "fn a() {}\n")).String())
			return err
		}, "gitlog: commit "},
		{"negative rename limit", func() error { _, err := repo.Diff(ctx, "HEAD", "HEAD", DiffOptions{RenameLimit: -1}); return err }, "RenameLimit"},
		{"range with a missing commit", func() error { _, _, err := repo.Range(ctx, missing, "HEAD"); return err }, "ababab"},
		{"empty revision", func() error { _, _, err := repo.Range(ctx, "", "HEAD"); return err }, "empty revision"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.contains)
		})
	}
}

// TestPorcelainConcurrent runs Range, Diff and Patch from several
// goroutines on one Repository; run with -race.
func TestPorcelainConcurrent(t *testing.T) {
	r, hs := porcelainRepo(t)
	repo := openTest(t, r.dir)
	ctx := context.Background()
	want := map[string]string{}
	for i := range 29 {
		a, b := hs[fmt.Sprintf("e%d", i)].String(), hs[fmt.Sprintf("e%d", i+1)].String()
		files, err := repo.Diff(ctx, a, b, DiffOptions{})
		require.NoError(t, err)
		want[a+b], err = Patch(files, PatchOptions{})
		require.NoError(t, err)
	}
	errs := make(chan error, 4)
	for w := range 4 {
		go func() {
			errs <- func() error {
				for i := range 29 {
					k := (i + w*7) % 29
					a, b := hs[fmt.Sprintf("e%d", k)].String(), hs[fmt.Sprintf("e%d", k+1)].String()
					if _, _, err := repo.Range(ctx, hs["c1"].String(), b); err != nil {
						return err
					}
					files, err := repo.Diff(ctx, a, b, DiffOptions{})
					if err != nil {
						return err
					}
					got, err := Patch(files, PatchOptions{})
					if err != nil {
						return err
					}
					if got != want[a+b] {
						return fmt.Errorf("%s..%s: patch differs", a, b)
					}
				}
				return nil
			}()
		}()
	}
	for range 4 {
		require.NoError(t, <-errs)
	}
}
