package dataset

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/sftforge/sftforge/archmap"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/license"
	"github.com/sftforge/sftforge/outdir"
)

// PipelineOptions configures [RunPipeline]: the commit export of a
// repository, then the merge with PR data, then the dataset files.
type PipelineOptions struct {
	// OutDir receives commits_export/ and the dataset files. The whole
	// run is written beside it and replaces it when everything is written,
	// so a failed or killed run leaves the previous output as it was.
	OutDir string
	// Output says what OutDir may be (see package outdir): an empty or
	// missing directory, or one an earlier run wrote. The repository and
	// GitHubDir are always protected.
	Output outdir.Options
	// Gather, when set, fetches PR data into the staged output before the
	// export (e.g. into out.Path()/github_data) and returns the directory
	// it wrote, which takes the place of GitHubDir. Name that directory in
	// Output.Keep so that an interrupted fetch resumes.
	Gather func(ctx context.Context, out *outdir.Dir) (githubDir string, err error)
	// Export configures the commit export; its Dir defaults to
	// commits_export inside the output, written with the rest of the run.
	// Another Dir is written (and replaced) on its own.
	Export ExportOptions
	// GitHubDir holds prs.jsonl and issues.jsonl from the github stage;
	// empty means offline: PRs are derived from the history itself.
	GitHubDir string
	// Owner and Repo name the repository: closing links in commit messages
	// are resolved against them in offline mode, and the card names them.
	Owner, Repo string
	// CommitsAsPRs makes commits without a PR number records of their own
	// in offline mode.
	CommitsAsPRs bool
	// Merge and Write configure the merge and the files written.
	Merge MergeOptions
	Write WriteOptions
	// OnStage, when set, is told when a stage starts ("gather", "export",
	// "merge", "write").
	OnStage func(stage string)
}

// PipelineResult reports what [RunPipeline] did and how long each stage
// took, in wall and CPU time.
type PipelineResult struct {
	Export     ExportStats
	Merge      MergeStats
	Statistics Statistics
	Timings    []StageTiming
}

// StageTiming is the wall time of one stage and the CPU time the process
// used meanwhile.
type StageTiming struct {
	Stage   string
	Elapsed time.Duration
	// CPU is the process's CPU time (user and system, on every core)
	// during the stage's wall time: CPU / Elapsed is how many cores it
	// kept busy. It counts what ran meanwhile, such as the export files'
	// flush during the merge. Zero when the system does not report it
	// (CPUKnown false).
	CPU      time.Duration
	CPUKnown bool
}

// RunPipeline exports repo's commits, merges them with PR data (from
// GitHubDir, or derived from the history) and writes the dataset. The
// commit records go from the export to the merge in memory, as the export
// files are written ([CommitRecords]); only what the merge needs of each
// is kept. The run has one redactor, opts.Merge.Redactor or
// opts.Export.Redactor, whichever is set (when both are, they must be the
// same): the export redacts the commit records with it, and the merge the
// records it makes from them and the PR and issue text. Unless
// opts.Merge sets a classifier or a workspace, the layers are inferred from
// the Cargo workspace of the walked range ([WorkspaceForRepo]); unless it
// sets forms, the prompts are cleaned with the repository's issue forms and
// pull request templates ([FormsForRepo]).
func RunPipeline(ctx context.Context, repo *gitlog.Repository, opts PipelineOptions) (PipelineResult, error) {
	var res PipelineResult
	if opts.OutDir == "" {
		return res, fmt.Errorf("dataset: pipeline: no output directory")
	}
	out, err := outdir.Stage(opts.OutDir, outputOptions(opts.Output, DatasetFiles, append(repoPaths(repo), opts.GitHubDir)...))
	if err != nil {
		return res, fmt.Errorf("dataset: pipeline: %w", err)
	}
	defer out.Close()
	stage := func(name string) func() {
		if opts.OnStage != nil {
			opts.OnStage(name)
		}
		start := time.Now()
		cpu0, ok0 := processCPU()
		return func() {
			t := StageTiming{Stage: name, Elapsed: time.Since(start)}
			if cpu1, ok1 := processCPU(); ok0 && ok1 {
				t.CPU, t.CPUKnown = cpu1-cpu0, true
			}
			res.Timings = append(res.Timings, t)
		}
	}

	if opts.Gather != nil {
		done := stage("gather")
		if opts.GitHubDir, err = opts.Gather(ctx, out); err != nil {
			return res, err
		}
		done()
	}

	// One redactor for the run: the export redacts the commit records
	// with it, the merge what it adds (PR and issue text).
	switch {
	case opts.Export.Redactor == nil:
		opts.Export.Redactor = opts.Merge.Redactor
	case opts.Merge.Redactor == nil:
		opts.Merge.Redactor = opts.Export.Redactor
	case opts.Export.Redactor != opts.Merge.Redactor:
		return res, fmt.Errorf("dataset: pipeline: the export and the merge have different redactors (set one of Export.Redactor and Merge.Redactor)")
	}

	// PR data is read before the export: an incomplete directory fails
	// before any work.
	var gh GitHubData
	if opts.GitHubDir != "" {
		if gh, err = ReadGitHubDir(opts.GitHubDir); err != nil {
			return res, err
		}
	}

	// The layers come from the workspace of the walked range: the commits
	// that change a manifest are found by the export's own walk, which
	// watches the manifests (no blob read), and a few manifests are read
	// after it. The same walk places the commits in licence epochs, so
	// that the merge looks each record's licence up only when a manifest
	// or licence file changed since the last lookup. When the export's
	// walk skips merges, which the workspace's walk does not, the
	// workspace has a walk of its own, alongside the export.
	var (
		ws     *archmap.Workspace
		hist   *licenceHistory
		wsErr  error
		wsDone chan struct{}
		ww     *workspaceWalk
	)
	if opts.Merge.Classifier == nil && opts.Merge.Workspace == nil {
		var licenceInclude []string
		if opts.Merge.License == nil {
			if licenceInclude = opts.Export.Walk.Include; len(licenceInclude) == 0 {
				langs := opts.Export.Languages
				if langs == nil {
					langs = DefaultLanguages()
				}
				licenceInclude = langs.Globs()
			}
		}
		if sharesWalk(opts.Export.Walk) {
			ww = newWorkspaceWalk(opts.Export.Walk, licenceInclude)
			opts.Export.workspace = ww
		} else {
			wsCtx, cancel := context.WithCancel(ctx)
			wsDone = make(chan struct{})
			defer func() { <-wsDone }() // after cancel below: the repository outlives the reader
			defer cancel()
			go func() {
				defer close(wsDone)
				ws, hist, wsErr = workspaceForRepo(wsCtx, repo, opts.Export.Walk, licenceInclude)
			}()
		}
	}

	// The export's records go to the merge as they are written, never
	// read back from the files: the merge keeps each commit's metadata
	// (compactMetadata) and, offline, groups the commits into PRs as they
	// come.
	done := stage("export")
	// The token tables (about 0.1 s to build) are built during the export,
	// which does not count tokens, not while the merge's workers wait for
	// them.
	var warmTokens sync.WaitGroup
	warmTokens.Go(func() { _, _ = loadTokenTables() }) // an error is the merge's to report
	defer warmTokens.Wait()
	var commits []CommitMetadata
	var history historyPRs
	keep := func(rec CommitRecord) {
		commits = append(commits, compactMetadata(rec.Metadata))
		if opts.GitHubDir == "" {
			history.add(opts.Owner, opts.Repo, &commits[len(commits)-1], opts.CommitsAsPRs)
		}
	}
	var es ExportStats
	if opts.Export.Dir == "" {
		exportDir := filepath.Join(out.Path(), "commits_export")
		if err := os.Mkdir(exportDir, 0o755); err != nil {
			return res, fmt.Errorf("dataset: pipeline: %w", err)
		}
		es, err = exportInto(ctx, repo, opts.Export, exportDir, keep)
	} else {
		es, err = exportStaged(ctx, repo, opts.Export, keep)
	}
	if err != nil {
		return res, err
	}
	res.Export = es
	if ww != nil {
		// Before the caches are released: the manifests read are those
		// of recent revisions.
		ws, hist, wsErr = ww.finish(ctx, repo)
	}
	if es.Commits == 0 {
		log := opts.Merge.Logger
		if log == nil {
			log = slog.Default()
		}
		log.Warn("dataset: no commit of the walk changes a file of the selected languages: the dataset is empty (check the repository, --rev, --since and -n)",
			"rev", opts.Export.Walk.Rev)
	}
	// The walk's caches (trees, blobs, delta bases) are not needed any
	// more: the merge reads a few manifests at most.
	repo.ReleaseCaches()
	if opts.Export.Dir == "" {
		// The export files are written to disk while the merge computes:
		// the last flush, before the output is swapped in, is then of
		// the dataset files alone.
		out.Flush()
	}
	done()

	done = stage("merge")
	if opts.GitHubDir == "" {
		gh.PRs = history.list()
		// Their titles and bodies are the commits' subjects and bodies,
		// which the export redacted.
		opts.Merge.TextsRedacted = true
	}
	if opts.Owner == "" {
		opts.Owner, opts.Repo = gh.Owner, gh.Repo
	}
	if opts.Write.Source == "" && opts.Owner != "" {
		opts.Write.Source = opts.Owner + "/" + opts.Repo
	}
	if opts.Merge.Source == (Source{}) {
		opts.Merge.Source = PipelineSource(repo, opts.GitHubDir != "", opts.Owner, opts.Repo, repoLocation(repo))
	}
	// One set of languages: the export's, unless the merge names its own.
	if opts.Merge.Languages == nil {
		opts.Merge.Languages = opts.Export.Languages
	}
	if opts.Write.Languages == nil {
		opts.Write.Languages = opts.Merge.Languages
	}
	if wsDone != nil {
		<-wsDone
	}
	if wsDone != nil || ww != nil {
		if wsErr != nil {
			return res, wsErr
		}
		opts.Merge.Workspace = ws
	}
	if opts.Merge.License == nil {
		if hist.changesTexts() {
			// The licence matcher is built alongside the merge's first
			// records, not while every worker waits for the first
			// licence text to be classified.
			var warm sync.WaitGroup
			warm.Go(license.Warm)
			defer warm.Wait()
		}
		opts.Merge.License = repositoryLicenses(ctx, repo, hist)
	}
	if opts.Merge.Forms == nil {
		// The prompts are cleaned with the repository's own forms.
		history := make([]string, len(commits))
		for i := range commits {
			history[i] = commits[i].Commit
		}
		if opts.Merge.Forms, err = FormsForRepo(ctx, repo, opts.Export.Walk.Rev, history, opts.Merge.Logger); err != nil {
			return res, err
		}
	}
	opts.Merge.ownsPRs = true // read or made here, not used after the merge
	recs, ms, err := mergeCommits(ctx, gh.PRs, gh.Issues, commits, opts.Merge)
	commits = nil
	if err != nil {
		return res, err
	}
	// What was cancelled at the merge's end is missing: write nothing.
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("dataset: pipeline: merge: %w", err)
	}
	ms.ExportRedactions = es.Redactions
	ms.ExportSkipped, ms.ExportBoundaries = es.SkippedBy, es.Boundaries
	res.Merge = ms
	done()

	done = stage("write")
	if opts.Write.ResponseBudget == 0 && opts.Write.PromptBudget == 0 {
		opts.Write.ResponseBudget, opts.Write.PromptBudget = opts.Merge.Filters.MaxResponseTokens, opts.Merge.Filters.MaxPromptTokens
	}
	st, err := writeDataset(ctx, out.Path(), recs, ms, opts.Write)
	if err != nil {
		return res, err
	}
	res.Statistics = st
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("dataset: pipeline: write: %w", err)
	}
	if err := out.Commit(); err != nil {
		return res, fmt.Errorf("dataset: pipeline: %w", err)
	}
	done()
	return res, nil
}
