package gitlog

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// BenchmarkPRDiff times what `gather --repo-dir` does for each pull request
// (the commits of base..head, the merge base, and the full-index patch from
// it to head) with gitlog and with the git CLI, on the merge commits of the
// repository named by SFTFORGE_BENCH_REPO (first parent as base, second as
// head; up to 100 of them; skipped when unset). One op covers every range.
// bench/prdiff.sh runs it and prints the ratio.
func BenchmarkPRDiff(b *testing.B) {
	dir := os.Getenv("SFTFORGE_BENCH_REPO")
	if dir == "" {
		b.Skip("SFTFORGE_BENCH_REPO is not set")
	}
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git is not installed")
	}
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
	for _, line := range strings.Split(strings.TrimSpace(git("rev-list", "--merges", "--parents", "-n", "100", "HEAD")), "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 {
			ranges = append(ranges, [2]string{f[1], f[2]})
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
	b.Run("git-cli", func(b *testing.B) {
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
