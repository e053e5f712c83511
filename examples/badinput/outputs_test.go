package badinput_test

import (
	"fmt"
	"os"
	"os/exec"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/github/githubtest"
	"github.com/sftforge/sftforge/outdir"
)

func init() { badInputs = append(badInputs, outputInputs...) }

// fakeGitHub starts a fake GitHub for the row, with one small repository,
// answering fakeToken; it stops when the row ends.
func fakeGitHub(f *fixture) *githubtest.Server {
	f.t.Helper()
	repo, err := githubtest.Generate(githubtest.GenerateOptions{Owner: "acme", Name: "pay", Dir: f.Path("gh-repo"), Merged: 3, Issues: 2})
	require.NoError(f.t, err)
	srv := githubtest.NewServer(repo)
	srv.SetToken(fakeToken)
	f.t.Cleanup(srv.Close)
	return srv
}

// bareClone makes a bare clone of the sample repository.
func bareClone(f *fixture) string {
	f.t.Helper()
	dir := f.Path("bare.git")
	b, err := exec.Command("git", "clone", "-q", "--bare", f.Sample().RepoPath, dir).CombinedOutput()
	require.NoError(f.t, err, string(b))
	return dir
}

// outputInputs are issue 12's cases 1-4: outputs that are not the tool's
// own are never replaced, a failed rerun leaves the previous output
// byte-identical, and two runs never write one directory.
var outputInputs = []badInput{
	// 1. Data loss: only a directory the tool created, or an empty one.
	{
		name: "generate: -o is a regular file",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			file := f.Write("notes.txt", "my notes\n")
			return invocation{Args: []string{f.Sample().RepoPath, "-o", file, "--force"}, Guard: []string{file}}
		},
		code:   1,
		stderr: []string{"notes.txt is a file, not a directory: sftforge writes only into a directory it created or an empty one"},
	},
	{
		name: "generate: -o is a directory of unrelated files, even with --force",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			f.Write("mine/thesis.tex", "years of work\n")
			return invocation{Args: []string{f.Sample().RepoPath, "-o", f.Path("mine"), "--force"}, Guard: []string{f.Path("mine")}}
		},
		code: 1,
		stderr: []string{`it is not empty and was not written by sftforge (it has no .sftforge-output marker and holds "thesis.tex")`,
			"--force does not replace files sftforge did not write"},
	},
	{
		name: "generate: -o is the repository's work tree",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			repo := f.Sample().RepoPath
			return invocation{Args: []string{repo, "-o", repo, "--force"}, Guard: []string{repo}}
		},
		code:   1,
		stderr: []string{"it is the input"},
	},
	{
		name: "generate: -o is a bare repository",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			bare := bareClone(f)
			return invocation{Args: []string{bare, "-o", bare, "--force"}, Guard: []string{bare}}
		},
		code:   1,
		stderr: []string{"it is the input"},
	},
	{
		name: "generate: -o is the parent of the repository",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{f.Sample().RepoPath, "-o", f.Dir, "--force"}, Guard: []string{f.Dir}}
		},
		code:   1,
		stderr: []string{"it holds the input"},
	},
	{
		name: "sftforge: -o is the repository (its README.md stays)",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			repo := f.Sample().RepoPath
			return invocation{Args: []string{"--repo", repo, "-o", repo}, Guard: []string{repo}}
		},
		code:   1,
		stderr: []string{"sftforge: dataset: pipeline: outdir: refusing to write into ", ": it is the input"},
	},
	{
		name: "sftforge: -o is inside the repository",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			repo := f.Sample().RepoPath
			return invocation{Args: []string{"--repo", repo, "-o", repo + "/sftforge-out"}, Guard: []string{repo}}
		},
		code:   1,
		stderr: []string{"it is inside the input"},
	},
	{
		name: "merge: -o is the commit export",
		bin:  "merge",
		setup: func(f *fixture) invocation {
			s := f.Sample()
			f.Run("generate", s.RepoPath, "-o", f.Path("export"))
			return invocation{Args: []string{s.GitHubDir, f.Path("export"), "-o", f.Path("export"), "--force"},
				Guard: []string{f.Path("export"), s.GitHubDir}}
		},
		code:   1,
		stderr: []string{"merge: outdir: refusing to write into ", ": it is the input"},
	},
	{
		name: "gather: -o is a directory of unrelated files",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			f.Write("mine/data.csv", "1,2\n")
			return invocation{Args: []string{"acme", "pay", "-o", f.Path("mine"), "--force", "--api-url", "http://127.0.0.1:9/"},
				Env: []string{"GITHUB_TOKEN=" + fakeToken}, Guard: []string{f.Path("mine")}}
		},
		code:        1,
		stderr:      []string{"was not written by gather"},
		notInOutput: []string{fakeToken},
	},
	{
		name: "sftforge: an old output without marker needs --force",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			f.Write("old/train.jsonl", "{}\n")
			f.Write("old/commits_export/index.csv", "index\n")
			return invocation{Args: []string{"--repo", f.Sample().RepoPath, "-o", f.Path("old")}, Guard: []string{f.Path("old")}}
		},
		code:   1,
		stderr: []string{"looks like the output of an earlier sftforge version (it has no .sftforge-output marker): pass --force to replace it"},
	},
	// 2. A failed gather rerun into a completed output.
	{
		name: "gather: a rerun with a bad token leaves the completed output byte-identical",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			srv := fakeGitHub(f)
			out := f.Path("gh")
			code, _, stderr := run(f.t, "gather", []string{"acme", "pay", "-o", out, "--api-url", srv.APIURL()}, []string{"GITHUB_TOKEN=" + fakeToken})
			require.Equal(f.t, 0, code, stderr)
			return invocation{Args: []string{"acme", "pay", "-o", out, "--api-url", srv.APIURL()},
				Env: []string{"GITHUB_TOKEN=" + fakeToken + "x"}, Guard: []string{out + "/prs.jsonl", out + "/issues.jsonl", out + "/summary.json"}}
		},
		code:        1,
		stderr:      []string{"401"},
		notInOutput: []string{fakeToken},
	},
	{
		name: "gather: a rerun with the server unreachable leaves the completed output byte-identical",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			srv := fakeGitHub(f)
			out := f.Path("gh")
			code, _, stderr := run(f.t, "gather", []string{"acme", "pay", "-o", out, "--api-url", srv.APIURL()}, []string{"GITHUB_TOKEN=" + fakeToken})
			require.Equal(f.t, 0, code, stderr)
			return invocation{Args: []string{"acme", "pay", "-o", out, "--api-url", "http://127.0.0.1:9/", "--retries", "1"},
				Env: []string{"GITHUB_TOKEN=" + fakeToken}, Guard: []string{out + "/prs.jsonl", out + "/issues.jsonl", out + "/summary.json"}}
		},
		code:        1,
		stderr:      []string{"connection refused"},
		notInOutput: []string{fakeToken},
	},
	// 3. A failed sftforge rerun leaves the previous output whole.
	{
		name: "sftforge: a template error in a rerun leaves the previous output byte-identical",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			repo := f.Sample().RepoPath
			f.Run("sftforge", "--repo", repo, "-o", f.Path("out"), "-n", "5")
			// Passes the up-front template check (dataset.CheckResponseTemplate,
			// whose probe record has this title) and fails on real records.
			tmpl := f.Write("bad.tmpl", "{{if eq .Title \"Add customer search\"}}ok{{else}}{{ .Nope }}{{end}}")
			return invocation{Args: []string{"--repo", repo, "-o", f.Path("out"), "--template", tmpl}, Guard: []string{f.Dir}}
		},
		code:   1,
		stderr: []string{"Nope"},
	},
	// 4. One run at a time.
	{
		name: "sftforge: another run is writing the output",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			repo := f.Sample().RepoPath
			f.Run("sftforge", "--repo", repo, "-o", f.Path("out"), "-n", "5")
			d, err := outdir.Stage(f.Path("out"), outdir.Options{})
			require.NoError(f.t, err)
			f.t.Cleanup(func() { assert.NoError(f.t, d.Close()) })
			return invocation{Args: []string{"--repo", repo, "-o", f.Path("out")}, Guard: []string{f.Path("out")}}
		},
		code:   1,
		stderr: []string{fmt.Sprintf("another sftforge run (pid %d) is writing ", os.Getpid()), "wait for it to finish or choose another output directory"},
	},
}
