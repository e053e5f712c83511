package outdir

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets the test binary act as a second process that holds a lock:
// OUTDIR_HOLD=PATH stages PATH, prints "held" and waits for stdin to close.
func TestMain(m *testing.M) {
	if p := os.Getenv("OUTDIR_HOLD"); p != "" {
		d, err := Stage(p, Options{})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("held")
		bufio.NewReader(os.Stdin).ReadString('\n')
		d.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// tree returns the files under dir with their contents ("name/" for
// directories), for comparing a directory before and after.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	if filepath.Dir(dir) == dir {
		return nil // the root: not walked
	}
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	require.NoError(t, err)
	dir, err = filepath.EvalSymlinks(dir)
	require.NoError(t, err)
	if !fi.IsDir() {
		b, err := os.ReadFile(dir)
		require.NoError(t, err)
		return map[string]string{".": string(b)}
	}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			m[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		m[rel] = string(b)
		return err
	}))
	return m
}

func write(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

// siblings lists the names beside dir that start with "."+base(dir).
func siblings(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dir))
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+filepath.Base(dir)) {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// TestStageRules runs a run into each kind of path: what may be replaced
// is replaced as a whole, anything else is an error that leaves it as it
// was.
func TestStageRules(t *testing.T) {
	tests := []struct {
		name string
		// setup prepares a temporary directory and returns the output
		// path and the options.
		setup   func(t *testing.T, tmp string) (string, Options)
		wantErr string // "" means the output is replaced
	}{
		{"missing", func(t *testing.T, tmp string) (string, Options) {
			return filepath.Join(tmp, "a", "b", "out"), Options{}
		}, ""},
		{"empty dir", func(t *testing.T, tmp string) (string, Options) {
			out := filepath.Join(tmp, "out")
			require.NoError(t, os.Mkdir(out, 0o755))
			return out, Options{}
		}, ""},
		{"our old output", func(t *testing.T, tmp string) (string, Options) {
			out := filepath.Join(tmp, "out")
			write(t, filepath.Join(out, MarkerFile), "x")
			write(t, filepath.Join(out, "train.jsonl"), "old")
			write(t, filepath.Join(out, "commits_export", "index.csv"), "old")
			return out, Options{}
		}, ""},
		{"foreign dir", func(t *testing.T, tmp string) (string, Options) {
			out := filepath.Join(tmp, "out")
			write(t, filepath.Join(out, "thesis.tex"), "years of work")
			return out, Options{}
		}, `refusing to replace ` + filepath.Join("TMP", "out") + `: it is not empty and was not written by sftforge (it has no .sftforge-output marker and holds "thesis.tex")`},
		{"foreign dir with --force", func(t *testing.T, tmp string) (string, Options) {
			out := filepath.Join(tmp, "out")
			write(t, filepath.Join(out, "thesis.tex"), "years of work")
			write(t, filepath.Join(out, "train.jsonl"), "x")
			return out, Options{Force: true, Known: []string{"train.jsonl"}}
		}, "--force does not replace files sftforge did not write"},
		{"old output without marker", func(t *testing.T, tmp string) (string, Options) {
			out := filepath.Join(tmp, "out")
			write(t, filepath.Join(out, "train.jsonl"), "x")
			return out, Options{Known: []string{"train.jsonl", "README.md"}}
		}, "looks like the output of an earlier sftforge version (it has no .sftforge-output marker): pass --force to replace it"},
		{"old output without marker, --force", func(t *testing.T, tmp string) (string, Options) {
			out := filepath.Join(tmp, "out")
			write(t, filepath.Join(out, "train.jsonl"), "x")
			return out, Options{Force: true, Known: []string{"train.jsonl", "README.md"}}
		}, ""},
		{"regular file", func(t *testing.T, tmp string) (string, Options) {
			out := filepath.Join(tmp, "out")
			write(t, out, "notes")
			return out, Options{Force: true}
		}, filepath.Join("TMP", "out") + " is a file, not a directory"},
		{"the input repository", func(t *testing.T, tmp string) (string, Options) {
			repo := filepath.Join(tmp, "repo")
			write(t, filepath.Join(repo, ".git", "HEAD"), "ref")
			write(t, filepath.Join(repo, MarkerFile), "even with a marker")
			return repo, Options{Inputs: []string{repo}, Force: true}
		}, "refusing to write into " + filepath.Join("TMP", "repo") + ": it is the input"},
		{"inside the input repository", func(t *testing.T, tmp string) (string, Options) {
			repo := filepath.Join(tmp, "repo")
			write(t, filepath.Join(repo, "HEAD"), "ref")
			return filepath.Join(repo, "out"), Options{Inputs: []string{repo}}
		}, "it is inside the input"},
		{"parent of the input repository", func(t *testing.T, tmp string) (string, Options) {
			repo := filepath.Join(tmp, "src", "repo")
			write(t, filepath.Join(repo, "HEAD"), "ref")
			write(t, filepath.Join(tmp, "src", MarkerFile), "x")
			return filepath.Join(tmp, "src"), Options{Inputs: []string{repo}}
		}, "it holds the input"},
		{"input through a symbolic link", func(t *testing.T, tmp string) (string, Options) {
			repo := filepath.Join(tmp, "repo")
			write(t, filepath.Join(repo, "HEAD"), "ref")
			require.NoError(t, os.Symlink(repo, filepath.Join(tmp, "link")))
			return filepath.Join(tmp, "link"), Options{Inputs: []string{repo}}
		}, "it is the input"},
		{"root", func(t *testing.T, tmp string) (string, Options) {
			return string(filepath.Separator), Options{Force: true}
		}, "the root of a file system"},
		{"home", func(t *testing.T, tmp string) (string, Options) {
			home := filepath.Join(tmp, "home")
			require.NoError(t, os.Mkdir(home, 0o755))
			t.Setenv("HOME", home)
			t.Setenv("USERPROFILE", home)
			return home, Options{}
		}, "your home directory"},
		{"parent of home", func(t *testing.T, tmp string) (string, Options) {
			home := filepath.Join(tmp, "home", "me")
			require.NoError(t, os.MkdirAll(home, 0o755))
			write(t, filepath.Join(tmp, "home", MarkerFile), "x")
			t.Setenv("HOME", home)
			t.Setenv("USERPROFILE", home)
			return filepath.Join(tmp, "home"), Options{}
		}, "it holds your home directory"},
		{"working directory", func(t *testing.T, tmp string) (string, Options) {
			wd := filepath.Join(tmp, "wd")
			require.NoError(t, os.Mkdir(wd, 0o755))
			t.Chdir(wd)
			return ".", Options{}
		}, "the working directory"},
		{"inside the working directory", func(t *testing.T, tmp string) (string, Options) {
			wd := filepath.Join(tmp, "wd")
			require.NoError(t, os.Mkdir(wd, 0o755))
			t.Chdir(wd)
			return "out", Options{}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp, err := filepath.EvalSymlinks(t.TempDir())
			require.NoError(t, err)
			out, opts := tt.setup(t, tmp)
			before := tree(t, out)
			d, err := Stage(out, opts)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), strings.ReplaceAll(tt.wantErr, "TMP", tmp))
				assert.Equal(t, before, tree(t, out), "the path is untouched")
				if out != string(filepath.Separator) {
					assert.Empty(t, siblings(t, out), "nothing left beside it")
				}
				return
			}
			require.NoError(t, err)
			defer d.Close()
			write(t, filepath.Join(d.Path(), "train.jsonl"), "new")
			assert.Equal(t, before, tree(t, out), "untouched until Commit")
			require.NoError(t, d.Commit())
			got := tree(t, out)
			assert.Equal(t, "new", got["train.jsonl"])
			assert.Contains(t, got, MarkerFile)
			assert.Len(t, got, 3, "the old output is replaced as a whole: %v", got)
			assert.Empty(t, siblings(t, out), "no stage, old output or lock file left")
		})
	}
}

// TestLockHeldByAnotherProcess checks that a second run fails at once,
// naming the first one's process id, and leaves its stage alone.
func TestLockHeldByAnotherProcess(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "OUTDIR_HOLD="+out)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer cmd.Wait()
	defer stdin.Close()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "held\n", line)
	stage := filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+stageSuffix)
	write(t, filepath.Join(stage, "partial"), "being written")

	_, err = Stage(out, Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("another sftforge run (pid %d) is writing %s", cmd.Process.Pid, out))
	assert.FileExists(t, filepath.Join(stage, "partial"), "the running run's stage is left alone")

	stdin.Close()
	require.NoError(t, cmd.Wait())
	d, err := Stage(out, Options{})
	require.NoError(t, err, "the lock is free once the first run is over")
	require.NoError(t, d.Close())
}

// TestLockInOneProcess checks the lock between two runs of one process
// (two lock file descriptors) and that Close frees it.
func TestLockInOneProcess(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	d, err := Stage(out, Options{Tool: "generate"})
	require.NoError(t, err)
	_, err = Stage(out, Options{Tool: "generate"})
	if runtime.GOOS != "windows" {
		require.Error(t, err)
		assert.Contains(t, err.Error(), fmt.Sprintf("another generate run (pid %d) is writing", os.Getpid()))
	}
	_, err = InPlace(out, Options{})
	require.Error(t, err)
	require.NoError(t, d.Close())
	d, err = InPlace(out, Options{})
	require.NoError(t, err)
	require.NoError(t, d.Commit())
}

// TestStaleStageRemoved checks that what dead runs left beside the output
// (a stage, a legacy temporary directory, an old output renamed aside) is
// cleaned up by the next run that holds the lock.
func TestStaleStageRemoved(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	write(t, filepath.Join(out, MarkerFile), "x")
	write(t, filepath.Join(out, "a"), "current")
	write(t, filepath.Join(dir, ".out"+stageSuffix, "junk"), "dead run")
	write(t, filepath.Join(dir, ".out"+legacyTmp+"123", "junk"), "dead run")
	write(t, filepath.Join(dir, ".out"+oldSuffix, "a"), "older")
	write(t, filepath.Join(dir, ".other"+stageSuffix, "junk"), "another output's")

	d, err := Stage(out, Options{})
	require.NoError(t, err)
	assert.Equal(t, []string{".out" + lockSuffix, ".out" + stageSuffix}, siblings(t, out))
	assert.Equal(t, map[string]string{"./": "", MarkerFile: tree(t, d.Path())[MarkerFile]}, tree(t, d.Path()), "a fresh stage")
	require.NoError(t, d.Close())
	assert.Empty(t, siblings(t, out))
	assert.Equal(t, "current", tree(t, out)["a"])
	assert.DirExists(t, filepath.Join(dir, ".other"+stageSuffix))
}

// TestKilledDuringSwap checks that the previous output comes back when a
// run died between moving it aside and moving the new one in.
func TestKilledDuringSwap(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	write(t, filepath.Join(dir, ".out"+oldSuffix, MarkerFile), "x")
	write(t, filepath.Join(dir, ".out"+oldSuffix, "a"), "previous")
	d, err := Stage(out, Options{})
	require.NoError(t, err)
	require.NoError(t, d.Close())
	assert.Equal(t, "previous", tree(t, out)["a"])
}

// TestSwapFailureKeepsOldOutput makes the final rename fail, with and
// without the atomic exchange, and checks the old output is intact.
func TestSwapFailureKeepsOldOutput(t *testing.T) {
	for _, atomic := range []bool{true, false} {
		t.Run(fmt.Sprint("atomic=", atomic), func(t *testing.T) {
			if !atomic {
				saved := exchangeFunc
				exchangeFunc = func(a, b string) error { return errors.New("no exchange") }
				defer func() { exchangeFunc = saved }()
			}
			out := filepath.Join(t.TempDir(), "out")
			write(t, filepath.Join(out, MarkerFile), "x")
			write(t, filepath.Join(out, "a"), "old")
			before := tree(t, out)
			d, err := Stage(out, Options{})
			require.NoError(t, err)
			require.NoError(t, os.RemoveAll(d.Path())) // the stage vanished
			require.Error(t, d.Commit())
			assert.Equal(t, before, tree(t, out))
			assert.Empty(t, siblings(t, out))

			d, err = Stage(out, Options{})
			require.NoError(t, err)
			write(t, filepath.Join(d.Path(), "a"), "new")
			require.NoError(t, d.Commit())
			assert.Equal(t, "new", tree(t, out)["a"])
			assert.Empty(t, siblings(t, out))
		})
	}
}

// TestKeepResumes checks that a failed run's stage keeps the entries named
// in Keep for the next run, and nothing else.
func TestKeepResumes(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	opts := Options{Keep: []string{"github_data"}}
	d, err := Stage(out, opts)
	require.NoError(t, err)
	write(t, filepath.Join(d.Path(), "github_data", "prs.jsonl"), "half")
	write(t, filepath.Join(d.Path(), "train.jsonl"), "x")
	require.NoError(t, d.Close())
	_, err = os.Stat(out)
	assert.ErrorIs(t, err, fs.ErrNotExist, "nothing committed")

	d, err = Stage(out, opts)
	require.NoError(t, err)
	got := tree(t, d.Path())
	assert.Equal(t, "half", got[filepath.Join("github_data", "prs.jsonl")])
	assert.NotContains(t, got, "train.jsonl")
	require.NoError(t, d.Commit())
	assert.Empty(t, siblings(t, out))
}

// TestInPlace checks the in-place mode: same rules, the marker written
// into the directory, no stage.
func TestInPlace(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	d, err := InPlace(out, Options{Tool: "gather"})
	require.NoError(t, err)
	assert.Equal(t, out, d.Path())
	write(t, filepath.Join(out, "prs.jsonl"), "x")
	require.NoError(t, d.Commit())
	assert.FileExists(t, filepath.Join(out, MarkerFile))
	assert.Empty(t, siblings(t, out))

	foreign := filepath.Join(dir, "foreign")
	write(t, filepath.Join(foreign, "x"), "mine")
	_, err = InPlace(foreign, Options{Tool: "gather"})
	assert.ErrorContains(t, err, "was not written by gather")
	assert.NoFileExists(t, filepath.Join(foreign, MarkerFile))
}

// TestModes checks that files and directories get the ordinary modes
// under the umask, not 0600/0700.
func TestModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	out := filepath.Join(t.TempDir(), "out")
	d, err := Stage(out, Options{})
	require.NoError(t, err)
	require.NoError(t, WriteFile(filepath.Join(d.Path(), "f"), []byte("x")))
	require.NoError(t, d.Commit())
	umask := umaskForTest(t)
	for name, want := range map[string]fs.FileMode{".": 0o755, MarkerFile: 0o644, "f": 0o644} {
		fi, err := os.Stat(filepath.Join(out, name))
		require.NoError(t, err)
		assert.Equal(t, want&^umask, fi.Mode().Perm(), name)
	}
}

// umaskForTest finds the umask by creating a file with mode 0777.
func umaskForTest(t *testing.T) fs.FileMode {
	p := filepath.Join(t.TempDir(), "probe")
	require.NoError(t, os.WriteFile(p, nil, 0o777))
	fi, err := os.Stat(p)
	require.NoError(t, err)
	return 0o777 &^ fi.Mode().Perm()
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "f.json")
	require.NoError(t, WriteFile(p, []byte("one")))
	require.NoError(t, WriteFile(p, []byte("two")))
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, "two", string(b))
	entries, _ := os.ReadDir(filepath.Dir(p))
	assert.Len(t, entries, 1, "no temporary files left")
	require.NoError(t, os.Mkdir(filepath.Join(dir, "adir"), 0o755))
	assert.ErrorContains(t, WriteFile(filepath.Join(dir, "adir"), []byte("x")), "not a regular file")
	if runtime.GOOS != "windows" {
		assert.ErrorContains(t, WriteFile(os.DevNull, []byte("x")), "not a regular file")
	}
}

// TestSeed checks that Seed brings an entry of the current output into
// the stage (hard links) and that replacing a seeded file in the stage
// does not change the output.
func TestSeed(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	write(t, filepath.Join(out, MarkerFile), "x")
	write(t, filepath.Join(out, "gh", "cache", "a"), "cached")
	d, err := Stage(out, Options{})
	require.NoError(t, err)
	defer d.Close()
	require.NoError(t, d.Seed(filepath.Join("gh", "cache")))
	require.NoError(t, d.Seed("missing"))
	assert.Equal(t, "cached", tree(t, d.Path())[filepath.Join("gh", "cache", "a")])
	require.NoError(t, WriteFile(filepath.Join(d.Path(), "gh", "cache", "a"), []byte("fresh")))
	assert.Equal(t, "cached", tree(t, out)[filepath.Join("gh", "cache", "a")], "the output is untouched")
	require.NoError(t, d.Seed(filepath.Join("gh", "cache")), "an entry the stage has is left alone")
	assert.Equal(t, "fresh", tree(t, d.Path())[filepath.Join("gh", "cache", "a")])
}

// TestCheck checks without locking or creating anything.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	assert.NoError(t, Check(filepath.Join(dir, "new", "out"), Options{}))
	assert.NoDirExists(t, filepath.Join(dir, "new"))
	write(t, filepath.Join(dir, "mine", "x"), "y")
	assert.ErrorContains(t, Check(filepath.Join(dir, "mine"), Options{Force: true}), "was not written by sftforge")
	assert.ErrorContains(t, Check(filepath.Join(dir, "mine", "sub"), Options{Inputs: []string{filepath.Join(dir, "mine")}}), "it is inside the input")
	assert.ErrorContains(t, Check("", Options{}), "no output directory")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1)
}

// TestFlush checks that a Flush started while the run writes changes
// nothing of what Commit and Close do: every file written before and
// after it is committed, a closed run leaves nothing, and Flush is a no-op
// once the Dir is done.
func TestFlush(t *testing.T) {
	tests := []struct {
		name    string
		flushes int  // Flush calls after the first files
		commit  bool // else Close
		keep    []string
		want    map[string]string // the output after the run; nil: none
	}{
		{name: "flush, write more, commit", flushes: 1, commit: true,
			want: map[string]string{"a/1": "1", "a/2": "2", "b": "b", MarkerFile: ""}},
		{name: "two flushes, commit", flushes: 2, commit: true,
			want: map[string]string{"a/1": "1", "a/2": "2", "b": "b", MarkerFile: ""}},
		{name: "no flush, commit", commit: true,
			want: map[string]string{"a/1": "1", "a/2": "2", "b": "b", MarkerFile: ""}},
		{name: "flush, close", flushes: 1},
		{name: "flush, close keeping a", flushes: 1, keep: []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			d, err := Stage(out, Options{Keep: tt.keep})
			require.NoError(t, err)
			for i := range 200 { // enough files for the flush to overlap the writes
				write(t, filepath.Join(d.Path(), "a", "x", strconv.Itoa(i)), "x")
			}
			write(t, filepath.Join(d.Path(), "a", "1"), "1")
			for range tt.flushes {
				d.Flush()
			}
			write(t, filepath.Join(d.Path(), "a", "2"), "2")
			write(t, filepath.Join(d.Path(), "b"), "b")
			require.NoError(t, os.RemoveAll(filepath.Join(d.Path(), "a", "x")))
			if tt.commit {
				require.NoError(t, d.Commit())
			} else {
				require.NoError(t, d.Close())
			}
			d.Flush() // done: nothing
			got := tree(t, out)
			for k := range got {
				switch {
				case strings.HasSuffix(k, "/"):
					delete(got, k)
				case k == MarkerFile:
					got[k] = "" // its content is the tool's, checked elsewhere
				}
			}
			if tt.want == nil {
				assert.Empty(t, got)
			} else {
				assert.Equal(t, tt.want, got)
			}
			if tt.keep != nil {
				assert.Len(t, siblings(t, out), 1, "the stage is kept for the next run")
			}
		})
	}
}
