package gitlog

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// benchTarget returns the repository named by GITLOG_BENCH_REPO and the
// number of commits in GITLOG_BENCH_N (default 2000), or skips.
func benchTarget(tb testing.TB) (path string, n int) {
	path = os.Getenv("GITLOG_BENCH_REPO")
	if path == "" {
		tb.Skip("set GITLOG_BENCH_REPO to a repository to measure")
	}
	n = 2000
	if s := os.Getenv("GITLOG_BENCH_N"); s != "" {
		v, err := strconv.Atoi(s)
		require.NoError(tb, err, "GITLOG_BENCH_N")
		n = v
	}
	return path, n
}

// BenchmarkWalkRepo walks the first-parent history of the repository named by
// GITLOG_BENCH_REPO (GITLOG_BENCH_N commits, default 2000) with the default
// options; bench/gitlog.sh compares it with the git CLI on the same commits.
func BenchmarkWalkRepo(b *testing.B) {
	path, n := benchTarget(b)
	renames := os.Getenv("GITLOG_BENCH_RENAMES") == "1"
	for b.Loop() {
		repo, err := Open(context.Background(), path, OpenOptions{})
		if err != nil {
			b.Fatal(err)
		}
		var commits, files, added, deleted, fileErrs int
		for c, err := range repo.Commits(context.Background(), WalkOptions{MaxCommits: n, DetectRenames: renames}) {
			if err != nil {
				b.Fatal(err)
			}
			commits++
			files += len(c.Files)
			added += c.Additions()
			deleted += c.Deletions()
			fileErrs += c.FileErrors()
		}
		if err := repo.Close(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(commits), "commits")
		b.ReportMetric(float64(files), "files")
		b.ReportMetric(float64(added), "added")
		b.ReportMetric(float64(deleted), "deleted")
		b.ReportMetric(float64(fileErrs), "file-errors")
	}
}

// BenchmarkChangedPaths finds the Rust files and manifests each of the
// newest GITLOG_BENCH_N first-parent commits of GITLOG_BENCH_REPO changes
// (0: all), as Beam's shard balancing and the workspace's own walk do:
// trees only, no blob.
func BenchmarkChangedPaths(b *testing.B) {
	path, n := benchTarget(b)
	for b.Loop() {
		repo, err := Open(context.Background(), path, OpenOptions{})
		if err != nil {
			b.Fatal(err)
		}
		commits, paths := 0, 0
		for c, err := range repo.ChangedPaths(context.Background(), WalkOptions{MaxCommits: n, Include: []string{"**/*.rs", "**/Cargo.toml"}}) {
			if err != nil {
				b.Fatal(err)
			}
			commits++
			paths += len(c.Paths)
		}
		if err := repo.Close(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(commits), "commits")
		b.ReportMetric(float64(paths), "paths")
	}
}

// TestRealHistoryTotals compares the walker with `git log --numstat` on the
// newest GITLOG_BENCH_N first-parent commits of GITLOG_BENCH_REPO: the same
// commits and files, and changed-line totals within 0.5%. It is skipped
// unless GITLOG_BENCH_REPO is set.
func TestRealHistoryTotals(t *testing.T) {
	path, n := benchTarget(t)
	var commits, files, added, deleted int
	out := gitCLI(t, path, "log", "--first-parent", "--no-renames", "--numstat", "--format=%H", fmt.Sprintf("HEAD~%d..HEAD", n), "--", "*.rs")
	for line := range strings.Lines(out) {
		f := strings.Split(strings.TrimSpace(line), "\t")
		switch {
		case len(f) == 1 && len(f[0]) == 40:
			commits++
		case len(f) == 3:
			files++
			if f[0] != "-" {
				a, _ := strconv.Atoi(f[0])
				d, _ := strconv.Atoi(f[1])
				added += a
				deleted += d
			}
		}
	}
	repo := openTest(t, path)
	var wCommits, wFiles, wAdded, wDeleted int
	for _, c := range walkAll(t, repo, WalkOptions{MaxCommits: n}) {
		wCommits++
		wFiles += len(c.Files)
		wAdded += c.Additions()
		wDeleted += c.Deletions()
	}
	assert.Equal(t, commits, wCommits, "commits")
	assert.Equal(t, files, wFiles, "files")
	t.Logf("added %d vs git %d (%+.2f%%), deleted %d vs git %d (%+.2f%%)",
		wAdded, added, pct(wAdded, added), wDeleted, deleted, pct(wDeleted, deleted))
	assert.InDelta(t, 0, pct(wAdded+wDeleted, added+deleted), 0.5, "changed lines differ from git log --numstat by more than 0.5%")
}

func pct(got, want int) float64 {
	if want == 0 {
		return 0
	}
	return float64(got-want) * 100 / float64(want)
}
