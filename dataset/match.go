package dataset

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sftforge/sftforge/github"
)

// prMatch is the commits found for one PR and how.
type prMatch struct {
	commits []*CommitMetadata
	method  string
}

// matchPRs finds each PR's commits in the export: by merge_commit_sha
// (squash and merge commits; with it, the PR's own commits the history
// also holds, as when several commits of the history carry the PR's
// number offline), by the PR's own commit SHAs (rebase merges), then by
// the PR number in a squash subject "(#N)" or a merge message. Commits
// keep their history order (oldest first). The result is parallel to prs;
// a PR without commits has method MatchNone.
func matchPRs(prs []github.PR, commits []CommitMetadata) []prMatch {
	bySHA := make(map[string]*CommitMetadata, len(commits))
	position := make(map[*CommitMetadata]int, len(commits))
	byNumber := map[int][]*CommitMetadata{}
	for i := range commits {
		c := &commits[i]
		bySHA[c.Commit] = c
		position[c] = i
		if n := c.PRNumber; n > 0 {
			byNumber[n] = append(byNumber[n], c)
		}
	}
	out := make([]prMatch, len(prs))
	for i, pr := range prs {
		out[i].method = MatchNone
		var own []*CommitMetadata
		for _, pc := range pr.Commits {
			if c, ok := bySHA[pc.SHA]; ok && !slices.Contains(own, c) {
				own = append(own, c)
			}
		}
		slices.SortFunc(own, func(a, b *CommitMetadata) int { return cmp.Compare(position[a], position[b]) })
		if c, ok := bySHA[pr.MergeCommitSHA]; ok && pr.MergeCommitSHA != "" {
			cs := []*CommitMetadata{c}
			if slices.Contains(own, c) {
				cs = own
			}
			out[i] = prMatch{cs, MatchMergeCommit}
			if pr.Number == 0 {
				out[i].method = MatchCommit
			}
			continue
		}
		if len(own) > 0 {
			out[i] = prMatch{own, MatchPRCommits}
			continue
		}
		if cs := byNumber[pr.Number]; len(cs) > 0 && pr.Number > 0 {
			method := MatchSubjectNumber
			if IsMergeLine(cs[0].Subject) {
				method = MatchMergeMessage
			}
			out[i] = prMatch{cs, method}
		}
	}
	return out
}

// PRsFromHistory derives PR records from a commit export, for the offline
// pipeline: every commit whose message carries a PR number ("… (#1234)",
// "Merge pull request #12 …", "Merge #12", "Auto merge of #12 …") becomes a
// merged PR. Its title and description come from [CommitText] (for a merge
// commit, the PR's own title and description in the body, without the
// merge line, the PR number or reviewer lines), its author is the author of
// its own changes (the merge commit's second parent, else the commit's
// author: never the merge queue that merged it), its date is the merge date
// and its files are the commit's; closing links are read from the text with
// github.ParseLinks. Several commits with the same number form one PR.
// With commitsAsPRs, commits without a number become records of their own
// (number 0), keyed by commit.
func PRsFromHistory(owner, repo string, commits []CommitRecord, commitsAsPRs bool) []github.PR {
	var h historyPRs
	for i := range commits {
		h.add(owner, repo, &commits[i].Metadata, commitsAsPRs)
	}
	return h.list()
}

// historyPRs derives PRs from commits as they come, in history order (see
// [PRsFromHistory]).
type historyPRs struct {
	// prs are pointers: appending to a slice of the large PR values
	// copied them at every growth (on a 100,001-commit history most of
	// the collector's time in the export).
	prs   []*github.PR
	index map[int]int // PR number -> index in prs
}

// add takes the next commit.
func (h *historyPRs) add(owner, repo string, md *CommitMetadata, commitsAsPRs bool) {
	if h.index == nil {
		h.index = map[int]int{}
	}
	if (md.PRNumber == 0 && !commitsAsPRs) || md.Boundary { // a boundary's changes are unknown
		return
	}
	if i, ok := h.index[md.PRNumber]; ok && md.PRNumber > 0 {
		// The commits come oldest first: the newest carrying the number
		// is the merge commit, the PR's date is its date.
		pr := h.prs[i]
		pr.Commits = append(pr.Commits, github.PRCommit{SHA: md.Commit, Message: commitMessage(md)})
		pr.MergeCommitSHA = md.Commit
		if t, err := time.Parse(time.RFC3339, md.Date); err == nil {
			pr.MergedAt = &t
		}
		return
	}
	var mergedAt *time.Time
	if t, err := time.Parse(time.RFC3339, md.Date); err == nil {
		mergedAt = &t
	}
	title, body := CommitText(md.Subject, md.Body)
	closing, mentions := github.ParseLinks(owner, repo, title+"\n\n"+body)
	author := md.Author
	if md.MergeAuthor != "" {
		author = md.MergeAuthor
	}
	pr := github.PR{
		Number:         md.PRNumber,
		Title:          title,
		Body:           body,
		State:          "closed",
		Merged:         true,
		MergedAt:       mergedAt,
		Author:         author,
		Labels:         []string{},
		MergeCommitSHA: md.Commit,
		Commits:        []github.PRCommit{{SHA: md.Commit, Message: commitMessage(md)}},
		LinkedRefs:     nonNil(closing),
		Mentions:       nonNil(mentions),
		LinkedIssues:   []int{},
	}
	pr.Files = append(github.PRFiles{}, md.Files...)
	for _, r := range closing {
		if strings.EqualFold(r.Owner, owner) && strings.EqualFold(r.Repo, repo) {
			pr.LinkedIssues = append(pr.LinkedIssues, r.Number)
		}
	}
	if md.PRNumber > 0 {
		h.index[md.PRNumber] = len(h.prs)
	}
	h.prs = append(h.prs, &pr)
}

// list returns the PRs, highest number first (commits of their own, number
// 0, last, in history order), and empties h.
func (h *historyPRs) list() []github.PR {
	sort.SliceStable(h.prs, func(i, j int) bool { return h.prs[i].Number > h.prs[j].Number })
	out := make([]github.PR, len(h.prs))
	for i, pr := range h.prs {
		out[i] = *pr
		h.prs[i] = nil // each PR is held once at a time
	}
	h.prs, h.index = nil, nil
	return out
}

// commitMessage is a commit's message as git stores it: the subject, then
// the body after a blank line.
func commitMessage(md *CommitMetadata) string {
	if md.Body == "" {
		return md.Subject
	}
	return md.Subject + "\n\n" + md.Body
}
