package github

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	gh "github.com/google/go-github/v66/github"
	"golang.org/x/sync/errgroup"

	"github.com/sftforge/sftforge/outdir"
)

// A refresh re-runs Gather over an output a finished run with the same
// arguments made. It fetches only the PRs and issues updated after the
// newest ones the output holds (the watermarks, read from the records), with
// conditional requests where REST has them, then rewrites prs.jsonl and
// issues.jsonl: a record edited on GitHub replaces its line in place, a new
// PR goes first (the file is most recently updated first), a new issue
// last (the file is oldest first); no number appears twice. Everything is
// fetched before anything is written, and each file is replaced atomically:
// a refresh that fails leaves the output as it was, and one killed between
// the two renames is completed by the next run (replacing is idempotent).

// recordHead is what a refresh reads of every record: its identity, its
// watermark and what the summary counts.
type recordHead struct {
	Number       int       `json:"number"`
	UpdatedAt    time.Time `json:"updated_at"`
	Merged       bool      `json:"merged"`
	LinkedIssues []int     `json:"linked_issues"`
	PatchSource  string    `json:"patch_source"`
}

// scanRecords calls visit with every line of a JSONL file and its head.
func scanRecords(path string, visit func(line []byte, h recordHead) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("github: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if err == io.EOF && len(line) == 0 {
			return nil
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("github: %s:%d: %w", path, n, err)
		}
		if err == io.EOF {
			return fmt.Errorf("github: %s:%d: truncated record (no newline at end of file)", path, n)
		}
		var h recordHead
		if err := json.Unmarshal(line, &h); err != nil {
			return fmt.Errorf("github: %s:%d: %w", path, n, err)
		}
		if err := visit(line, h); err != nil {
			return err
		}
	}
}

// watermark returns the newest updated_at of a JSONL file's records.
func watermark(path string) (time.Time, error) {
	var w time.Time
	err := scanRecords(path, func(_ []byte, h recordHead) error {
		if h.UpdatedAt.After(w) {
			w = h.UpdatedAt
		}
		return nil
	})
	return w, err
}

// runRefresh brings a finished output up to date.
func (r *gatherRun) runRefresh(ctx context.Context) error {
	o := r.opts
	prsPath, issuesPath := filepath.Join(o.OutDir, PRsFile), filepath.Join(o.OutDir, IssuesFile)
	prMark, err := watermark(prsPath)
	if err != nil {
		return err
	}
	issueMark, err := watermark(issuesPath)
	if err != nil {
		return err
	}
	// The last run listed the issues after the PRs: an issue updated
	// before the newest PR it saw was seen in its latest state too.
	if prMark.After(issueMark) {
		issueMark = prMark
	}
	r.opts.Logger.Info("github: refreshing", "prs_updated_after", prMark.Format(time.RFC3339), "issues_updated_after", issueMark.Format(time.RFC3339))

	r.stopAt = prMark
	if prMark.IsZero() {
		r.stopAt = time.Unix(0, 0) // an empty output: everything is new
	}
	plan, err := r.listPRs(ctx)
	if err != nil {
		return err
	}
	if err := r.pullHeads(ctx, plan); err != nil {
		return err
	}
	changed := make([]PR, len(plan))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.Concurrency)
	for i := range plan {
		g.Go(func() error {
			pr := plan[i]
			if err := r.completePR(gctx, &pr); err != nil {
				return err
			}
			pr.normalize()
			changed[i] = pr
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	issues, err := r.changedIssues(ctx, issueMark, issuesPath)
	if err != nil {
		return err
	}

	// Everything is fetched: write.
	newPRs, err := rewriteRecords(prsPath, changed, true, o.MaxPRs)
	if err != nil {
		return err
	}
	newIssues, err := rewriteRecords(issuesPath, issues, false, 0)
	if err != nil {
		return err
	}
	r.opts.Logger.Info("github: refreshed", "prs_changed", len(changed), "prs_new", newPRs, "issues_changed", len(issues), "issues_new", newIssues)
	if err := r.recount(prsPath, issuesPath); err != nil {
		return err
	}
	s := r.summary()
	if err := writeJSONAtomic(filepath.Join(o.OutDir, SummaryFile), s); err != nil {
		return fmt.Errorf("github: write summary: %w", err)
	}
	r.report("done", len(plan))
	return r.save()
}

// changedIssues lists the issues updated after mark, with their comments
// (the stored ones and those added since) when the options ask for them.
func (r *gatherRun) changedIssues(ctx context.Context, mark time.Time, path string) ([]Issue, error) {
	o := r.opts
	var issues []Issue
	if r.cp.GraphQL {
		vars := map[string]any{"owner": o.Owner, "name": o.Repo, "after": nil, "since": mark.UTC().Format(time.RFC3339)}
		for page := 1; ; page++ {
			var data struct {
				Repository *struct {
					Issues struct {
						PageInfo gqlPageInfo `json:"pageInfo"`
						Nodes    []gqlIssue  `json:"nodes"`
					} `json:"issues"`
				} `json:"repository"`
			}
			what := fmt.Sprintf("list issues of %s/%s updated since %s (GraphQL page %d)", o.Owner, o.Repo, mark.Format(time.RFC3339), page)
			if err := r.c.graphQL(ctx, what, gqlIssueSinceQuery, vars, &data); err != nil {
				return nil, err
			}
			if data.Repository == nil {
				return nil, fmt.Errorf("github: %s: no repository in the GraphQL answer", what)
			}
			for _, n := range data.Repository.Issues.Nodes {
				if n.UpdatedAt.After(mark) {
					issues = append(issues, issueFromGraphQL(n))
				}
			}
			if !data.Repository.Issues.PageInfo.HasNextPage {
				break
			}
			vars["after"] = data.Repository.Issues.PageInfo.EndCursor
		}
	} else {
		opt := &gh.IssueListByRepoOptions{State: "all", Sort: "updated", Direction: "asc", Since: mark}
		err := listPages(ctx, r.c, fmt.Sprintf("list issues of %s/%s updated since %s", o.Owner, o.Repo, mark.Format(time.RFC3339)), 1,
			func(page gh.ListOptions) ([]*gh.Issue, *gh.Response, error) {
				opt.ListOptions = page
				return r.c.api.Issues.ListByRepo(ctx, o.Owner, o.Repo, opt)
			},
			func(items []*gh.Issue, _ int) (bool, error) {
				for _, it := range items {
					if !it.IsPullRequest() && it.GetUpdatedAt().After(mark) {
						issues = append(issues, issueFromAPI(it, nil))
					}
				}
				return true, nil
			})
		if err != nil {
			return nil, err
		}
	}
	if !o.Comments || len(issues) == 0 {
		for i := range issues {
			issues[i].normalize()
		}
		return issues, nil
	}
	// A new comment updates its issue: the changed issues get their
	// stored comments and those made since the watermark.
	old := map[int][]Comment{}
	want := map[int]bool{}
	for _, is := range issues {
		want[is.Number] = true
	}
	stored, err := ReadIssues(path)
	if err != nil {
		return nil, err
	}
	for _, is := range stored {
		if want[is.Number] {
			old[is.Number] = is.Comments
		}
	}
	added, err := r.fetchComments(ctx, mark)
	if err != nil {
		return nil, err
	}
	for i := range issues {
		cs := old[issues[i].Number]
		for _, c := range added[issues[i].Number] {
			if !slices.Contains(cs, c) {
				cs = append(cs, c)
			}
		}
		issues[i].Comments = cs
		issues[i].normalize()
	}
	return issues, nil
}

// gqlIssueSinceQuery is a page of the issues updated since $since.
var gqlIssueSinceQuery = strings.Replace(strings.Replace(gqlIssueQuery,
	"$after: String)", "$after: String, $since: DateTime)", 1),
	"orderBy: {field: CREATED_AT, direction: ASC})", "orderBy: {field: UPDATED_AT, direction: ASC}, filterBy: {since: $since})", 1)

// numbered is a record with a number: PR or Issue.
type numbered interface{ PR | Issue }

func numberOf[T numbered](v T) int {
	switch x := any(v).(type) {
	case PR:
		return x.Number
	case Issue:
		return x.Number
	}
	return 0
}

// rewriteRecords replaces path atomically by its records with changed
// merged in: a changed record replaces the line of the same number, the
// others are added first (prepend) or last. keep > 0 keeps the first keep
// records. It returns the number of records added.
func rewriteRecords[T numbered](path string, changed []T, prepend bool, keep int) (int, error) {
	if len(changed) == 0 {
		return 0, nil
	}
	byNumber := map[int]T{}
	for _, c := range changed {
		byNumber[numberOf(c)] = c
	}
	present := map[int]bool{}
	if err := scanRecords(path, func(_ []byte, h recordHead) error {
		present[h.Number] = true
		return nil
	}); err != nil {
		return 0, err
	}
	var added []T
	for _, c := range changed {
		if !present[numberOf(c)] {
			added = append(added, c)
		}
	}
	tmp, err := outdir.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".") // 0644 less the umask, like the file it replaces
	if err != nil {
		return 0, fmt.Errorf("github: %w", err)
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<16)
	written := 0
	emit := func(v T) error {
		if keep > 0 && written >= keep {
			return nil
		}
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		written++
		_, err = w.Write(append(b, '\n'))
		return err
	}
	if prepend {
		for _, a := range added {
			if err := emit(a); err != nil {
				tmp.Close()
				return 0, fmt.Errorf("github: %s: %w", path, err)
			}
		}
	}
	err = scanRecords(path, func(line []byte, h recordHead) error {
		if c, ok := byNumber[h.Number]; ok {
			return emit(c)
		}
		if keep > 0 && written >= keep {
			return nil
		}
		written++
		_, err := w.Write(line)
		return err
	})
	if err == nil && !prepend {
		for _, a := range added {
			if err = emit(a); err != nil {
				break
			}
		}
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return 0, fmt.Errorf("github: rewrite %s: %w", path, err)
	}
	return len(added), nil
}

// recount sets the checkpoint's record counts and sizes from the files.
func (r *gatherRun) recount(prsPath, issuesPath string) error {
	cp := &r.cp
	cp.PRsWritten, cp.Merged, cp.WithLinked, cp.PRsLocal, cp.IssuesWritten = 0, 0, 0, 0, 0
	err := scanRecords(prsPath, func(_ []byte, h recordHead) error {
		cp.PRsWritten++
		if h.Merged {
			cp.Merged++
		}
		if len(h.LinkedIssues) > 0 {
			cp.WithLinked++
		}
		if strings.HasPrefix(h.PatchSource, "local") {
			cp.PRsLocal++
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := scanRecords(issuesPath, func(_ []byte, _ recordHead) error {
		cp.IssuesWritten++
		return nil
	}); err != nil {
		return err
	}
	for _, p := range []struct {
		path string
		size *int64
	}{{prsPath, &cp.PRsBytes}, {issuesPath, &cp.IssuesBytes}} {
		st, err := os.Stat(p.path)
		if err != nil {
			return fmt.Errorf("github: %w", err)
		}
		*p.size = st.Size()
	}
	return nil
}
