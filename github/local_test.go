package github

import (
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCommitsBetween covers a PR branch that merged main in: git log
// base..head keeps the merge and the branch's own commits, not main's.
func TestCommitsBetween(t *testing.T) {
	repo, err := git.Init(memory.NewStorage(), nil)
	require.NoError(t, err)
	emptyTree := &object.Tree{}
	obj := repo.Storer.NewEncodedObject()
	require.NoError(t, emptyTree.Encode(obj))
	tree, err := repo.Storer.SetEncodedObject(obj)
	require.NoError(t, err)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	commit := func(msg string, minute int, parents ...plumbing.Hash) plumbing.Hash {
		sig := object.Signature{Name: "d", Email: "d@x", When: t0.Add(time.Duration(minute) * time.Minute)}
		c := &object.Commit{Author: sig, Committer: sig, Message: msg + "\n", TreeHash: tree, ParentHashes: parents}
		obj := repo.Storer.NewEncodedObject()
		require.NoError(t, c.Encode(obj))
		h, err := repo.Storer.SetEncodedObject(obj)
		require.NoError(t, err)
		return h
	}
	a := commit("A", 0)
	b := commit("B", 1, a)
	x := commit("X", 2, a)
	m := commit("M merge main", 3, x, b)
	c := commit("C", 4, b)
	y := commit("Y", 5, m)
	get := func(h plumbing.Hash) *object.Commit {
		o, err := repo.CommitObject(h)
		require.NoError(t, err)
		return o
	}

	tests := []struct {
		name       string
		base, head plumbing.Hash
		want       []string
		mergeBase  plumbing.Hash
	}{
		{"branch that merged main", c, y, []string{"X", "M merge main", "Y"}, b},
		{"plain branch", b, x, []string{"X"}, a},
		{"head already in base", c, b, []string{}, b},
		{"same commit", a, a, []string{}, a},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			commits, mb, err := commitsBetween(get(tt.base), get(tt.head))
			require.NoError(t, err)
			got := []string{}
			for _, c := range commits {
				got = append(got, c.Message)
			}
			assert.Equal(t, tt.want, got)
			require.NotNil(t, mb)
			assert.Equal(t, tt.mergeBase, mb.Hash)
		})
	}
}

func TestIssueNumberFromURL(t *testing.T) {
	assert.Equal(t, 12, issueNumberFromURL("https://api.github.com/repos/o/r/issues/12"))
	assert.Equal(t, 0, issueNumberFromURL("https://api.github.com/repos/o/r/pulls/12"))
	assert.Equal(t, 0, issueNumberFromURL("https://api.github.com/repos/o/r/issues/x"))
}

func TestBackoffBounds(t *testing.T) {
	rt := &retryTransport{baseDelay: 100 * time.Millisecond, maxDelay: time.Second}
	for attempt := 0; attempt < 40; attempt++ {
		d := rt.backoff(attempt)
		want := min(100*time.Millisecond<<min(attempt, 20), time.Second)
		assert.GreaterOrEqual(t, d, want/2, "attempt %d", attempt)
		assert.LessOrEqual(t, d, want, "attempt %d", attempt)
	}
}
