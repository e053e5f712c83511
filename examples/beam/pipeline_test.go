package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/dataset"
	"github.com/sftforge/sftforge/dedup"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/internal/cli"
	"github.com/sftforge/sftforge/sample"
)

// testCommit is one commit of a repository built by a test.
type testCommit struct {
	msg   string
	files map[string]string // path -> content; "" deletes
}

// buildRepo writes a git repository with the given history (fixed
// authors and dates, so hashes are stable).
func buildRepo(t *testing.T, dir string, commits []testCommit) {
	t.Helper()
	r, err := git.PlainInit(dir, false)
	require.NoError(t, err)
	wt, err := r.Worktree()
	require.NoError(t, err)
	when := time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)
	for i, c := range commits {
		for p, content := range c.files {
			full := filepath.Join(dir, p)
			if content == "" {
				_, err := wt.Remove(p)
				require.NoError(t, err)
				continue
			}
			require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
			require.NoError(t, os.WriteFile(full, []byte(content), 0o644))
			_, err := wt.Add(p)
			require.NoError(t, err)
		}
		sig := &object.Signature{Name: "Dev One", Email: "dev@example.com", When: when.Add(time.Duration(i) * time.Hour)}
		_, err := wt.Commit(c.msg, &git.CommitOptions{Author: sig, Committer: sig})
		require.NoError(t, err)
	}
}

// alphaHistory is a small Rust workspace history with PR numbers.
var alphaHistory = []testCommit{
	{"feat(core): add payments core (#1)", map[string]string{
		"crates/core/src/lib.rs":       "pub mod pay;\npub fn init() {}\n",
		"crates/core/src/pay.rs":       "pub struct Payment { pub id: u64 }\npub fn pay(p: &Payment) -> bool { p.id > 0 }\n",
		"crates/api/src/lib.rs":        "pub struct Request { pub amount: u64 }\n",
		"crates/api/src/routes.rs":     "pub fn route() -> &'static str { \"/pay\" }\n",
		"crates/storage/src/lib.rs":    "pub trait Store { fn get(&self, id: u64) -> Option<u64>; }\n",
		"crates/storage/src/memory.rs": "pub struct Memory;\n",
	}},
	{"feat(api): add refund request (#2)", map[string]string{
		"crates/api/src/lib.rs":    "pub struct Request { pub amount: u64 }\npub struct RefundRequest { pub id: u64, pub reason: String }\n",
		"crates/core/src/pay.rs":   "pub struct Payment { pub id: u64, pub amount: u64 }\npub fn pay(p: &Payment) -> bool { p.id > 0 && p.amount > 0 }\npub fn refund(p: &Payment) -> bool { p.id > 0 }\n",
		"crates/api/src/routes.rs": "pub fn route() -> &'static str { \"/pay\" }\npub fn refund_route() -> &'static str { \"/refund\" }\n",
	}},
	{"refactor(storage): memory store implements Store (#3)\n\nThe store lost items under load; jane.roe@example.org has the repro.", map[string]string{
		"crates/storage/src/memory.rs": "use crate::Store;\npub struct Memory { items: Vec<u64> }\nimpl Store for Memory { fn get(&self, id: u64) -> Option<u64> { self.items.get(id as usize).copied() } }\n",
	}},
	{"fix(core): reject zero amounts (#4)", map[string]string{
		"crates/core/src/pay.rs":   "pub struct Payment { pub id: u64, pub amount: u64 }\npub fn pay(p: &Payment) -> bool { p.amount != 0 }\npub fn refund(p: &Payment) -> bool { p.id > 0 }\npub(crate) fn check(p: &Payment) -> bool { p.amount < 1_000_000 }\n",
		"crates/core/src/lib.rs":   "pub mod pay;\npub fn init() {}\npub enum Mode { Live, Test }\n",
		"crates/api/src/routes.rs": "",
	}},
}

// betaHistory forks alphaHistory (its first commits are the same
// commits, so their records are cross-repository duplicates) and goes on.
var betaHistory = append(slices.Clone(alphaHistory[:2]),
	testCommit{"feat(webhooks): add webhook events (#7)", map[string]string{
		"crates/webhooks/src/lib.rs": "pub enum Event { Paid, Refunded }\npub fn send(e: Event) -> bool { matches!(e, Event::Paid) }\n",
	}},
	testCommit{"feat(webhooks): retry delivery (#8)", map[string]string{
		"crates/webhooks/src/lib.rs": "pub enum Event { Paid, Refunded, Failed }\npub fn send(e: Event) -> bool { matches!(e, Event::Paid) }\npub struct Retry { pub max: u32 }\n",
		"crates/core/src/lib.rs":     "pub mod pay;\npub fn init() {}\npub fn shutdown() {}\n",
	}},
)

// gammaHistory forks alphaHistory too and backports alpha's #3 under
// another title: the same change (metadata.change_id) in another
// repository, removed once as a cross-repository same-change duplicate.
var gammaHistory = append(slices.Clone(alphaHistory[:2]),
	testCommit{"backport: the memory store implements Store (#9)", alphaHistory[2].files},
)

// singleMachine runs dataset.RunPipeline on one source as the sftforge
// binary would and returns its output directory.
func singleMachine(t *testing.T, cfg Config, src Source) string {
	t.Helper()
	repo, err := gitlog.Open(context.Background(), src.Location, gitlog.OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()
	out := t.TempDir()
	mo, wo, err := cfg.options(src)
	require.NoError(t, err)
	owner, name := src.ownerRepo()
	walk, err := cfg.walk(src, "")
	require.NoError(t, err)
	_, err = dataset.RunPipeline(context.Background(), repo, dataset.PipelineOptions{OutDir: out, GitHubDir: src.GitHubDir,
		Owner: owner, Repo: name, CommitsAsPRs: cfg.CommitsAsPRs, Merge: mo, Write: wo,
		Export: dataset.ExportOptions{Walk: walk, Redactor: mo.Redactor}})
	require.NoError(t, err)
	return out
}

// lines returns the sorted lines of the files matching glob in dir.
func lines(t *testing.T, dir, glob string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, glob))
	require.NoError(t, err)
	require.NotEmpty(t, names, glob)
	var out []string
	for _, n := range names {
		b, err := os.ReadFile(n)
		require.NoError(t, err)
		for _, l := range strings.Split(string(b), "\n") {
			if l != "" {
				out = append(out, l)
			}
		}
	}
	sort.Strings(out)
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// TestPipelineEqualsSingleMachine runs the pipeline on Prism over three
// repositories built here (the sample split into three shards, a small
// workspace and a fork of it) plus a source that does not exist, and
// compares its records with the single-machine runs: the same sets, the
// fork's shared commits removed once as cross-repository duplicates, the
// newest records in validation, and the bad source an error record.
func TestPipelineEqualsSingleMachine(t *testing.T) {
	dir := t.TempDir()
	s, err := sample.Build(filepath.Join(dir, "sample"))
	require.NoError(t, err)
	alpha, beta, gamma := filepath.Join(dir, "alpha"), filepath.Join(dir, "beta"), filepath.Join(dir, "gamma")
	buildRepo(t, alpha, alphaHistory)
	buildRepo(t, beta, betaHistory)
	buildRepo(t, gamma, gammaHistory)
	missing := filepath.Join(dir, "missing")
	sourcesText := fmt.Sprintf("%s shards=3 name=%s/%s github=%s\n%s name=acme/alpha\n%s shards=2 # a fork\n%s # a fork with a backport\n%s\n",
		s.RepoPath, s.Owner, s.Name, s.GitHubDir, alpha, beta, gamma, missing)
	srcs, err := ParseSources(strings.NewReader(sourcesText), "sources.txt")
	require.NoError(t, err)
	cfg := Config{Sources: srcs, PipelineFlags: cli.DefaultPipelineFlags(), FilesPerShard: 200, MaxShards: 64, OutputShards: 3,
		Out: filepath.Join(dir, "out")}

	t.Run("one source", func(t *testing.T) {
		one := cfg
		one.Sources = srcs[:1]
		one.Out = filepath.Join(dir, "out-one")
		res, err := runPipeline(context.Background(), one)
		require.NoError(t, err)
		want := singleMachine(t, one, srcs[0])
		assert.Equal(t, lines(t, want, "merged_dataset.jsonl"), lines(t, one.Out, "merged_dataset-*.jsonl"))
		assert.Equal(t, lines(t, want, "train.jsonl"), lines(t, one.Out, "train-*.jsonl"))
		assert.Equal(t, lines(t, want, "validation.jsonl"), lines(t, one.Out, "validation-*.jsonl"))
		assert.Equal(t, readFile(t, filepath.Join(want, "statistics.json")), readFile(t, filepath.Join(one.Out, "statistics.json")))
		assert.Equal(t, readFile(t, filepath.Join(want, "README.md")), readFile(t, filepath.Join(one.Out, "README.md")))
		assert.Equal(t, readFile(t, filepath.Join(want, "report.html")), readFile(t, filepath.Join(one.Out, "report.html")))
		assert.Zero(t, res.Errors)
		assert.Positive(t, res.Statistics.Records)
	})

	t.Run("three sources and a bad one", func(t *testing.T) {
		res, err := runPipeline(context.Background(), cfg)
		require.NoError(t, err)
		// The single-machine records of each good source, duplicates
		// across sources removed: the same text, then the same change,
		// then near-duplicates, newest kept.
		var all []sourceRecord
		lineOf := map[string]string{}
		exportRedactions := map[string]int{}
		for _, src := range srcs[:4] {
			out := singleMachine(t, cfg, src)
			var st dataset.Statistics
			require.NoError(t, json.Unmarshal([]byte(readFile(t, filepath.Join(out, "statistics.json"))), &st))
			for k, v := range st.ExportRedactions {
				exportRedactions[k] += v
			}
			for _, l := range lines(t, out, "merged_dataset.jsonl") {
				r := sourceRecord{Source: src.ID}
				require.NoError(t, json.Unmarshal([]byte(l), &r.Record))
				all = append(all, r)
				lineOf[orderKey(&r)] = l
			}
		}
		var ids []string
		for _, src := range srcs {
			ids = append(ids, src.ID)
		}
		order := &dedupFn{Sources: ids}
		sort.Slice(all, func(i, j int) bool { return order.before(&all[i], &all[j]) })
		seen, seenChange := map[string]bool{}, map[string]bool{}
		var kept []sourceRecord
		for _, r := range all {
			h, c := contentHash(&r.Record), dataset.SameChangeKey(&r.Record)
			switch {
			case seen[h]:
			case c != "" && seenChange[c]:
				seen[h] = true
			default:
				seen[h], seenChange[c] = true, c != ""
				kept = append(kept, r)
			}
		}
		near, err := dedup.NearOptions{Threshold: cfg.Dataset.Filters.NearDuplicates}.FindFunc(len(kept),
			func(i int) string { return dataset.NearDuplicateText(&kept[i].Record) },
			func(i, j int) bool { return !dataset.Opposite(&kept[i].Record, &kept[j].Record) })
		require.NoError(t, err)
		var want []dataset.MergedRecord
		var wantLines []string
		for i, r := range kept {
			if near[i].Of < 0 {
				want = append(want, r.Record)
				wantLines = append(wantLines, lineOf[orderKey(&r)])
			}
		}
		sort.Strings(wantLines)
		assert.Equal(t, wantLines, lines(t, cfg.Out, "merged_dataset-*.jsonl"))
		assert.Equal(t, 4, res.Statistics.Filtered[dataset.DropDuplicate], "the forks' two shared commits each")
		assert.Equal(t, 2, res.Statistics.Filtered[dataset.DropSameChange], "the sample's reapplied #19, gamma's backport of alpha's #3")
		assert.Equal(t, 2, res.Statistics.Duplicates.SameChange)
		assert.Equal(t, len(want), res.Statistics.Records)
		assert.Positive(t, exportRedactions["email"], "alpha's commit message has an e-mail address")
		assert.Equal(t, exportRedactions, res.Statistics.ExportRedactions)

		// The newest records are validation.
		sort.SliceStable(want, func(i, j int) bool { return dataset.Newer(&want[i], &want[j]) })
		split := dataset.SplitOptions{Validation: cfg.Dataset.Validation}
		n := split.ValidationCount(len(want))
		require.Positive(t, n)
		encode := func(recs []dataset.MergedRecord) []string {
			var out []string
			for _, r := range recs {
				b, err := dataset.FormatSFT.Encode(dataset.DefaultLanguages().SystemPrompt(), r.Prompt, r.Response, r.Metadata)
				require.NoError(t, err)
				out = append(out, string(b))
			}
			sort.Strings(out)
			return out
		}
		assert.Equal(t, encode(want[:n]), lines(t, cfg.Out, "validation-*.jsonl"))
		assert.Equal(t, encode(want[n:]), lines(t, cfg.Out, "train-*.jsonl"))

		// The missing source is one error record; the others are intact.
		assert.Equal(t, 1, res.Errors)
		var e ErrorRecord
		require.NoError(t, json.Unmarshal(bytes.TrimSpace([]byte(readFile(t, filepath.Join(cfg.Out, "errors.jsonl")))), &e))
		assert.Equal(t, missing, e.Source)
		assert.Equal(t, "open", e.Stage)
		assert.Contains(t, e.Error, "missing")
	})
}
