package dataset

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHistoryPRSeveralCommits: offline, commits of the history that carry
// the same PR number form one PR whose merge commit is the newest of them
// (the commits come oldest first); the match takes all of them and the
// record's base is the oldest one's parent.
func TestHistoryPRSeveralCommits(t *testing.T) {
	c := func(sha, parent, date, subject string, n int) CommitRecord {
		return CommitRecord{Metadata: CommitMetadata{Commit: sha, Parents: []string{parent}, Date: date, Subject: subject, PRNumber: n}}
	}
	tests := []struct {
		name        string
		commits     []CommitRecord // oldest first
		wantMerge   string
		wantMerged  string
		wantMatched []string
		wantMethod  string
		wantBase    string
	}{
		{"one commit", []CommitRecord{
			c("a", "p", "2024-01-01T00:00:00Z", "feat: x (#5)", 5),
		}, "a", "2024-01-01T00:00:00Z", []string{"a"}, MatchMergeCommit, "p"},
		{"two commits of one PR", []CommitRecord{
			c("a", "p", "2024-01-01T00:00:00Z", "feat: x (#5)", 5),
			c("b", "a", "2024-01-02T00:00:00Z", "fix: x again (#5)", 5),
		}, "b", "2024-01-02T00:00:00Z", []string{"a", "b"}, MatchMergeCommit, "p"},
		{"three commits, another PR between", []CommitRecord{
			c("a", "p", "2024-01-01T00:00:00Z", "feat: x (#5)", 5),
			c("m", "a", "2024-01-02T00:00:00Z", "feat: y (#6)", 6),
			c("b", "m", "2024-01-03T00:00:00Z", "fix: x (#5)", 5),
			c("d", "b", "2024-01-04T00:00:00Z", "docs: x (#5)", 5),
		}, "d", "2024-01-04T00:00:00Z", []string{"a", "b", "d"}, MatchMergeCommit, "p"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prs := PRsFromHistory("o", "r", tt.commits, false)
			i := -1
			for j := range prs {
				if prs[j].Number == 5 {
					i = j
				}
			}
			if !assert.GreaterOrEqual(t, i, 0, "PR #5") {
				return
			}
			pr := &prs[i]
			assert.Equal(t, tt.wantMerge, pr.MergeCommitSHA)
			if assert.NotNil(t, pr.MergedAt) {
				assert.Equal(t, tt.wantMerged, pr.MergedAt.UTC().Format("2006-01-02T15:04:05Z"))
			}
			assert.Equal(t, "feat: x", pr.Title, "the title is the first commit's")
			m := matchPRs(prs, commitMetadata(tt.commits))[i]
			var got []string
			for _, c := range m.commits {
				got = append(got, c.Commit)
			}
			assert.Equal(t, tt.wantMatched, got)
			assert.Equal(t, tt.wantMethod, m.method)
			var md MergedMetadata
			assert.NoError(t, fillProvenance(&md, pr, m.commits, nil, Source{"o", "r", "https://github.com/o/r"}, nil))
			assert.Equal(t, tt.wantMerge, md.MergeCommit)
			assert.Equal(t, tt.wantBase, md.BaseCommit)
		})
	}
}
