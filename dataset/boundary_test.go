package dataset

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/sample"
)

// gitRun runs git in dir with a fixed identity and dates, and returns its
// trimmed output.
func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir(),
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com", "GIT_AUTHOR_DATE=2024-03-01T12:00:00Z",
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com", "GIT_COMMITTER_DATE=2024-03-01T12:00:00Z")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %s: %s", strings.Join(args, " "), out)
	return strings.TrimSpace(string(out))
}

// recordsBySHA returns the records of an export, by commit, as decoded
// JSON objects.
func recordsBySHA(t *testing.T, files map[string]string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for name, body := range files {
		if !strings.HasSuffix(name, ".jsonl") {
			continue
		}
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(body), &rec), name)
		md := rec["metadata"].(map[string]any)
		out[md["commit"].(string)] = rec
	}
	return out
}

// TestExportShallowBoundary: a shallow clone's boundary commit is written
// as a record marked "boundary" with no files and no identifier changes,
// every record has the same keys, and the other records are those of the
// full history.
func TestExportShallowBoundary(t *testing.T) {
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	full, fullStats := exportDir(t, s.RepoPath, ExportOptions{Workers: 1})
	assert.Zero(t, fullStats.Boundaries)

	const depth = 4
	clone := filepath.Join(t.TempDir(), "shallow.git")
	gitRun(t, t.TempDir(), "clone", "-q", "--bare", "--no-local", "--depth", strconv.Itoa(depth), "file://"+filepath.ToSlash(s.RepoPath), clone)
	boundary := gitRun(t, clone, "rev-parse", "HEAD~3")
	require.Equal(t, boundary, strings.TrimSpace(mustRead(t, filepath.Join(clone, "shallow"))), "a linear history")

	shallow, st := exportDir(t, clone, ExportOptions{Workers: 2, Walk: gitlog.WalkOptions{KeepEmpty: true}})
	assert.Equal(t, 1, st.Boundaries)
	got, want := recordsBySHA(t, shallow), recordsBySHA(t, full)
	require.Contains(t, got, boundary)
	b := got[boundary]["metadata"].(map[string]any)
	assert.Equal(t, true, b["boundary"])
	assert.Empty(t, b["files"])
	assert.Empty(t, b["changes"])
	var keys []string
	for sha, rec := range got {
		md := rec["metadata"].(map[string]any)
		mk := slices.Sorted(maps.Keys(md))
		if keys == nil {
			keys = mk
		}
		assert.Equal(t, keys, mk, "every record has the same keys")
		if sha == boundary {
			continue
		}
		assert.Equal(t, false, md["boundary"])
		if len(md["files"].([]any)) == 0 {
			continue // KeepEmpty
		}
		assert.Equal(t, want[sha], rec, "commit %s is the same as in the full history", sha)
	}
	assert.Len(t, got, depth, "the commits of the clone, boundary included")

	// The offline merge makes no PR of the boundary: its changes are unknown.
	commits, err := ReadCommitExport(writeExport(t, shallow))
	require.NoError(t, err)
	for _, pr := range PRsFromHistory("o", "r", commits, true) {
		assert.NotEqual(t, boundary, pr.MergeCommitSHA)
	}
	res := runPipelineOn(t, clone, gitlog.WalkOptions{})
	assert.Equal(t, 1, res.Statistics.ExportBoundaries)
}

// runPipelineOn runs the offline pipeline on a repository.
func runPipelineOn(t *testing.T, dir string, walk gitlog.WalkOptions) PipelineResult {
	t.Helper()
	repo, err := gitlog.Open(context.Background(), dir, gitlog.OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()
	mo, wo := testOptions(t, "o/r", 0.2, 0, true)
	res, err := RunPipeline(context.Background(), repo, PipelineOptions{OutDir: t.TempDir(), Owner: "o", Repo: "r",
		CommitsAsPRs: true, Merge: mo, Write: wo, Export: ExportOptions{Workers: 2, Walk: walk}})
	require.NoError(t, err)
	return res
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// writeExport writes an export's files into a new directory.
func writeExport(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	return dir
}

// TestExportSkipCauses: skipped files are counted under their own causes,
// and only files that were parsed count as parse errors.
func TestExportSkipCauses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "repo")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	gitRun(t, dir, "init", "-q")
	write := func(name, content string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	write("a.rs", "pub fn a() {}\n")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-qm", "one")
	write("bin.rs", "fn b() {}\x00\n")
	write("big.rs", strings.Repeat("// a long line of padding\n", 100))
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-qm", "two")
	write("a.rs", "pub fn a() {}\nfn broken( {\n")
	write("missing.rs", "pub fn m() {}\n")
	write("corrupt.rs", "pub fn c() {}\n")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-qm", "three")
	for name, damage := range map[string]func(path string){
		"missing.rs": func(path string) { require.NoError(t, os.Remove(path)) },
		"corrupt.rs": func(path string) {
			require.NoError(t, os.Chmod(path, 0o644))
			require.NoError(t, os.WriteFile(path, []byte("not zlib"), 0o644))
		},
	} {
		h := gitRun(t, dir, "rev-parse", "HEAD:"+name)
		damage(filepath.Join(dir, ".git", "objects", h[:2], h[2:]))
	}

	walk := gitlog.WalkOptions{MaxBlobSize: 1000}
	_, st := exportDir(t, dir, ExportOptions{Workers: 2, Walk: walk})
	assert.Equal(t, map[string]int{
		gitlog.SkipBinary:        1,
		gitlog.SkipTooLarge:      1,
		gitlog.SkipMissingObject: 1,
		gitlog.SkipCorruptObject: 1,
	}, st.SkippedBy)
	assert.Equal(t, 4, st.SkippedFiles)
	assert.Equal(t, 1, st.ParseErrors, "a.rs has a syntax error; skipped files are not parse errors")
	assert.Equal(t, 3, st.Records)
	res := runPipelineOn(t, dir, walk)
	assert.Equal(t, st.SkippedBy, res.Statistics.ExportSkipped)
	assert.Equal(t, "4 files skipped (binary 1, corrupt object 1, missing object 1, too large 1)", st.SkippedSummary())
}
