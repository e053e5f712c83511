package badinput_test

import (
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// init adds the rows of broken issue forms and templates (issue 15, item
// 8): a form that does not parse is left out with a warning naming it;
// the run goes on with the others and the generic rules.
func init() { badInputs = append(badInputs, formRows...) }

var formRows = []badInput{
	{
		name: "sftforge: broken issue form and template front matter in the repository",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			repo := gitRepo(f, "fn a() {}\n", "fn a() {}\nfn b() {}\n")
			f.Write("repo/.github/ISSUE_TEMPLATE/bug.yml", "name: Bug\nbody:\n  - type: textarea\n    attributes: {}\n")
			f.Write("repo/.github/ISSUE_TEMPLATE/feature.yml", "body: [\n")
			f.Write("repo/.github/pull_request_template.md", "---\nname: [\n---\n## Checklist\n")
			f.Write("repo/.github/ISSUE_TEMPLATE/ok.yml", "body:\n  - type: dropdown\n    attributes: {label: Will you send a fix?, options: [\"Yes, I'll open a PR\"]}\n")
			r, err := git.PlainOpen(repo)
			require.NoError(f.t, err)
			wt, err := r.Worktree()
			require.NoError(f.t, err)
			require.NoError(f.t, wt.AddGlob(".github"))
			sig := &object.Signature{Name: "A", Email: "a@example.com", When: time.Unix(1700000600, 0)}
			_, err = wt.Commit("add forms", &git.CommitOptions{Author: sig, Committer: sig})
			require.NoError(f.t, err)
			return invocation{Args: []string{"--repo", repo, "-o", f.Path("out")}, Guard: []string{repo}}
		},
		code: 0,
		stderr: []string{"issue form or template left out",
			".github/ISSUE_TEMPLATE/bug.yml:3: textarea field without a label",
			".github/ISSUE_TEMPLATE/feature.yml: yaml:",
			".github/pull_request_template.md:1: front matter"},
		check: func(t *testing.T, f *fixture) {
			assert.FileExists(t, f.Path("out", "report.html"))
		},
	},
}
