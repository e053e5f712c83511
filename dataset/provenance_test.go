package dataset

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/sftforge/sftforge/github"
)

func TestSourceFor(t *testing.T) {
	tests := []struct {
		name                                        string
		githubRepo, githubWeb, remote, named, where string
		want                                        Source
	}{
		{"github", "juspay/hyperswitch", "", "git@github.com:fork/hs.git", "", "/x/hs",
			Source{"juspay", "hyperswitch", "https://github.com/juspay/hyperswitch"}},
		{"github enterprise", "team/svc", "https://ghe.example.com/team/svc", "", "", "/x",
			Source{"team", "svc", "https://ghe.example.com/team/svc"}},
		{"remote", "", "", "git@github.com:BurntSushi/ripgrep.git", "", "/work/copy",
			Source{"BurntSushi", "ripgrep", "https://github.com/BurntSushi/ripgrep"}},
		{"nested group remote", "", "", "https://gitlab.com/group/sub/proj.git", "", "/x",
			Source{"group/sub", "proj", "https://gitlab.com/group/sub/proj"}},
		{"name as a web address", "", "", "", "https://codeberg.org/o/r", "/x",
			Source{"o", "r", "https://codeberg.org/o/r"}},
		{"name as owner/repo: host unknown", "", "", "/srv/git/r.git", "o/r", "/x",
			Source{"o", "r", ""}},
		{"base name of a bare repository", "", "", "", "", "/work/repos/embassy.git",
			Source{"", "embassy", ""}},
		{"base name of a work tree", "", "", "", "my dataset", "/work/sqlx/",
			Source{"", "sqlx", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, SourceFor(tt.githubRepo, tt.githubWeb, tt.remote, tt.named, tt.where))
		})
	}
}

func TestSourceIDAndURL(t *testing.T) {
	gh := Source{"o", "r", "https://github.com/o/r"}
	local := Source{Repo: "r"}
	sha := "0123456789abcdef0123456789abcdef01234567"
	assert.Equal(t, "o/r#12", gh.ID(12, sha))
	assert.Equal(t, "o/r@"+sha, gh.ID(0, sha))
	assert.Equal(t, "r#12", local.ID(12, ""))
	assert.Equal(t, "", local.ID(0, ""))
	assert.Equal(t, "https://github.com/o/r/pull/12", gh.URL(12, sha))
	assert.Equal(t, "https://github.com/o/r/commit/"+sha, gh.URL(0, sha))
	assert.Equal(t, "", local.URL(12, sha))
}

func TestFillProvenance(t *testing.T) {
	src := Source{"o", "r", "https://github.com/o/r"}
	created := time.Date(2024, 3, 1, 9, 0, 0, 0, time.FixedZone("x", 3600))
	newest := &CommitMetadata{Commit: "c2", Parents: []string{"c1"}, Date: "2024-03-03T00:00:00Z"}
	oldest := &CommitMetadata{Commit: "c1", Parents: []string{"c0", "side"}, Date: "2024-03-02T00:00:00Z"}
	lic := func(commit string, paths []string) (string, error) {
		switch commit {
		case "squash":
			return "", errors.New("not in the clone")
		case "c2":
			return "MIT OR Apache-2.0", nil
		}
		return "", nil
	}
	tests := []struct {
		name    string
		pr      github.PR
		commits []*CommitMetadata
		want    MergedMetadata
		err     string
	}{
		{"GitHub PR, merge commit not in the clone", github.PR{Number: 7, CreatedAt: created, MergeCommitSHA: "squash"},
			[]*CommitMetadata{oldest, newest},
			MergedMetadata{ID: "o/r#7", Repo: "o/r", URL: "https://github.com/o/r/pull/7", CreatedAt: "2024-03-01T08:00:00Z",
				BaseCommit: "c0", MergeCommit: "squash", License: "MIT OR Apache-2.0"}, ""},
		{"offline commit", github.PR{}, []*CommitMetadata{newest},
			MergedMetadata{ID: "o/r@c2", Repo: "o/r", URL: "https://github.com/o/r/commit/c2", CreatedAt: "2024-03-03T00:00:00Z",
				BaseCommit: "c1", MergeCommit: "c2", License: "MIT OR Apache-2.0"}, ""},
		{"offline PR of two commits", github.PR{Number: 3}, []*CommitMetadata{oldest, newest},
			MergedMetadata{ID: "o/r#3", Repo: "o/r", URL: "https://github.com/o/r/pull/3", CreatedAt: "2024-03-02T00:00:00Z",
				BaseCommit: "c0", MergeCommit: "c2", License: "MIT OR Apache-2.0"}, ""},
		{"no commit: GitHub's base", github.PR{Number: 9, BaseSHA: "b", MergeCommitSHA: "squash"}, nil,
			MergedMetadata{ID: "o/r#9", Repo: "o/r", URL: "https://github.com/o/r/pull/9", BaseCommit: "b", MergeCommit: "squash"},
			"not in the clone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var md MergedMetadata
			err := fillProvenance(&md, &tt.pr, tt.commits, []string{"src/lib.rs"}, src, lic)
			assert.Equal(t, tt.want, md)
			if tt.err == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.err)
			}
		})
	}
}
