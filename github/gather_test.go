package github_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/github/githubtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

const testToken = "ghp_SECRETtoken1234567890abcdefghijklmn"

// fixture is a fake GitHub serving one generated repository.
type fixture struct {
	srv     *githubtest.Server
	repo    *githubtest.Repo
	gitDir  string
	logs    *bytes.Buffer
	logger  *slog.Logger
	options githubtest.GenerateOptions
	// graphQL lets Gather list through GraphQL; the fixtures of the REST
	// path set RESTOnly.
	graphQL bool
}

// generated caches repositories across tests: building a git history
// costs seconds on a loaded machine.
var generated = struct {
	sync.Mutex
	root  string
	repos map[githubtest.GenerateOptions]*githubtest.Repo
}{repos: map[githubtest.GenerateOptions]*githubtest.Repo{}}

func TestMain(m *testing.M) {
	flag.Parse()
	root, err := os.MkdirTemp("", "githubtest-*")
	if err != nil {
		panic(err)
	}
	generated.root = root
	code := m.Run()
	os.RemoveAll(root)
	os.Exit(code)
}

func generate(t testing.TB, opts githubtest.GenerateOptions) *githubtest.Repo {
	t.Helper()
	generated.Lock()
	defer generated.Unlock()
	opts.Dir = filepath.Join(generated.root, fmt.Sprint(len(generated.repos)))
	key := opts
	key.Dir = ""
	if r, ok := generated.repos[key]; ok {
		return r
	}
	repo, err := githubtest.Generate(opts)
	require.NoError(t, err)
	generated.repos[key] = repo
	return repo
}

func newFixture(t testing.TB, opts githubtest.GenerateOptions) *fixture {
	t.Helper()
	if opts.Owner == "" {
		opts.Owner, opts.Name = "acme", "pay"
	}
	repo := generate(t, opts)
	opts.Dir = repo.Dir
	srv := githubtest.NewServer(repo)
	srv.SetToken(testToken)
	t.Cleanup(srv.Close)
	logs := &bytes.Buffer{}
	return &fixture{srv: srv, repo: repo, gitDir: opts.Dir, logs: logs, options: opts,
		logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
}

func (f *fixture) client(t testing.TB, out string) *github.Client {
	t.Helper()
	c, err := github.NewClient(github.ClientOptions{
		Token: testToken, APIURL: f.srv.APIURL(), CacheDir: filepath.Join(out, github.StateDir, "http-cache"),
		RetryBaseDelay: time.Millisecond, RetryMaxDelay: 5 * time.Millisecond, MaxRetries: 3, Logger: f.logger,
	})
	require.NoError(t, err)
	return c
}

func (f *fixture) gather(t testing.TB, out string, mod func(*github.GatherOptions)) (github.Summary, error) {
	t.Helper()
	opts := github.GatherOptions{Owner: f.options.Owner, Repo: f.options.Name, OutDir: out, Logger: f.logger, RESTOnly: !f.graphQL}
	if mod != nil {
		mod(&opts)
	}
	return github.Gather(context.Background(), f.client(t, out), opts)
}

// standard is the repository most tests use: every PR kind, a too-large
// diff, a PR with more than 100 commits, comments.
var standard = githubtest.GenerateOptions{Merged: 10, Unmerged: 2, Open: 1, Issues: 8, LargePR: true, LongPR: true}

// pullByNumber indexes the fake's pull requests.
func pullByNumber(repo *githubtest.Repo) map[int]*githubtest.Pull {
	m := map[int]*githubtest.Pull{}
	for _, p := range repo.Pulls {
		m[p.Number] = p
	}
	return m
}

func TestGatherFetchesEverything(t *testing.T) {
	f := newFixture(t, standard)
	out := t.TempDir()
	sum, err := f.gather(t, out, func(o *github.GatherOptions) { o.Comments = true })
	require.NoError(t, err)

	prs, err := github.ReadPRs(filepath.Join(out, github.PRsFile))
	require.NoError(t, err)
	require.Len(t, prs, 10, "merged PRs only")
	pulls := pullByNumber(f.repo)
	for i, pr := range prs {
		p := pulls[pr.Number]
		require.NotNil(t, p)
		if i > 0 {
			assert.False(t, pr.UpdatedAt.After(prs[i-1].UpdatedAt), "newest first")
		}
		assert.True(t, pr.Merged)
		assert.Equal(t, p.MergeCommitSHA, pr.MergeCommitSHA)
		assert.Equal(t, p.BaseSHA, pr.BaseSHA)
		assert.Equal(t, p.HeadSHA, pr.HeadSHA)
		assert.Equal(t, p.Title, pr.Title)
		require.Len(t, pr.Commits, len(p.Commits), "PR #%d commits (paged)", pr.Number)
		for j, c := range p.Commits {
			assert.Equal(t, github.PRCommit{SHA: c.SHA, Message: c.Message}, pr.Commits[j])
		}
		require.Len(t, pr.Files, len(p.Files), "PR #%d files", pr.Number)
		for j, fl := range p.Files {
			assert.Equal(t, change.File{Path: fl.Path, OldPath: fl.PreviousPath, Status: github.FileStatus(fl.Status), Additions: fl.Additions, Deletions: fl.Deletions}, pr.Files[j])
		}
		if len(p.Files) > 300 {
			assert.Equal(t, "files", pr.PatchSource, "406 too_large falls back to the files")
			files, err := github.ParseDiffFiles(pr.Patch)
			require.NoError(t, err)
			assert.Equal(t, pr.Files, files, "the joined patch parses back to the same files")
		} else {
			assert.Equal(t, "diff", pr.PatchSource)
			assert.Equal(t, p.Diff, pr.Patch)
		}
	}
	issues, err := github.ReadIssues(filepath.Join(out, github.IssuesFile))
	require.NoError(t, err)
	require.Len(t, issues, 8, "pull requests are not issues")
	for _, is := range issues {
		if is.Number%3 == 0 {
			require.Len(t, is.Comments, 2, "issue #%d", is.Number)
			assert.Equal(t, "I can reproduce this.", is.Comments[0].Body)
		} else {
			assert.Empty(t, is.Comments)
		}
	}
	assert.Equal(t, 10, sum.PRs)
	assert.Equal(t, 10, sum.Merged)
	assert.Equal(t, 8, sum.Issues)
	assert.Positive(t, sum.WithLinkedIssues)

	var onDisk github.Summary
	b, err := os.ReadFile(filepath.Join(out, github.SummaryFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &onDisk))
	assert.Equal(t, sum.PRs, onDisk.PRs)
	assert.Equal(t, sum.Requests, onDisk.Requests)
	assert.Equal(t, int64(f.srv.Counts().Requests), sum.Requests)

	checkGolden(t, "gather_links.golden", linksView(prs))
	assertNoToken(t, out, f.logs)
}

// linksView renders what the link parser made of each PR.
func linksView(prs []github.PR) []byte {
	var b bytes.Buffer
	for _, pr := range prs {
		fmt.Fprintf(&b, "#%d linked_issues=%v linked_refs=%v mentions=%v commits=%d files=%d patch=%s labels=%v\n",
			pr.Number, pr.LinkedIssues, pr.LinkedRefs, pr.Mentions, len(pr.Commits), len(pr.Files), pr.PatchSource, pr.Labels)
	}
	return b.Bytes()
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), string(got))
}

// assertNoToken checks that the token is nowhere in the output directory
// (cache included) nor in the logs.
func assertNoToken(t *testing.T, out string, logs *bytes.Buffer) {
	t.Helper()
	assert.NotContains(t, logs.String(), testToken)
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		assert.NotContains(t, string(b), testToken, path)
		return nil
	})
	require.NoError(t, err)
}

func TestGatherRequestsPerPR(t *testing.T) {
	f := newFixture(t, githubtest.GenerateOptions{Merged: 20, Issues: 5})
	out := t.TempDir()
	sum, err := f.gather(t, out, nil)
	require.NoError(t, err)
	// one list page, 2 per PR (commits, diff), one issues page
	assert.Equal(t, int64(1+2*20+1), sum.Requests)
	assert.LessOrEqual(t, float64(sum.Requests)/float64(sum.PRs), 2.1)
}

// TestGatherRequestsPerPRByMode measures what each mode costs on a
// repository of 100 squash-merged PRs (the figures of the README's table):
// go test ./github/ -run TestGatherRequestsPerPRByMode -v prints them.
func TestGatherRequestsPerPRByMode(t *testing.T) {
	opts := githubtest.GenerateOptions{Merged: 100, Issues: 20}
	f := newFixture(t, opts)
	plain := opts
	plain.Owner, plain.Name, plain.OmitPRCommits = "acme", "pay", true
	clone := generate(t, plain)
	tests := []struct {
		name    string
		graphQL bool
		repoDir string
		max     float64
	}{
		{"REST, no clone", false, "", 2.05},
		{"REST, clone with refs/pull", false, f.gitDir, 0.05},
		{"REST, plain clone (squash messages)", false, clone.Dir, 0.05},
		{"GraphQL, no clone", true, "", 1.1},
		{"GraphQL, clone with refs/pull", true, f.gitDir, 0.05},
		{"GraphQL, plain clone", true, clone.Dir, 0.05},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, err := f.gather(t, t.TempDir(), func(o *github.GatherOptions) { o.RepoDir, o.RESTOnly = tt.repoDir, !tt.graphQL })
			require.NoError(t, err)
			perPR := float64(sum.Requests) / float64(sum.PRs)
			t.Logf("%s: %d requests for %d merged PRs: %.3f per PR", tt.name, sum.Requests, sum.PRs, perPR)
			assert.LessOrEqual(t, perPR, tt.max)
		})
	}
}

// gatherAPIAndLocal gathers once through the API and once with the clone
// in repoDir, and returns both PR lists, the summary of the local run and
// what the fake served to it.
func gatherAPIAndLocal(t *testing.T, f *fixture, repoDir string) (api, local []github.PR, sum github.Summary, served githubtest.Counts) {
	t.Helper()
	apiOut, localOut := t.TempDir(), t.TempDir()
	_, err := f.gather(t, apiOut, nil)
	require.NoError(t, err)
	f.srv.ResetCounts()
	sum, err = f.gather(t, localOut, func(o *github.GatherOptions) { o.RepoDir = repoDir })
	require.NoError(t, err)
	api, err = github.ReadPRs(filepath.Join(apiOut, github.PRsFile))
	require.NoError(t, err)
	local, err = github.ReadPRs(filepath.Join(localOut, github.PRsFile))
	require.NoError(t, err)
	require.Len(t, local, len(api))
	for i := range api {
		want := api[i].Commits
		if local[i].PatchSource == "local-squash" {
			// A squash message names no commit but the head.
			want = append([]github.PRCommit(nil), want...)
			for j := range len(want) - 1 {
				want[j].SHA = ""
			}
		}
		assert.Equal(t, want, local[i].Commits, "PR #%d", api[i].Number)
		assert.Equal(t, api[i].Files, local[i].Files, "PR #%d", api[i].Number)
		if api[i].PatchSource == "diff" {
			assert.Equal(t, api[i].Patch, local[i].Patch, "PR #%d", api[i].Number)
		}
		assert.Equal(t, api[i].LinkedRefs, local[i].LinkedRefs)
	}
	return api, local, sum, f.srv.Counts()
}

func TestGatherLocalClone(t *testing.T) {
	f := newFixture(t, standard)
	_, local, sum, c := gatherAPIAndLocal(t, f, f.gitDir)
	for _, pr := range local {
		assert.Equal(t, "local", pr.PatchSource)
	}
	assert.Zero(t, c.ByRoute["diff"]+c.ByRoute["commits"]+c.ByRoute["files"], "no per-PR request with a local clone")
	assert.Equal(t, len(local), sum.PRsLocal)
}

func TestGatherLocalCloneMissingCommitsFallsBack(t *testing.T) {
	f := newFixture(t, githubtest.GenerateOptions{Merged: 3})
	other := t.TempDir()
	_, err := githubtest.Generate(githubtest.GenerateOptions{Owner: "x", Name: "y", Dir: other})
	require.NoError(t, err)
	out := t.TempDir()
	sum, err := f.gather(t, out, func(o *github.GatherOptions) { o.RepoDir = other })
	require.NoError(t, err)
	assert.Equal(t, 0, sum.PRsLocal)
	assert.Equal(t, 3, f.srv.Counts().ByRoute["diff"])
}

// TestGatherLocalCloneWithoutPullRefs gathers with a plain clone of a
// squash-merging repository (no refs/pull/*): the patch comes from the
// squash commit and, when its message is GitHub's default one, the commit
// messages too.
func TestGatherLocalCloneWithoutPullRefs(t *testing.T) {
	tests := []struct {
		squash      string
		wantSource  string
		wantCommits int // commit-list requests
	}{
		{"", "local-squash", 0},
		{"edited", "local-merge", 5},
	}
	for _, tt := range tests {
		t.Run(tt.wantSource, func(t *testing.T) {
			f := newFixture(t, githubtest.GenerateOptions{Merged: 5, Issues: 2, SquashMessage: tt.squash})
			clone := generate(t, githubtest.GenerateOptions{Owner: "acme", Name: "pay", Merged: 5, Issues: 2, OmitPRCommits: true, SquashMessage: tt.squash})
			_, local, sum, c := gatherAPIAndLocal(t, f, clone.Dir)
			for _, pr := range local {
				assert.Equal(t, tt.wantSource, pr.PatchSource, "the squash commit's patch is the PR diff")
			}
			assert.Equal(t, tt.wantCommits, c.ByRoute["commits"])
			assert.Zero(t, c.ByRoute["diff"])
			assert.Equal(t, 5, sum.PRsLocal)
		})
	}
}

func TestGatherStateSinceMax(t *testing.T) {
	f := newFixture(t, githubtest.GenerateOptions{Merged: 6, Unmerged: 2, Open: 2})
	tests := []struct {
		name string
		mod  func(*github.GatherOptions)
		want int
	}{
		{"merged", nil, 6},
		{"closed", func(o *github.GatherOptions) { o.State = "closed" }, 8},
		{"all", func(o *github.GatherOptions) { o.State = "all" }, 10},
		{"max", func(o *github.GatherOptions) { o.MaxPRs = 4 }, 4},
		{"since", func(o *github.GatherOptions) { o.Since = githubtest.Start.Add(3 * time.Hour) }, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, err := f.gather(t, t.TempDir(), tt.mod)
			require.NoError(t, err)
			assert.Equal(t, tt.want, sum.PRs)
		})
	}
}

// TestGatherRefresh re-runs Gather over a finished output, through REST
// and through GraphQL: an identical run costs two requests for 100 PRs and
// leaves the files byte for byte; edited PRs and issues replace their lines,
// new ones are added, nothing is duplicated; a refresh that fails leaves
// the output untouched.
func TestGatherRefresh(t *testing.T) {
	for _, graphQL := range []bool{false, true} {
		t.Run(map[bool]string{false: "rest", true: "graphql"}[graphQL], func(t *testing.T) {
			t.Parallel()
			repo, err := githubtest.Generate(githubtest.GenerateOptions{Owner: "acme", Name: "pay", Dir: filepath.Join(t.TempDir(), "git"), Merged: 100, Unmerged: 2, Issues: 10})
			require.NoError(t, err)
			srv := githubtest.NewServer(repo)
			srv.SetToken(testToken)
			defer srv.Close()
			logs := &bytes.Buffer{}
			f := &fixture{srv: srv, repo: repo, gitDir: repo.Dir, logs: logs, options: githubtest.GenerateOptions{Owner: "acme", Name: "pay"},
				logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), graphQL: graphQL}
			out := t.TempDir()
			withComments := func(o *github.GatherOptions) { o.Comments = true }
			_, err = f.gather(t, out, withComments)
			require.NoError(t, err)
			read := func(name string) string {
				b, err := os.ReadFile(filepath.Join(out, name))
				require.NoError(t, err)
				return string(b)
			}
			prs0, issues0 := read(github.PRsFile), read(github.IssuesFile)

			// An identical second run.
			srv.ResetCounts()
			sum, err := f.gather(t, out, withComments)
			require.NoError(t, err)
			c := srv.Counts()
			t.Logf("identical refresh: %d requests for %d merged PRs (%.3f per PR)", c.Requests, sum.Merged, float64(c.Requests)/float64(sum.Merged))
			assert.LessOrEqual(t, float64(c.Requests)/float64(sum.Merged), 0.02)
			assert.Equal(t, prs0, read(github.PRsFile))
			assert.Equal(t, issues0, read(github.IssuesFile))
			assert.Equal(t, 100, sum.PRs)

			// Edits on GitHub.
			later := githubtest.Start.Add(1000 * time.Hour)
			pulls := pullByNumber(repo)
			edited := pulls[50]
			edited.Title, edited.Updated = "edited title", later
			added := *pulls[60]
			added.Number, added.Title, added.Updated = 500, "a new PR", later.Add(time.Minute)
			added.ClosingIssues = nil
			repo.Pulls = append(repo.Pulls, &added)
			repo.Issues[2].Title, repo.Issues[2].Updated = "edited issue", later
			repo.Comments = append(repo.Comments, &githubtest.Comment{Issue: 3, Author: "late", Body: "still broken", Created: later})
			repo.Issues = append(repo.Issues, &githubtest.Issue{Number: 499, Title: "a new issue", State: "open", Author: "x", Labels: []string{}, Created: later, Updated: later})

			_, err = f.gather(t, out, withComments)
			require.NoError(t, err)
			prs, err := github.ReadPRs(filepath.Join(out, github.PRsFile))
			require.NoError(t, err)
			require.Len(t, prs, 101)
			assert.Equal(t, 500, prs[0].Number, "a new PR goes first")
			seen := map[int]bool{}
			for i, pr := range prs {
				assert.False(t, seen[pr.Number], "PR #%d twice", pr.Number)
				seen[pr.Number] = true
				if pr.Number == 50 {
					assert.Equal(t, "edited title", pr.Title)
					assert.Equal(t, strings.Split(prs0, "\n")[i-1][:12], `{"number":50`, "edited in place")
				}
			}
			issues, err := github.ReadIssues(filepath.Join(out, github.IssuesFile))
			require.NoError(t, err)
			require.Len(t, issues, 11)
			assert.Equal(t, "edited issue", issues[2].Title, "edited in place")
			assert.Equal(t, 499, issues[10].Number, "a new issue goes last")
			require.Len(t, issues[2].Comments, 3)
			assert.Equal(t, "still broken", issues[2].Comments[2].Body)
			var onDisk github.Summary
			b, err := os.ReadFile(filepath.Join(out, github.SummaryFile))
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(b, &onDisk))
			assert.Equal(t, 101, onDisk.PRs)
			assert.Equal(t, 11, onDisk.Issues)

			// A refresh that fails leaves everything as it was.
			prs1, issues1 := read(github.PRsFile), read(github.IssuesFile)
			pulls[40].Title, pulls[40].Updated = "edited again", later.Add(time.Hour)
			srv.Inject(githubtest.Fault{Kind: githubtest.Fault500, Times: 1000})
			_, err = f.gather(t, out, withComments)
			require.Error(t, err)
			assert.Equal(t, prs1, read(github.PRsFile))
			assert.Equal(t, issues1, read(github.IssuesFile))
			assertNoToken(t, out, logs)
		})
	}
}

// TestGatherSurvivesFaults injects each failure GitHub produces and checks
// that the run still produces the same records.
func TestGatherSurvivesFaults(t *testing.T) {
	base := newFixture(t, githubtest.GenerateOptions{Merged: 4, Issues: 2})
	wantPRs := map[bool]string{}
	for _, graphQL := range []bool{false, true} {
		want := t.TempDir()
		base.graphQL = graphQL
		_, err := base.gather(t, want, nil)
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(want, github.PRsFile))
		require.NoError(t, err)
		wantPRs[graphQL] = string(b)
	}

	tests := []struct {
		graphQL             bool
		fault               githubtest.Fault
		wantRetry, wantWait bool
	}{
		{false, githubtest.Fault{Kind: githubtest.Fault500, Match: "/commits", Times: 2}, true, false},
		{false, githubtest.Fault{Kind: githubtest.Fault502, Match: "/pulls", Times: 1}, true, false},
		{false, githubtest.Fault{Kind: githubtest.FaultReset, Match: "/pulls/", Times: 2}, true, false},
		{false, githubtest.Fault{Kind: githubtest.FaultTruncate, Match: "/pulls", Times: 1}, true, false},
		{false, githubtest.Fault{Kind: githubtest.FaultPrimary403, Match: "/commits", Times: 1}, false, true},
		{false, githubtest.Fault{Kind: githubtest.FaultPrimary429, Match: "/issues", Times: 1}, false, true},
		{false, githubtest.Fault{Kind: githubtest.FaultSecondary403, Match: "/pulls/", Times: 1}, false, true},
		{false, githubtest.Fault{Kind: githubtest.FaultSecondary429, Match: "/issues", Times: 1}, false, true},
		{true, githubtest.Fault{Kind: githubtest.Fault500, Match: "/graphql", Times: 2}, true, false},
		{true, githubtest.Fault{Kind: githubtest.Fault502, Match: "/graphql", Times: 1}, true, false},
		{true, githubtest.Fault{Kind: githubtest.FaultReset, Match: "/graphql", Times: 2}, true, false},
		{true, githubtest.Fault{Kind: githubtest.FaultTruncate, Match: "/graphql", Times: 1}, true, false},
		{true, githubtest.Fault{Kind: githubtest.FaultPrimary403, Match: "/graphql", Times: 1}, false, true},
		{true, githubtest.Fault{Kind: githubtest.FaultPrimary429, Match: "/graphql", Times: 1}, false, true},
		{true, githubtest.Fault{Kind: githubtest.FaultSecondary403, Match: "/graphql", Times: 1}, false, true},
		{true, githubtest.Fault{Kind: githubtest.FaultSecondary429, Match: "/graphql", Times: 2}, false, true},
		{true, githubtest.Fault{Kind: githubtest.FaultGraphQLRateLimited, Match: "/graphql", Times: 1}, false, true},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("rest/kind%d", tt.fault.Kind)
		if tt.graphQL {
			name = fmt.Sprintf("graphql/kind%d", tt.fault.Kind)
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if testing.Short() && tt.wantWait {
				t.Skip("rate-limit waits take a second or two")
			}
			f := newFixture(t, githubtest.GenerateOptions{Merged: 4, Issues: 2})
			f.graphQL = tt.graphQL
			f.srv.Inject(tt.fault)
			out := t.TempDir()
			sum, err := f.gather(t, out, nil)
			require.NoError(t, err)
			got, err := os.ReadFile(filepath.Join(out, github.PRsFile))
			require.NoError(t, err)
			assert.Equal(t, wantPRs[tt.graphQL], string(got))
			if tt.wantRetry {
				assert.Positive(t, sum.Retries)
			}
			if tt.wantWait {
				assert.Positive(t, sum.RateLimitWaits)
			}
			if tt.graphQL {
				assert.NotContains(t, f.logs.String(), "no GraphQL", "a fault is no reason to leave GraphQL")
			}
			assertNoToken(t, out, f.logs)
		})
	}
}

func TestGatherPrimaryLimitOfServer(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("waits for a rate-limit window")
	}
	for _, graphQL := range []bool{false, true} {
		f := newFixture(t, githubtest.GenerateOptions{Merged: 4})
		f.graphQL = graphQL
		f.srv.SetRateLimit(3, time.Second)
		out := t.TempDir()
		sum, err := f.gather(t, out, nil)
		require.NoError(t, err)
		assert.Equal(t, 4, sum.PRs)
		assert.Positive(t, sum.RateLimitWaits, "graphql=%t", graphQL)
	}
}

// TestGatherPrimaryLimitsWithOneSlot checks that a primary-limit answer
// gives its request slot back: with one slot, a leak would hang the run.
func TestGatherPrimaryLimitsWithOneSlot(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("waits for two rate-limit resets")
	}
	f := newFixture(t, githubtest.GenerateOptions{Merged: 2})
	f.srv.Inject(githubtest.Fault{Kind: githubtest.FaultPrimary403, Match: "/commits", Times: 2})
	out := t.TempDir()
	c, err := github.NewClient(github.ClientOptions{Token: testToken, APIURL: f.srv.APIURL(), MaxInFlight: 1, Logger: f.logger})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sum, err := github.Gather(ctx, c, github.GatherOptions{Owner: "acme", Repo: "pay", OutDir: out, Concurrency: 1, Logger: f.logger, RESTOnly: true})
	require.NoError(t, err)
	assert.Equal(t, int64(2), sum.RateLimitWaits)
}

// TestGatherErrors runs a failing gather into a completed output: the error
// names the cause, no token shows, and prs.jsonl, issues.jsonl and
// summary.json stay byte-identical.
func TestGatherErrors(t *testing.T) {
	f := newFixture(t, githubtest.GenerateOptions{Merged: 3})
	down := githubtest.NewServer()
	downURL := down.APIURL()
	down.Close()

	tests := []struct {
		name    string
		client  github.ClientOptions
		mod     func(*github.GatherOptions)
		fault   *githubtest.Fault
		wantIs  error
		wantMsg string
	}{
		{name: "bad token", client: github.ClientOptions{Token: testToken + "x"}, wantIs: github.ErrUnauthorized, wantMsg: "401"},
		{name: "no token", client: github.ClientOptions{Token: ""}, wantIs: github.ErrUnauthorized, wantMsg: "bad credentials"},
		{name: "unknown repository", mod: func(o *github.GatherOptions) { o.Repo = "nope" }, wantIs: github.ErrNotFound, wantMsg: "list pull requests of acme/nope"},
		{name: "network down", client: github.ClientOptions{APIURL: downURL}, wantMsg: "giving up after 2 attempts"},
		{name: "bad state", mod: func(o *github.GatherOptions) { o.State = "weird" }, wantMsg: `bad state "weird"`},
		{name: "bad repo", mod: func(o *github.GatherOptions) { o.Owner = "a/b" }, wantMsg: `owner "a/b": character '/' not allowed`},
		// Last: the fault stays on the server.
		// A rebuild: a refresh of an unchanged repository lists no commits.
		{name: "5xx forever", mod: func(o *github.GatherOptions) { o.Rebuild = true },
			fault: &githubtest.Fault{Kind: githubtest.Fault500, Match: "/commits", Times: 100}, wantMsg: "list commits (page 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			_, err := f.gather(t, out, nil)
			require.NoError(t, err)
			before := outputFiles(t, out)
			if tt.fault != nil {
				f.srv.Inject(*tt.fault)
			}
			co := tt.client
			if co.Token == "" && tt.name != "no token" {
				co.Token = testToken
			}
			if co.APIURL == "" {
				co.APIURL = f.srv.APIURL()
			}
			co.MaxRetries, co.RetryBaseDelay, co.RetryMaxDelay, co.Logger = 1, time.Millisecond, time.Millisecond, f.logger
			c, err := github.NewClient(co)
			require.NoError(t, err)
			opts := github.GatherOptions{Owner: "acme", Repo: "pay", OutDir: out, Logger: f.logger, RESTOnly: true}
			if tt.mod != nil {
				tt.mod(&opts)
			}
			_, err = github.Gather(context.Background(), c, opts)
			require.Error(t, err)
			if tt.wantIs != nil {
				assert.ErrorIs(t, err, tt.wantIs)
			}
			assert.Contains(t, err.Error(), tt.wantMsg)
			assert.NotContains(t, err.Error(), testToken)
			assert.NotContains(t, err.Error(), testToken+"x")
			assertNoToken(t, out, f.logs)
			assert.NotContains(t, f.logs.String(), testToken+"x")
			assert.Equal(t, before, outputFiles(t, out), "the completed output is untouched")

			if tt.mod != nil || tt.fault != nil {
				return
			}
			// The next good run completes the refresh.
			_, err = f.gather(t, out, nil)
			require.NoError(t, err)
			after := outputFiles(t, out)
			assert.Equal(t, before[github.PRsFile], after[github.PRsFile])
		})
	}
}

// outputFiles reads the three output files of a gather directory.
func outputFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, name := range []string{github.PRsFile, github.IssuesFile, github.SummaryFile} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err, name)
		m[name] = string(b)
	}
	return m
}

func TestNewClientBadURL(t *testing.T) {
	_, err := github.NewClient(github.ClientOptions{APIURL: "::nope"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "bad API URL")
}

func TestGatherTokenOnlyInAuthorizationHeader(t *testing.T) {
	f := newFixture(t, githubtest.GenerateOptions{Merged: 2})
	_, err := f.gather(t, t.TempDir(), nil)
	require.NoError(t, err)
	for _, h := range f.srv.AuthHeaders() {
		assert.Equal(t, "Bearer "+testToken, h)
	}
}

// TestGatherResumesAfterCancel stops runs at random points (a cancelled
// context, as close to a kill as an in-process test gets; the gather
// example's tests kill a real process) and checks that resuming gives the
// same output as one uninterrupted run.
func TestGatherResumesAfterCancel(t *testing.T) {
	f := newFixture(t, githubtest.GenerateOptions{Merged: 12, Issues: 5, LongPR: true})
	for _, path := range []string{"rest", "graphql"} {
		rest := path == "rest"
		want := t.TempDir()
		_, err := f.gather(t, want, func(o *github.GatherOptions) { o.Comments, o.RESTOnly = true, rest })
		require.NoError(t, err)
		for _, stopAfter := range []int{1, 3, 7, 12, 20, 26} {
			t.Run(fmt.Sprintf("%s/%d", path, stopAfter), func(t *testing.T) {
				t.Parallel()
				resumeAfterCancel(t, f, want, stopAfter, rest)
			})
		}
	}
}

// resumeAfterCancel cancels a run after stopAfter progress calls, resumes
// it and compares the output with want.
func resumeAfterCancel(t *testing.T, f *fixture, want string, stopAfter int, rest bool) {
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	opts := github.GatherOptions{Owner: "acme", Repo: "pay", OutDir: out, Logger: f.logger, Comments: true, RESTOnly: rest,
		Progress: func(github.Progress) {
			calls++
			if calls == stopAfter {
				cancel()
			}
		}}
	_, err := github.Gather(ctx, f.client(t, out), opts)
	cancel()
	if err == nil {
		t.Logf("finished before the stop")
	}
	// A killed writer may leave half a line behind (in the run's files
	// under .gather/run, or in the output if it had finished).
	path := filepath.Join(out, github.StateDir, "run", github.PRsFile)
	if _, err := os.Stat(path); err != nil {
		path = filepath.Join(out, github.PRsFile)
	}
	pf, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = pf.WriteString(`{"number":99,"tit`)
	require.NoError(t, err)
	require.NoError(t, pf.Close())

	opts.Progress = nil
	_, err = github.Gather(context.Background(), f.client(t, out), opts)
	require.NoError(t, err)
	for _, name := range []string{github.PRsFile, github.IssuesFile} {
		w, err := os.ReadFile(filepath.Join(want, name))
		require.NoError(t, err)
		g, err := os.ReadFile(filepath.Join(out, name))
		require.NoError(t, err)
		assert.Equal(t, string(w), string(g), name)
	}
}

func TestGatherRefusesOtherArguments(t *testing.T) {
	f := newFixture(t, githubtest.GenerateOptions{Merged: 4})
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	opts := github.GatherOptions{Owner: "acme", Repo: "pay", OutDir: out, Logger: f.logger, Progress: func(p github.Progress) {
		if p.Phase == "prs" {
			cancel()
		}
	}}
	_, err := github.Gather(ctx, f.client(t, out), opts)
	require.Error(t, err)
	_, err = f.gather(t, out, func(o *github.GatherOptions) { o.MaxPRs = 2 })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unfinished run with other arguments")
}

func TestReadPRsErrorsNameFileAndLine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "prs.jsonl")
	require.NoError(t, os.WriteFile(path, []byte("{\"number\":1}\n{bad\n"), 0o644))
	_, err := github.ReadPRs(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path+":2:")

	require.NoError(t, os.WriteFile(path, []byte("{\"number\":1}\n{\"number\":2"), 0o644))
	_, err = github.ReadPRs(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path+":2: truncated record")

	_, err = github.ReadIssues(filepath.Join(dir, "missing.jsonl"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing.jsonl")
}

func TestRecordsHaveListsNotNull(t *testing.T) {
	f := newFixture(t, githubtest.GenerateOptions{Merged: 2, Issues: 2})
	out := t.TempDir()
	_, err := f.gather(t, out, nil)
	require.NoError(t, err)
	for _, name := range []string{github.PRsFile, github.IssuesFile} {
		b, err := os.ReadFile(filepath.Join(out, name))
		require.NoError(t, err)
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var m map[string]any
			require.NoError(t, json.Unmarshal([]byte(line), &m))
			for k, v := range m {
				if k == "merged_at" || k == "closed_at" {
					continue
				}
				assert.NotNil(t, v, "%s: %s", name, k)
			}
		}
	}
}

// dirDigest maps every file under dir to its contents, to check that a
// directory was not written.
func dirDigest(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		m[path] = string(b)
		return err
	})
	require.NoError(t, err)
	return m
}

// TestGatherFetchesPullHeads gives Gather a plain clone whose origin (a
// file:// URL) has the PR heads: they are fetched over git into a cache
// that borrows the clone's objects (the clone untouched), or into the clone
// when asked, and every PR is then complete from git alone.
func TestGatherFetchesPullHeads(t *testing.T) {
	f := newFixture(t, githubtest.GenerateOptions{Merged: 5, Issues: 2})
	tests := []struct {
		mode       string
		origin     string
		wantSource string
	}{
		{github.PullHeadsCache, "file://" + filepath.ToSlash(f.gitDir), "local"},
		{github.PullHeadsClone, "file://" + filepath.ToSlash(f.gitDir), "local"},
		{github.PullHeadsOff, "file://" + filepath.ToSlash(f.gitDir), "local-squash"},
		{"unreachable", "file://" + filepath.ToSlash(filepath.Join(t.TempDir(), "nope")), "local-squash"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			clone, err := githubtest.Generate(githubtest.GenerateOptions{Owner: "acme", Name: "pay", Dir: filepath.Join(t.TempDir(), "clone"),
				Merged: 5, Issues: 2, OmitPRCommits: true, Origin: tt.origin})
			require.NoError(t, err)
			before := dirDigest(t, clone.Dir)
			mode := tt.mode
			if mode == "unreachable" {
				mode = ""
			}
			f.srv.ResetCounts()
			out := t.TempDir()
			sum, err := f.gather(t, out, func(o *github.GatherOptions) { o.RepoDir, o.PullHeads = clone.Dir, mode })
			require.NoError(t, err)
			prs, err := github.ReadPRs(filepath.Join(out, github.PRsFile))
			require.NoError(t, err)
			pulls := pullByNumber(f.repo)
			for _, pr := range prs {
				assert.Equal(t, tt.wantSource, pr.PatchSource, "PR #%d", pr.Number)
				if tt.wantSource == "local" {
					var want []github.PRCommit
					for _, c := range pulls[pr.Number].Commits {
						want = append(want, github.PRCommit{SHA: c.SHA, Message: c.Message})
					}
					assert.Equal(t, want, pr.Commits, "PR #%d", pr.Number)
				}
			}
			c := f.srv.Counts()
			assert.Zero(t, c.ByRoute["commits"]+c.ByRoute["diff"])
			assert.Equal(t, 5, sum.PRsLocal)
			if tt.mode == github.PullHeadsCache {
				// Only the PR branches' own objects are fetched: the
				// clone's branches are what the fetch says it has.
				fetched := packObjects(t, filepath.Join(out, github.StateDir, "pull-heads.git", "objects"))
				all, inClone := packObjects(t, filepath.Join(f.gitDir, ".git", "objects")), packObjects(t, filepath.Join(clone.Dir, ".git", "objects"))
				t.Logf("fetched %d objects; the clone has %d, the origin %d", fetched, inClone, all)
				// Without the haves the pack would hold nearly all of the
				// origin's history (70 of its 80 objects).
				assert.Less(t, fetched, all-inClone/2)
			}
			if tt.mode == github.PullHeadsClone {
				assert.NotEqual(t, before, dirDigest(t, clone.Dir), "fetched into the clone")
				assert.FileExists(t, filepath.Join(clone.Dir, ".git", "refs", "pull", fmt.Sprint(prs[0].Number), "head"))
			} else {
				assert.Equal(t, before, dirDigest(t, clone.Dir), "the clone is never written")
			}
			if t.Failed() {
				t.Log(f.logs.String())
			}
			if tt.mode == "unreachable" {
				assert.Contains(t, f.logs.String(), "cannot fetch the PR heads")
			}
		})
	}
}

// TestGatherGraphQLMatchesREST gathers the standard repository through
// GraphQL, through REST, and through GraphQL on a server without it (the
// fallback): the records agree but for the links only GitHub knows, which
// GraphQL adds with source "github"; the fallback's output is REST's byte
// for byte.
func TestGatherGraphQLMatchesREST(t *testing.T) {
	f := newFixture(t, standard)
	restOut, gqlOut, fallbackOut := t.TempDir(), t.TempDir(), t.TempDir()
	_, err := f.gather(t, restOut, func(o *github.GatherOptions) { o.Comments = true })
	require.NoError(t, err)
	f.graphQL = true
	f.srv.ResetCounts()
	_, err = f.gather(t, gqlOut, func(o *github.GatherOptions) { o.Comments = true })
	require.NoError(t, err)
	c := f.srv.Counts()
	assert.Equal(t, 2, c.ByRoute["commits"], "only the PR of 101 commits lists them through REST (two pages)")
	assert.Zero(t, c.ByRoute["pulls"]+c.ByRoute["issues"])
	f.srv.SetGraphQL(false)
	defer f.srv.SetGraphQL(true)
	_, err = f.gather(t, fallbackOut, func(o *github.GatherOptions) { o.Comments = true })
	require.NoError(t, err)
	assert.Contains(t, f.logs.String(), "no GraphQL, listing through REST")
	for dir, want := range map[string]string{restOut: "rest", gqlOut: "graphql", fallbackOut: "rest"} {
		var sum github.Summary
		b, err := os.ReadFile(filepath.Join(dir, github.SummaryFile))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &sum))
		assert.Equal(t, want, sum.API)
	}

	for _, name := range []string{github.PRsFile, github.IssuesFile} {
		rest, err := os.ReadFile(filepath.Join(restOut, name))
		require.NoError(t, err)
		fallback, err := os.ReadFile(filepath.Join(fallbackOut, name))
		require.NoError(t, err)
		assert.Equal(t, string(rest), string(fallback), name)
	}
	rest, err := github.ReadPRs(filepath.Join(restOut, github.PRsFile))
	require.NoError(t, err)
	gql, err := github.ReadPRs(filepath.Join(gqlOut, github.PRsFile))
	require.NoError(t, err)
	require.Equal(t, len(rest), len(gql))
	pulls := pullByNumber(f.repo)
	sidebar := 0
	for i := range rest {
		r, g := rest[i], gql[i]
		var githubRefs []int
		var textRefs []github.IssueRef
		for _, ref := range g.LinkedRefs {
			if ref.Source == github.SourceGitHub {
				githubRefs = append(githubRefs, ref.Number)
			}
		}
		assert.Equal(t, pulls[g.Number].ClosingIssues, githubRefs, "PR #%d: GitHub's closing references", g.Number)
		for _, ref := range r.LinkedRefs {
			assert.Equal(t, github.SourceText, ref.Source)
			found := false
			for _, gr := range g.LinkedRefs {
				found = found || (gr.Owner == ref.Owner && gr.Repo == ref.Repo && gr.Number == ref.Number)
			}
			assert.True(t, found, "PR #%d: %v found in the text is kept", g.Number, ref)
		}
		for _, ref := range g.LinkedRefs {
			if ref.Source == github.SourceText {
				textRefs = append(textRefs, ref)
			}
		}
		if len(g.LinkedRefs) > len(r.LinkedRefs) {
			sidebar++
		}
		r.LinkedRefs, g.LinkedRefs, r.LinkedIssues, g.LinkedIssues, r.Mentions, g.Mentions = nil, nil, nil, nil, nil, nil
		assert.Equal(t, r, g, "PR #%d", g.Number)
	}
	assert.Positive(t, sidebar, "some links only GitHub knows")
	restIssues, err := os.ReadFile(filepath.Join(restOut, github.IssuesFile))
	require.NoError(t, err)
	gqlIssues, err := os.ReadFile(filepath.Join(gqlOut, github.IssuesFile))
	require.NoError(t, err)
	assert.Equal(t, string(restIssues), string(gqlIssues))
}

// TestGatherEnterpriseLinks gathers from a server whose web host is an
// Enterprise one: issue URLs on that host link, github.com ones do not.
func TestGatherEnterpriseLinks(t *testing.T) {
	repo, err := githubtest.Generate(githubtest.GenerateOptions{Owner: "acme", Name: "pay", Dir: filepath.Join(t.TempDir(), "git"), Merged: 1, Issues: 2})
	require.NoError(t, err)
	repo.Pulls[0].Body = "Fixes https://ghe.example.com/acme/pay/issues/2 (not https://github.com/acme/pay/issues/1)"
	repo.Pulls[0].ClosingIssues = nil
	srv := githubtest.NewServer(repo)
	defer srv.Close()
	out := t.TempDir()
	c, err := github.NewClient(github.ClientOptions{APIURL: srv.APIURL(), WebHost: "ghe.example.com", Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	_, err = github.Gather(context.Background(), c, github.GatherOptions{Owner: "acme", Repo: "pay", OutDir: out, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	prs, err := github.ReadPRs(filepath.Join(out, github.PRsFile))
	require.NoError(t, err)
	require.Len(t, prs, 1)
	assert.Equal(t, []int{2}, prs[0].LinkedIssues)
	assert.Empty(t, prs[0].Mentions)
}

// packObjects counts the objects of the packs under an objects directory
// (the last fan-out entry of each version 2 index).
func packObjects(t *testing.T, objects string) int {
	t.Helper()
	idxs, err := filepath.Glob(filepath.Join(objects, "pack", "*.idx"))
	require.NoError(t, err)
	require.NotEmpty(t, idxs, objects)
	n := 0
	for _, p := range idxs {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		require.Greater(t, len(b), 8+256*4)
		at := 8 + 255*4
		n += int(b[at])<<24 | int(b[at+1])<<16 | int(b[at+2])<<8 | int(b[at+3])
	}
	return n
}

// TestGatherGraphQLSmallerPages makes GitHub time out (502) on large GraphQL
// pages: the listing asks for half as many PRs a page until it gets an
// answer, and the records are those of an undisturbed run.
func TestGatherGraphQLSmallerPages(t *testing.T) {
	f := newFixture(t, githubtest.GenerateOptions{Merged: 30, Issues: 2})
	f.graphQL = true
	want := t.TempDir()
	_, err := f.gather(t, want, nil)
	require.NoError(t, err)
	// Four attempts a request (MaxRetries 3): pages of 100, 50 and 25 fail.
	f.srv.Inject(githubtest.Fault{Kind: githubtest.Fault502, Match: "/graphql", Times: 12})
	out := t.TempDir()
	_, err = f.gather(t, out, nil)
	require.NoError(t, err)
	assert.Contains(t, f.logs.String(), "asking for fewer PRs a page")
	assert.NotContains(t, f.logs.String(), "no GraphQL")
	for _, name := range []string{github.PRsFile, github.IssuesFile} {
		w, err := os.ReadFile(filepath.Join(want, name))
		require.NoError(t, err)
		g, err := os.ReadFile(filepath.Join(out, name))
		require.NoError(t, err)
		assert.Equal(t, string(w), string(g), name)
	}
}
