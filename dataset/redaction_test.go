package dataset

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/gitlog"
)

// planted is redact's fixture of synthetic secrets: the files and the
// manifest of what each holds.
const planted = "../redact/testdata/planted"

type plantedSecret struct {
	File, Kind, Secret string
}

func readPlanted(t *testing.T) []plantedSecret {
	t.Helper()
	f, err := os.Open(filepath.Join(planted, "manifest.jsonl"))
	require.NoError(t, err)
	defer f.Close()
	var out []plantedSecret
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var s plantedSecret
		require.NoError(t, json.Unmarshal(sc.Bytes(), &s))
		out = append(out, s)
	}
	require.NoError(t, sc.Err())
	return out
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(planted, name))
	require.NoError(t, err)
	return string(b)
}

// plantedHistory builds a repository whose Rust code, config and commit
// messages carry the planted secrets, and GitHub data whose PR and issue
// bodies carry the rest.
func plantedHistory(t *testing.T) (repoDir, githubDir string) {
	t.Helper()
	repoDir = t.TempDir()
	r, err := git.PlainInit(repoDir, false)
	require.NoError(t, err)
	wt, err := r.Worktree()
	require.NoError(t, err)
	write := func(path, content string) {
		full := filepath.Join(repoDir, path)
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(content), 0o644))
		_, err := wt.Add(path)
		require.NoError(t, err)
	}
	when := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	commit := func(msg string) string {
		when = when.Add(time.Hour)
		sig := &object.Signature{Name: "Dev", Email: "dev@corp-payments.example", When: when}
		h, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig})
		require.NoError(t, err)
		return h.String()
	}
	write("crates/router/src/lib.rs", "pub mod secrets;\n")
	commit("chore: initial workspace")

	var messages []string
	for _, block := range strings.Split(readFixture(t, "commit_messages.txt"), "commit ")[1:] {
		_, msg, _ := strings.Cut(block, "\n")
		messages = append(messages, strings.TrimSpace(msg))
	}
	require.NotEmpty(t, messages)
	code, cfg := readFixture(t, "code.rs"), readFixture(t, "connector_auth.toml")
	var prs []github.PR
	for i, msg := range messages {
		n := 100 + i
		subject, body, _ := strings.Cut(msg, "\n")
		write("crates/router/src/secrets.rs", fmt.Sprintf("%s\npub fn step_%d() {}\n", code, i))
		write("config/connector_auth.toml", cfg)
		sha := commit(fmt.Sprintf("%s (#%d)\n%s", subject, n, body))
		merged := when
		prs = append(prs, github.PR{Number: n, Title: subject, Body: readFixture(t, "pr_bodies.md"), State: "closed",
			Merged: true, MergedAt: &merged, Author: "dev", MergeCommitSHA: sha, LinkedIssues: []int{1}})
	}
	issues := []github.Issue{{Number: 1, Title: "Payments fail for one connector", Body: readFixture(t, "issue_bodies.md"), State: "closed"}}

	githubDir = t.TempDir()
	var pb, ib strings.Builder
	for _, pr := range prs {
		b, err := json.Marshal(pr)
		require.NoError(t, err)
		pb.Write(append(b, '\n'))
	}
	for _, is := range issues {
		b, err := json.Marshal(is)
		require.NoError(t, err)
		ib.Write(append(b, '\n'))
	}
	require.NoError(t, os.WriteFile(filepath.Join(githubDir, "prs.jsonl"), []byte(pb.String()), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(githubDir, "issues.jsonl"), []byte(ib.String()), 0o644))
	sum, err := json.Marshal(github.Summary{Owner: "corp", Repo: "payments", State: "merged", PRs: len(prs), Issues: len(issues)})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(githubDir, "summary.json"), sum, 0o644))
	return repoDir, githubDir
}

// TestNoPlantedSecretReachesAnyOutput runs the whole pipeline, in GitHub
// and offline mode, on a history full of planted secrets and e-mail
// addresses: none may survive into any file written.
func TestNoPlantedSecretReachesAnyOutput(t *testing.T) {
	secrets := readPlanted(t)
	kinds := map[string]bool{}
	for _, s := range secrets {
		kinds[s.Kind] = true
	}
	require.GreaterOrEqual(t, len(kinds), 15, "at least 15 kinds of secrets are planted")
	repoDir, githubDir := plantedHistory(t)

	for _, mode := range []string{"github", "offline"} {
		t.Run(mode, func(t *testing.T) {
			repo, err := gitlog.Open(context.Background(), repoDir, gitlog.OpenOptions{})
			require.NoError(t, err)
			defer repo.Close()
			red, err := NewRedactor("", false)
			require.NoError(t, err)
			out := t.TempDir()
			opts := PipelineOptions{OutDir: out, Owner: "corp", Repo: "payments", CommitsAsPRs: true,
				Export: ExportOptions{Redactor: red},
				Merge:  MergeOptions{Redactor: red, Filters: FilterOptions{KeepBots: true, KeepVersionBumps: true}},
				Write:  WriteOptions{Split: SplitOptions{Validation: 0.3}}}
			if mode == "github" {
				opts.GitHubDir = githubDir
			}
			res, err := RunPipeline(context.Background(), repo, opts)
			require.NoError(t, err)
			require.Positive(t, res.Statistics.Records)
			assert.NotEmpty(t, res.Export.Redactions, "the commit export is redacted")
			assert.Equal(t, res.Export.Redactions, res.Statistics.ExportRedactions)
			if mode == "github" {
				assert.NotEmpty(t, res.Statistics.Redactions, "PR and issue texts are redacted")
			}

			var all strings.Builder
			require.NoError(t, filepath.Walk(out, func(p string, info os.FileInfo, err error) error {
				if err != nil || info.IsDir() {
					return err
				}
				b, err := os.ReadFile(p)
				all.Write(b)
				return err
			}))
			text := all.String()
			for _, s := range secrets {
				for _, part := range strings.Split(s.Secret, "\n") {
					if len(part) >= 12 {
						assert.NotContains(t, text, part, "%s secret from %s", s.Kind, s.File)
					}
				}
			}
			assert.NotContains(t, text, "jane.doe@", "e-mail addresses are redacted")
			// Ordinary identifiers and commit hashes are not redacted.
			assert.Contains(t, text, "step_0")
			sha := firstExportSHA(t, out)
			assert.Contains(t, text, sha)
		})
	}
}
