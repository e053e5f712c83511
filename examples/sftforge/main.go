// Command sftforge runs the whole pipeline: it walks a Rust repository's
// history, fetches or derives PR data, and writes the SFT dataset.
//
// Usage:
//
//	sftforge                              # the embedded sample: no network, no token
//	sftforge --repo PATH [flags]          # offline: PRs derived from the history
//	sftforge --github OWNER/REPO [flags]  # PRs and issues from GitHub (GITHUB_TOKEN)
//
// Output goes to -o DIR (default ./sftforge-out): commits_export/,
// github_data/ (with --github), merged_dataset.jsonl, train.jsonl,
// validation.jsonl, statistics.json and README.md. `sftforge --help` lists
// every flag.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	flag "github.com/spf13/pflag"

	"github.com/sftforge/sftforge/dataset"
	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/internal/cli"
	"github.com/sftforge/sftforge/outdir"
	"github.com/sftforge/sftforge/sample"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// config is what the command line says.
type config struct {
	repoPath, githubRepo, githubData string
	out                              string
	workers                          int
	cpuProf, memProf                 string
	github                           cli.GitHubFlags
	common                           cli.Common
	memLimit                         cli.MemoryLimit
	cli.PipelineFlags
}

// usage is the help text before the flags.
const usage = `Usage:
  sftforge                              run on the embedded sample (no network, no token)
  sftforge --repo PATH [flags]          offline: PRs derived from the history
  sftforge --github OWNER/REPO [flags]  PRs and issues from GitHub (token in GITHUB_TOKEN)
`

// newFlagSet returns sftforge's flags, bound to c.
func newFlagSet(c *config, stderr io.Writer) *flag.FlagSet {
	fs := cli.NewFlagSet("sftforge", usage, stderr)
	fs.StringVar(&c.repoPath, "repo", "", "local repository path or clone URL")
	fs.StringVar(&c.githubRepo, "github", "", "GitHub repository OWNER/REPO: fetch PRs and issues (clones the repository unless --repo is given)")
	fs.StringVar(&c.githubData, "github-data", "", "use PR data already fetched by gather from this directory")
	fs.StringVarP(&c.out, "output", "o", "sftforge-out", "output directory")
	fs.IntVar(&c.workers, "workers", 0, "parsing workers (default: number of CPUs)")
	fs.StringVar(&c.cpuProf, "cpuprofile", "", "write a CPU profile of the run to this file")
	fs.StringVar(&c.memProf, "memprofile", "", "write heap profiles to FILE-<stage> as each stage starts after the export, and FILE-end")
	c.github.AddFlags(fs)
	c.common.AddFlags(fs)
	c.memLimit.AddFlags(fs)
	c.PipelineFlags.AddFlags(fs)
	return fs
}

func parseArgs(args []string, stderr io.Writer) (*config, error) {
	var c config
	fs := newFlagSet(&c, stderr)
	if err := cli.Parse(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, cli.Usagef("unexpected argument %q (use --repo PATH or --github OWNER/REPO)", fs.Arg(0))
	}
	if err := cli.NonNegative(fs, "max-commits", "max-prs", "min-lines", "workers"); err != nil {
		return nil, err
	}
	if err := c.PipelineFlags.Validate(); err != nil {
		return nil, err
	}
	if err := c.github.Validate(); err != nil {
		return nil, err
	}
	if c.githubRepo != "" {
		owner, name, ok := strings.Cut(c.githubRepo, "/")
		if !ok {
			return nil, cli.Usagef("--github %q: want OWNER/REPO", c.githubRepo)
		}
		if err := github.ValidateRepo(owner, name); err != nil {
			return nil, cli.Usagef("--github %q: want OWNER/REPO: %w", c.githubRepo, err)
		}
	}
	return &c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	c, err := parseArgs(args, stderr)
	if err == nil {
		c.memLimit.Apply(getenv)
		err = pipeline(ctx, c, stdout, stderr, getenv)
	}
	return cli.Report(stderr, "sftforge", err)
}

func pipeline(ctx context.Context, c *config, stdout, stderr io.Writer, getenv func(string) string) error {
	log := c.common.Logger(stderr)
	if c.cpuProf != "" {
		stop, err := startCPUProfile(c.cpuProf)
		if err != nil {
			return err
		}
		defer stop()
	}
	tty := cli.IsTerminal(stderr)
	var progress io.Writer
	if tty {
		progress = stderr
	}
	walk, err := c.Walk()
	if err != nil {
		return err
	}
	opts := dataset.PipelineOptions{OutDir: c.out, CommitsAsPRs: c.CommitsAsPRs, GitHubDir: c.githubData,
		Output: outdir.Options{Force: c.common.Force, Inputs: []string{c.repoPath, c.githubData}}}
	// The token is checked before anything is built, cloned or fetched;
	// the rules and template files too.
	token := ""
	if c.githubRepo != "" && c.githubData == "" {
		if token, _, err = c.github.Token(ctx, getenv); err != nil {
			return err
		}
	}
	// The token is a known secret: should it appear in any text, it is
	// replaced like any other secret.
	if opts.Merge, opts.Write, err = c.Dataset.Options("", token); err != nil {
		return err
	}
	source := c.repoPath
	switch {
	case c.repoPath == "" && c.githubRepo == "":
		// The embedded sample, built fresh in a temporary directory.
		tmp, err := os.MkdirTemp("", "sftforge-sample-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		s, err := sample.Build(tmp)
		if err != nil {
			return err
		}
		source, opts.GitHubDir = s.RepoPath, s.GitHubDir
		opts.Owner, opts.Repo = s.Owner, s.Name
		fmt.Fprintf(stdout, "Running on the embedded sample %s/%s (no network, no token).\n", s.Owner, s.Name)
	case c.githubRepo != "":
		owner, name, _ := strings.Cut(c.githubRepo, "/")
		opts.Owner, opts.Repo = owner, name
		if source == "" {
			if source, err = cloneURL(c.github.APIURL, owner, name); err != nil {
				return cli.Usage(err)
			}
		}
	}

	repo, err := gitlog.Open(ctx, source, gitlog.OpenOptions{CacheDir: c.CacheDir, Progress: progress, Logger: log})
	if err != nil {
		return err
	}
	defer repo.Close()

	if c.githubRepo != "" && opts.GitHubDir == "" {
		// PRs are fetched into the staged output; what an interrupted
		// fetch wrote is kept for the next run to resume.
		opts.Output.Keep = []string{githubDataDir}
		opts.Gather = func(ctx context.Context, out *outdir.Dir) (string, error) {
			return gather(ctx, c, token, opts.Owner, opts.Repo, repo.Path(), walk.Since, log, stderr, tty, out)
		}
	}

	opts.Export = dataset.ExportOptions{Workers: c.workers, Logger: log, Walk: walk}
	var bar *progressbar.ProgressBar
	if tty {
		bar = cli.CommitBar(stderr)
		opts.Export.OnCommit = func(int, dataset.CommitRecord) { bar.Add(1) }
	}
	opts.OnStage = func(stage string) {
		if bar != nil && stage != "export" {
			bar.Finish()
		}
		log.Debug("stage", "name", stage)
		if c.memProf != "" && stage != "export" && stage != "gather" {
			writeHeapProfile(c.memProf+"-"+stage, log)
		}
	}
	if opts.Owner != "" {
		opts.Write.Source = opts.Owner + "/" + opts.Repo
	}
	// The records' provenance: --github (or the sample's), else the
	// clone's remote, else --name, else the directory's name.
	githubRepo, githubWeb := "", ""
	if opts.Owner != "" {
		githubRepo = opts.Owner + "/" + opts.Repo
		if u, err := cloneURL(c.github.APIURL, opts.Owner, opts.Repo); err == nil {
			githubWeb, _ = gitlog.WebURL(u)
		}
	}
	remote, err := repo.RemoteURL()
	if err != nil {
		return err
	}
	opts.Merge.Source = dataset.SourceFor(githubRepo, githubWeb, remote, c.Dataset.Name, source)
	opts.Merge.Logger = log
	opts.Export.Redactor = opts.Merge.Redactor
	res, err := dataset.RunPipeline(ctx, repo, opts)
	if err != nil {
		return err
	}
	if c.memProf != "" {
		writeHeapProfile(c.memProf+"-end", log)
	}
	printSummary(stdout, c.out, res)
	return nil
}

// githubDataDir is where PR data is gathered inside the output.
const githubDataDir = "github_data"

// gather fetches PRs and issues into github_data in the staged output. The
// ETag cache of the previous output comes along, so unchanged answers cost
// no request.
func gather(ctx context.Context, c *config, token, owner, name, repoDir string, since time.Time, log *slog.Logger,
	stderr io.Writer, tty bool, out *outdir.Dir) (string, error) {
	dir := filepath.Join(out.Path(), githubDataDir)
	cache := filepath.Join(githubDataDir, github.StateDir, "http-cache")
	if err := out.Seed(cache); err != nil {
		return "", err
	}
	client, err := github.NewClient(github.ClientOptions{Token: token, APIURL: c.github.APIURL,
		CacheDir: filepath.Join(out.Path(), cache), Logger: log})
	if err != nil {
		return "", err
	}
	gopts := github.GatherOptions{Owner: owner, Repo: name, OutDir: dir, MaxPRs: c.github.MaxPRs, Since: since,
		RepoDir: repoDir, Logger: log}
	// The PR heads the clone lacks are fetched over git: into the clone
	// sftforge made itself, or, for the user's --repo (never written), into
	// a cache beside sftforge's clones, not into the dataset output.
	if c.repoPath == "" {
		gopts.PullHeads = github.PullHeadsClone
	} else if heads, err := pullHeadsCache(c.CacheDir, repoDir); err == nil {
		gopts.PullHeadsDir = heads
	}
	if tty {
		gopts.Progress = func(p github.Progress) {
			fmt.Fprintf(stderr, "\rgather: %s %d/%d PRs, %d issues, %d requests   ", p.Phase, p.PRsDone, p.PRsTotal, p.Issues, p.Requests)
		}
	}
	if _, err := github.Gather(ctx, client, gopts); err != nil {
		return "", err
	}
	if tty {
		fmt.Fprintln(stderr)
	}
	return dir, nil
}

// printSummary prints the final table.
func printSummary(w io.Writer, out string, res dataset.PipelineResult) {
	st := res.Statistics
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "stage\tresult\tcpu\ttime\n")
	timings := map[string]dataset.StageTiming{}
	for _, t := range res.Timings {
		timings[t.Stage] = t
	}
	// cpuTime renders a stage's CPU and wall time ("-" for an unknown CPU
	// time).
	cpuTime := func(stage string) string {
		t := timings[stage]
		cpu := "-"
		if t.CPUKnown {
			cpu = t.CPU.Round(time.Millisecond).String()
		}
		return cpu + "\t" + t.Elapsed.Round(time.Millisecond).String()
	}
	e := res.Export
	fmt.Fprintf(tw, "export\t%d commits, %d records, %d identifier changes (+%d -%d ~%d), %s\t%s\n",
		e.Commits, e.Records, e.Changes, e.Added, e.Removed, e.Modified, e.SkippedSummary(), cpuTime("export"))
	fmt.Fprintf(tw, "merge\t%d PRs, %d with identifier data (%.1f%% of %d touching source)\t%s\n",
		st.PRs, st.PRsWithIdentifiers, st.IdentifierCoverage*100, st.PRsTouchingSource, cpuTime("merge"))
	fmt.Fprintf(tw, "write\t%d records: train %d, validation %d (%s)\t%s\n",
		st.Records, st.Train, st.Validation, st.Format, cpuTime("write"))
	tw.Flush()
	fmt.Fprintf(w, "Dataset written to %s\n", out)
}

// pullHeadsCache is where the PR heads of the user's clone at repoDir are
// fetched: cacheDir (default the user cache directory's sftforge) /
// pull-heads / a name derived from the clone's absolute path.
func pullHeadsCache(cacheDir, repoDir string) (string, error) {
	if cacheDir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		cacheDir = filepath.Join(base, "sftforge")
	}
	abs, err := filepath.Abs(repoDir)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(cacheDir, "pull-heads", filepath.Base(abs)+"-"+hex.EncodeToString(sum[:6])+".git"), nil
}

// startCPUProfile starts a CPU profile written to path; stop ends it.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// writeHeapProfile writes the heap profile (after a collection, so that
// in-use figures are live memory) to path; a failure is logged, not fatal.
func writeHeapProfile(path string, log *slog.Logger) {
	f, err := os.Create(path)
	if err == nil {
		runtime.GC()
		err = pprof.WriteHeapProfile(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		log.Warn("heap profile not written", "file", path, "err", err)
	}
}
