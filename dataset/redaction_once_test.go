package dataset

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/gitlog"
)

// TestRedactionOncePerText counts the texts the pipeline gives its one
// redactor: each commit record's subject, body, authors and response once
// (the prompt is rebuilt from the redacted subject and body, not redacted
// again); each merged record's response once, and its prompt and title
// once when they come from GitHub, never when they are the commits' own
// (already redacted) text, as offline.
func TestRedactionOncePerText(t *testing.T) {
	h := newHistoryBuilder(t)
	const commits = 4
	for i := range commits {
		h.commit(fmt.Sprintf("Author %d", i), fmt.Sprintf("feat: step %d for ops%d@corp-payments.example (#%d)\n\nWrites to ops%d@corp-payments.example.\n", i, i, 10+i, i),
			nil, fmt.Sprintf("src/m%d.rs", i), fmt.Sprintf("pub fn step_%d() {}\n", i))
	}
	ghDir := t.TempDir()
	var prs strings.Builder
	for i := range commits {
		b, err := json.Marshal(github.PR{Number: 10 + i, Title: fmt.Sprintf("Step %d", i), Body: fmt.Sprintf("Mail pr%d@corp-payments.example", i),
			State: "closed", Merged: true, Author: "dev", Labels: []string{}})
		require.NoError(t, err)
		prs.Write(append(b, '\n'))
	}
	require.NoError(t, os.WriteFile(filepath.Join(ghDir, "prs.jsonl"), []byte(prs.String()), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(ghDir, "issues.jsonl"), nil, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(ghDir, "summary.json"), []byte(`{"owner":"corp","repo":"payments","state":"merged","prs":4,"issues":0}`), 0o644))

	for _, tc := range []struct {
		name      string
		githubDir string
		// mergeTexts is the texts redacted per merged record.
		mergeTexts int
	}{
		{"offline", "", 1},   // the response
		{"github", ghDir, 3}, // prompt, response, title
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo, err := gitlog.Open(context.Background(), h.dir, gitlog.OpenOptions{})
			require.NoError(t, err)
			defer repo.Close()
			red, err := NewRedactor("", false)
			require.NoError(t, err)
			var (
				mu    sync.Mutex
				stage string
				calls = map[string][]string{} // stage -> texts
			)
			red.onText = func(text string) {
				mu.Lock()
				defer mu.Unlock()
				calls[stage] = append(calls[stage], text)
			}
			out := t.TempDir()
			res, err := RunPipeline(context.Background(), repo, PipelineOptions{OutDir: out, GitHubDir: tc.githubDir,
				Owner: "corp", Repo: "payments", CommitsAsPRs: true,
				Export: ExportOptions{Redactor: red, Workers: 2},
				Merge:  MergeOptions{Filters: FilterOptions{KeepBots: true, KeepVersionBumps: true}},
				OnStage: func(s string) {
					mu.Lock()
					defer mu.Unlock()
					stage = s
				}})
			require.NoError(t, err)
			require.Equal(t, commits, res.Export.Records)

			// Export: subject, body, response and author of every record
			// (no merge author), each once; never a prompt.
			exported := readExportRecords(t, filepath.Join(out, "commits_export"))
			require.Len(t, exported, commits)
			assert.Len(t, calls["export"], 4*commits, "texts redacted by the export")
			for _, rec := range exported {
				assert.NotContains(t, calls["export"], rec.Prompt, "a commit prompt is not redacted on its own")
			}
			assert.NotEmpty(t, res.Export.Redactions, "the commit texts held e-mail addresses")

			// Merge: the texts of each record built, once.
			built := res.Merge.Records + res.Merge.Dropped[DropRedacted]
			require.Positive(t, built)
			assert.Len(t, calls["merge"], tc.mergeTexts*built, "texts redacted by the merge")
			merged := readLines(t, filepath.Join(out, "merged_dataset.jsonl"))
			for _, m := range merged {
				if tc.githubDir == "" {
					// Made of the redacted commit texts: given to the
					// redactor neither by the export nor by the merge.
					assert.NotContains(t, calls["merge"], m["prompt"])
					assert.NotContains(t, calls["merge"], m["metadata"].(map[string]any)["title"])
				}
				assert.NotContains(t, m["prompt"], "@corp-payments.example")
			}
			assert.Empty(t, calls["write"], "nothing is redacted while writing")
		})
	}
}

// readExportRecords reads the records of an export directory.
func readExportRecords(t *testing.T, dir string) []CommitRecord {
	t.Helper()
	recs, err := ReadCommitExport(dir)
	require.NoError(t, err)
	return recs
}
