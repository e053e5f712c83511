// Command merge joins GitHub PR data with a commit export into the final
// SFT dataset: merged_dataset.jsonl, train.jsonl, validation.jsonl,
// statistics.json and a dataset card README.md.
//
// Usage:
//
//	merge GITHUB_DIR EXPORT_DIR -o final_dataset [flags]
//
// GITHUB_DIR is what `gather` wrote (prs.jsonl, issues.jsonl,
// summary.json); EXPORT_DIR is what `generate` wrote. With --repo, the
// layers are inferred from the repository's Cargo workspace over the
// exported range; without it, from the paths in the export. Flags may come
// before or after the arguments; `merge --help` lists them.
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/sftforge/sftforge/archmap"
	"github.com/sftforge/sftforge/dataset"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/internal/cli"
	"github.com/sftforge/sftforge/outdir"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// usage is the help text before the flags.
const usage = `Usage: merge GITHUB_DIR EXPORT_DIR -o OUT_DIR [flags]

Joins PR data (from gather) with a commit export (from generate) into training records.
`

// config is what the command line says.
type config struct {
	githubDir, exportDir string
	out, repoPath        string
	common               cli.Common
	dataset              cli.DatasetFlags
}

func run(args []string, stdout, stderr io.Writer) int {
	c, err := parseArgs(args, stderr)
	if err == nil {
		err = merge(c, stdout, stderr)
	}
	return cli.Report(stderr, "merge", err)
}

// parseArgs reads the command line.
func parseArgs(args []string, stderr io.Writer) (*config, error) {
	var c config
	fs := cli.NewFlagSet("merge", usage, stderr)
	c.dataset.AddFlags(fs)
	fs.StringVarP(&c.out, "output", "o", "final_dataset", "output directory")
	c.common.AddFlags(fs)
	fs.StringVar(&c.repoPath, "repo", "", "local repository the export was made from: layers from its Cargo workspace")
	if err := cli.Parse(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return nil, cli.Usagef("want GITHUB_DIR and EXPORT_DIR")
	}
	c.githubDir, c.exportDir = fs.Arg(0), fs.Arg(1)
	if err := c.dataset.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// merge reads the inputs, merges and writes the dataset.
func merge(c *config, stdout, stderr io.Writer) error {
	// Flags and files (rules, template) are checked before any input is read.
	mo, wo, err := c.dataset.Options("")
	if err != nil {
		return err
	}
	log := c.common.Logger(stderr)
	output := outdir.Options{Force: c.common.Force, Inputs: []string{c.githubDir, c.exportDir, c.repoPath}, Known: dataset.DatasetFiles}
	if err := outdir.Check(c.out, output); err != nil {
		return err
	}
	gh, err := dataset.ReadGitHubDir(c.githubDir)
	if err != nil {
		return err
	}
	commits, err := dataset.ReadCommitExport(c.exportDir)
	if err != nil {
		return err
	}
	if gh.Owner != "" {
		wo.Source = gh.Owner + "/" + gh.Repo
	}
	mo.Logger = log
	// The records' provenance: the PR data's OWNER/REPO, else --name;
	// with --repo, the clone's remote and the licences at each revision.
	githubRepo, remote := "", ""
	if gh.Owner != "" {
		githubRepo = gh.Owner + "/" + gh.Repo
	}
	if c.repoPath != "" {
		ctx := context.Background()
		repo, err := gitlog.Open(ctx, c.repoPath, gitlog.OpenOptions{})
		if err != nil {
			return err
		}
		defer repo.Close()
		if mo.Workspace, err = exportWorkspace(ctx, repo, commits); err != nil {
			return err
		}
		// The issue forms and PR templates at HEAD and over the
		// export's commits.
		history := make([]string, len(commits))
		for i := range commits {
			history[i] = commits[i].Metadata.Commit
		}
		if mo.Forms, err = dataset.FormsForRepo(ctx, repo, "", history, log); err != nil {
			return err
		}
		if remote, err = repo.RemoteURL(); err != nil {
			return err
		}
		mo.License = dataset.RepositoryLicenses(ctx, repo)
	}
	mo.Source = dataset.SourceFor(githubRepo, "", remote, c.dataset.Name, c.repoPath)
	wo.Output = output
	recs, ms, err := dataset.Merge(gh.PRs, gh.Issues, commits, mo)
	if err != nil {
		return err
	}
	st, err := dataset.WriteDataset(c.out, recs, ms, wo)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d records to %s (train %d, validation %d); PRs %d, merged %d, with identifier data %d of %d touching source (%.1f%%)\n",
		st.Records, c.out, st.Train, st.Validation, st.PRs, st.MergedPRs, st.PRsWithIdentifiers, st.PRsTouchingSource,
		st.IdentifierCoverage*100)
	return nil
}

// exportWorkspace reads the Cargo workspace of repo over
// the range the export covers: from its newest commit back through history.
func exportWorkspace(ctx context.Context, repo *gitlog.Repository, commits []dataset.CommitRecord) (*archmap.Workspace, error) {
	walk := gitlog.WalkOptions{}
	newest := ""
	for _, c := range commits {
		if c.Metadata.Date > newest {
			newest, walk.Rev = c.Metadata.Date, c.Metadata.Commit
		}
	}
	ws, err := dataset.WorkspaceForRepo(ctx, repo, walk)
	if err != nil && walk.Rev != "" {
		// The export's commits may be missing from this clone: use HEAD.
		ws, err = dataset.WorkspaceForRepo(ctx, repo, gitlog.WalkOptions{})
	}
	return ws, err
}
