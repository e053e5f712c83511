package gitlog

import (
	"context"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMergeAuthor builds a bors-style history (merge commits authored by
// the queue, the merged branch by a person) and a squash commit, and checks
// that each merge commit names its second parent's author.
func TestMergeAuthor(t *testing.T) {
	r := newTestRepo(t)
	commit := func(author, msg string, parents []plumbing.Hash, snapshot map[string]file) plumbing.Hash {
		r.clock = r.clock.Add(time.Hour)
		sig := object.Signature{Name: author, Email: author + "@example.com", When: r.clock}
		return r.put(&object.Commit{Author: sig, Committer: sig, Message: msg, TreeHash: r.tree(snapshot), ParentHashes: parents})
	}
	v1 := files("src/lib.rs", "pub fn a() {}\n")
	c1 := commit("Ada", "init", nil, v1)
	v2 := with(v1, files("src/b.rs", "pub fn b() {}\n"))
	branch := commit("Botond Abbott", "add b", []plumbing.Hash{c1}, v2)
	m1 := commit("bors[bot]", "Merge #7\n\n7: Add b r=ada a=botond\n\nAdds b.\n", []plumbing.Hash{c1, branch}, v2)
	v3 := with(v2, files("src/c.rs", "pub fn c() {}\n"))
	squash := commit("Grace", "feat: add c (#8)", []plumbing.Hash{m1}, v3)
	r.setHead(squash)

	repo, err := Open(context.Background(), r.dir, OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()
	got := map[string]Signature{}
	for c, err := range repo.Commits(context.Background(), WalkOptions{}) {
		require.NoError(t, err)
		got[c.Subject] = c.MergeAuthor
		if c.Subject == "Merge #7" {
			assert.Equal(t, "bors[bot]", c.Author.Name)
			assert.Equal(t, 7, c.PRNumber)
		}
	}
	assert.Equal(t, "Botond Abbott", got["Merge #7"].Name)
	assert.Equal(t, "Botond Abbott@example.com", got["Merge #7"].Email)
	assert.True(t, got["Merge #7"].When.Equal(r.clock.Add(-2*time.Hour)), got["Merge #7"].When)
	assert.Equal(t, Signature{}, got["feat: add c (#8)"], "a squash commit has no merge author")
}

func TestParseSignature(t *testing.T) {
	tests := []struct {
		in   string
		want Signature
	}{
		{"Ada Lovelace <ada@example.com> 1700000000 +0100", Signature{"Ada Lovelace", "ada@example.com", time.Unix(1700000000, 0).In(time.FixedZone("", 3600))}},
		{"bors <bors@rust-lang.org> 1700000000 -0530", Signature{"bors", "bors@rust-lang.org", time.Unix(1700000000, 0).In(time.FixedZone("", -5*3600-30*60))}},
		{"No Email", Signature{Name: "No Email"}},
		{"Bad Time <x@y> soon", Signature{Name: "Bad Time", Email: "x@y"}},
	}
	for _, tt := range tests {
		got := parseSignature([]byte(tt.in))
		assert.Equal(t, tt.want.Name, got.Name, tt.in)
		assert.Equal(t, tt.want.Email, got.Email, tt.in)
		assert.True(t, tt.want.When.Equal(got.When), tt.in)
		if !tt.want.When.IsZero() {
			_, wantOff := tt.want.When.Zone()
			_, gotOff := got.When.Zone()
			assert.Equal(t, wantOff, gotOff, tt.in)
		}
	}
}
