//go:build unix

package badinput_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOutputModes runs every binary under umask 022, then 002, and checks
// every file and directory of its output (state directories, caches and
// the lock beside it included): files 0644, directories 0755, less the
// umask; never os.CreateTemp's 0600 or os.MkdirTemp's 0700, nor
// os.Create's 0666 (which umask 002 would leave group-writable).
func TestOutputModes(t *testing.T) {
	for _, umask := range []int{0o022, 0o002} {
		t.Run(fmt.Sprintf("umask %03o", umask), func(t *testing.T) {
			old := syscall.Umask(umask)
			defer syscall.Umask(old)
			checkOutputModes(t)
		})
	}
}

// checkOutputModes runs the binaries and checks their outputs' modes.
func checkOutputModes(t *testing.T) {
	f := &fixture{t: t, Dir: t.TempDir()}
	s := f.Sample()
	srv := fakeGitHub(f)
	token := []string{"GITHUB_TOKEN=" + fakeToken}
	runs := []struct {
		bin  string
		args []string
		env  []string
		out  string
	}{
		{"sftforge", []string{"-o", f.Path("sample-out")}, nil, "sample-out"},
		{"sftforge", []string{"--repo", s.RepoPath, "-o", f.Path("offline-out")}, nil, "offline-out"},
		{"sftforge", []string{"--github", "acme/pay", "--repo", f.Path("gh-repo"), "--api-url", srv.APIURL(), "-o", f.Path("github-out")}, token, "github-out"},
		{"generate", []string{s.RepoPath, "-o", f.Path("export")}, nil, "export"},
		{"merge", []string{s.GitHubDir, f.Path("export"), "-o", f.Path("merged")}, nil, "merged"},
		{"gather", []string{"acme", "pay", "-o", f.Path("gathered"), "--api-url", srv.APIURL()}, token, "gathered"},
	}
	for _, r := range runs {
		code, _, stderr := run(t, r.bin, r.args, r.env)
		require.Equal(t, 0, code, "%s %v: %s", r.bin, r.args, stderr)
		out := f.Path(r.out)
		paths := 0
		require.NoError(t, filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			paths++
			want := fs.FileMode(0o644)
			if d.IsDir() {
				want = 0o755
			}
			assert.Equal(t, want, info.Mode().Perm(), "%s: %s", r.bin, p)
			return nil
		}))
		assert.Greater(t, paths, 3, r.out)
		entries, err := os.ReadDir(f.Dir)
		require.NoError(t, err)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), "."+r.out+".") { // the lock beside the output
				info, err := e.Info()
				require.NoError(t, err)
				assert.Equal(t, fs.FileMode(0o644), info.Mode().Perm(), "%s: %s", r.bin, e.Name())
			}
		}
	}
}
