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
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	flag "github.com/spf13/pflag"

	"github.com/sftforge/sftforge/archmap"
	"github.com/sftforge/sftforge/dataset"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/outdir"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SetInterspersed(true)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: merge GITHUB_DIR EXPORT_DIR -o OUT_DIR [flags]\n\n"+
			"Joins PR data (from gather) with a commit export (from generate) into training records.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	var df dataset.DatasetFlags
	df.AddFlags(fs)
	out := fs.StringP("output", "o", "final_dataset", "output directory")
	force := fs.Bool("force", false, "replace the output of an earlier version that has no "+outdir.MarkerFile+" marker (never a directory of other files)")
	verbose := fs.BoolP("verbose", "v", false, "log debug messages")
	repoPath := fs.String("repo", "", "local repository the export was made from: layers from its Cargo workspace")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "merge:", err)
		return 2
	}
	if fs.NArg() != 2 {
		fs.Usage()
		fmt.Fprintln(stderr, "merge: want GITHUB_DIR and EXPORT_DIR")
		return 2
	}
	// Flags and files (rules, template) are checked before any input is read.
	mo, wo, err := df.Options("")
	if err != nil {
		fmt.Fprintln(stderr, "merge:", err)
		return 2
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	output := outdir.Options{Force: *force, Inputs: []string{fs.Arg(0), fs.Arg(1), *repoPath}, Known: dataset.DatasetFiles}
	if err := outdir.Check(*out, output); err != nil {
		fmt.Fprintln(stderr, "merge:", err)
		return 1
	}

	gh, err := dataset.ReadGitHubDir(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "merge:", err)
		return 1
	}
	commits, err := dataset.ReadCommitExport(fs.Arg(1))
	if err != nil {
		fmt.Fprintln(stderr, "merge:", err)
		return 1
	}
	if gh.Owner != "" {
		wo.Source = gh.Owner + "/" + gh.Repo
	}
	mo.Logger = log
	if *repoPath != "" {
		if mo.Workspace, err = exportWorkspace(*repoPath, commits); err != nil {
			fmt.Fprintln(stderr, "merge:", err)
			return 1
		}
	}
	wo.Output = output
	recs, ms, err := dataset.Merge(gh.PRs, gh.Issues, commits, mo)
	if err != nil {
		fmt.Fprintln(stderr, "merge:", err)
		return 1
	}
	st, err := dataset.WriteDataset(*out, recs, ms, wo)
	if err != nil {
		fmt.Fprintln(stderr, "merge:", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %d records to %s (train %d, validation %d); PRs %d, merged %d, with identifier data %d of %d touching source (%.1f%%)\n",
		st.Records, *out, st.Train, st.Validation, st.PRs, st.MergedPRs, st.PRsWithIdentifiers, st.PRsTouchingSource,
		st.IdentifierCoverage*100)
	return 0
}

// exportWorkspace reads the Cargo workspace of the repository at path over
// the range the export covers: from its newest commit back through history.
func exportWorkspace(path string, commits []dataset.CommitRecord) (*archmap.Workspace, error) {
	ctx := context.Background()
	repo, err := gitlog.Open(ctx, path, gitlog.OpenOptions{})
	if err != nil {
		return nil, err
	}
	defer repo.Close()
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
