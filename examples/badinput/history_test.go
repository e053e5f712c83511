package badinput_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rows of issue 12's history cases (5, 13 and 14): shallow clones,
// damaged repositories, revisions past the root and the Enterprise clone
// URL.
func init() { badInputs = append(badInputs, historyInputs...) }

var historyInputs = []badInput{
	{
		name: "generate: shallow clone: the boundary commit is a boundary record, not a root",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			clone := f.Path("shallow.git")
			gitIn(f, f.Dir, "clone", "-q", "--bare", "--no-local", "--depth", "3", "file://"+filepath.ToSlash(f.Sample().RepoPath), clone)
			return invocation{Args: []string{clone, "-o", f.Path("out")}, Guard: []string{clone}}
		},
		code:   0,
		stderr: []string{"the history is incomplete (a shallow clone or grafts): its boundary commits are marked as boundaries, their changes unknown"},
		check: func(t *testing.T, f *fixture) {
			boundary := strings.TrimSpace(gitIn(f, f.Path("shallow.git"), "rev-parse", "HEAD~2"))
			names, err := filepath.Glob(f.Path("out", "*_"+boundary+".jsonl"))
			require.NoError(t, err)
			require.Len(t, names, 1, "the boundary commit has a record")
			b, err := os.ReadFile(names[0])
			require.NoError(t, err)
			assert.Contains(t, string(b), `"files":[],"changes":[]`)
			assert.Contains(t, string(b), `"boundary":true`)
		},
	},
	{
		name: "generate: corrupt pack index",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			repo := f.Sample().RepoPath
			idx := onlyPackFile(f, repo, ".idx")
			b, err := os.ReadFile(idx)
			require.NoError(f.t, err)
			b[8+256*4+5] ^= 0xff // inside the first object name
			require.NoError(f.t, os.Chmod(idx, 0o644))
			require.NoError(f.t, os.WriteFile(idx, b, 0o644))
			return invocation{Args: []string{repo, "-o", f.Path("out")}, Guard: []string{repo}}
		},
		code:   1,
		stderr: []string{"generate: gitlog: open ", ": pack index objects/pack/pack-", ".idx: corrupt: checksum mismatch"},
		check:  func(t *testing.T, f *fixture) { assert.NoDirExists(t, f.Path("out")) },
	},
	{
		name: "generate: truncated pack",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			repo := f.Sample().RepoPath
			pack := onlyPackFile(f, repo, ".pack")
			fi, err := os.Stat(pack)
			require.NoError(f.t, err)
			require.NoError(f.t, os.Chmod(pack, 0o644))
			require.NoError(f.t, os.Truncate(pack, fi.Size()/3))
			return invocation{Args: []string{repo, "-o", f.Path("out")}, Guard: []string{repo}}
		},
		code:   1,
		stderr: []string{"generate: gitlog: open ", ": pack objects/pack/pack-", ".pack: truncated or does not match its index objects/pack/pack-"},
		check:  func(t *testing.T, f *fixture) { assert.NoDirExists(t, f.Path("out")) },
	},
	{
		name: "generate: --rev past the root commit",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{f.Sample().RepoPath, "--rev", "HEAD~99999", "-o", f.Path("out")}}
		},
		code:   1,
		stderr: []string{`generate: gitlog: revision "HEAD~99999" cannot be resolved: history has only `, " first-parent commits from HEAD"},
		check:  func(t *testing.T, f *fixture) { assert.NoDirExists(t, f.Path("out")) },
	},
	{
		// The sample's Diesel schema.rs is @generated: its 3 versions are skipped too.
		name: "generate: a missing blob is skipped and counted as a missing object",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			repo := f.Sample().RepoPath
			unpack(f, repo)
			blob := strings.TrimSpace(gitIn(f, repo, "rev-parse", "HEAD:crates/router/src/core/payments.rs"))
			require.NoError(f.t, os.Remove(filepath.Join(repo, ".git", "objects", blob[:2], blob[2:])))
			return invocation{Args: []string{repo, "-o", f.Path("out")}}
		},
		code:   0,
		stdout: []string{"4 files skipped (generated 3, missing object 1), 0 with parse errors"},
		check: func(t *testing.T, f *fixture) {
			assert.FileExists(t, f.Path("out", "index.csv"))
		},
	},
	{
		name: "generate: most of the history unreadable",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			repo := f.Sample().RepoPath
			unpack(f, repo)
			for _, tree := range strings.Fields(gitIn(f, repo, "log", "--first-parent", "--format=%T")) {
				err := os.Remove(filepath.Join(repo, ".git", "objects", tree[:2], tree[2:]))
				if !os.IsNotExist(err) {
					require.NoError(f.t, err)
				}
			}
			return invocation{Args: []string{repo, "-o", f.Path("out")}}
		},
		code:   1,
		stderr: []string{"generate: gitlog: walk ", ": most of the history is unreadable: ", " selected commits could not be read; the first: gitlog: commit "},
		check:  func(t *testing.T, f *fixture) { assert.NoDirExists(t, f.Path("out")) },
	},
	{
		// A partial clone lacks blobs by design: the run goes on, skips
		// them as missing objects and says why once.
		name: "sftforge: partial clone (git clone --filter=blob:limit): missing blobs skipped, the clone named",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			repo := f.Sample().RepoPath
			gitIn(f, repo, "config", "uploadpack.allowFilter", "true")
			clone := f.Path("partial.git")
			gitIn(f, f.Dir, "clone", "-q", "--bare", "--filter=blob:limit=1500", "file://"+filepath.ToSlash(repo), clone)
			return invocation{Args: []string{"--repo", clone, "-o", f.Path("out")}, Guard: []string{clone}}
		},
		code: 0,
		stderr: []string{"gitlog: a partial clone (git clone --filter): the blobs it lacks are skipped as missing objects and their files' changes are unknown; clone without --filter for complete data",
			"promisor=origin"},
		stdout: []string{"missing object "},
		check: func(t *testing.T, f *fixture) {
			assert.FileExists(t, f.Path("out", "merged_dataset.jsonl"))
		},
	},
	{
		// A repository of another language, or the wrong directory: the
		// run succeeds with an empty dataset, and says so.
		name: "sftforge: a repository without Rust files: an empty dataset and a warning",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			repo := f.Path("docs")
			require.NoError(f.t, os.MkdirAll(repo, 0o755))
			gitIn(f, repo, "init", "-q")
			f.Write("docs/README.md", "# docs\n")
			gitIn(f, repo, "add", ".")
			gitIn(f, repo, "-c", "user.name=a", "-c", "user.email=a@example.com", "commit", "-q", "-m", "docs: start")
			return invocation{Args: []string{"--repo", repo, "-o", f.Path("out")}, Guard: []string{repo}}
		},
		code:   0,
		stderr: []string{"dataset: no commit of the walk changes a file of the selected languages: the dataset is empty (check the repository, --rev, --since and -n)"},
		stdout: []string{"export  0 commits, 0 records"},
		check: func(t *testing.T, f *fixture) {
			assert.FileExists(t, f.Path("out", "merged_dataset.jsonl"))
		},
	},
	{
		name: "sftforge: a repository without commits: HEAD's missing branch named",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			repo := f.Path("new")
			require.NoError(f.t, os.MkdirAll(repo, 0o755))
			gitIn(f, repo, "init", "-q", "-b", "main")
			return invocation{Args: []string{"--repo", repo, "-o", f.Path("out")}, Guard: []string{repo}}
		},
		code:   1,
		stderr: []string{"HEAD names refs/heads/main, which does not exist (a repository without commits, or a clone whose HEAD names a missing branch)"},
		check:  func(t *testing.T, f *fixture) { assert.NoDirExists(t, f.Path("out")) },
	},
	{
		name: "sftforge: --github with --api-url clones from the Enterprise host",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			// A closed local port: the clone fails at once, without the
			// network, and the error names the URL it tried.
			return invocation{Args: []string{"--github", "acme/widgets", "--api-url", "http://127.0.0.1:1/api/v3",
				"--cache-dir", f.Path("cache"), "-o", f.Path("out")}, Env: []string{"GITHUB_TOKEN=" + fakeToken}}
		},
		code:        1,
		stderr:      []string{"sftforge: gitlog: clone http://127.0.0.1:1/acme/widgets.git: "},
		notInOutput: []string{fakeToken, "github.com/acme"},
	},
}

// gitIn runs git in dir and returns its output; the row is skipped when
// git is not installed.
func gitIn(f *fixture, dir string, args ...string) string {
	f.t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		f.t.Skip("git is not installed")
	}
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+f.Dir)
	out, err := cmd.CombinedOutput()
	require.NoError(f.t, err, "git %s: %s", strings.Join(args, " "), out)
	return string(out)
}

// onlyPackFile returns the one pack file of repo's with the given suffix.
func onlyPackFile(f *fixture, repo, suffix string) string {
	f.t.Helper()
	names, err := filepath.Glob(filepath.Join(repo, ".git", "objects", "pack", "pack-*"+suffix))
	require.NoError(f.t, err)
	require.Len(f.t, names, 1)
	return names[0]
}

// unpack turns repo's one pack into loose objects, so single objects can
// be removed.
func unpack(f *fixture, repo string) {
	f.t.Helper()
	pack := onlyPackFile(f, repo, ".pack")
	moved := f.Path("moved.pack")
	require.NoError(f.t, os.Rename(pack, moved))
	require.NoError(f.t, os.Remove(strings.TrimSuffix(pack, ".pack")+".idx"))
	in, err := os.Open(moved)
	require.NoError(f.t, err)
	defer in.Close()
	cmd := exec.Command("git", "-C", repo, "unpack-objects", "-q")
	cmd.Stdin = in
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+f.Dir)
	out, err := cmd.CombinedOutput()
	require.NoError(f.t, err, "git unpack-objects: %s", out)
}
