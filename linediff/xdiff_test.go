package linediff

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hunkRangeU0 renders a hunk side as git's header does.
func hunkRangeU0(start, count int) string {
	switch count {
	case 0:
		return strconv.Itoa(start) + ",0"
	case 1:
		return strconv.Itoa(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, count)
}

var headerU0 = regexp.MustCompile(`(?m)^@@ (-\S+ \+\S+) @@`)

// TestGitHunksMatchGit compares GitHunks with the hunk headers of `git diff
// --no-index -U0` (no context, so no merging) on random edits of
// source-like texts, where many diffs are equally short and git's choice
// and sliding decide.
func TestGitHunksMatchGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(7, 8))
	tests := []struct {
		name     string
		old, new []byte
	}{
		{"insert a function like its neighbours", []byte("fn a() {\n    x();\n}\n\nfn c() {\n    x();\n}\n"), []byte("fn a() {\n    x();\n}\n\nfn b() {\n    x();\n}\n\nfn c() {\n    x();\n}\n")},
		{"delete a blank-separated block", []byte("a\n\nb\n\nc\n"), []byte("a\n\nc\n")},
		{"no final newline", []byte("a\nb"), []byte("a\nb\n")},
	}
	for i := range 80 {
		old := rustShaped(r, 50+r.IntN(400))
		if i%4 == 3 {
			old = randomText(r, 100, 6)
		}
		tests = append(tests, struct {
			name     string
			old, new []byte
		}{fmt.Sprintf("random %d", i), old, editLines(r, old, 2+r.IntN(12))})
	}
	compared := 0
	for i, tt := range tests {
		po, pn := filepath.Join(dir, "o"+strconv.Itoa(i)), filepath.Join(dir, "n"+strconv.Itoa(i))
		require.NoError(t, os.WriteFile(po, tt.old, 0o644))
		require.NoError(t, os.WriteFile(pn, tt.new, 0o644))
		cmd := exec.Command("git", "diff", "--no-index", "-U0", "--no-color", po, pn)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
		cmd.Stdin = strings.NewReader("")
		out, _ := cmd.Output() // exit code 1: the files differ
		var want []string
		for _, m := range headerU0.FindAllStringSubmatch(string(out), -1) {
			want = append(want, m[1])
		}
		var got []string
		for _, h := range GitHunks(tt.old, tt.new) {
			got = append(got, "-"+hunkRangeU0(h.OldStart, h.OldLines)+" +"+hunkRangeU0(h.NewStart, h.NewLines))
		}
		assert.Equal(t, want, got, tt.name)
		compared += len(want)
	}
	assert.Greater(t, compared, 200, "hunks compared")
}
