package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/internal/filetree"
	"github.com/sftforge/sftforge/outdir"
	"github.com/sftforge/sftforge/sample"
)

// TestMain lets the test binary act as the sftforge binary
// (SFTFORGE_AS_MAIN=1), so a test can kill a real run.
func TestMain(m *testing.M) {
	if os.Getenv("SFTFORGE_AS_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestOutputRules runs sftforge into outputs it must refuse, and into one
// it replaces after a failure in a later stage: each refusal or failure
// leaves the path byte-identical.
func TestOutputRules(t *testing.T) {
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	tmp := t.TempDir()
	done := filepath.Join(tmp, "done")
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"--repo", s.RepoPath, "-o", done, "-n", "5"}, &stdout, &stderr, noEnv), stderr.String())
	badTemplate := filepath.Join(tmp, "bad.tmpl")
	// Passes the up-front template check (its probe record has this title)
	// and fails on real records, in the middle of the run.
	require.NoError(t, os.WriteFile(badTemplate, []byte("{{if eq .Title \"Add customer search\"}}ok{{else}}{{ .Nope }}{{end}}"), 0o644))

	tests := []struct {
		name    string
		setup   func(t *testing.T) string // returns the output path
		args    []string
		wantErr string
	}{
		{"the repository", func(t *testing.T) string { return s.RepoPath }, []string{"--force"}, "it is the input " + s.RepoPath},
		{"inside the repository", func(t *testing.T) string { return filepath.Join(s.RepoPath, "out") }, nil, "it is inside the input"},
		{"a directory of other files", func(t *testing.T) string {
			d := filepath.Join(t.TempDir(), "mine")
			require.NoError(t, os.MkdirAll(d, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(d, "notes.txt"), []byte("mine"), 0o644))
			return d
		}, []string{"--force"}, "was not written by sftforge"},
		{"a regular file", func(t *testing.T) string {
			f := filepath.Join(t.TempDir(), "file")
			require.NoError(t, os.WriteFile(f, []byte("mine"), 0o644))
			return f
		}, []string{"--force"}, "is a file, not a directory"},
		{"an old output without marker", func(t *testing.T) string {
			d := filepath.Join(t.TempDir(), "old")
			require.NoError(t, os.MkdirAll(filepath.Join(d, "commits_export"), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(d, "train.jsonl"), []byte("{}\n"), 0o644))
			return d
		}, nil, "pass --force to replace it"},
		{"a template error in a rerun", func(t *testing.T) string { return done }, []string{"--template", badTemplate}, "Nope"},
		{"another run writes it", func(t *testing.T) string {
			d, err := outdir.Stage(done, outdir.Options{})
			require.NoError(t, err)
			t.Cleanup(func() { d.Close() })
			return done
		}, nil, fmt.Sprintf("another sftforge run (pid %d) is writing %s", os.Getpid(), done)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := tt.setup(t)
			before := filetree.Read(t, out)
			var stdout, stderr bytes.Buffer
			args := append([]string{"--repo", s.RepoPath, "-o", out, "-n", "5"}, tt.args...)
			code := run(context.Background(), args, &stdout, &stderr, noEnv)
			assert.Equal(t, 1, code, stderr.String())
			assert.Contains(t, stderr.String(), tt.wantErr)
			assert.Equal(t, before, filetree.Read(t, out), "untouched")
		})
	}
	// An old output without marker is replaced with --force.
	old := filepath.Join(t.TempDir(), "old")
	require.NoError(t, os.MkdirAll(old, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(old, "train.jsonl"), []byte("{}\n"), 0o644))
	stderr.Reset()
	require.Equal(t, 0, run(context.Background(), []string{"--repo", s.RepoPath, "-o", old, "-n", "5", "--force"}, &stdout, &stderr, noEnv), stderr.String())
	assert.FileExists(t, filepath.Join(old, outdir.MarkerFile))
}

// TestKilledRunLeavesPreviousOutput kills a real sftforge run at several
// points of a rerun that would write another dataset: the output is always
// either the whole previous one or the whole new one, never a mix.
func TestKilledRunLeavesPreviousOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary several times")
	}
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	exe, err := os.Executable()
	require.NoError(t, err)
	command := func(out string, n string) *exec.Cmd {
		cmd := exec.Command(exe, "--repo", s.RepoPath, "-o", out, "-n", n, "--workers", "1")
		cmd.Env = append(os.Environ(), "SFTFORGE_AS_MAIN=1")
		return cmd
	}
	tmp := t.TempDir()
	newOut := filepath.Join(tmp, "new")
	start := time.Now()
	b, err := command(newOut, "0").CombinedOutput()
	require.NoError(t, err, string(b))
	full := time.Since(start)
	out := filepath.Join(tmp, "out")
	b, err = command(out, "3").CombinedOutput()
	require.NoError(t, err, string(b))
	rel := func(m map[string]string, root string) map[string]string {
		r := map[string]string{}
		for p, c := range m {
			k, _ := filepath.Rel(root, p)
			r[k] = c
		}
		return r
	}
	oldTree, newTree := rel(filetree.Read(t, out), out), rel(filetree.Read(t, newOut), newOut)
	require.NotEqual(t, oldTree, newTree)

	for _, frac := range []float64{0.1, 0.3, 0.5, 0.7, 0.9} {
		cmd := command(out, "0")
		require.NoError(t, cmd.Start())
		time.Sleep(time.Duration(frac * float64(full)))
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		err := cmd.Wait()
		got := rel(filetree.Read(t, out), out)
		if err == nil {
			assert.Equal(t, newTree, got, "finished before the kill at %.0f%%", frac*100)
			break
		}
		// Killed before the swap: the previous output; killed between the
		// swap and the exit: the whole new one. Never a mix.
		if !reflect.DeepEqual(newTree, got) {
			assert.Equal(t, oldTree, got, "killed at %.0f%%: the previous output is untouched", frac*100)
		}
	}
	// The next run cleans up after the killed ones and completes.
	b, err = command(out, "0").CombinedOutput()
	require.NoError(t, err, string(b))
	assert.Equal(t, newTree, rel(filetree.Read(t, out), out))
	entries, err := os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "nothing left beside the outputs")
}
