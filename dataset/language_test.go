package dataset

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/internal/toylang"
	"github.com/sftforge/sftforge/lang"
	"github.com/sftforge/sftforge/rustparse"
)

// toyHistory builds a repository whose commits change .toy files (and one
// Rust file), oldest first: the history of the second language.
func toyHistory(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	require.NoError(t, err)
	wt, err := repo.Worktree()
	require.NoError(t, err)
	when := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		msg   string
		files map[string]string // "" removes the file
	}{
		{"feat: greeting rules", map[string]string{
			"rules/greet.toy": "rule greet = hello\nfact pi = 3.14\n",
			"src/lib.rs":      "pub fn f() {}\n",
		}},
		{"fix: greet politely", map[string]string{
			"rules/greet.toy": "rule greet = good morning\nfact pi = 3.14\nrule bye = goodbye\n",
		}},
		{"refactor: facts apart", map[string]string{
			"rules/greet.toy": "rule greet = good morning\nrule bye = goodbye\n",
			"facts/math.toy":  "fact pi = 3.14159\nfact e = 2.718\nthis is not toy\n",
		}},
		{"chore: drop the greeting rules", map[string]string{"rules/greet.toy": ""}},
		// A package laid out as a crate is (src/ under its directory):
		// its layer, area and patterns come from its files alone.
		{"feat: a greeter package", map[string]string{
			"greeter/toy.mod":          "package greeter\n",
			"greeter/src/hello/en.toy": "rule hello = hi\n",
			"greeter/src/hello/fr.toy": "rule hello = salut\nfact polite = oui\n",
		}},
	}
	for i, s := range steps {
		for p, src := range s.files {
			if src == "" {
				_, err := wt.Remove(p)
				require.NoError(t, err)
				continue
			}
			full := filepath.Join(dir, p)
			require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
			require.NoError(t, os.WriteFile(full, []byte(src), 0o644))
			_, err := wt.Add(p)
			require.NoError(t, err)
		}
		sig := &object.Signature{Name: "Dev", Email: "dev@example.com", When: when.Add(time.Duration(i) * time.Hour)}
		_, err := wt.Commit(s.msg, &git.CommitOptions{Author: sig, Committer: sig})
		require.NoError(t, err)
	}
	return dir
}

// TestSecondLanguage: a language registered beside Rust (internal/toylang,
// one package and one registry entry) flows through the walk, the export
// and the merge into records: its files are selected by its globs, diffed
// by its differ, its kinds named by its nouns, its lines rendered by its
// renderer, and its system prompt heads the chat records. Rust records are
// unchanged by the registration.
func TestSecondLanguage(t *testing.T) {
	dir := toyHistory(t)
	run := func(langs lang.Registry) (string, PipelineResult) {
		repo, err := gitlog.Open(context.Background(), dir, gitlog.OpenOptions{})
		require.NoError(t, err)
		defer repo.Close()
		out := t.TempDir()
		mo, wo := testOptions(t, "acme/toys", 0, 1, true)
		wo.Format = FormatMessages
		res, err := RunPipeline(context.Background(), repo, PipelineOptions{OutDir: out, Owner: "acme", Repo: "toys",
			CommitsAsPRs: true, Merge: mo, Write: wo, Export: ExportOptions{Workers: 2, Languages: langs}})
		require.NoError(t, err)
		return out, res
	}
	out, res := run(lang.Registry{rustparse.Language(), toylang.Language()})
	assert.Equal(t, 5, res.Export.Records)

	// The export: the toy language's changes, errors and renderer.
	recs, err := ReadCommitExport(filepath.Join(out, "commits_export"))
	require.NoError(t, err)
	require.Len(t, recs, 5)
	var changes []string
	for _, c := range recs[1].Metadata.Changes {
		changes = append(changes, c.File+" "+string(c.Op)+" "+string(c.Kind)+" "+c.Name+" "+strings.Join(c.Detail, ","))
	}
	assert.Equal(t, []string{"rules/greet.toy modified rule greet body", "rules/greet.toy added rule bye "}, changes)
	assert.Contains(t, recs[1].Response, "**rules/greet.toy**\n  Add:\n    - toy rule bye\n  Modify:\n    - toy rule greet (body)")
	assert.Contains(t, recs[0].Response, "    - function: pub::f", "Rust keeps the shared renderer")
	require.Len(t, recs[2].Metadata.ParseErrors, 1)
	assert.Equal(t, "facts/math.toy", recs[2].Metadata.ParseErrors[0].File)
	assert.Equal(t, 3, recs[2].Metadata.ParseErrors[0].Line)
	assert.Len(t, recs[3].Metadata.Changes, 2, "the deleted file's definitions are removed")

	// The merge: the kinds' nouns in the plan, the renderer in the details.
	var responses []string
	for _, m := range readLines(t, filepath.Join(out, "merged_dataset.jsonl")) {
		responses = append(responses, m["response"].(string))
	}
	all := strings.Join(responses, "\n---\n")
	assert.Contains(t, all, "Add rewrite rule `bye`")
	assert.Contains(t, all, "Modify rewrite rule `greet` (body)")
	assert.Contains(t, all, "Add 2 facts")
	assert.Contains(t, all, "- toy fact e")

	// Layers, intent and code patterns: the toy package is a layer of its
	// own; it holds most source files, so it is split by its modules and
	// the change is about its module hello; its new files are new
	// modules. As for Rust: archmap asks the registry which files are
	// sources.
	var greeter map[string]any
	for _, m := range readLines(t, filepath.Join(out, "merged_dataset.jsonl")) {
		if m["metadata"].(map[string]any)["title"] == "feat: a greeter package" {
			greeter = m["metadata"].(map[string]any)
		}
	}
	require.NotNil(t, greeter)
	layers := greeter["layers"].([]any)
	require.Len(t, layers, 1)
	assert.Equal(t, "greeter", layers[0].(map[string]any)["layer"])
	assert.Equal(t, []any{"greeter/src/hello/en.toy", "greeter/src/hello/fr.toy"}, layers[0].(map[string]any)["files"])
	assert.Equal(t, "hello", greeter["intent"].(map[string]any)["feature_type"])
	assert.Contains(t, greeter["patterns"], map[string]any{"name": "Add new module/file", "count": float64(2)})

	// The chat records open with the first registered language's system
	// prompt; the order of the registry changes nothing else.
	systemPrompt := func(out string) any {
		train := readLines(t, filepath.Join(out, "train.jsonl"))
		require.NotEmpty(t, train)
		return train[0]["messages"].([]any)[0].(map[string]any)["content"]
	}
	assert.Equal(t, rustparse.SystemPrompt, systemPrompt(out))
	out2, _ := run(lang.Registry{toylang.Language(), rustparse.Language()})
	assert.Equal(t, toylang.SystemPrompt, systemPrompt(out2))
	// The dataset card names the languages, in order, and what their
	// identifiers are.
	card := func(out string) string {
		b, err := os.ReadFile(filepath.Join(out, "README.md"))
		require.NoError(t, err)
		return string(b)
	}
	assert.Contains(t, card(out), "tags:\n- code\n- rust\n- toy\n- sft\n")
	assert.Contains(t, card(out), "(functions,\nmethods, structs and fields, enums and variants, traits, impls…; rewrite rules, facts) of each commit")
	assert.Contains(t, card(out2), "tags:\n- code\n- toy\n- rust\n- sft\n")
	assert.Contains(t, card(out2), "(rewrite rules,\nfacts; functions, methods")
	assert.Contains(t, DatasetCard(Statistics{}, WriteOptions{Languages: lang.Registry{toylang.Language()}}),
		"from the\nhistory of a toy repository.")

	// The export's chat records too.
	repo, err := gitlog.Open(context.Background(), dir, gitlog.OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()
	exp := filepath.Join(t.TempDir(), "export")
	_, err = Export(context.Background(), repo, ExportOptions{Dir: exp, Format: FormatMessages,
		Languages: lang.Registry{toylang.Language(), rustparse.Language()}})
	require.NoError(t, err)
	first := readLines(t, filepath.Join(exp, ExportFileName(1, recs[0].Metadata.Commit)))
	require.Len(t, first, 1)
	assert.Equal(t, toylang.SystemPrompt, first[0]["messages"].([]any)[0].(map[string]any)["content"])
	for _, name := range []string{"merged_dataset.jsonl", "commits_export/index.csv"} {
		a, err := os.ReadFile(filepath.Join(out, name))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(out2, name))
		require.NoError(t, err)
		assert.Equal(t, string(a), string(b), name)
	}
}
