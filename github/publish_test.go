package github

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPublishAfterKill: a run killed while moving its completed files
// into the output (some moved, some not) finishes the moves when the next
// run starts, and marks the run done.
func TestPublishAfterKill(t *testing.T) {
	out := t.TempDir()
	write := func(p, s string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(s), 0o644))
	}
	// prs.jsonl was moved already; issues.jsonl and summary.json were not.
	write(filepath.Join(out, PRsFile), "new prs\n")
	write(filepath.Join(out, IssuesFile), "old issues\n")
	write(filepath.Join(out, SummaryFile), "old summary")
	write(filepath.Join(out, StateDir, runDir, IssuesFile), "new issues\n")
	write(filepath.Join(out, StateDir, runDir, SummaryFile), "new summary")
	cp, err := json.Marshal(checkpoint{Args: "x", Phase: "publish", Staged: true})
	require.NoError(t, err)
	write(filepath.Join(out, StateDir, "checkpoint.json"), string(cp))

	c, err := NewClient(ClientOptions{})
	require.NoError(t, err)
	opts := GatherOptions{Owner: "acme", Repo: "pay", OutDir: out}
	require.NoError(t, opts.Validate())
	r := &gatherRun{c: c, opts: opts, state: filepath.Join(out, StateDir)}
	require.NoError(t, r.start())
	for name, want := range map[string]string{PRsFile: "new prs\n", IssuesFile: "new issues\n", SummaryFile: "new summary"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		require.NoError(t, err)
		assert.Equal(t, want, string(b), name)
	}
	// start then begins a fresh run (the published one was done).
	assert.Equal(t, "list", r.cp.Phase)
	assert.Equal(t, opts.argsKey(), r.cp.Args)
}

// TestOutputModes: the files a gather writes are 0644 less the umask (not
// the 0600 of a temporary file).
func TestOutputModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, SummaryFile)
	require.NoError(t, writeJSONAtomic(p, Summary{}))
	probe := filepath.Join(dir, "probe")
	require.NoError(t, os.WriteFile(probe, nil, 0o644))
	want, err := os.Stat(probe)
	require.NoError(t, err)
	got, err := os.Stat(p)
	require.NoError(t, err)
	assert.Equal(t, want.Mode().Perm(), got.Mode().Perm())
}
