package gitlog

import (
	"context"
	"errors"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWebURL(t *testing.T) {
	tests := []struct{ remote, want string }{
		{"https://github.com/juspay/hyperswitch.git", "https://github.com/juspay/hyperswitch"},
		{"https://github.com/juspay/hyperswitch", "https://github.com/juspay/hyperswitch"},
		{"https://user:secret@GitHub.com:443/juspay/hyperswitch.git/", "https://github.com/juspay/hyperswitch"},
		{"git@github.com:BurntSushi/ripgrep.git", "https://github.com/BurntSushi/ripgrep"},
		{"ssh://git@gitlab.example.org:2222/group/sub/proj.git", "https://gitlab.example.org/group/sub/proj"},
		{"git://github.com/launchbadge/sqlx", "https://github.com/launchbadge/sqlx"},
		{"file:///srv/git/repo.git", ""},
		{"/work/repos/ripgrep.git", ""},
		{"../ripgrep", ""},
		{"https://github.com/onlyowner", ""},
		{"https:///owner/repo", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := WebURL(tt.remote)
		assert.Equal(t, tt.want, got, tt.remote)
		assert.Equal(t, tt.want != "", ok, tt.remote)
	}
}

func TestRemoteURLAndFileHash(t *testing.T) {
	s := newScenario(t)
	repo := openTest(t, s.dir)
	u, err := repo.RemoteURL()
	require.NoError(t, err)
	assert.Equal(t, "", u, "no origin")

	work := t.TempDir()
	gitCLI(t, work, "init", "-q")
	gitCLI(t, work, "remote", "add", "origin", "git@github.com:owner/name.git")
	gitCLI(t, work, "remote", "set-url", "--add", "origin", "https://mirror.example/owner/name")
	gitCLI(t, work, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-q", "--allow-empty", "-m", "x")
	w := openTest(t, work)
	u, err = w.RemoteURL()
	require.NoError(t, err)
	assert.Equal(t, "git@github.com:owner/name.git", u)

	fsys, err := repo.FS(context.Background(), "HEAD")
	require.NoError(t, err)
	h, ok := fsys.(interface{ FileHash(string) (string, error) })
	require.True(t, ok)
	entries, err := fs.ReadDir(fsys, ".")
	require.NoError(t, err)
	for _, e := range entries {
		got, err := h.FileHash(e.Name())
		if e.IsDir() {
			assert.ErrorContains(t, err, "is a directory")
			continue
		}
		require.NoError(t, err)
		data, err := fs.ReadFile(fsys, e.Name())
		require.NoError(t, err)
		blob, err := repo.Blob(got)
		require.NoError(t, err)
		assert.Equal(t, data, blob, e.Name())
	}
	_, err = h.FileHash("no/such/file")
	assert.True(t, errors.Is(err, fs.ErrNotExist), "%v", err)
}
