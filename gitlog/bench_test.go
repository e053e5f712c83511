package gitlog

import (
	"context"
	"os"
	"strconv"
	"testing"
)

// BenchmarkWalkRepo walks the first-parent history of the repository named by
// GITLOG_BENCH_REPO (GITLOG_BENCH_N commits, default 2000) with the default
// options; bench/gitlog.sh compares it with the git CLI on the same commits.
func BenchmarkWalkRepo(b *testing.B) {
	path := os.Getenv("GITLOG_BENCH_REPO")
	if path == "" {
		b.Skip("set GITLOG_BENCH_REPO to a repository to benchmark")
	}
	n := 2000
	if s := os.Getenv("GITLOG_BENCH_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			b.Fatalf("GITLOG_BENCH_N=%q: %v", s, err)
		}
		n = v
	}
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
