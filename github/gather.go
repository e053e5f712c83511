package github

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	gh "github.com/google/go-github/v66/github"
	"github.com/sftforge/sftforge/change"
	"golang.org/x/sync/errgroup"
)

// Output file names inside GatherOptions.OutDir.
const (
	PRsFile     = "prs.jsonl"
	IssuesFile  = "issues.jsonl"
	SummaryFile = "summary.json"
	// StateDir holds the checkpoint, the PR plan, the files of the run in
	// progress and (by default in the gather command) the ETag cache.
	StateDir = ".gather"
	// runDir, inside StateDir, holds the output files while a run writes
	// them: the files in OutDir change only when a run completes.
	runDir = "run"
)

// GatherOptions says what Gather fetches and where it writes.
type GatherOptions struct {
	Owner, Repo string
	// OutDir receives prs.jsonl, issues.jsonl, summary.json and the
	// .gather state directory.
	OutDir string
	// State selects PRs: "merged" (default), "closed" (merged or not) or
	// "all" (open ones too).
	State string
	// MaxPRs keeps the N most recently updated PRs; 0 means all.
	MaxPRs int
	// Since stops the listing at PRs last updated before it; zero means
	// no watermark.
	Since time.Time
	// Comments also fetches issue comments.
	Comments bool
	// RepoDir is a local clone (work tree or bare repository; fetch
	// refs/pull/*/head into it to have every PR's commits): commits and
	// patches are computed from it and cost no request. For a PR whose head
	// commit the clone lacks (a clone without refs/pull/*), the patch comes
	// from its squash commit and the commit messages from that commit's
	// message when it is GitHub's default one ("local-squash"), else from
	// GitHub ("local-merge"); without the merge commit, both come from
	// GitHub.
	RepoDir string
	// PullHeads says where the PR heads RepoDir lacks are fetched over git
	// (+refs/pull/*/head:refs/pull/*/head from its origin remote, once,
	// when a listed merged PR's head is missing): PullHeadsCache (the
	// default) into PullHeadsDir, PullHeadsClone into RepoDir itself, or
	// PullHeadsOff. A failed fetch (no origin, offline) is logged and the
	// squash commits fill in.
	PullHeads string
	// PullHeadsDir is the bare repository PullHeadsCache fetches into; it
	// borrows RepoDir's objects (default OutDir/.gather/pull-heads.git).
	PullHeadsDir string
	// Rebuild fetches everything again over an output a finished run with
	// the same arguments made, instead of refreshing it (see Gather).
	Rebuild bool
	// RESTOnly never uses GraphQL. By default the PRs and issues are
	// listed through POST /graphql (100 a request, with each PR's first 100
	// commit messages and GitHub's closing references) when the server
	// answers it, and through REST otherwise; the records are the same
	// but for the links only GitHub knows (source "github").
	RESTOnly bool
	// Concurrency is the number of PRs fetched at once (default 4).
	Concurrency int
	// Logger receives progress and warnings (default slog.Default()).
	Logger *slog.Logger
	// Progress, if set, is called after every PR and every issue page.
	Progress func(Progress)
}

// Progress is a snapshot of a running Gather.
type Progress struct {
	Phase         string // "list", "prs", "issues", "done"
	PRsDone       int
	PRsTotal      int
	Issues        int
	Requests      int64
	RateRemaining int64 // -1 unknown
}

// Summary is summary.json: record counts and what the HTTP stack did, over
// all runs that built the output (a resumed run adds to the previous ones).
type Summary struct {
	Owner            string `json:"owner"`
	Repo             string `json:"repo"`
	State            string `json:"state"`
	PRs              int    `json:"prs"`
	Merged           int    `json:"merged"`
	WithLinkedIssues int    `json:"with_linked_issues"`
	Issues           int    `json:"issues"`
	// PRsLocal counts PRs whose patch came from RepoDir.
	PRsLocal int `json:"prs_local"`
	// API is how the PRs were listed: "graphql" or "rest".
	API string `json:"api"`
	RequestCounts
	FinishedAt time.Time `json:"finished_at"`
}

// Validate checks the options and fills defaults.
func (o *GatherOptions) Validate() error {
	if err := ValidateRepo(o.Owner, o.Repo); err != nil {
		return err
	}
	switch {
	case o.OutDir == "":
		return errors.New("github: no output directory")
	case o.MaxPRs < 0:
		return fmt.Errorf("github: max PRs %d is negative", o.MaxPRs)
	}
	switch o.State {
	case "":
		o.State = "merged"
	case "merged", "closed", "all":
	default:
		return fmt.Errorf("github: bad state %q: want merged, closed or all", o.State)
	}
	switch o.PullHeads {
	case "":
		o.PullHeads = PullHeadsCache
	case PullHeadsCache, PullHeadsClone, PullHeadsOff:
	default:
		return fmt.Errorf("github: bad pull heads mode %q: want cache, clone or off", o.PullHeads)
	}
	if o.PullHeadsDir == "" {
		o.PullHeadsDir = filepath.Join(o.OutDir, StateDir, "pull-heads.git")
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return nil
}

// checkpoint is .gather/checkpoint.json, rewritten atomically after every
// record. The output files are cut back to the byte counts it names when a
// run resumes, so a record half-written by a killed run disappears.
type checkpoint struct {
	Args  string `json:"args"`
	Phase string `json:"phase"` // list, prs, issues, publish, done
	// Staged says the run writes into StateDir/run (checkpoints of earlier
	// versions counted the bytes of the files in OutDir).
	Staged        bool  `json:"staged"`
	PRsWritten    int   `json:"prs_written"`
	PRsBytes      int64 `json:"prs_bytes"`
	Merged        int   `json:"merged"`
	WithLinked    int   `json:"with_linked_issues"`
	PRsLocal      int   `json:"prs_local"`
	IssuesPage    int   `json:"issues_page"`
	IssuesWritten int   `json:"issues_written"`
	IssuesBytes   int64 `json:"issues_bytes"`
	// GraphQL says the PRs were listed through GraphQL; IssuesCursor is
	// where the GraphQL issue listing goes on.
	GraphQL      bool          `json:"graphql"`
	IssuesCursor string        `json:"issues_cursor"`
	Counts       RequestCounts `json:"counts"`
}

// gatherRun is the state of one Gather call.
type gatherRun struct {
	c     *Client
	opts  GatherOptions
	local *localRepo
	cp    checkpoint
	prior RequestCounts // counts of earlier runs
	state string        // state directory
	// refresh says the run refreshes a finished output; stopAt is then the
	// watermark: listing stops at PRs updated at or before it.
	refresh bool
	stopAt  time.Time
	mu      sync.Mutex // guards cp during the PR phase
	// synced is when the outputs and the checkpoint were last flushed to
	// disk. A killed process loses nothing that was written; fsync only
	// guards against power loss, so it runs every syncEvery, not per record.
	synced time.Time
}

// syncEvery is how often outputs and checkpoint are flushed to disk.
const syncEvery = 2 * time.Second

// Gather fetches PRs and issues into opts.OutDir, resuming an unfinished
// run with the same arguments, and returns the summary it wrote. The run
// writes its files under OutDir/.gather/run and moves them into OutDir only
// when it completes, so a failed run (a bad token, an unreachable server)
// leaves the files of the previous one byte-identical. Over an output a
// finished run with the same arguments made, it refreshes instead: only
// what was updated since is fetched, edited records are replaced in place
// and each file is replaced atomically once everything is fetched (see
// refresh.go); with other arguments or opts.Rebuild it starts over. The
// caller keeps other runs out of OutDir (see package outdir).
func Gather(ctx context.Context, c *Client, opts GatherOptions) (Summary, error) {
	if err := opts.Validate(); err != nil {
		return Summary{}, err
	}
	r := &gatherRun{c: c, opts: opts, state: filepath.Join(opts.OutDir, StateDir)}
	if opts.RepoDir != "" {
		l, err := openLocalRepo(opts.RepoDir)
		if err != nil {
			return Summary{}, err
		}
		r.local = l
		defer func() { r.local.Close() }()
	}
	if err := r.start(); err != nil {
		return Summary{}, err
	}
	err := r.run(ctx)
	if err != nil {
		// Keep the counts of the failed run for the next one.
		if serr := r.save(); serr != nil {
			opts.Logger.Warn("github: cannot save the checkpoint", "err", serr)
		}
		return Summary{}, redact(err, c.token)
	}
	return r.summary(), nil
}

// argsKey is the identity of a run: a resumed run must have the same.
func (o *GatherOptions) argsKey() string {
	since := ""
	if !o.Since.IsZero() {
		since = o.Since.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%s/%s state=%s max=%d since=%s comments=%t local=%t", o.Owner, o.Repo, o.State, o.MaxPRs, since, o.Comments, o.RepoDir != "")
}

func (r *gatherRun) checkpointPath() string { return filepath.Join(r.state, "checkpoint.json") }
func (r *gatherRun) planPath() string       { return filepath.Join(r.state, "plan.json") }

// start loads the checkpoint or begins a fresh run.
func (r *gatherRun) start() error {
	if err := os.MkdirAll(r.state, 0o755); err != nil {
		return fmt.Errorf("github: %w", err)
	}
	key := r.opts.argsKey()
	b, err := os.ReadFile(r.checkpointPath())
	switch {
	case err == nil:
		if err := json.Unmarshal(b, &r.cp); err != nil {
			return fmt.Errorf("github: %s: %w (remove it to start over)", r.checkpointPath(), err)
		}
		if r.cp.Phase == "publish" {
			// Killed while moving the files of a completed run in place.
			if err := r.publish(); err != nil {
				return err
			}
		}
		if r.cp.Phase != "done" && r.cp.Args != key {
			return fmt.Errorf("github: %s holds an unfinished run with other arguments (%s); use another output directory or delete it", r.opts.OutDir, r.cp.Args)
		}
		if r.cp.Phase != "done" {
			if !r.cp.Staged {
				// An earlier version wrote the files in OutDir itself.
				if err := r.adoptUnstaged(); err != nil {
					return err
				}
			}
			r.prior = r.cp.Counts
			r.opts.Logger.Info("github: resuming", "prs_written", r.cp.PRsWritten, "issues_written", r.cp.IssuesWritten, "phase", r.cp.Phase)
			return nil
		}
		if r.cp.Args == key && !r.opts.Rebuild && r.outputsPresent() {
			r.prior, r.refresh = r.cp.Counts, true
			return nil
		}
	case !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("github: %w", err)
	}
	r.cp = checkpoint{Args: key, Phase: "list", IssuesPage: 1, Staged: true}
	if err := os.RemoveAll(r.runPath("")); err != nil {
		return fmt.Errorf("github: %w", err)
	}
	if err := os.MkdirAll(r.runPath(""), 0o755); err != nil {
		return fmt.Errorf("github: %w", err)
	}
	for _, name := range []string{PRsFile, IssuesFile} {
		if err := os.WriteFile(r.runPath(name), nil, 0o644); err != nil {
			return fmt.Errorf("github: %w", err)
		}
	}
	return r.save()
}

// runPath is the path of a file of the run in progress.
func (r *gatherRun) runPath(name string) string { return filepath.Join(r.state, runDir, name) }

// adoptUnstaged moves the files of an unfinished run of an earlier version
// (written in OutDir) to where this version resumes them.
func (r *gatherRun) adoptUnstaged() error {
	if err := os.MkdirAll(r.runPath(""), 0o755); err != nil {
		return fmt.Errorf("github: %w", err)
	}
	for _, name := range []string{PRsFile, IssuesFile} {
		if err := os.Rename(filepath.Join(r.opts.OutDir, name), r.runPath(name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("github: %w", err)
		}
	}
	r.cp.Staged = true
	return r.save()
}

// publish moves the files of a completed run into OutDir (each rename is
// atomic; a run killed in between finishes the moves when it starts
// again) and marks the run done.
func (r *gatherRun) publish() error {
	for _, name := range []string{PRsFile, IssuesFile, SummaryFile} {
		err := os.Rename(r.runPath(name), filepath.Join(r.opts.OutDir, name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("github: %w", err)
		}
	}
	r.cp.Phase = "done"
	if err := r.save(); err != nil {
		return err
	}
	if err := os.RemoveAll(r.runPath("")); err != nil {
		return fmt.Errorf("github: %w", err)
	}
	return nil
}

// save writes the checkpoint atomically and durably.
func (r *gatherRun) save() error {
	return r.saveAfter(nil)
}

// saveAfter writes the checkpoint after the record just appended to out:
// atomically always, and durably (out synced first, then the checkpoint)
// when the last flush is older than syncEvery.
func (r *gatherRun) saveAfter(out *appendFile) error {
	r.cp.Counts = r.prior.Add(r.c.Counts())
	durable := out == nil || time.Since(r.synced) >= syncEvery
	if out != nil && durable {
		if err := out.Sync(); err != nil {
			return fmt.Errorf("github: %w", err)
		}
	}
	if err := writeJSONAtomicSync(r.checkpointPath(), r.cp, durable); err != nil {
		return fmt.Errorf("github: save checkpoint: %w", err)
	}
	if durable {
		r.synced = time.Now()
	}
	return nil
}

// outputsPresent reports whether both record files are as the finished
// run left them (their sizes are the checkpoint's); an output changed since
// is rebuilt.
func (r *gatherRun) outputsPresent() bool {
	for _, f := range []struct {
		name string
		size int64
	}{{PRsFile, r.cp.PRsBytes}, {IssuesFile, r.cp.IssuesBytes}} {
		st, err := os.Stat(filepath.Join(r.opts.OutDir, f.name))
		if err != nil || st.Size() != f.size {
			r.opts.Logger.Info("github: the output changed since its run finished; rebuilding it", "file", f.name)
			return false
		}
	}
	return true
}

func (r *gatherRun) run(ctx context.Context) error {
	if r.refresh {
		return r.runRefresh(ctx)
	}
	var plan []PR
	if r.cp.Phase == "list" {
		var err error
		if plan, err = r.listPRs(ctx); err != nil {
			return err
		}
		if err := writeJSONAtomic(r.planPath(), plan); err != nil {
			return fmt.Errorf("github: save plan: %w", err)
		}
		r.cp.Phase = "prs"
		if err := r.save(); err != nil {
			return err
		}
	} else if r.cp.Phase == "prs" {
		b, err := os.ReadFile(r.planPath())
		if err == nil {
			err = json.Unmarshal(b, &plan)
		}
		if err != nil {
			return fmt.Errorf("github: read plan %s: %w", r.planPath(), err)
		}
	}
	if r.cp.Phase == "prs" {
		if err := r.pullHeads(ctx, plan[min(r.cp.PRsWritten, len(plan)):]); err != nil {
			return err
		}
		if err := r.fetchPRs(ctx, plan); err != nil {
			return err
		}
		r.cp.Phase = "issues"
		if err := r.save(); err != nil {
			return err
		}
	}
	if r.cp.Phase == "issues" {
		if err := r.fetchIssues(ctx); err != nil {
			return err
		}
	}
	s := r.summary()
	if err := writeJSONAtomic(r.runPath(SummaryFile), s); err != nil {
		return fmt.Errorf("github: write summary: %w", err)
	}
	r.cp.Phase = "publish"
	if err := r.save(); err != nil {
		return err
	}
	if err := r.publish(); err != nil {
		return err
	}
	r.report("done", len(plan))
	return nil
}

// pullHeads fetches the PR heads the clone lacks, when a PR of todo needs
// one, and reopens the local repository where they now are. A failed fetch
// is logged, not returned.
func (r *gatherRun) pullHeads(ctx context.Context, todo []PR) error {
	if r.local == nil || r.opts.PullHeads == PullHeadsOff {
		return nil
	}
	missing := 0
	for i := range todo {
		if todo[i].Merged && todo[i].HeadSHA != "" && !r.local.has(ctx, todo[i].HeadSHA) {
			missing++
		}
	}
	if missing == 0 {
		return nil
	}
	dest := r.opts.PullHeadsDir
	if r.opts.PullHeads == PullHeadsClone {
		dest = ""
	}
	r.opts.Logger.Info("github: fetching the PR heads the clone lacks", "missing", missing, "into", cmp.Or(dest, r.opts.RepoDir))
	dir, err := fetchPullHeads(ctx, r.local.repo.Path(), dest)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r.opts.Logger.Info("github: cannot fetch the PR heads; squash commits and GitHub fill in", "err", redact(err, r.c.token))
		return nil
	}
	l, err := openLocalRepo(dir)
	if err != nil {
		return err
	}
	r.local.Close()
	r.local = l
	return nil
}

func (r *gatherRun) summary() Summary {
	return Summary{
		Owner: r.opts.Owner, Repo: r.opts.Repo, State: r.opts.State,
		PRs: r.cp.PRsWritten, Merged: r.cp.Merged, WithLinkedIssues: r.cp.WithLinked,
		Issues: r.cp.IssuesWritten, PRsLocal: r.cp.PRsLocal, API: map[bool]string{false: "rest", true: "graphql"}[r.cp.GraphQL],
		RequestCounts: r.prior.Add(r.c.Counts()),
		FinishedAt:    time.Now().UTC().Truncate(time.Second),
	}
}

func (r *gatherRun) report(phase string, total int) {
	if r.opts.Progress == nil {
		return
	}
	r.opts.Progress(Progress{Phase: phase, PRsDone: r.cp.PRsWritten, PRsTotal: total, Issues: r.cp.IssuesWritten,
		Requests: r.c.Counts().Requests, RateRemaining: r.c.RateRemaining()})
}

// listPRs lists the PRs the options select, through GraphQL when the
// server answers it, else through REST.
func (r *gatherRun) listPRs(ctx context.Context) ([]PR, error) {
	if !r.opts.RESTOnly {
		plan, err := r.listPRsGraphQL(ctx)
		if err == nil {
			r.cp.GraphQL = true
			return plan, nil
		}
		if ctx.Err() != nil || !errors.Is(err, errGraphQLUnavailable) {
			return nil, err
		}
		r.opts.Logger.Info("github: no GraphQL, listing through REST", "err", err)
	}
	r.cp.GraphQL = false
	return r.listPRsREST(ctx)
}

// errGraphQLUnavailable marks a first GraphQL request that failed: the
// server has no GraphQL endpoint or refuses it, and REST is used instead.
var errGraphQLUnavailable = errors.New("GraphQL unavailable")

// keep applies the Since, State and MaxPRs selection to the PRs listed so
// far, most recently updated first; it reports whether to list on.
func (r *gatherRun) keep(plan *[]PR, pr PR) bool {
	o := r.opts
	if !o.Since.IsZero() && pr.UpdatedAt.Before(o.Since) {
		return false
	}
	if !r.stopAt.IsZero() && !pr.UpdatedAt.After(r.stopAt) {
		return false // a refresh has the rest
	}
	if o.State == "merged" && pr.MergedAt == nil {
		return true
	}
	*plan = append(*plan, pr)
	return o.MaxPRs == 0 || len(*plan) < o.MaxPRs
}

// listPRsGraphQL pages through the pull requests with GraphQL, 100 a
// request. An error of the first request wraps errGraphQLUnavailable.
func (r *gatherRun) listPRsGraphQL(ctx context.Context) ([]PR, error) {
	o := r.opts
	vars := map[string]any{"owner": o.Owner, "name": o.Repo, "after": nil, "first": gqlMaxPage}
	switch o.State {
	case "merged":
		vars["states"] = []string{"MERGED"}
	case "closed":
		vars["states"] = []string{"MERGED", "CLOSED"}
	default:
		vars["states"] = nil
	}
	plan := []PR{}
	for page := 1; ; page++ {
		var data struct {
			Repository *struct {
				PullRequests struct {
					PageInfo gqlPageInfo `json:"pageInfo"`
					Nodes    []gqlPR     `json:"nodes"`
				} `json:"pullRequests"`
			} `json:"repository"`
		}
		err := r.c.graphQL(ctx, fmt.Sprintf("list pull requests of %s/%s (GraphQL page %d)", o.Owner, o.Repo, page), gqlPRQuery, vars, &data)
		if first := vars["first"].(int); err != nil && ctx.Err() == nil && isTimeout(err) && first > gqlMinPage {
			// GitHub times out on large pages: ask for half as many.
			vars["first"] = max(first/2, gqlMinPage)
			r.opts.Logger.Info("github: GraphQL page failed, asking for fewer PRs a page", "page", page, "first", vars["first"], "err", err)
			page--
			continue
		}
		if err == nil && data.Repository == nil {
			err = fmt.Errorf("github: %s/%s: no repository in the GraphQL answer", o.Owner, o.Repo)
		}
		if err != nil {
			if page == 1 {
				return nil, fmt.Errorf("%w: %w", errGraphQLUnavailable, err)
			}
			return nil, err
		}
		conn := data.Repository.PullRequests
		for _, n := range conn.Nodes {
			if !r.keep(&plan, prFromGraphQL(n)) {
				return plan, nil
			}
		}
		r.report("list", len(plan))
		if !conn.PageInfo.HasNextPage {
			return plan, nil
		}
		vars["after"] = conn.PageInfo.EndCursor
	}
}

// listPRsREST pages through the pull requests, most recently updated
// first, and keeps those the options select.
func (r *gatherRun) listPRsREST(ctx context.Context) ([]PR, error) {
	o := r.opts
	state := "closed"
	if o.State == "all" {
		state = "all"
	}
	opt := &gh.PullRequestListOptions{State: state, Sort: "updated", Direction: "desc"}
	plan := []PR{}
	err := listPages(ctx, r.c, fmt.Sprintf("list pull requests of %s/%s", o.Owner, o.Repo), 1,
		func(page gh.ListOptions) ([]*gh.PullRequest, *gh.Response, error) {
			opt.ListOptions = page
			return r.c.api.PullRequests.List(ctx, o.Owner, o.Repo, opt)
		},
		func(prs []*gh.PullRequest, _ int) (bool, error) {
			for _, p := range prs {
				if !r.keep(&plan, prFromAPI(p)) {
					return false, nil
				}
			}
			r.report("list", len(plan))
			return true, nil
		})
	return plan, err
}

// prFromAPI converts a listed pull request; commits, files and patch come later.
func prFromAPI(p *gh.PullRequest) PR {
	pr := PR{
		Number: p.GetNumber(), Title: p.GetTitle(), Body: p.GetBody(), State: p.GetState(),
		Merged: p.MergedAt != nil, CreatedAt: p.GetCreatedAt().Time.UTC(), UpdatedAt: p.GetUpdatedAt().Time.UTC(),
		Author: p.GetUser().GetLogin(), BaseRef: p.GetBase().GetRef(), HeadRef: p.GetHead().GetRef(),
		BaseSHA: p.GetBase().GetSHA(), HeadSHA: p.GetHead().GetSHA(), MergeCommitSHA: p.GetMergeCommitSHA(),
		Labels: []string{},
	}
	if p.MergedAt != nil {
		t := p.MergedAt.Time.UTC()
		pr.MergedAt = &t
	}
	for _, l := range p.Labels {
		pr.Labels = append(pr.Labels, l.GetName())
	}
	return pr
}

// fetchPRs completes the planned PRs from the checkpoint on, a few at a
// time, and appends them in plan order.
func (r *gatherRun) fetchPRs(ctx context.Context, plan []PR) error {
	out, err := openAppend(r.runPath(PRsFile), r.cp.PRsBytes)
	if err != nil {
		return err
	}
	defer out.Close()

	todo := plan[min(r.cp.PRsWritten, len(plan)):]
	results := make([]chan PR, len(todo))
	for i := range results {
		results[i] = make(chan PR, 1)
	}
	g, gctx := errgroup.WithContext(ctx)
	window := make(chan struct{}, 2*r.opts.Concurrency) // PRs fetched ahead of the writer
	jobs := make(chan int)
	g.Go(func() error {
		defer close(jobs)
		for i := range todo {
			select {
			case window <- struct{}{}:
			case <-gctx.Done():
				return nil
			}
			select {
			case jobs <- i:
			case <-gctx.Done():
				return nil
			}
		}
		return nil
	})
	for range r.opts.Concurrency {
		g.Go(func() error {
			for i := range jobs {
				pr := todo[i]
				if err := r.completePR(gctx, &pr); err != nil {
					return err
				}
				results[i] <- pr
			}
			return nil
		})
	}
	g.Go(func() error {
		for i := range todo {
			var pr PR
			select {
			case pr = <-results[i]:
			case <-gctx.Done():
				return nil
			}
			<-window
			if err := r.writePR(out, pr); err != nil {
				return err
			}
			r.report("prs", len(plan))
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return out.Sync()
}

func (r *gatherRun) writePR(out *appendFile, pr PR) error {
	pr.normalize()
	n, err := out.appendJSON(pr)
	if err != nil {
		return fmt.Errorf("github: PR #%d: %w", pr.Number, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cp.PRsWritten++
	r.cp.PRsBytes += n
	if pr.Merged {
		r.cp.Merged++
	}
	if len(pr.LinkedIssues) > 0 {
		r.cp.WithLinked++
	}
	if strings.HasPrefix(pr.PatchSource, "local") {
		r.cp.PRsLocal++
	}
	return r.saveAfter(out)
}

// completePR fills commits, files, patch and links of a listed PR. A PR
// listed through GraphQL has its commits (when it has at most 100) and
// GitHub's closing references already.
func (r *gatherRun) completePR(ctx context.Context, pr *PR) error {
	known := pr.Commits
	haveCommits, havePatch := false, false
	if r.local != nil {
		var err error
		if haveCommits, havePatch, err = r.local.fill(ctx, pr); err != nil {
			r.opts.Logger.Debug("github: PR not in the local clone, asking GitHub", "pr", pr.Number, "err", err)
		}
	}
	if known != nil && pr.PatchSource != "local" {
		// GitHub's list has every commit's SHA; a squash message has not.
		pr.Commits, haveCommits = known, true
		if pr.PatchSource == "local-squash" {
			pr.PatchSource = "local-merge"
		}
	}
	if !haveCommits {
		if err := r.fetchCommits(ctx, pr); err != nil {
			return err
		}
	}
	if !havePatch {
		if err := r.fetchPatch(ctx, pr); err != nil {
			return err
		}
	}
	if pr.Files == nil {
		files, err := ParseDiffFiles(pr.Patch)
		if err != nil {
			return fmt.Errorf("github: PR #%d: %w", pr.Number, err)
		}
		pr.Files = files
	}
	o := r.opts
	closing := pr.LinkedRefs // GitHub's, from GraphQL
	cl, mentions := ParseLinksOn(r.c.host, o.Owner, o.Repo, pr.Body)
	for _, ref := range cl {
		closing = appendRef(closing, ref)
	}
	for _, c := range pr.Commits {
		cl, me := ParseLinksOn(r.c.host, o.Owner, o.Repo, c.Message)
		for _, ref := range cl {
			closing = appendRef(closing, ref)
		}
		mentions = append(mentions, me...)
	}
	pr.LinkedRefs = closing
	pr.Mentions = []IssueRef{}
	for _, m := range mentions {
		if !containsRef(closing, m) {
			pr.Mentions = appendRef(pr.Mentions, m)
		}
	}
	pr.LinkedIssues = sameRepoNumbers(o.Owner, o.Repo, closing)
	return nil
}

// fetchCommits lists a PR's commits (GitHub serves at most 250).
func (r *gatherRun) fetchCommits(ctx context.Context, pr *PR) error {
	pr.Commits = []PRCommit{}
	return listPages(ctx, r.c, fmt.Sprintf("PR #%d: list commits", pr.Number), 1,
		func(page gh.ListOptions) ([]*gh.RepositoryCommit, *gh.Response, error) {
			return r.c.api.PullRequests.ListCommits(ctx, r.opts.Owner, r.opts.Repo, pr.Number, &page)
		},
		func(commits []*gh.RepositoryCommit, _ int) (bool, error) {
			for _, c := range commits {
				pr.Commits = append(pr.Commits, PRCommit{SHA: c.GetSHA(), Message: c.GetCommit().GetMessage()})
			}
			return true, nil
		})
}

// fetchPatch gets the PR's diff; when GitHub refuses it as too large (406)
// it pages through the files and joins their patches.
func (r *gatherRun) fetchPatch(ctx context.Context, pr *PR) error {
	var diff string
	err := r.c.call(ctx, fmt.Sprintf("PR #%d: get diff", pr.Number), func() (*gh.Response, error) {
		var resp *gh.Response
		var err error
		diff, resp, err = r.c.api.PullRequests.GetRaw(ctx, r.opts.Owner, r.opts.Repo, pr.Number, gh.RawOptions{Type: gh.Diff})
		return resp, err
	})
	if err == nil {
		pr.Patch, pr.PatchSource = diff, "diff"
		return nil
	}
	if !isStatus(err, http.StatusNotAcceptable) {
		return err
	}
	r.opts.Logger.Info("github: diff too large, joining the files' patches", "pr", pr.Number)
	var patch strings.Builder
	pr.Files = PRFiles{}
	err = listPages(ctx, r.c, fmt.Sprintf("PR #%d: list files", pr.Number), 1,
		func(page gh.ListOptions) ([]*gh.CommitFile, *gh.Response, error) {
			return r.c.api.PullRequests.ListFiles(ctx, r.opts.Owner, r.opts.Repo, pr.Number, &page)
		},
		func(files []*gh.CommitFile, _ int) (bool, error) {
			for _, f := range files {
				pr.Files = append(pr.Files, change.File{Path: f.GetFilename(), OldPath: f.GetPreviousFilename(), Status: FileStatus(f.GetStatus()),
					Additions: f.GetAdditions(), Deletions: f.GetDeletions()})
				writeFilePatch(&patch, f)
			}
			return true, nil
		})
	pr.Patch, pr.PatchSource = patch.String(), "files"
	return err
}

// writeFilePatch renders one file of the files API as a git diff section.
func writeFilePatch(b *strings.Builder, f *gh.CommitFile) {
	oldPath, newPath := f.GetFilename(), f.GetFilename()
	if f.GetPreviousFilename() != "" {
		oldPath = f.GetPreviousFilename()
	}
	fmt.Fprintf(b, "diff --git a/%s b/%s\n", oldPath, newPath)
	from, to := "a/"+oldPath, "b/"+newPath
	switch f.GetStatus() {
	case "added":
		b.WriteString("new file mode 100644\n")
		from = "/dev/null"
	case "removed":
		b.WriteString("deleted file mode 100644\n")
		to = "/dev/null"
	case "renamed":
		fmt.Fprintf(b, "rename from %s\nrename to %s\n", oldPath, newPath)
	}
	if f.GetPatch() == "" {
		return
	}
	fmt.Fprintf(b, "--- %s\n+++ %s\n%s\n", from, to, strings.TrimSuffix(f.GetPatch(), "\n"))
}

// fetchIssues pages through all issues (pull requests dropped), from the
// checkpoint's page on, appending each page's issues.
func (r *gatherRun) fetchIssues(ctx context.Context) error {
	o := r.opts
	if r.cp.IssuesPage < 0 {
		return nil // all pages written by an earlier run
	}
	comments := map[int][]Comment{}
	if o.Comments {
		var err error
		if comments, err = r.fetchComments(ctx, time.Time{}); err != nil {
			return err
		}
	}
	out, err := openAppend(r.runPath(IssuesFile), r.cp.IssuesBytes)
	if err != nil {
		return err
	}
	defer out.Close()
	if r.cp.GraphQL {
		return r.fetchIssuesGraphQL(ctx, out, comments)
	}
	opt := &gh.IssueListByRepoOptions{State: "all", Sort: "created", Direction: "asc"}
	err = listPages(ctx, r.c, fmt.Sprintf("list issues of %s/%s", o.Owner, o.Repo), r.cp.IssuesPage,
		func(page gh.ListOptions) ([]*gh.Issue, *gh.Response, error) {
			opt.ListOptions = page
			return r.c.api.Issues.ListByRepo(ctx, o.Owner, o.Repo, opt)
		},
		func(issues []*gh.Issue, next int) (bool, error) {
			// The checkpoint takes a page whole: a page cut short by an
			// error is cut from the file on resume and fetched again.
			written, size := 0, int64(0)
			for _, it := range issues {
				if it.IsPullRequest() {
					continue
				}
				issue := issueFromAPI(it, comments[it.GetNumber()])
				n, err := out.appendJSON(issue)
				if err != nil {
					return false, fmt.Errorf("github: issue #%d: %w", issue.Number, err)
				}
				written++
				size += n
			}
			r.cp.IssuesWritten += written
			r.cp.IssuesBytes += size
			r.cp.IssuesPage = next
			if next == 0 {
				r.cp.IssuesPage = -1 // done
			}
			if err := r.saveAfter(out); err != nil {
				return false, err
			}
			r.report("issues", r.cp.PRsWritten)
			return true, nil
		})
	if err != nil {
		return err
	}
	return out.Sync()
}

// fetchIssuesGraphQL pages through the issues with GraphQL from the
// checkpoint's cursor on, appending each page's issues; the checkpoint
// takes a page whole, like the REST listing.
func (r *gatherRun) fetchIssuesGraphQL(ctx context.Context, out *appendFile, comments map[int][]Comment) error {
	o := r.opts
	vars := map[string]any{"owner": o.Owner, "name": o.Repo, "after": nil}
	if r.cp.IssuesCursor != "" {
		vars["after"] = r.cp.IssuesCursor
	}
	for {
		var data struct {
			Repository *struct {
				Issues struct {
					PageInfo gqlPageInfo `json:"pageInfo"`
					Nodes    []gqlIssue  `json:"nodes"`
				} `json:"issues"`
			} `json:"repository"`
		}
		what := fmt.Sprintf("list issues of %s/%s (GraphQL page %d)", o.Owner, o.Repo, r.cp.IssuesPage)
		if err := r.c.graphQL(ctx, what, gqlIssueQuery, vars, &data); err != nil {
			return err
		}
		if data.Repository == nil {
			return fmt.Errorf("github: %s: no repository in the GraphQL answer", what)
		}
		conn := data.Repository.Issues
		written, size := 0, int64(0)
		for _, n := range conn.Nodes {
			issue := issueFromGraphQL(n)
			issue.Comments = comments[issue.Number]
			issue.normalize()
			b, err := out.appendJSON(issue)
			if err != nil {
				return fmt.Errorf("github: issue #%d: %w", issue.Number, err)
			}
			written++
			size += b
		}
		r.cp.IssuesWritten += written
		r.cp.IssuesBytes += size
		r.cp.IssuesPage++
		r.cp.IssuesCursor = conn.PageInfo.EndCursor
		if !conn.PageInfo.HasNextPage {
			r.cp.IssuesPage = -1 // done
		}
		if err := r.saveAfter(out); err != nil {
			return err
		}
		r.report("issues", r.cp.PRsWritten)
		if !conn.PageInfo.HasNextPage {
			return out.Sync()
		}
		vars["after"] = conn.PageInfo.EndCursor
	}
}

func issueFromAPI(it *gh.Issue, comments []Comment) Issue {
	issue := Issue{
		Number: it.GetNumber(), Title: it.GetTitle(), Body: it.GetBody(), State: it.GetState(),
		Author: it.GetUser().GetLogin(), CreatedAt: it.GetCreatedAt().Time.UTC(), UpdatedAt: it.GetUpdatedAt().Time.UTC(),
		Labels: []string{}, Comments: comments,
	}
	if it.ClosedAt != nil {
		t := it.ClosedAt.Time.UTC()
		issue.ClosedAt = &t
	}
	for _, l := range it.Labels {
		issue.Labels = append(issue.Labels, l.GetName())
	}
	issue.normalize()
	return issue
}

// fetchComments lists the issue comments of the repository made since
// since (all of them when since is zero; one request per 100 comments, not
// one per issue), grouped by issue number.
func (r *gatherRun) fetchComments(ctx context.Context, since time.Time) (map[int][]Comment, error) {
	o := r.opts
	sort, dir := "created", "asc"
	opt := &gh.IssueListCommentsOptions{Sort: &sort, Direction: &dir}
	what := fmt.Sprintf("list issue comments of %s/%s", o.Owner, o.Repo)
	if !since.IsZero() {
		opt.Since = &since
		what += " since " + since.Format(time.RFC3339)
	}
	byIssue := map[int][]Comment{}
	err := listPages(ctx, r.c, what, 1,
		func(page gh.ListOptions) ([]*gh.IssueComment, *gh.Response, error) {
			opt.ListOptions = page
			return r.c.api.Issues.ListComments(ctx, o.Owner, o.Repo, 0, opt)
		},
		func(comments []*gh.IssueComment, _ int) (bool, error) {
			for _, c := range comments {
				if n := issueNumberFromURL(c.GetIssueURL()); n > 0 {
					byIssue[n] = append(byIssue[n], Comment{Author: c.GetUser().GetLogin(), Body: c.GetBody(), CreatedAt: c.GetCreatedAt().Time.UTC()})
				}
			}
			return true, nil
		})
	return byIssue, err
}

// listPages fetches the pages of a listing from page first on, 100 items a
// page, and hands each to visit with the next page's number (0 after the
// last); visit returns false to stop early. what names the listing in
// errors.
func listPages[T any](ctx context.Context, c *Client, what string, first int,
	fetch func(page gh.ListOptions) ([]T, *gh.Response, error), visit func(items []T, next int) (bool, error)) error {
	for page := max(first, 1); ; {
		var items []T
		var resp *gh.Response
		err := c.call(ctx, fmt.Sprintf("%s (page %d)", what, page), func() (*gh.Response, error) {
			var err error
			items, resp, err = fetch(gh.ListOptions{PerPage: 100, Page: page})
			return resp, err
		})
		if err != nil {
			return err
		}
		more, err := visit(items, resp.NextPage)
		if err != nil || !more || resp.NextPage == 0 {
			return err
		}
		page = resp.NextPage
	}
}

// issueNumberFromURL reads N from ".../issues/N".
func issueNumberFromURL(u string) int {
	i := strings.LastIndex(u, "/issues/")
	if i < 0 {
		return 0
	}
	var n int
	if _, err := fmt.Sscanf(u[i+len("/issues/"):], "%d", &n); err != nil {
		return 0
	}
	return n
}
