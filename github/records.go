package github

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/sftforge/sftforge/change"
)

// PR is one pull request record, a line of prs.jsonl. Every list field is
// encoded as a JSON list, never null.
type PR struct {
	Number         int        `json:"number"`
	Title          string     `json:"title"`
	Body           string     `json:"body"`
	State          string     `json:"state"`
	Merged         bool       `json:"merged"`
	MergedAt       *time.Time `json:"merged_at"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	Author         string     `json:"author"`
	Labels         []string   `json:"labels"`
	BaseRef        string     `json:"base_ref"`
	HeadRef        string     `json:"head_ref"`
	BaseSHA        string     `json:"base_sha"`
	HeadSHA        string     `json:"head_sha"`
	MergeCommitSHA string     `json:"merge_commit_sha"`
	Commits        []PRCommit `json:"commits"`
	Files          PRFiles    `json:"files"`
	Patch          string     `json:"patch"`
	// PatchSource says where Patch came from: "diff" (the diff media type),
	// "files" (the files' patches, when GitHub refuses a too large diff),
	// "local" (merge base to head in a local clone), "local-squash" (the
	// squash commit against its first parent, when the clone lacks the PR's
	// own commits, with Commits read from the squash commit's message: see
	// ParseSquashMessage; only the last commit has its SHA) or
	// "local-merge" (the same patch, with Commits from GitHub, when the
	// squash message does not list them).
	PatchSource string `json:"patch_source"`
	// LinkedIssues are the numbers of issues of the same repository that
	// the PR closes: GitHub's closing references (GraphQL) and the
	// closing keywords of the PR body and commit messages.
	LinkedIssues []int `json:"linked_issues"`
	// LinkedRefs are all closing links, including other repositories',
	// GitHub's first; a link GitHub knows has source "github".
	LinkedRefs []IssueRef `json:"linked_refs"`
	// Mentions are references without a closing keyword.
	Mentions []IssueRef `json:"mentions"`
}

// PRCommit is one commit of a pull request, oldest first in PR.Commits.
type PRCommit struct {
	SHA     string `json:"sha"`
	Message string `json:"message"`
}

// PRFiles lists the files a pull request changes, in the shared change
// vocabulary: a deleted file has status [change.StatusDeleted], a renamed
// or copied one its previous path in OldPath, a mode-only change
// [change.StatusChanged]. In prs.jsonl each file is written as GitHub's
// API names it: {"path", "previous_path", "status", "additions",
// "deletions"}, with "removed" for a deleted file; reading converts back.
type PRFiles []change.File

// prFileJSON is one element of [PRFiles] in prs.jsonl.
type prFileJSON struct {
	Path         string `json:"path"`
	PreviousPath string `json:"previous_path"`
	Status       string `json:"status"`
	Additions    int    `json:"additions"`
	Deletions    int    `json:"deletions"`
}

// wireRemoved is GitHub's status of a deleted file.
const wireRemoved = "removed"

// FileStatus converts a status GitHub reports (REST and GraphQL spell
// them alike: added, removed, modified, renamed, copied, changed,
// unchanged) to the shared vocabulary: "removed" is
// [change.StatusDeleted], the others keep their names.
func FileStatus(s string) change.Status {
	if strings.EqualFold(s, wireRemoved) {
		return change.StatusDeleted
	}
	return change.Status(strings.ToLower(s))
}

// wireStatus is FileStatus's inverse.
func wireStatus(s change.Status) string {
	if s == change.StatusDeleted {
		return wireRemoved
	}
	return string(s)
}

// MarshalJSON writes the files in GitHub's wire form.
func (fs PRFiles) MarshalJSON() ([]byte, error) {
	if fs == nil {
		return []byte("null"), nil
	}
	out := make([]prFileJSON, len(fs))
	for i, f := range fs {
		out[i] = prFileJSON{Path: f.Path, PreviousPath: f.OldPath, Status: wireStatus(f.Status),
			Additions: f.Additions, Deletions: f.Deletions}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads the files from GitHub's wire form.
func (fs *PRFiles) UnmarshalJSON(b []byte) error {
	var in []prFileJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return fmt.Errorf("files: %w", err)
	}
	if in == nil {
		*fs = nil
		return nil
	}
	*fs = make(PRFiles, len(in))
	for i, f := range in {
		(*fs)[i] = change.File{Path: f.Path, OldPath: f.PreviousPath, Status: FileStatus(f.Status),
			Additions: f.Additions, Deletions: f.Deletions}
	}
	return nil
}

// IssueRef names an issue, possibly of another repository.
type IssueRef struct {
	Owner  string `json:"owner"`
	Repo   string `json:"repo"`
	Number int    `json:"number"`
	// Source says where the link was found: SourceGitHub (GitHub's own
	// closingIssuesReferences, through GraphQL: closing keywords and the
	// Development sidebar's links) or SourceText (parsed from the PR body
	// or a commit message).
	Source string `json:"source"`
}

// Where a link was found (IssueRef.Source).
const (
	SourceGitHub = "github"
	SourceText   = "text"
)

// same reports whether r and o name the same issue, wherever found.
func (r IssueRef) same(o IssueRef) bool {
	return r.Number == o.Number && r.Owner == o.Owner && r.Repo == o.Repo
}

// String renders the reference as OWNER/REPO#N.
func (r IssueRef) String() string { return fmt.Sprintf("%s/%s#%d", r.Owner, r.Repo, r.Number) }

// Issue is one issue record, a line of issues.jsonl. Pull requests are not
// issues here.
type Issue struct {
	Number    int        `json:"number"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	State     string     `json:"state"`
	Author    string     `json:"author"`
	Labels    []string   `json:"labels"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	ClosedAt  *time.Time `json:"closed_at"`
	// Comments are filled with GatherOptions.Comments, oldest first.
	Comments []Comment `json:"comments"`
}

// Comment is one comment on an issue.
type Comment struct {
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// normalize replaces nil lists by empty ones so that JSON holds [] not null.
func (p *PR) normalize() {
	p.Labels = nonNil(p.Labels)
	p.Commits = nonNil(p.Commits)
	p.Files = nonNil(p.Files)
	p.LinkedIssues = nonNil(p.LinkedIssues)
	p.LinkedRefs = nonNil(p.LinkedRefs)
	p.Mentions = nonNil(p.Mentions)
}

func (i *Issue) normalize() {
	i.Labels = nonNil(i.Labels)
	i.Comments = nonNil(i.Comments)
}

func nonNil[S ~[]T, T any](s S) S {
	if s == nil {
		return S{}
	}
	return s
}

// ReadPRs reads a prs.jsonl file. Errors name the file and the line.
func ReadPRs(path string) ([]PR, error) {
	return readJSONL[PR](path)
}

// ReadIssues reads an issues.jsonl file. Errors name the file and the line.
func ReadIssues(path string) ([]Issue, error) {
	return readJSONL[Issue](path)
}

func readJSONL[T any](path string) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("github: %w", err)
	}
	defer f.Close()
	out, err := decodeJSONL[T](f)
	if err != nil {
		return nil, fmt.Errorf("github: %s:%w", path, err)
	}
	return out, nil
}

// decodeJSONL decodes one value per line; the error starts with the line
// number. A last line without its newline is an error: it is a truncated
// record.
func decodeJSONL[T any](r io.Reader) ([]T, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	out := []T{}
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if err == io.EOF {
			if len(bytes.TrimSpace(b)) != 0 {
				return out, fmt.Errorf("%d: truncated record (no newline at end of file)", line)
			}
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("%d: %w", line, err)
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return out, fmt.Errorf("%d: %w", line, err)
		}
		out = append(out, v)
	}
}
