package gitlog

import (
	"context"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestResolveRefLikeGoGit checks that resolveRef, which spares go-git's
// object reader, resolves what it takes to go-git's answer, and leaves
// the rest (hashes, steps, annotated tags, missing names) to go-git.
func TestResolveRefLikeGoGit(t *testing.T) {
	tr := newTestRepo(t)
	first := tr.commit("first", nil, files("a.rs", "fn a() {}\n"))
	second := tr.commit("second", []plumbing.Hash{first}, files("a.rs", "fn a() { b() }\n"))
	tr.setHead(second)
	for name, h := range map[string]plumbing.Hash{
		"refs/heads/feature/x-1.2": first, "refs/tags/v1.0": first, "refs/remotes/origin/main": second,
		"refs/heads/cafe": first, "refs/heads/dead-end": second,
	} {
		require.NoError(t, tr.repo.Storer.SetReference(plumbing.NewHashReference(plumbing.ReferenceName(name), h)))
	}
	sig := object.Signature{Name: "Ada", Email: "ada@example.com", When: tr.clock}
	annotated := tr.put(&object.Tag{Name: "v2.0", Tagger: sig, Message: "v2.0\n", TargetType: plumbing.CommitObject, Target: second})
	require.NoError(t, tr.repo.Storer.SetReference(plumbing.NewHashReference("refs/tags/v2.0", annotated)))
	repack(t, tr.dir, 10)

	repo, err := Open(context.Background(), tr.dir, OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()
	tests := []struct {
		rev   string
		taken bool // resolveRef answers it
	}{
		{"HEAD", true},
		{"master", true},
		{"refs/heads/master", true},
		{"heads/master", true},
		{"feature/x-1.2", true},
		{"v1.0", true},
		{"origin/main", true},
		{"dead-end", true},
		{"cafe", false},         // hex: could be a hash prefix, which go-git prefers
		{"v2.0", false},         // an annotated tag
		{"HEAD~1", false},       // steps
		{"master^", false},      // steps
		{"nosuchbranch", false}, // go-git reports it
		{second.String(), false},
		{"HEAD@{0}", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.rev, func(t *testing.T) {
			repo.mu.Lock()
			got, ok := repo.resolveRef(tt.rev)
			want, wantErr := repo.repo.ResolveRevision(plumbing.Revision(tt.rev))
			repo.mu.Unlock()
			assert.Equal(t, tt.taken, ok)
			if ok {
				require.NoError(t, wantErr)
				assert.Equal(t, *want, got)
			}
		})
	}
}
