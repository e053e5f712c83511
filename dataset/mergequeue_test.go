package dataset

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/gitlog"
)

// historyBuilder writes commits with chosen authors and parents into a
// repository with a work tree.
type historyBuilder struct {
	t     *testing.T
	dir   string
	repo  *git.Repository
	wt    *git.Worktree
	clock time.Time
}

func newHistoryBuilder(t *testing.T) *historyBuilder {
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	require.NoError(t, err)
	wt, err := repo.Worktree()
	require.NoError(t, err)
	return &historyBuilder{t: t, dir: dir, repo: repo, wt: wt, clock: time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)}
}

// commit writes files (path, content pairs) and commits them by author with
// the given parents (none: HEAD).
func (h *historyBuilder) commit(author, msg string, parents []plumbing.Hash, files ...string) plumbing.Hash {
	h.t.Helper()
	for i := 0; i+1 < len(files); i += 2 {
		p := filepath.Join(h.dir, filepath.FromSlash(files[i]))
		require.NoError(h.t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(h.t, os.WriteFile(p, []byte(files[i+1]), 0o644))
		_, err := h.wt.Add(files[i])
		require.NoError(h.t, err)
	}
	h.clock = h.clock.Add(time.Hour)
	sig := &object.Signature{Name: author, Email: "someone@example.com", When: h.clock}
	c, err := h.wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, Parents: parents, AllowEmptyCommits: true})
	require.NoError(h.t, err)
	return c
}

// mergeQueueHistory builds a history merged through bors-ng and homu, by
// GitHub merge commits and squashes, with pull requests by people (some
// with "bot" inside their names) and by bots.
func mergeQueueHistory(t *testing.T) string {
	h := newHistoryBuilder(t)
	base := h.commit("Ada", "init", nil, "src/lib.rs", "pub fn a() {}\n")
	// bors-ng: the merge commit is by the queue, the branch by a person.
	branch := h.commit("Botond Abbott", "add listing", []plumbing.Hash{base}, "src/list.rs", "pub fn list() {}\n")
	m7 := h.commit("bors[bot]", "Merge #7\n\n7: Add a listing r=reviewer a=botond\n\nLets users list things (#7).\n\nbors r+\n\nCo-authored-by: Botond Abbott <b@example.com>\n",
		[]plumbing.Hash{base, branch})
	// homu: "Auto merge of #8 - user:branch, r=reviewer".
	branch = h.commit("Jane Talbot", "search", []plumbing.Hash{m7}, "src/search.rs", "pub struct Search;\n")
	m8 := h.commit("bors", "Auto merge of #8 - jane:search, r=reviewer\n\nAdd search\n\nCloses #3.\n\nr? @reviewer\n",
		[]plumbing.Hash{m7, branch})
	// A bot's branch merged by a maintainer.
	branch = h.commit("dependabot[bot]", "Bump serde", []plumbing.Hash{m8}, "src/deps.rs", "pub fn dep() {}\n")
	m9 := h.commit("Maintainer", "Merge pull request #9 from owner/dependabot/cargo/serde\n\nBump serde from 1.0 to 2.0\n",
		[]plumbing.Hash{m8, branch})
	// Squash commits by a person and by a bot.
	s10 := h.commit("Grace", "feat(search): add a filter (#10)\n\nFilters by name.\n", []plumbing.Hash{m9},
		"src/search.rs", "pub struct Search;\npub fn filter() {}\n")
	h.commit("renovate[bot]", "chore(deps): update rust crate tokio (#11)", []plumbing.Hash{s10}, "src/deps.rs", "pub fn dep() {}\npub fn tokio() {}\n")
	return h.dir
}

func TestMergeQueueHistory(t *testing.T) {
	dir := mergeQueueHistory(t)
	repo, err := gitlog.Open(context.Background(), dir, gitlog.OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()
	out := t.TempDir()
	mo, wo := testOptions(t, "owner/repo", -1, 1, false)
	res, err := RunPipeline(context.Background(), repo, PipelineOptions{OutDir: out, Owner: "owner", Repo: "repo",
		Merge: mo, Write: wo, Export: ExportOptions{Workers: 1}})
	require.NoError(t, err)

	// Every commit record carries body and merge_author.
	for _, r := range readLines(t, filepath.Join(out, "commits_export", "00002_"+firstSHA(t, out, 2)+".jsonl")) {
		md := r["metadata"].(map[string]any)
		assert.Equal(t, "Botond Abbott", md["merge_author"])
		assert.Contains(t, md["body"], "7: Add a listing")
	}

	byNumber := map[int]map[string]any{}
	prompts := map[int]string{}
	for _, r := range readLines(t, filepath.Join(out, "merged_dataset.jsonl")) {
		md := r["metadata"].(map[string]any)
		n := int(md["pr_number"].(float64))
		byNumber[n] = md
		prompts[n] = r["prompt"].(string)
	}
	assert.ElementsMatch(t, []int{7, 8, 10}, keys(byNumber), "bot PRs are dropped, merge-queue PRs kept")
	assert.Equal(t, 2, res.Merge.Dropped[DropBot], "dropped as bots: exactly the PRs bots wrote")
	assert.Equal(t, "Botond Abbott", byNumber[7]["author"])
	assert.Equal(t, "Jane Talbot", byNumber[8]["author"])
	assert.Equal(t, "Grace", byNumber[10]["author"])
	assert.Equal(t, "Add a listing", byNumber[7]["title"])
	assert.Equal(t, "Add search", byNumber[8]["title"])
	assert.Equal(t, "feat(search): add a filter", byNumber[10]["title"])
	assert.Equal(t, []any{float64(3)}, byNumber[8]["linked_issues"])
	for n, p := range prompts {
		assert.False(t, IsMergeLine(p), "PR #%d: prompt starts with a merge line: %q", n, p)
		assert.NotRegexp(t, regexp.MustCompile(fmt.Sprintf(`#%d\b`, n)), p, "PR #%d names its own number", n)
		assert.NotRegexp(t, `(?m)^\s*(r\?|bors r\+|Co-authored-by)`, p, "PR #%d: reviewer lines", n)
		assert.NotContains(t, p, "jane:search", "PR #%d: branch name", n)
	}
	assert.Equal(t, "Add a listing\n\nLets users list things.", prompts[7])
}

func firstSHA(t *testing.T, out string, n int) string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(out, "commits_export", fmt.Sprintf("%05d_*.jsonl", n)))
	require.NoError(t, err)
	require.Len(t, matches, 1)
	name := filepath.Base(matches[0])
	return name[len("00000_") : len(name)-len(".jsonl")]
}

func keys[V any](m map[int]V) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestGitHubPRPromptDoesNotNameItself(t *testing.T) {
	prs := []github.PR{{Number: 42, Title: "Add x", Body: "Follow-up to #41; #42 adds x.\n\nr? @reviewer", Merged: true,
		Author: "Ada", Labels: []string{}, Files: github.PRFiles{{Path: "src/x.rs", Status: "added", Additions: 1}}}}
	recs, _, err := Merge(prs, nil, nil, MergeOptions{})
	require.NoError(t, err)
	require.Len(t, recs, 1)
	assert.Equal(t, "Add x\n\nFollow-up to #41; adds x.", recs[0].Prompt)
}
