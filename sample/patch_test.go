package sample

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPRPatchesMatchGitCLI checks each PR's patch against `git diff` of the
// built repository: from the fork point to the branch tip for a true
// merge, from the parent to the squash-merge commit otherwise.
func TestPRPatchesMatchGitCLI(t *testing.T) {
	s := sharedSample(t)
	prs := readPRs(t, s)
	commits := map[string]bool{}
	for _, h := range strings.Fields(gitCLI(t, s.RepoPath, nil, "rev-list", "--all")) {
		commits[h] = true
	}
	for _, pr := range prs {
		t.Run(fmt.Sprint(pr.Number), func(t *testing.T) {
			head := pr.MergeCommitSHA
			if commits[pr.HeadSHA] {
				head = pr.HeadSHA
			}
			want := gitCLI(t, s.RepoPath, nil, "-c", "core.quotepath=on", "-c", "core.abbrev=7", "diff", "-M", pr.BaseSHA, head)
			assert.Equal(t, want, pr.Patch)
		})
	}
}
