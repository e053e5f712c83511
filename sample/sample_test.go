package sample

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/github"
)

var update = flag.Bool("update", false, "rewrite golden files")

var (
	builtOnce sync.Once
	built     *Sample
	builtErr  error
	buildRoot string
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if buildRoot != "" {
		os.RemoveAll(buildRoot)
	}
	os.Exit(code)
}

// sharedSample builds the sample once for all tests that only read it.
func sharedSample(t *testing.T) *Sample {
	t.Helper()
	builtOnce.Do(func() {
		buildRoot, builtErr = os.MkdirTemp("", "sample-test-")
		if builtErr == nil {
			built, builtErr = Build(filepath.Join(buildRoot, "paygate"))
		}
	})
	require.NoError(t, builtErr)
	return built
}

// gitCLI runs the git command line in dir, skipping the test without git.
func gitCLI(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "core.quotepath=off"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir(), "LC_ALL=C")
	cmd.Env = append(cmd.Env, env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "git %s: %s", strings.Join(args, " "), stderr.String())
	return string(out)
}

func readPRs(t *testing.T, s *Sample) []github.PR {
	t.Helper()
	prs, err := github.ReadPRs(filepath.Join(s.GitHubDir, "prs.jsonl"))
	require.NoError(t, err)
	return prs
}

func readIssues(t *testing.T, s *Sample) []github.Issue {
	t.Helper()
	iss, err := github.ReadIssues(filepath.Join(s.GitHubDir, "issues.jsonl"))
	require.NoError(t, err)
	return iss
}

func TestBuildIsDeterministic(t *testing.T) {
	first := sharedSample(t)
	second, err := Build(filepath.Join(t.TempDir(), "again"))
	require.NoError(t, err)
	assert.Equal(t, first.Head, second.Head)
	for _, name := range []string{"prs.jsonl", "issues.jsonl", "summary.json"} {
		a, err := os.ReadFile(filepath.Join(first.GitHubDir, name))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(second.GitHubDir, name))
		require.NoError(t, err)
		assert.Equal(t, string(a), string(b), name)
	}
	assert.Equal(t, "acme-payments", second.Owner)
	assert.Equal(t, "paygate", second.Name)
	assert.Equal(t, filepath.Join(second.RepoPath, "github_data"), second.GitHubDir)
}

func TestBuildRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("x"), 0o644))
	_, err := Build(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), dir)
	assert.Contains(t, err.Error(), "not empty")
}

// TestGitLogGolden pins the whole history: hashes, parents, identities,
// dates, subjects and per-file line counts as git itself reports them.
func TestGitLogGolden(t *testing.T) {
	s := sharedSample(t)
	got := gitCLI(t, s.RepoPath, nil, "log", "--topo-order", "-M", "--numstat",
		"--format=commit %H%nparents %P%nauthor %an <%ae> %aI%ncommitter %cn <%ce> %cI%nsubject %s")
	golden := filepath.Join("testdata", "log.golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./sample -update to create it")
	assert.Equal(t, string(want), got)
}

func TestRepositoryIsSound(t *testing.T) {
	s := sharedSample(t)
	gitCLI(t, s.RepoPath, nil, "fsck", "--full", "--strict", "--no-dangling")
	assert.Empty(t, gitCLI(t, s.RepoPath, nil, "status", "--porcelain"), "work tree and index match HEAD")
	assert.Equal(t, "main\n", gitCLI(t, s.RepoPath, nil, "rev-parse", "--abbrev-ref", "HEAD"))

	subjects := strings.Split(strings.TrimSpace(gitCLI(t, s.RepoPath, nil, "log", "--first-parent", "--reverse", "--format=%s")), "\n")
	assert.Equal(t, []string{
		"chore: initial payments workspace",
		"feat(customers): add search customers by id (#12)",
		"fix(connector): [Acme] handle refund webhook status (#15)",
		"feat(refunds): add refund reason and merchant reference (#17)",
		"fix(router): return 404 for unknown refund id",
		"Merge pull request #20 from dev/feature-x",
		"refactor(core): move payment helpers into core/payments/helpers (#21)",
		"docs: add connector integration guide (#22)",
		"chore(version): 2024.04.02.0",
		"feat(connector): [Zenpay] add 3DS support for card payments (#24)",
		"chore(config): add S3 file storage settings for dispute evidence (#25)",
		"fix(config): read S3 credentials from the environment (#26)",
		"feat(payments): add payments list endpoint with v2 offset pagination (#28)",
		"Revert \"fix(router): return 404 for unknown refund id\" (#29)",
		"fix(router): answer 404 for refunds that do not exist (#30)",
	}, subjects)
}

func TestOpensWithGoGit(t *testing.T) {
	s := sharedSample(t)
	repo, err := git.PlainOpen(s.RepoPath)
	require.NoError(t, err)
	head, err := repo.Head()
	require.NoError(t, err)
	assert.Equal(t, plumbing.NewBranchReferenceName("main"), head.Name())
	assert.Equal(t, s.Head, head.Hash().String())

	iter, err := repo.Log(&git.LogOptions{From: head.Hash()})
	require.NoError(t, err)
	var commits, merges int
	var bot bool
	require.NoError(t, iter.ForEach(func(c *object.Commit) error {
		commits++
		if c.NumParents() == 2 {
			merges++
		}
		bot = bot || strings.HasSuffix(c.Author.Name, "[bot]")
		return nil
	}))
	assert.Equal(t, 17, commits)
	assert.Equal(t, 1, merges)
	assert.True(t, bot, "a bot authored a commit")

	remote, err := repo.Remote("origin")
	require.NoError(t, err)
	assert.Equal(t, []string{"https://github.com/acme-payments/paygate.git"}, remote.Config().URLs)
}

var prNumberInSubject = regexp.MustCompile(`\(#(\d+)\)$`)

func TestPullRequests(t *testing.T) {
	s := sharedSample(t)
	repo, err := git.PlainOpen(s.RepoPath)
	require.NoError(t, err)
	prs := readPRs(t, s)
	issueByNumber := map[int]github.Issue{}
	for _, is := range readIssues(t, s) {
		issueByNumber[is.Number] = is
	}
	require.Len(t, prs, 13)

	var withoutNumber []int
	for _, pr := range prs {
		t.Run(fmt.Sprintf("#%d", pr.Number), func(t *testing.T) {
			merge, err := repo.CommitObject(plumbing.NewHash(pr.MergeCommitSHA))
			require.NoError(t, err, "merge_commit_sha exists")
			subject, _, _ := strings.Cut(merge.Message, "\n")
			switch m := prNumberInSubject.FindStringSubmatch(subject); {
			case m != nil:
				assert.Equal(t, fmt.Sprint(pr.Number), m[1], "subject number")
			case merge.NumParents() == 2:
				assert.Contains(t, subject, fmt.Sprintf("Merge pull request #%d ", pr.Number))
			default:
				withoutNumber = append(withoutNumber, pr.Number)
			}
			target := pr.MergeCommitSHA // a squash merge's patch leads to the merge commit
			if merge.NumParents() == 2 {
				target = pr.HeadSHA
				assert.Equal(t, merge.ParentHashes[1].String(), pr.HeadSHA, "head is the merged branch")
				assert.Equal(t, gitCLI(t, s.RepoPath, nil, "merge-base", merge.ParentHashes[0].String(), pr.HeadSHA), pr.BaseSHA+"\n")
			} else {
				assert.Equal(t, merge.ParentHashes[0].String(), pr.BaseSHA, "base is main before the merge")
			}

			require.NotEmpty(t, pr.Commits)
			assert.Equal(t, pr.HeadSHA, pr.Commits[len(pr.Commits)-1].SHA)
			for _, c := range pr.Commits {
				_, err := repo.CommitObject(plumbing.NewHash(c.SHA))
				if merge.NumParents() == 2 {
					assert.NoError(t, err, "a merged branch's commits are in the history")
				} else {
					assert.ErrorIs(t, err, plumbing.ErrObjectNotFound, "a squashed commit is not in the history")
				}
			}

			// The patch turns base into head exactly, and its file list
			// agrees with git's own numstat.
			result := applyPatch(t, s.RepoPath, pr.BaseSHA, pr.Patch)
			assert.Equal(t, gitCLI(t, s.RepoPath, nil, "rev-parse", target+"^{tree}"), result)
			assert.Equal(t, numstat(t, s.RepoPath, pr.BaseSHA, target), filesNumstat(pr.Files))

			for _, n := range pr.LinkedIssues {
				is, ok := issueByNumber[n]
				if assert.True(t, ok, "linked issue #%d is in issues.jsonl", n) {
					assert.Equal(t, "closed", is.State)
					assert.Equal(t, pr.MergedAt, is.ClosedAt, "the issue closes when the PR merges")
				}
			}
			for _, ref := range pr.Mentions {
				if ref.Owner == s.Owner && ref.Repo == s.Name {
					_, isIssue := issueByNumber[ref.Number]
					assert.True(t, isIssue || slices.ContainsFunc(prs, func(p github.PR) bool { return p.Number == ref.Number }),
						"mention #%d names an issue or a PR", ref.Number)
				}
			}
			assert.True(t, strings.Contains(pr.Body, "- [x] ") && strings.Contains(pr.Body, "<!--"), "PR template")
		})
	}
	assert.Equal(t, []int{19}, withoutNumber, "exactly one PR matches by merge_commit_sha only")
}

// applyPatch applies patch to base's tree in a scratch index and returns
// the resulting tree's hash, with a newline, as git prints it.
func applyPatch(t *testing.T, repoDir, base, patch string) string {
	t.Helper()
	patchFile := filepath.Join(t.TempDir(), "pr.patch")
	require.NoError(t, os.WriteFile(patchFile, []byte(patch), 0o644))
	env := []string{"GIT_INDEX_FILE=" + filepath.Join(t.TempDir(), "index")}
	gitCLI(t, repoDir, env, "read-tree", base)
	gitCLI(t, repoDir, env, "apply", "--cached", patchFile)
	return gitCLI(t, repoDir, env, "write-tree")
}

// numstat is `git diff --numstat -M` between two commits, one
// "added deleted path" line per file, sorted.
func numstat(t *testing.T, repoDir, from, to string) []string {
	t.Helper()
	out := gitCLI(t, repoDir, nil, "diff", "--numstat", "-M", from, to)
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		fields := strings.SplitN(l, "\t", 3)
		// A rename reads "dir/{old => new}/file" or "old => new".
		path := fields[2]
		if m := regexp.MustCompile(`^(.*)\{(.*) => (.*)\}(.*)$`).FindStringSubmatch(path); m != nil {
			path = m[1] + m[2] + m[4] + " -> " + m[1] + m[3] + m[4]
		} else {
			path = strings.Replace(path, " => ", " -> ", 1)
		}
		lines = append(lines, fields[0]+" "+fields[1]+" "+strings.ReplaceAll(path, "//", "/"))
	}
	slices.Sort(lines)
	return lines
}

// filesNumstat renders PR files as numstat does.
func filesNumstat(files github.PRFiles) []string {
	var lines []string
	for _, f := range files {
		path := f.Path
		if f.OldPath != "" {
			path = f.OldPath + " -> " + f.Path
		}
		lines = append(lines, fmt.Sprintf("%d %d %s", f.Additions, f.Deletions, path))
	}
	slices.Sort(lines)
	return lines
}
