package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/github/githubtest"
	"github.com/sftforge/sftforge/internal/filetree"
	"github.com/sftforge/sftforge/outdir"
)

const token = "ghp_TESTtoken_do_not_print_0123456789"

// The test binary doubles as the gather binary: with GATHER_AS_MAIN=1 it
// runs main, so the tests can start, kill and restart a real process.
func TestMain(m *testing.M) {
	if os.Getenv("GATHER_AS_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func fakeGitHub(t *testing.T, opts githubtest.GenerateOptions) *githubtest.Server {
	t.Helper()
	opts.Owner, opts.Name, opts.Dir = "acme", "pay", t.TempDir()
	repo, err := githubtest.Generate(opts)
	require.NoError(t, err)
	srv := githubtest.NewServer(repo)
	srv.SetToken(token)
	t.Cleanup(srv.Close)
	return srv
}

func runInProcess(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, func(k string) string { return env[k] })
	return code, stdout.String(), stderr.String()
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"help", []string{"--help"}, 0, ""},
		{"no arguments", nil, 2, "want OWNER and REPO, got 0 arguments"},
		{"one argument", []string{"acme"}, 2, "got 1 arguments"},
		{"unknown flag", []string{"acme", "pay", "--nope"}, 2, "unknown flag: --nope"},
		{"bad state", []string{"acme", "pay", "--state", "weird"}, 2, `bad state "weird"`},
		{"bad since", []string{"acme", "pay", "--since", "yesterday"}, 2, `--since "yesterday"`},
		{"bad max", []string{"acme", "pay", "--max-prs", "-3"}, 2, "--max-prs -3: want 0 or more"},
		{"bad concurrency", []string{"acme", "pay", "--concurrency", "0"}, 2, "--concurrency 0"},
		{"bad api url", []string{"acme", "pay", "--api-url", "::x", "-o", "OUT"}, 2, "bad API URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			for i, a := range args {
				if a == "OUT" {
					args[i] = t.TempDir()
				}
			}
			code, stdout, stderr := runInProcess(t, nil, args...)
			assert.Equal(t, tt.wantCode, code, stderr)
			if tt.wantCode == 0 {
				assert.Contains(t, stdout, "Usage: gather OWNER REPO")
			} else {
				assert.Contains(t, stderr, tt.wantErr)
				assert.Contains(t, stderr, "Usage: gather OWNER REPO")
			}
		})
	}
}

func TestGatherFlagsAfterAndBeforePositionals(t *testing.T) {
	srv := fakeGitHub(t, githubtest.GenerateOptions{Merged: 5, Issues: 2})
	env := map[string]string{"GITHUB_TOKEN": token}
	a, b := t.TempDir(), t.TempDir()
	code, stdout, stderr := runInProcess(t, env, "acme", "pay", "-o", a, "--max-prs", "3", "--api-url", srv.APIURL())
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "acme/pay: 3 PRs")
	code, _, stderr = runInProcess(t, env, "-o", b, "--max-prs=3", "--api-url", srv.APIURL(), "acme", "pay")
	require.Equal(t, 0, code, stderr)
	for _, name := range []string{github.PRsFile, github.IssuesFile} {
		x, err := os.ReadFile(filepath.Join(a, name))
		require.NoError(t, err)
		y, err := os.ReadFile(filepath.Join(b, name))
		require.NoError(t, err)
		assert.Equal(t, string(x), string(y))
	}
	assert.NotContains(t, stdout+stderr, token)
}

func TestTokenFileAndErrors(t *testing.T) {
	srv := fakeGitHub(t, githubtest.GenerateOptions{Merged: 2})
	tokenFile := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(tokenFile, []byte(token+"\n"), 0o600))
	wrongFile := filepath.Join(t.TempDir(), "wrong")
	require.NoError(t, os.WriteFile(wrongFile, []byte(token+"WRONG\n"), 0o600))

	done := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runInProcess(t, nil, "acme", "pay", "-o", done, "--token-file", tokenFile, "--api-url", srv.APIURL())
	assert.Equal(t, 0, code, stderr)
	before := readFiles(t, done)

	emptyFile := filepath.Join(t.TempDir(), "empty")
	require.NoError(t, os.WriteFile(emptyFile, nil, 0o600))
	twoLines := filepath.Join(t.TempDir(), "two-lines")
	require.NoError(t, os.WriteFile(twoLines, []byte(token+"\n"+token+"\n"), 0o600))

	tests := []struct {
		name, wantErr string
		args          []string
		code          int
	}{
		{"bad token", "bad credentials", []string{"acme", "pay", "--token-file", wrongFile}, 1},
		{"unknown repository", "not found", []string{"acme", "nope", "--token-file", tokenFile}, 1},
		{"missing token file", "token file", []string{"acme", "pay", "--token-file", "/nonexistent/token"}, 2},
		{"empty token file", "token is empty", []string{"acme", "pay", "--token-file", emptyFile}, 2},
		{"two-line token file", "token has more than one line", []string{"acme", "pay", "--token-file", twoLines}, 2},
		{"repository with a query", `repository "pay?x=": character '?' not allowed`, []string{"acme", "pay?x=", "--token-file", tokenFile}, 2},
		{"repository ..", `repository "..": not a repository name`, []string{"acme", "..", "--token-file", tokenFile}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(tt.args, "-o", t.TempDir(), "--api-url", srv.APIURL())
			code, stdout, stderr := runInProcess(t, nil, args...)
			assert.Equal(t, tt.code, code)
			assert.Contains(t, stderr, tt.wantErr)
			assert.NotContains(t, stdout+stderr, token)

			// The same failure as a refresh of a completed output leaves
			// its files byte-identical.
			done := filepath.Join(t.TempDir(), "out")
			code, _, stderr = runInProcess(t, nil, "acme", "pay", "-o", done, "--token-file", tokenFile, "--api-url", srv.APIURL())
			require.Equal(t, 0, code, stderr)
			before := readFiles(t, done)
			args = append(tt.args, "-o", done, "--api-url", srv.APIURL())
			code, _, stderr = runInProcess(t, nil, args...)
			assert.Equal(t, tt.code, code)
			assert.Contains(t, stderr, tt.wantErr)
			assert.Equal(t, before, readFiles(t, done))
		})
	}
	down := githubtest.NewServer()
	downURL := down.APIURL()
	down.Close()
	code, _, stderr = runInProcess(t, nil, "acme", "pay", "-o", done, "--token-file", tokenFile, "--api-url", downURL, "--retries", "1")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "giving up")
	assert.Equal(t, before, readFiles(t, done), "server unreachable")
}

// readFiles reads the output files of a gather directory.
func readFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, name := range []string{github.PRsFile, github.IssuesFile, github.SummaryFile} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		m[name] = string(b)
	}
	return m
}

// TestOutputRules checks what gather writes into: never a directory of
// other files or a regular file, an old output without marker only with
// --force, never one that another run is writing.
func TestOutputRules(t *testing.T) {
	srv := fakeGitHub(t, githubtest.GenerateOptions{Merged: 2})
	env := map[string]string{"GITHUB_TOKEN": token}
	tests := []struct {
		name    string
		setup   func(t *testing.T, out string)
		force   bool
		wantErr string
	}{
		{"foreign dir", func(t *testing.T, out string) {
			require.NoError(t, os.MkdirAll(out, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644))
		}, true, "was not written by gather"},
		{"regular file", func(t *testing.T, out string) {
			require.NoError(t, os.WriteFile(out, []byte("mine"), 0o644))
		}, true, "is a file, not a directory"},
		{"old output without marker", func(t *testing.T, out string) {
			require.NoError(t, os.MkdirAll(out, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(out, github.PRsFile), nil, 0o644))
		}, false, "pass --force"},
		{"old output without marker, --force", func(t *testing.T, out string) {
			require.NoError(t, os.MkdirAll(out, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(out, github.PRsFile), nil, 0o644))
		}, true, ""},
		{"another run holds the lock", func(t *testing.T, out string) {
			d, err := outdir.InPlace(out, outdir.Options{Tool: "gather"})
			require.NoError(t, err)
			t.Cleanup(func() { d.Close() })
		}, false, fmt.Sprintf("another gather run (pid %d) is writing", os.Getpid())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			tt.setup(t, out)
			before := filetree.Read(t, out)
			args := []string{"acme", "pay", "-o", out, "--api-url", srv.APIURL()}
			if tt.force {
				args = append(args, "--force")
			}
			code, _, stderr := runInProcess(t, env, args...)
			if tt.wantErr == "" {
				assert.Equal(t, 0, code, stderr)
				assert.FileExists(t, filepath.Join(out, outdir.MarkerFile))
				return
			}
			assert.Equal(t, 1, code)
			assert.Contains(t, stderr, tt.wantErr)
			assert.Equal(t, before, filetree.Read(t, out))
		})
	}
}

// TestKillAndResume runs the real binary, kills it with SIGKILL at several
// points, resumes it each time, and compares the result with one
// uninterrupted run: no duplicate, no lost or truncated record.
func TestKillAndResume(t *testing.T) {
	srv := fakeGitHub(t, githubtest.GenerateOptions{Merged: 40, Issues: 150})
	srv.SetLatency(5 * time.Millisecond)
	exe, err := os.Executable()
	require.NoError(t, err)
	command := func(out string) *exec.Cmd {
		cmd := exec.Command(exe, "acme", "pay", "-o", out, "--api-url", srv.APIURL(), "--comments", "--concurrency", "2")
		cmd.Env = append(os.Environ(), "GATHER_AS_MAIN=1", "GITHUB_TOKEN="+token)
		return cmd
	}
	want := t.TempDir()
	start := time.Now()
	b, err := command(want).CombinedOutput()
	require.NoError(t, err, string(b))
	full := time.Since(start)
	t.Logf("an uninterrupted run takes %v", full)

	out := t.TempDir()
	kills := 0
	// Kill points spread over the run (process start-up included), the
	// last ones near its end, when issues are written.
	for _, frac := range []float64{0.2, 0.3, 0.4, 0.5, 0.6} {
		cmd := command(out)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		time.Sleep(time.Duration(frac * float64(full)))
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		err := cmd.Wait()
		if err == nil {
			break // it finished first
		}
		kills++
		assert.NotContains(t, stderr.String(), token)
		written, _ := os.ReadFile(filepath.Join(out, github.StateDir, "run", github.PRsFile))
		issues, _ := os.ReadFile(filepath.Join(out, github.StateDir, "run", github.IssuesFile))
		t.Logf("killed at %.0f%%: %d PR lines, %d issue lines on disk", 100*frac, bytes.Count(written, []byte("\n")), bytes.Count(issues, []byte("\n")))
	}
	t.Logf("killed %d times", kills)
	b, err = command(out).CombinedOutput()
	require.NoError(t, err, string(b))
	assert.NotContains(t, string(b), token)
	for _, name := range []string{github.PRsFile, github.IssuesFile} {
		x, err := os.ReadFile(filepath.Join(want, name))
		require.NoError(t, err)
		y, err := os.ReadFile(filepath.Join(out, name))
		require.NoError(t, err)
		assert.Equal(t, strings.Count(string(x), "\n"), strings.Count(string(y), "\n"), name)
		assert.Equal(t, string(x), string(y), name)
	}
	prs, err := github.ReadPRs(filepath.Join(out, github.PRsFile))
	require.NoError(t, err)
	assert.Len(t, prs, 40)
}

// TestTokenSources runs gather with the token in GH_TOKEN, and from a fake
// gh CLI on PATH: the fake GitHub accepts only the token, which is never
// printed.
func TestTokenSources(t *testing.T) {
	srv := fakeGitHub(t, githubtest.GenerateOptions{Merged: 2})
	bin := t.TempDir()
	if runtime.GOOS != "windows" {
		require.NoError(t, os.WriteFile(filepath.Join(bin, "gh"), []byte("#!/bin/sh\necho "+token+"\n"), 0o755))
	}
	tests := []struct {
		name string
		env  map[string]string
	}{
		{"GH_TOKEN", map[string]string{"GH_TOKEN": token}},
		{"gh auth token", map[string]string{"PATH": bin}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "gh auth token" && runtime.GOOS == "windows" {
				t.Skip("the fake gh is a shell script")
			}
			code, stdout, stderr := runInProcess(t, tt.env, "acme", "pay", "-o", t.TempDir(), "--api-url", srv.APIURL(), "-v")
			require.Equal(t, 0, code, stderr)
			assert.Contains(t, stdout, "acme/pay: 2 PRs")
			assert.NotContains(t, stdout+stderr, token)
		})
	}
}
