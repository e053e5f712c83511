package gitlog

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenBorrowsAlternates opens a repository whose objects live in
// another one (objects/info/alternates, absolute or relative; packed or
// loose) and reads a range and a diff through it.
func TestOpenBorrowsAlternates(t *testing.T) {
	for _, tt := range []struct {
		name     string
		relative bool
		packed   bool
	}{{"absolute, packed", false, true}, {"relative, packed", true, true}, {"absolute, loose", false, false}} {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestRepo(t)
			c1 := r.commit("one", nil, files("a.rs", "fn a() {}\n"))
			c2 := r.commit("two", []plumbing.Hash{c1}, files("a.rs", "fn a() {}\nfn b() {}\n"))
			r.setHead(c2)
			if tt.packed {
				repack(t, r.dir, 10)
			}
			borrower := filepath.Join(t.TempDir(), "borrower.git")
			_, err := git.PlainInit(borrower, true)
			require.NoError(t, err)
			alt := filepath.Join(r.dir, "objects")
			if tt.relative {
				alt, err = filepath.Rel(filepath.Join(borrower, "objects"), alt)
				require.NoError(t, err)
			}
			require.NoError(t, os.MkdirAll(filepath.Join(borrower, "objects", "info"), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(borrower, "objects", "info", "alternates"), []byte(alt+"\n"), 0o644))

			repo, err := Open(context.Background(), borrower, OpenOptions{})
			require.NoError(t, err)
			defer repo.Close()
			commits, base, err := repo.Range(context.Background(), c1.String(), c2.String())
			require.NoError(t, err)
			require.Len(t, commits, 1)
			assert.Equal(t, c1.String(), base)
			changes, err := repo.Diff(context.Background(), c1.String(), c2.String(), DiffOptions{})
			require.NoError(t, err)
			require.Len(t, changes, 1)
			assert.Equal(t, 1, changes[0].Additions)
		})
	}
}
