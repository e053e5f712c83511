package github_test

import (
	"context"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	gh "github.com/google/go-github/v66/github"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/github/githubtest"
)

var (
	benchPRs     = flag.Int("gather.prs", 500, "merged PRs in the gather benchmark")
	benchLatency = flag.Duration("gather.latency", 50*time.Millisecond, "fake GitHub latency per request in the gather benchmark")
)

// BenchmarkGather fetches merged PRs from a fake GitHub that takes 50 ms
// per request: the seed script's approach as a baseline (four sequential
// requests per PR), then Gather through REST and through GraphQL, each
// without and with a local clone. It reports requests per PR; ns/op is the wall time. Run it
// with bench/gather.sh (-benchtime 1x: one op is a whole gather).
func BenchmarkGather(b *testing.B) {
	dir := b.TempDir()
	repo, err := githubtest.Generate(githubtest.GenerateOptions{Owner: "acme", Name: "pay", Dir: filepath.Join(dir, "git"), Merged: *benchPRs, Issues: 50})
	require.NoError(b, err)
	srv := githubtest.NewServer(repo)
	defer srv.Close()
	srv.SetLatency(*benchLatency)

	b.Run("baseline-4-sequential", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			srv.ResetCounts()
			prs := seedScript(b, srv.APIURL())
			c := srv.Counts()
			b.ReportMetric(float64(c.Requests)/float64(prs), "requests/PR")
		}
	})
	for _, mode := range []struct {
		name     string
		repoDir  string
		restOnly bool
	}{{"rest-api", "", true}, {"rest-repo-dir", repo.Dir, true}, {"graphql-api", "", false}, {"graphql-repo-dir", repo.Dir, false}} {
		b.Run(mode.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				srv.ResetCounts()
				out, err := os.MkdirTemp(dir, "out-*")
				require.NoError(b, err)
				c, err := github.NewClient(github.ClientOptions{APIURL: srv.APIURL(), CacheDir: filepath.Join(out, github.StateDir, "http-cache")})
				require.NoError(b, err)
				sum, err := github.Gather(context.Background(), c, github.GatherOptions{Owner: "acme", Repo: "pay", OutDir: out, RepoDir: mode.repoDir, RESTOnly: mode.restOnly})
				require.NoError(b, err)
				require.Equal(b, *benchPRs, sum.PRs)
				b.ReportMetric(float64(sum.Requests)/float64(sum.PRs), "requests/PR")
			}
		})
	}
}

// seedScript does what the original script did: list, then per PR the PR,
// its commits, its files and its diff, one request at a time.
func seedScript(b *testing.B, apiURL string) int {
	ctx := context.Background()
	c := gh.NewClient(nil)
	base, err := url.Parse(apiURL)
	require.NoError(b, err)
	c.BaseURL = base
	var all []*gh.PullRequest
	opt := &gh.PullRequestListOptions{State: "closed", ListOptions: gh.ListOptions{PerPage: 100}}
	for {
		page, resp, err := c.PullRequests.List(ctx, "acme", "pay", opt)
		require.NoError(b, err)
		all = append(all, page...)
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	for _, p := range all {
		n := p.GetNumber()
		_, _, err := c.PullRequests.Get(ctx, "acme", "pay", n)
		require.NoError(b, err)
		_, _, err = c.PullRequests.ListCommits(ctx, "acme", "pay", n, nil)
		require.NoError(b, err)
		_, _, err = c.PullRequests.ListFiles(ctx, "acme", "pay", n, nil)
		require.NoError(b, err)
		_, _, err = c.PullRequests.GetRaw(ctx, "acme", "pay", n, gh.RawOptions{Type: gh.Diff})
		require.NoError(b, err)
	}
	return len(all)
}
