// Command generate walks a Rust repository's history and writes one SFT
// record per commit with the identifier-level changes of its Rust files.
//
// Usage:
//
//	generate REPO [flags]
//
// REPO is a local repository (bare or with a work tree) or a clone URL;
// a URL is cloned once into the user cache directory and fetched on later
// runs. Flags may come before or after REPO. Run `generate --help` for the
// flags.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/sftforge/sftforge/dataset"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/internal/cli"
	"github.com/sftforge/sftforge/outdir"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// config is what the flags say.
type config struct {
	repo     string
	export   dataset.ExportOptions
	history  cli.HistoryFlags
	common   cli.Common
	cpuProf  string
	memLimit cli.MemoryLimit
}

// usage is the help text before the flags.
const usage = `Usage: generate REPO [flags]

Walks REPO's history (a local path or a clone URL) and writes one record per commit
with the identifier-level changes of its Rust files, plus index.csv.
`

// parseArgs reads the command line.
func parseArgs(args []string, stderr io.Writer) (*config, error) {
	var (
		c           config
		format      string
		until       string
		firstParent bool
	)
	fs := cli.NewFlagSet("generate", usage, stderr)
	fs.StringVarP(&format, "format", "f", "sft", "record format: sft, messages, completion or alpaca")
	fs.StringVarP(&c.export.Dir, "output", "o", "commits_export", "output directory (replaced atomically when done)")
	c.history.AddFlags(fs)
	fs.StringVar(&until, "until", "", "only commits before this date (YYYY-MM-DD or RFC 3339)")
	fs.IntVar(&c.export.Workers, "workers", 0, "parsing workers (default: number of CPUs)")
	fs.StringSliceVar(&c.export.Walk.Include, "include", nil, "path globs to include (default: the languages' globs, **/*.rs)")
	fs.StringSliceVar(&c.export.Walk.Exclude, "exclude", nil, "path globs to exclude")
	fs.BoolVar(&firstParent, "first-parent", true, "follow only first parents (--first-parent=false walks all)")
	fs.BoolVar(&c.export.Walk.SkipMerges, "skip-merges", false, "skip merge commits")
	fs.Int64Var(&c.export.Walk.MaxBlobSize, "max-blob-size", 0, "skip files larger than this many bytes (default 2 MiB)")
	fs.Int64Var(&c.export.ResidentBytes, "resident-bytes", 0, "source bytes of files whose differs keep parse trees (default 24 MiB; -1: no bound; the Rust differ keeps none)")
	c.common.AddFlags(fs)
	fs.StringVar(&c.cpuProf, "cpuprofile", "", "write a CPU profile to this file")
	c.memLimit.AddFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return nil, cli.Usagef("want exactly one repository argument")
	}
	c.repo = fs.Arg(0)
	if err := cli.NonNegative(fs, "workers", "max-commits", "min-lines"); err != nil {
		return nil, err
	}
	c.export.Format = dataset.Format(format)
	if err := c.export.Format.Validate(); err != nil {
		return nil, cli.Usagef("--format: %w", err)
	}
	walk, err := c.history.Walk()
	if err != nil {
		return nil, err
	}
	walk.Include, walk.Exclude = c.export.Walk.Include, c.export.Walk.Exclude
	walk.SkipMerges, walk.MaxBlobSize = c.export.Walk.SkipMerges, c.export.Walk.MaxBlobSize
	walk.AllParents = !firstParent
	if walk.Until, err = cli.ParseDate(until); err != nil {
		return nil, cli.Usagef("--until %w", err)
	}
	if err := walk.Validate(); err != nil {
		return nil, cli.Usage(err)
	}
	c.export.Walk = walk
	c.export.Output = outdir.Options{Force: c.common.Force, Inputs: []string{c.repo}}
	return &c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseArgs(args, stderr)
	if err == nil {
		err = generate(ctx, c, stdout, stderr)
	}
	return cli.Report(stderr, "generate", err)
}

// generate runs the export.
func generate(ctx context.Context, c *config, stdout, stderr io.Writer) error {
	c.memLimit.Apply(os.Getenv)
	if c.cpuProf != "" {
		f, err := os.Create(c.cpuProf)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	log := c.common.Logger(stderr)
	c.export.Logger = log

	tty := cli.IsTerminal(stderr)
	var progress io.Writer
	if tty {
		progress = stderr
	}
	repo, err := gitlog.Open(ctx, c.repo, gitlog.OpenOptions{CacheDir: c.history.CacheDir, Progress: progress, Logger: log})
	if err != nil {
		return err
	}
	defer repo.Close()

	if tty {
		bar := cli.CommitBar(stderr)
		c.export.OnCommit = func(int, dataset.CommitRecord) { bar.Add(1) }
		defer bar.Finish()
	}
	stats, err := dataset.Export(ctx, repo, c.export)
	if err != nil {
		return err
	}
	boundaries := ""
	if stats.Boundaries > 0 {
		boundaries = fmt.Sprintf("; %d boundary commits of a shallow or grafted history, changes unknown", stats.Boundaries)
	}
	fmt.Fprintf(stdout, "wrote %d records to %s (%d commits walked, %d files, %d identifier changes: +%d -%d ~%d; %s, %d with parse errors%s) in %s\n",
		stats.Records, c.export.Dir, stats.Commits, stats.Files, stats.Changes, stats.Added, stats.Removed,
		stats.Modified, stats.SkippedSummary(), stats.ParseErrors, boundaries, stats.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(stdout, "phases: walk (tree diff, blob reads, line counts) %s; parse+extract+diff %s and blob reads %s summed over %d workers\n",
		stats.WalkTime.Round(time.Millisecond), stats.ParseTime.Round(time.Millisecond), stats.ReadTime.Round(time.Millisecond),
		workers(c.export.Workers))
	return nil
}

// workers returns the effective number of export workers.
func workers(n int) int {
	if n > 0 {
		return n
	}
	return runtime.NumCPU()
}
