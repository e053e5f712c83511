// Package badinput_test runs the example binaries on bad input, one table
// row per case, and checks each outcome exactly: the exit code, the error
// text and that the files the row guards are byte-identical afterwards
// (a user's files are sacred). Every bad input that was fixed is a row
// here; a new one is added by appending a row to badInputs.
package badinput_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/sample"
)

// binaries are the example binaries the table runs, built once by
// TestMain.
var binaries = []string{"sftforge", "generate", "merge", "gather"}

// binDir holds the built binaries.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sftforge-badinput-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	args := []string{"build", "-o", dir + string(os.PathSeparator)}
	for _, b := range binaries {
		args = append(args, "github.com/sftforge/sftforge/examples/"+b)
	}
	cmd := exec.Command("go", args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "badinput: build the binaries:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fixture is what a row's setup works with: its own temporary directory
// and, built on first use, the embedded sample repository.
type fixture struct {
	t      *testing.T
	Dir    string
	sample *sample.Sample
}

// Sample builds the embedded sample workspace (a git repository with a
// work tree and its GitHub data) in the row's directory.
func (f *fixture) Sample() *sample.Sample {
	f.t.Helper()
	if f.sample == nil {
		s, err := sample.Build(filepath.Join(f.Dir, "sample"))
		require.NoError(f.t, err)
		f.sample = s
	}
	return f.sample
}

// Path is a path inside the row's directory.
func (f *fixture) Path(elem ...string) string {
	return filepath.Join(append([]string{f.Dir}, elem...)...)
}

// Write writes a file (creating its directory) inside the row's
// directory and returns its path.
func (f *fixture) Write(name, content string) string {
	f.t.Helper()
	p := f.Path(name)
	require.NoError(f.t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(f.t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

// Run runs a binary to completion (for setups that need a finished
// output first) and fails the test when it does not exit 0.
func (f *fixture) Run(bin string, args ...string) {
	f.t.Helper()
	code, _, stderr := run(f.t, bin, args, nil)
	require.Equal(f.t, 0, code, "setup: %s %v: %s", bin, args, stderr)
}

// invocation is what a row's setup returns: the arguments and environment
// of the run, and the paths that must be byte-identical after it.
type invocation struct {
	Args  []string
	Env   []string // KEY=VALUE added to a minimal environment
	Guard []string // files or directories that must not change
	Stdin string
}

// badInput is one row: a binary, a setup and the exact outcome.
type badInput struct {
	name  string
	bin   string
	setup func(f *fixture) invocation
	// code is the exit code: 1 on error, 2 on bad usage.
	code int
	// stderr must appear in the error output (exact text, not a pattern).
	stderr []string
	// stdout must appear in the standard output (exact text).
	stdout []string
	// notInOutput must appear neither on stdout nor stderr (tokens).
	notInOutput []string
	// check, when set, inspects the files after the run.
	check func(t *testing.T, f *fixture)
}

const fakeToken = "ghp_badinputTOKENabcdefghijklmnopqrstuv012"

var badInputs = []badInput{
	{
		name: "generate: repository path does not exist",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{f.Path("missing"), "-o", f.Path("out")}}
		},
		code:   1,
		stderr: []string{"generate: gitlog: open ", "no such file or directory"},
		check: func(t *testing.T, f *fixture) {
			assert.NoFileExists(t, f.Path("out", "index.csv"))
		},
	},
	{
		name: "sftforge: --repo is not a git repository",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			dir := f.Path("plain")
			f.Write("plain/notes.txt", "not a repository\n")
			return invocation{Args: []string{"--repo", dir, "-o", f.Path("out")}, Guard: []string{dir}}
		},
		code:   1,
		stderr: []string{"not a git repository"},
	},
	{
		name: "merge: GitHub directory does not exist",
		bin:  "merge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{f.Path("nope"), f.Path("nope2"), "-o", f.Path("out")}}
		},
		code:   1,
		stderr: []string{"prs.jsonl", "no such file or directory"},
	},
	{
		name: "merge: --preset is unknown",
		bin:  "merge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{f.Path("gh"), f.Path("export"), "-o", f.Path("out"), "--preset", "payments"}}
		},
		code:   2,
		stderr: []string{`--preset: unknown preset "payments" (want auto, workspace, hyperswitch or keywords)`},
	},
	{
		name: "merge: --repo is not a git repository",
		bin:  "merge",
		setup: func(f *fixture) invocation {
			s := f.Sample()
			export := f.Path("export")
			f.Run("generate", s.RepoPath, "-o", export)
			plain := f.Path("plain")
			f.Write("plain/Cargo.toml", "[workspace]\n")
			return invocation{Args: []string{s.GitHubDir, export, "-o", f.Path("out"), "--repo", plain},
				Guard: []string{plain, export}}
		},
		code:   1,
		stderr: []string{"merge: gitlog: open ", "not a git repository"},
		check: func(t *testing.T, f *fixture) {
			assert.NoDirExists(t, f.Path("out"))
		},
	},
	{
		name: "sftforge: unknown flag",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"--bogus"}}
		},
		code:   2,
		stderr: []string{"unknown flag: --bogus"},
	},
	{
		name: "sftforge: negative --max-response-tokens",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"--max-response-tokens", "-1", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"--max-response-tokens: -1 is negative (0 means no budget)"},
		check: func(t *testing.T, f *fixture) {
			assert.NoFileExists(t, f.Path("out", "merged_dataset.jsonl"))
		},
	},
	{
		name: "gather: no OWNER REPO",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			return invocation{Args: nil, Env: []string{"GITHUB_TOKEN=" + fakeToken}}
		},
		code:        2,
		stderr:      []string{"want OWNER and REPO"},
		notInOutput: []string{fakeToken},
	},
	{
		name: "gather: --repo-dir is a URL, not a local clone",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			return invocation{
				Args: []string{"o", "r", "--repo-dir", "https://example.com/o/r.git", "-o", f.Path("out"), "--api-url", "http://127.0.0.1:9/"},
				Env:  []string{"GITHUB_TOKEN=" + fakeToken},
			}
		},
		code:        1,
		stderr:      []string{"gather: github: open local clone https://example.com/o/r.git: "},
		notInOutput: []string{fakeToken},
		check: func(t *testing.T, f *fixture) {
			assert.NoFileExists(t, f.Path("out", "prs.jsonl"))
		},
	},
	{
		name: "gather: --pull-heads names no mode",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			return invocation{
				Args: []string{"o", "r", "--pull-heads", "everywhere", "-o", f.Path("out"), "--api-url", "http://127.0.0.1:9/"},
				Env:  []string{"GH_TOKEN=" + fakeToken},
			}
		},
		code:        2,
		stderr:      []string{`bad pull heads mode "everywhere": want cache, clone or off`},
		notInOutput: []string{fakeToken},
		check: func(t *testing.T, f *fixture) {
			assert.NoDirExists(t, f.Path("out"))
		},
	},
	{
		name: "sftforge: rules file names an unknown taxonomy preset",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			rules := f.Write("rules.yaml", "taxonomy:\n  preset: crypto\n")
			return invocation{Args: []string{"--rules", rules, "-o", f.Path("out")}, Guard: []string{rules}}
		},
		code:   2,
		stderr: []string{"rules.yaml:2: taxonomy: unknown preset \"crypto\" (want generic or payments)"},
		check: func(t *testing.T, f *fixture) {
			assert.NoDirExists(t, f.Path("out"))
		},
	},
	{
		name: "sftforge: rules file's bots is not a list",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			rules := f.Write("rules.yaml", "bots: {ci: 1}\n")
			return invocation{Args: []string{"--rules", rules, "-o", f.Path("out")}, Guard: []string{rules}}
		},
		code:   2,
		stderr: []string{"rules.yaml:1: bots: expected a list of account names"},
		check: func(t *testing.T, f *fixture) {
			assert.NoDirExists(t, f.Path("out"))
		},
	},
}

func TestBadInput(t *testing.T) {
	for _, tt := range badInputs {
		t.Run(tt.name, func(t *testing.T) {
			f := &fixture{t: t, Dir: t.TempDir()}
			inv := tt.setup(f)
			before := make([]tree, len(inv.Guard))
			for i, g := range inv.Guard {
				before[i] = snapshot(t, g)
			}
			code, stdout, stderr := run(t, tt.bin, inv.Args, inv.Env, inv.Stdin)
			assert.Equal(t, tt.code, code, "exit code\nstdout: %s\nstderr: %s", stdout, stderr)
			for _, want := range tt.stderr {
				assert.Contains(t, stderr, want, "stderr")
			}
			for _, want := range tt.stdout {
				assert.Contains(t, stdout, want, "stdout")
			}
			for _, secret := range tt.notInOutput {
				assert.NotContains(t, stdout, secret, "stdout")
				assert.NotContains(t, stderr, secret, "stderr")
			}
			for i, g := range inv.Guard {
				assert.Equal(t, before[i], snapshot(t, g), "%s changed", g)
			}
			if tt.check != nil {
				tt.check(t, f)
			}
		})
	}
}

// run runs a built binary with a minimal environment (no token unless the
// row gives one; HOME and caches inside the test) and returns its exit
// code and output.
func run(t *testing.T, bin string, args, env []string, stdin ...string) (code int, stdout, stderr string) {
	t.Helper()
	exe := filepath.Join(binDir, bin)
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	cmd := exec.Command(exe, args...)
	home := t.TempDir()
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"TMPDIR=" + os.TempDir(),
	}, env...)
	if len(stdin) > 0 {
		cmd.Stdin = strings.NewReader(stdin[0])
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	done := make(chan error, 1)
	require.NoError(t, cmd.Start())
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			var ee *exec.ExitError
			require.ErrorAs(t, err, &ee)
		}
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%s %v did not finish in 2 minutes\nstderr: %s", bin, args, errOut.String())
	}
	return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
}

// tree is a snapshot of a file or directory: every entry's relative path
// with its type, mode and content hash.
type tree []string

func snapshot(t *testing.T, root string) tree {
	t.Helper()
	var entries tree
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == root {
				entries = append(entries, "(absent)")
				return nil
			}
			return err
		}
		rel, _ := filepath.Rel(root, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.Type().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			entries = append(entries, fmt.Sprintf("%s %v %x", rel, info.Mode(), sha256.Sum256(b)))
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			entries = append(entries, fmt.Sprintf("%s -> %s", rel, target))
		default:
			entries = append(entries, fmt.Sprintf("%s %v", rel, info.Mode()))
		}
		return nil
	})
	require.NoError(t, err)
	sort.Strings(entries)
	return entries
}
