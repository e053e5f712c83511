package sample

import (
	"bytes"
	"cmp"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/gitlog"
)

// pullRequests returns the PR records of the fixture's merged pull requests,
// newest first as gather writes them.
func pullRequests(owner, name string, fx *fixture, h *history, repo *gitlog.Repository) ([]github.PR, error) {
	byHash := map[plumbing.Hash]*builtCommit{}
	for _, c := range h.ByStep {
		byHash[c.Hash] = c
	}
	var prs []github.PR
	for _, st := range fx.Steps {
		meta := st.Meta.PR
		if meta == nil {
			continue
		}
		c := h.ByStep[st.Name]
		pr, err := pullRequest(owner, name, st, c, byHash, h, repo)
		if err != nil {
			return nil, fmt.Errorf("sample: step %s: pr #%d: %w", st.Name, meta.Number, err)
		}
		prs = append(prs, pr)
	}
	slices.SortStableFunc(prs, func(a, b github.PR) int { return b.MergedAt.Compare(*a.MergedAt) })
	return prs, nil
}

// pullRequest builds the record of the PR that commit c merged.
func pullRequest(owner, name string, st *step, c *builtCommit, byHash map[plumbing.Hash]*builtCommit, h *history, repo *gitlog.Repository) (github.PR, error) {
	meta := st.Meta.PR
	created, _ := time.Parse(time.RFC3339, meta.CreatedAt) // checked by parseStep
	merged := st.When.UTC()
	pr := github.PR{
		Number:         meta.Number,
		Title:          meta.Title,
		Body:           meta.Body,
		State:          "closed",
		Merged:         true,
		MergedAt:       &merged,
		CreatedAt:      created.UTC(),
		UpdatedAt:      merged,
		Author:         meta.Author,
		Labels:         slices.Clone(meta.Labels),
		BaseRef:        mainBranch,
		HeadRef:        meta.HeadRef,
		MergeCommitSHA: c.Hash.String(),
		PatchSource:    "diff",
	}
	if st.Meta.Merge != "" {
		// A true merge: the PR's commits are the branch's, and its diff
		// runs from the fork point to the branch tip.
		br := h.Branches[st.Meta.Merge]
		pr.BaseSHA, pr.HeadSHA = br.Fork.Hash.String(), br.Tip.Hash.String()
		for _, bc := range br.Commits {
			pr.Commits = append(pr.Commits, github.PRCommit{SHA: bc.Hash.String(), Message: bc.Message})
		}
		patch, err := prPatch(repo, br.Fork.Hash, br.Tip.Hash)
		if err != nil {
			return github.PR{}, err
		}
		pr.Patch = patch
	} else {
		// A squash merge: the PR's own commits never reach the history.
		if len(c.Parents) == 0 {
			return github.PR{}, fmt.Errorf("the first commit merges no pull request")
		}
		parent := byHash[c.Parents[0]]
		pr.BaseSHA = parent.Hash.String()
		for i, msg := range meta.Commits {
			pr.Commits = append(pr.Commits, github.PRCommit{SHA: squashedCommitSHA(meta.Number, i, msg), Message: msg})
		}
		pr.HeadSHA = pr.Commits[len(pr.Commits)-1].SHA
		patch, err := prPatch(repo, parent.Hash, c.Hash)
		if err != nil {
			return github.PR{}, err
		}
		pr.Patch = patch
	}
	files, err := github.ParseDiffFiles(pr.Patch)
	if err != nil {
		return github.PR{}, err
	}
	pr.Files = files
	texts := []string{pr.Body}
	for _, pc := range pr.Commits {
		texts = append(texts, pc.Message)
	}
	pr.LinkedIssues, pr.LinkedRefs, pr.Mentions = []int{}, []github.IssueRef{}, []github.IssueRef{}
	for _, text := range texts {
		closing, mentions := github.ParseLinks(owner, name, text)
		for _, ref := range closing {
			if !slices.Contains(pr.LinkedRefs, ref) {
				pr.LinkedRefs = append(pr.LinkedRefs, ref)
			}
			if ref.Owner == owner && ref.Repo == name && !slices.Contains(pr.LinkedIssues, ref.Number) {
				pr.LinkedIssues = append(pr.LinkedIssues, ref.Number)
			}
		}
		for _, ref := range mentions {
			if !slices.Contains(pr.Mentions, ref) && !slices.Contains(pr.LinkedRefs, ref) {
				pr.Mentions = append(pr.Mentions, ref)
			}
		}
	}
	if pr.Labels == nil {
		pr.Labels = []string{}
	}
	return pr, nil
}

// squashedCommitSHA names a PR commit that a squash merge left out of the
// history: a stable made-up hash that no object in the repository has.
func squashedCommitSHA(pr, i int, message string) string {
	sum := sha1.Sum(fmt.Appendf(nil, "sample squashed commit of #%d, %d\n%s", pr, i, message))
	return hex.EncodeToString(sum[:])
}

// issues returns the issue records, newest first. Errors name the issue.
func issues(fx *fixture) ([]github.Issue, error) {
	out := []github.Issue{}
	for _, im := range fx.Issues {
		is, err := issue(im)
		if err != nil {
			return nil, fmt.Errorf("sample: fixture: %s: issue #%d: %w", issuesFile, im.Number, err)
		}
		out = append(out, is)
	}
	slices.SortFunc(out, func(a, b github.Issue) int { return cmp.Compare(b.Number, a.Number) })
	return out, nil
}

func issue(im issueMeta) (github.Issue, error) {
	is := github.Issue{
		Number:   im.Number,
		Title:    im.Title,
		Body:     im.Body,
		State:    im.State,
		Author:   im.Author,
		Labels:   slices.Clone(im.Labels),
		Comments: []github.Comment{},
	}
	if is.Labels == nil {
		is.Labels = []string{}
	}
	if im.Number <= 0 || im.Title == "" || im.Author == "" {
		return is, fmt.Errorf("number, title and author are required")
	}
	var err error
	if is.CreatedAt, err = parseUTC(im.CreatedAt); err != nil {
		return is, fmt.Errorf("created_at: %w", err)
	}
	is.UpdatedAt = is.CreatedAt
	switch im.State {
	case "open":
		if im.ClosedAt != "" {
			return is, fmt.Errorf("an open issue has no closed_at")
		}
	case "closed":
		closed, err := parseUTC(im.ClosedAt)
		if err != nil {
			return is, fmt.Errorf("closed_at: %w", err)
		}
		is.ClosedAt, is.UpdatedAt = &closed, closed
	default:
		return is, fmt.Errorf("state %q: want open or closed", im.State)
	}
	for _, cm := range im.Comments {
		at, err := parseUTC(cm.CreatedAt)
		if err != nil {
			return is, fmt.Errorf("comment: created_at: %w", err)
		}
		is.Comments = append(is.Comments, github.Comment{Author: cm.Author, Body: cm.Body, CreatedAt: at})
		if at.After(is.UpdatedAt) {
			is.UpdatedAt = at
		}
	}
	return is, nil
}

func parseUTC(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	return t.UTC(), err
}

// writeGitHubData writes prs.jsonl, issues.jsonl and summary.json into dir
// as github.Gather would have: one JSON record per line, and a summary whose
// request counters are zero (nothing was fetched) and whose finish time is
// the last event of the data, so that the bytes never change.
func writeGitHubData(dir, owner, name string, prs []github.PR, iss []github.Issue) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("sample: %w", err)
	}
	sum := github.Summary{Owner: owner, Repo: name, State: "merged", PRs: len(prs), Issues: len(iss)}
	for _, pr := range prs {
		if pr.Merged {
			sum.Merged++
		}
		if len(pr.LinkedIssues) > 0 {
			sum.WithLinkedIssues++
		}
		sum.FinishedAt = latest(sum.FinishedAt, pr.UpdatedAt)
	}
	for _, is := range iss {
		sum.FinishedAt = latest(sum.FinishedAt, is.UpdatedAt)
	}
	sumJSON, err := json.Marshal(sum)
	if err != nil {
		return fmt.Errorf("sample: %s: %w", github.SummaryFile, err)
	}
	prsJSON, err := jsonLines(prs)
	if err != nil {
		return fmt.Errorf("sample: %s: %w", github.PRsFile, err)
	}
	issJSON, err := jsonLines(iss)
	if err != nil {
		return fmt.Errorf("sample: %s: %w", github.IssuesFile, err)
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{github.PRsFile, prsJSON}, {github.IssuesFile, issJSON}, {github.SummaryFile, sumJSON}} {
		if err := writeFileAtomic(filepath.Join(dir, f.name), f.data); err != nil {
			return fmt.Errorf("sample: %w", err)
		}
	}
	return nil
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// jsonLines encodes one value per line, as gather appends them.
func jsonLines[T any](values []T) ([]byte, error) {
	var buf bytes.Buffer
	for _, v := range values {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}

// writeFileAtomic writes data to a temporary file next to path and renames
// it into place, so a reader never sees half a file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := cmp.Or(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
