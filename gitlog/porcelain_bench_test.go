package gitlog

import (
	"container/heap"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/go-git/go-billy/v5/osfs"
	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// BenchmarkPRDiff times what `gather --repo-dir` does for each pull request
// (the commits of base..head, the merge base, and the full-index patch from
// it to head) with gitlog, with go-git (DiffTree and Patch, as --repo-dir
// did before it used gitlog) and with the git CLI, on the merge commits of the
// repository named by SFTFORGE_BENCH_REPO (first parent as base, second as
// head; up to 100 of them), or, when it is unset, of a synthetic history
// of 60 merged pull requests (syntheticPRs). One op covers every range.
// bench/prdiff.sh runs it and prints the ratio.
func BenchmarkPRDiff(b *testing.B) {
	dir := os.Getenv("SFTFORGE_BENCH_REPO")
	_, gitErr := exec.LookPath("git")
	git := func(args ...string) string {
		cmd := exec.Command("git", append([]string{"--git-dir", dir}, args...)...)
		cmd.Stdin = strings.NewReader("")
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("git %s: %v", strings.Join(args, " "), err)
		}
		return string(out)
	}
	var ranges [][2]string
	if dir == "" {
		dir, ranges = syntheticPRs(b, 60)
	} else {
		if gitErr != nil {
			b.Skip("git is not installed")
		}
		for _, line := range strings.Split(strings.TrimSpace(git("rev-list", "--merges", "--parents", "-n", "100", "HEAD")), "\n") {
			f := strings.Fields(line)
			if len(f) >= 3 {
				ranges = append(ranges, [2]string{f[1], f[2]})
			}
		}
	}
	if len(ranges) == 0 {
		b.Skip("no merge commits")
	}
	ctx := context.Background()
	b.Run("gitlog", func(b *testing.B) {
		repo, err := Open(ctx, dir, OpenOptions{})
		if err != nil {
			b.Fatal(err)
		}
		defer repo.Close()
		for b.Loop() {
			for _, r := range ranges {
				_, mb, err := repo.Range(ctx, r[0], r[1])
				if err != nil {
					b.Fatal(err)
				}
				files, err := repo.Diff(ctx, mb, r[1], DiffOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Patch(files, PatchOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(len(ranges)), "ranges/op")
	})
	b.Run("go-git", func(b *testing.B) {
		// What github/local.go did before it used gitlog: go-git's
		// storage, a paint walk that rescans its queue, DiffTree and Patch.
		st := filesystem.NewStorageWithOptions(osfs.New(dir), cache.NewObjectLRUDefault(), filesystem.Options{KeepDescriptors: true})
		defer st.Close()
		repo, err := gogit.Open(st, nil)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			for _, r := range ranges {
				base, err := repo.CommitObject(plumbing.NewHash(r[0]))
				if err != nil {
					b.Fatal(err)
				}
				head, err := repo.CommitObject(plumbing.NewHash(r[1]))
				if err != nil {
					b.Fatal(err)
				}
				mb := goGitMergeBase(b, base, head)
				from, err := mb.Tree()
				if err != nil {
					b.Fatal(err)
				}
				to, err := head.Tree()
				if err != nil {
					b.Fatal(err)
				}
				changes, err := object.DiffTreeWithOptions(ctx, from, to, &object.DiffTreeOptions{DetectRenames: true})
				if err != nil {
					b.Fatal(err)
				}
				patch, err := changes.Patch()
				if err != nil {
					b.Fatal(err)
				}
				_ = patch.String()
			}
		}
		b.ReportMetric(float64(len(ranges)), "ranges/op")
	})
	b.Run("git-cli", func(b *testing.B) {
		if gitErr != nil {
			b.Skip("git is not installed")
		}
		for b.Loop() {
			for _, r := range ranges {
				git("rev-list", r[0]+".."+r[1])
				mb := strings.TrimSpace(git("merge-base", r[0], r[1]))
				git("diff", "--full-index", mb, r[1])
			}
		}
		b.ReportMetric(float64(len(ranges)), "ranges/op")
	})
}

// goGitMergeBase is the commit walk github/local.go had before it used
// gitlog: paint from both ends, newest first, until no queued commit is
// reachable from head only (a scan of the whole queue per step), then the
// newest commit both reach.
func goGitMergeBase(b *testing.B, base, head *object.Commit) *object.Commit {
	const fromHead, fromBase = 1, 2
	paint := map[plumbing.Hash]uint8{}
	seen := map[plumbing.Hash]*object.Commit{}
	q := &commitQueue{}
	push := func(c *object.Commit, flag uint8) {
		if paint[c.Hash]|flag == paint[c.Hash] {
			return
		}
		paint[c.Hash] |= flag
		seen[c.Hash] = c
		heap.Push(q, c)
	}
	push(head, fromHead)
	push(base, fromBase)
	headOnly := func() bool {
		for _, c := range *q {
			if paint[c.Hash] == fromHead {
				return true
			}
		}
		return false
	}
	for q.Len() > 0 && headOnly() {
		c := heap.Pop(q).(*object.Commit)
		flag := paint[c.Hash]
		if err := c.Parents().ForEach(func(p *object.Commit) error { push(p, flag); return nil }); err != nil {
			b.Fatal(err)
		}
	}
	var mb *object.Commit
	for h, flag := range paint {
		c := seen[h]
		if flag == fromHead|fromBase && (mb == nil || c.Committer.When.After(mb.Committer.When) ||
			c.Committer.When.Equal(mb.Committer.When) && c.Hash.String() < mb.Hash.String()) {
			mb = c
		}
	}
	if mb == nil {
		b.Fatalf("%s and %s share no history", base.Hash, head.Hash)
	}
	return mb
}

// syntheticPRs builds a history of n pull requests on a workspace of 100
// Rust files: each a branch of one to three commits that edit one to four
// files, merged into main by a merge commit. It returns the repository
// and each pull request's (base, head): the merge's parents.
func syntheticPRs(b *testing.B, n int) (string, [][2]string) {
	r := newTestRepo(b)
	rnd := rand.New(rand.NewPCG(3, 4))
	const nFiles = 100
	paths := make([]string, nFiles)
	bodies := make([][]string, nFiles)
	snap := map[string]file{}
	for i := range paths {
		paths[i] = fmt.Sprintf("crates/c%d/src/f%d.rs", i%10, i)
		bodies[i] = rustFile(rnd, 8)
		snap[paths[i]] = file{content: joinLines(bodies[i], true)}
	}
	tip := r.commit("init\n", nil, snap)
	var ranges [][2]string
	for pr := range n {
		head := tip
		for step := range 1 + rnd.IntN(3) {
			changes := map[string]file{}
			for range 1 + rnd.IntN(4) {
				i := rnd.IntN(nFiles)
				bodies[i] = editRust(rnd, bodies[i])
				changes[paths[i]] = file{content: joinLines(bodies[i], true)}
			}
			snap = with(snap, changes)
			head = r.commit(fmt.Sprintf("pr %d step %d\n", pr, step), []plumbing.Hash{head}, snap)
		}
		ranges = append(ranges, [2]string{tip.String(), head.String()})
		tip = r.commit(fmt.Sprintf("Merge pull request #%d\n", pr), []plumbing.Hash{tip, head}, snap)
	}
	r.setHead(tip)
	return r.dir, ranges
}
