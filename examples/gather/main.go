// Command gather fetches a repository's merged pull requests (with commits,
// files, patches and closing links) and its issues from GitHub into
// prs.jsonl, issues.jsonl and summary.json.
//
//	gather OWNER REPO -o github_data [--max-prs N] [flags]
//
// The token comes from --token-file, GITHUB_TOKEN, GH_TOKEN or `gh auth
// token` (when the gh CLI is installed and logged in); without one GitHub
// allows 60 requests an hour. A killed run resumes when started again with
// the same arguments. Exit status: 0 done, 1 error, 2 bad usage.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/pflag"

	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/internal/cli"
	"github.com/sftforge/sftforge/outdir"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// config is the parsed command line.
type config struct {
	gather      github.GatherOptions
	client      github.ClientOptions
	github      cli.GitHubFlags
	since       string
	common      cli.Common
	showHelp    bool
	concurrency int
}

func parseArgs(args []string) (*config, *pflag.FlagSet, error) {
	cfg := &config{}
	fs := cli.NewFlagSet("gather", "", io.Discard)
	fs.StringVarP(&cfg.gather.OutDir, "output", "o", "github_data", "output directory (--out is the same)")
	fs.StringVar(&cfg.gather.State, "state", "merged", "PRs to fetch: merged, closed or all")
	fs.StringVar(&cfg.since, "since", "", "stop at PRs last updated before this date (YYYY-MM-DD or RFC 3339)")
	fs.BoolVar(&cfg.gather.Comments, "comments", false, "also fetch issue comments")
	fs.StringVar(&cfg.gather.RepoDir, "repo-dir", "", "local clone: compute commits and patches from it instead of asking GitHub")
	fs.StringVar(&cfg.gather.PullHeads, "pull-heads", "cache", "with --repo-dir, fetch the PR heads the clone lacks from its origin over git: cache (into OUT/.gather, the clone untouched), clone (into the clone) or off")
	fs.BoolVar(&cfg.gather.Rebuild, "rebuild", false, "fetch everything again instead of refreshing a finished output")
	fs.BoolVar(&cfg.gather.RESTOnly, "rest-only", false, "never use GraphQL (by default PRs and issues are listed through POST /graphql when the server answers it)")
	cfg.github.AddFlags(fs)
	fs.StringVar(&cfg.client.CacheDir, "cache-dir", "", "ETag cache directory (default OUT/.gather/http-cache)")
	fs.IntVar(&cfg.concurrency, "concurrency", 4, "requests and PRs in flight")
	fs.IntVar(&cfg.client.MaxRetries, "retries", 5, "retries of a request after a 5xx, reset or truncated answer")
	cfg.common.AddFlags(fs)
	fs.BoolVarP(&cfg.showHelp, "help", "h", false, "show this help")
	if err := cli.Parse(fs, args); err != nil {
		return nil, fs, err
	}
	if cfg.showHelp {
		return cfg, fs, nil
	}
	if fs.NArg() != 2 {
		return nil, fs, cli.Usagef("want OWNER and REPO, got %d arguments", fs.NArg())
	}
	cfg.gather.Owner, cfg.gather.Repo = fs.Arg(0), fs.Arg(1)
	if cfg.concurrency <= 0 {
		return nil, fs, cli.Usagef("--concurrency %d: want at least 1", cfg.concurrency)
	}
	if err := cli.NonNegative(fs, "retries"); err != nil {
		return nil, fs, err
	}
	if err := cfg.github.Validate(); err != nil {
		return nil, fs, err
	}
	cfg.gather.MaxPRs, cfg.client.APIURL = cfg.github.MaxPRs, cfg.github.APIURL
	if cfg.client.MaxRetries == 0 {
		cfg.client.MaxRetries = -1 // NewClient reads 0 as "default"
	}
	cfg.gather.Concurrency, cfg.client.MaxInFlight = cfg.concurrency, cfg.concurrency
	t, err := cli.ParseDate(cfg.since)
	if err != nil {
		return nil, fs, cli.Usagef("--since %w", err)
	}
	cfg.gather.Since = t
	if err := cfg.gather.Validate(); err != nil {
		return nil, fs, cli.Usagef("%s", strings.TrimPrefix(err.Error(), "github: "))
	}
	if cfg.client.CacheDir == "" {
		cfg.client.CacheDir = filepath.Join(cfg.gather.OutDir, github.StateDir, "http-cache")
	}
	return cfg, fs, nil
}

func usage(w io.Writer, fs *pflag.FlagSet) {
	fmt.Fprintf(w, `Usage: gather OWNER REPO [-o DIR] [--max-prs N] [flags]

Fetches merged pull requests (commits, files, patch, closing links) and
issues of OWNER/REPO into DIR/prs.jsonl, DIR/issues.jsonl, DIR/summary.json.
The token comes from --token-file, GITHUB_TOKEN, GH_TOKEN or "gh auth token"
(when the gh CLI is installed). Run it again with the same arguments to resume
an interrupted run or to refresh a finished one (only what changed since is
fetched). Flags may come before or after OWNER REPO.

Flags:
%s`, fs.FlagUsages())
}

// run is main without the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	cfg, fs, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "gather: %v\n\n", err)
		usage(stderr, fs)
		return cli.ExitUsage
	}
	if cfg.showHelp {
		usage(stdout, fs)
		return cli.ExitOK
	}
	logger := cfg.common.Logger(stderr)
	cfg.client.Logger, cfg.gather.Logger = logger, logger

	token, source, err := cfg.github.Token(ctx, getenv)
	if err != nil {
		return cli.Report(stderr, "gather", err)
	}
	cfg.client.Token = token
	if token == "" {
		logger.Warn("no token (GITHUB_TOKEN, GH_TOKEN, gh auth token or --token-file): GitHub allows 60 requests an hour")
	} else {
		logger.Debug("github: token found", "from", source)
	}
	// The output is written in place (resumable) under a lock; only a
	// directory gather wrote, or an empty one, is used.
	out, err := outdir.InPlace(cfg.gather.OutDir, outdir.Options{Tool: "gather", Force: cfg.common.Force,
		Inputs: []string{cfg.gather.RepoDir}, Known: []string{github.PRsFile, github.IssuesFile, github.SummaryFile, github.StateDir}})
	if err != nil {
		fmt.Fprintf(stderr, "gather: %v\n", err)
		return cli.ExitError
	}
	defer out.Close()

	var bar *progressDisplay
	if cli.IsTerminal(stderr) {
		bar = newProgressDisplay(stderr)
		cfg.gather.Progress = bar.update
		cfg.client.OnWait = bar.waiting
	}
	client, err := github.NewClient(cfg.client)
	if err != nil {
		fmt.Fprintf(stderr, "gather: %v\n", err)
		return cli.ExitUsage
	}
	sum, err := github.Gather(ctx, client, cfg.gather)
	if bar != nil {
		bar.finish()
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(stderr, "gather: interrupted; run the same command again to resume\n")
		} else {
			fmt.Fprintf(stderr, "gather: %v\n", err)
		}
		return cli.ExitError
	}
	if err := out.Commit(); err != nil {
		fmt.Fprintf(stderr, "gather: %v\n", err)
		return cli.ExitError
	}
	fmt.Fprintf(stdout, "%s/%s: %d PRs (%d merged, %d with linked issues), %d issues; %d requests (%d not modified), %d rate-limit waits, %d retries -> %s\n",
		sum.Owner, sum.Repo, sum.PRs, sum.Merged, sum.WithLinkedIssues, sum.Issues, sum.Requests, sum.NotModified, sum.RateLimitWaits, sum.Retries, cfg.gather.OutDir)
	return cli.ExitOK
}

// progressDisplay draws a progress bar on a terminal.
type progressDisplay struct {
	mu   sync.Mutex
	bar  *progressbar.ProgressBar
	wait string
}

func newProgressDisplay(w io.Writer) *progressDisplay {
	return &progressDisplay{bar: progressbar.NewOptions(-1, progressbar.OptionSetWriter(w), progressbar.OptionShowCount(),
		progressbar.OptionSetDescription("listing PRs"), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())}
}

func (d *progressDisplay) update(p github.Progress) {
	d.mu.Lock()
	defer d.mu.Unlock()
	rate := "?"
	if p.RateRemaining >= 0 {
		rate = fmt.Sprint(p.RateRemaining)
	}
	desc := fmt.Sprintf("%s: %d requests, rate limit left %s", p.Phase, p.Requests, rate)
	if p.Phase == "issues" {
		desc += fmt.Sprintf(", %d issues", p.Issues)
	}
	if d.wait != "" {
		desc += ", " + d.wait
		d.wait = ""
	}
	d.bar.Describe(desc)
	if p.PRsTotal > 0 {
		d.bar.ChangeMax(p.PRsTotal)
	}
	d.bar.Set(p.PRsDone)
}

func (d *progressDisplay) waiting(until time.Time, reason string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.wait = fmt.Sprintf("waited for %s until %s", reason, until.Format("15:04:05"))
	d.bar.Describe(fmt.Sprintf("waiting for the %s until %s", reason, until.Format("15:04:05")))
}

func (d *progressDisplay) finish() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.bar.Finish()
}
