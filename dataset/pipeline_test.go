package dataset

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/internal/filetree"
	"github.com/sftforge/sftforge/sample"
)

// runSample runs the whole pipeline on the embedded sample.
func runSample(t *testing.T, mutate func(*PipelineOptions)) (PipelineResult, string) {
	t.Helper()
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	repo, err := gitlog.Open(context.Background(), s.RepoPath, gitlog.OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()
	out := t.TempDir()
	mo, wo := testOptions(t, s.Owner+"/"+s.Name, 0.2, 1, true)
	opts := PipelineOptions{OutDir: out, GitHubDir: s.GitHubDir, Owner: s.Owner, Repo: s.Name,
		Merge: mo, Write: wo, Export: ExportOptions{Workers: 2}}
	if mutate != nil {
		mutate(&opts)
	}
	res, err := RunPipeline(context.Background(), repo, opts)
	require.NoError(t, err)
	return res, out
}

func readLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), "%s: %s", path, sc.Text())
		out = append(out, m)
	}
	require.NoError(t, sc.Err())
	return out
}

// schemaPaths records the JSON type at every path of v; list elements share
// the path "[]" and an empty list contributes only its own type.
func schemaPaths(prefix string, v any, into map[string]string) []string {
	var problems []string
	typ := fmt.Sprintf("%T", v)
	if v == nil {
		typ = "null"
	}
	if old, ok := into[prefix]; ok && old != typ {
		problems = append(problems, fmt.Sprintf("%s: %s and %s", prefix, old, typ))
	}
	into[prefix] = typ
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			problems = append(problems, schemaPaths(prefix+"."+k, e, into)...)
		}
	case []any:
		for _, e := range x {
			problems = append(problems, schemaPaths(prefix+"[]", e, into)...)
		}
	}
	return problems
}

func keysOf(m map[string]any) string {
	var ks []string
	for k, v := range m {
		ks = append(ks, k)
		if sub, ok := v.(map[string]any); ok {
			ks = append(ks, k+"{"+keysOf(sub)+"}")
		}
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

// checkSchema asserts that every record has the same keys and that no path
// has two JSON types (null included).
func checkSchema(t *testing.T, recs []map[string]any) {
	t.Helper()
	require.NotEmpty(t, recs)
	types := map[string]string{}
	want := keysOf(recs[0])
	for i, r := range recs {
		assert.Equal(t, want, keysOf(r), "record %d has other keys", i)
		assert.Empty(t, schemaPaths("", r, types), "record %d", i)
	}
	for p, typ := range types {
		assert.NotEqual(t, "null", typ, "null at %s", p)
	}
}

func TestPipelineOnSample(t *testing.T) {
	res, out := runSample(t, nil)
	st := res.Statistics
	assert.Positive(t, res.Export.Records)
	assert.Positive(t, st.Records)
	assert.Equal(t, st.Records, st.Train+st.Validation)
	assert.GreaterOrEqual(t, st.IdentifierCoverage, 0.95, "merged PRs touching Rust with identifier data")

	merged := readLines(t, filepath.Join(out, "merged_dataset.jsonl"))
	checkSchema(t, merged)
	methods := map[string]bool{}
	for _, r := range merged {
		md := r["metadata"].(map[string]any)
		methods[md["match_method"].(string)] = true
		assert.NotContains(t, r["prompt"], "```", "no code in prompts")
		assert.NotContains(t, r["prompt"], "<!--", "no HTML comments in prompts")
		assert.False(t, IsVersionBump(md["title"].(string)), "version bumps are filtered")
	}
	assert.True(t, methods[MatchMergeCommit], "squash merges match by merge_commit_sha: %v", methods)

	for _, name := range []string{"statistics.json", "README.md", "train.jsonl", "validation.jsonl"} {
		_, err := os.Stat(filepath.Join(out, name))
		assert.NoError(t, err, name)
	}
	card, err := os.ReadFile(filepath.Join(out, "README.md"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(card), "---\n"), "card has a YAML header")
	assert.Contains(t, string(card), "split: validation")

	exported := readLines(t, filepath.Join(out, "commits_export", ExportFileName(1, firstExportSHA(t, out))))
	checkSchema(t, exported)

	// Each stage's wall and CPU time: the CPU time is the process's during
	// the stage, not since it started, so no more than every core for the
	// stage's wall time (plus the clock's granularity); the export parses,
	// so it takes some.
	var stages []string
	for _, tm := range res.Timings {
		stages = append(stages, tm.Stage)
		assert.Positive(t, tm.Elapsed, tm.Stage)
		if _, ok := processCPU(); !ok {
			assert.False(t, tm.CPUKnown, tm.Stage)
			continue
		}
		require.True(t, tm.CPUKnown, tm.Stage)
		assert.GreaterOrEqual(t, tm.CPU, time.Duration(0), tm.Stage)
		assert.LessOrEqual(t, tm.CPU, time.Duration(runtime.NumCPU())*tm.Elapsed+20*time.Millisecond, tm.Stage)
		if tm.Stage == "export" {
			assert.Positive(t, tm.CPU, "the export's CPU time")
		}
	}
	assert.Equal(t, []string{"export", "merge", "write"}, stages)
}

func firstExportSHA(t *testing.T, out string) string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(out, "commits_export", "00001_*.jsonl"))
	require.NoError(t, err)
	require.Len(t, names, 1)
	base := strings.TrimSuffix(filepath.Base(names[0]), ".jsonl")
	return base[strings.LastIndexByte(base, '_')+1:]
}

func TestEveryFormatHasOneSchema(t *testing.T) {
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			_, out := runSample(t, func(o *PipelineOptions) { o.Write.Format = f })
			var all []map[string]any
			for _, name := range []string{"train.jsonl", "validation.jsonl"} {
				all = append(all, readLines(t, filepath.Join(out, name))...)
			}
			checkSchema(t, all)
		})
	}
}

func TestPipelineOfflineMode(t *testing.T) {
	res, out := runSample(t, func(o *PipelineOptions) { o.GitHubDir = ""; o.CommitsAsPRs = true })
	assert.Positive(t, res.Statistics.Records)
	merged := readLines(t, filepath.Join(out, "merged_dataset.jsonl"))
	checkSchema(t, merged)
	for _, r := range merged {
		md := r["metadata"].(map[string]any)
		assert.Contains(t, []any{MatchMergeCommit, MatchCommit}, md["match_method"])
	}
}

// TestPipelineFailedRerunLeavesOutput runs the pipeline into a finished
// output again with a failure in each stage and checks that the previous
// output is byte-identical and nothing is left beside it; a foreign
// directory and the repository are refused before any work.
func TestPipelineFailedRerunLeavesOutput(t *testing.T) {
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	repo, err := gitlog.Open(context.Background(), s.RepoPath, gitlog.OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	opts := func() PipelineOptions {
		return PipelineOptions{OutDir: out, GitHubDir: s.GitHubDir, Owner: s.Owner, Repo: s.Name, Export: ExportOptions{Workers: 2}}
	}
	base, err := RunPipeline(context.Background(), repo, opts())
	require.NoError(t, err)
	before := filetree.Read(t, out)
	require.Contains(t, before, filepath.Join(out, "train.jsonl"))
	require.Contains(t, before, filepath.Join(out, "commits_export", "index.csv"))

	bad, err := NewResponseTemplate("{{ .Nope }}")
	require.NoError(t, err)
	var cancelMerge context.CancelFunc
	var lookups atomic.Int64 // licence lookups, one per record built
	// The merge builds records on every CPU: when it is cancelled, the
	// records of the other workers may be under way, no new one starts.
	stopsWithin := func(t *testing.T, err error) {
		assert.ErrorIs(t, err, context.Canceled)
		assert.LessOrEqual(t, lookups.Load(), int64(runtime.GOMAXPROCS(0)), "records built after the cancel")
		assert.Less(t, lookups.Load(), int64(base.Merge.Merged), "the merge stopped early")
	}
	tests := []struct {
		name    string
		ctx     func() context.Context
		mutate  func(*PipelineOptions)
		wantErr string
		check   func(*testing.T, error)
	}{
		{"template error in the merge", context.Background, func(o *PipelineOptions) { o.Merge.Template = bad }, "Nope", nil},
		{"cancelled during the export", func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, func(*PipelineOptions) {}, "context canceled", nil},
		// Ctrl-C during the merge: it stops within a record (the licence
		// lookups that fail with it are not licence errors) and nothing
		// is written.
		{"cancelled during the merge", func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancelMerge = cancel
			lookups.Store(0)
			return ctx
		}, func(o *PipelineOptions) {
			o.Merge.License = func(string, []string) (string, error) {
				lookups.Add(1)
				cancelMerge()
				return "", context.Canceled
			}
		}, "context canceled", stopsWithin},
		{"cancelled after the first record of the merge", func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancelMerge = cancel
			lookups.Store(0)
			return ctx
		}, func(o *PipelineOptions) {
			o.Merge.License = func(string, []string) (string, error) {
				lookups.Add(1)
				cancelMerge()
				return "MIT", nil
			}
		}, "context canceled", stopsWithin},
		{"bad format in the write", context.Background, func(o *PipelineOptions) { o.Write.Format = "nope" }, "nope", nil},
		{"missing PR data", context.Background, func(o *PipelineOptions) { o.GitHubDir = filepath.Join(parent, "none") }, "prs.jsonl", nil},
		{"output is the PR data", context.Background, func(o *PipelineOptions) { o.OutDir = s.GitHubDir }, "it is the input", nil},
		{"output is the repository", context.Background, func(o *PipelineOptions) { o.OutDir = s.RepoPath }, "it is the input", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := opts()
			tt.mutate(&o)
			_, err := RunPipeline(tt.ctx(), repo, o)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			if tt.check != nil {
				tt.check(t, err)
			}
			assert.Equal(t, before, filetree.Read(t, out), "the previous output is untouched")
			entries, err := os.ReadDir(parent)
			require.NoError(t, err)
			assert.Len(t, entries, 1, "nothing left beside the output")
		})
	}
	// A directory of someone else's files is never replaced.
	foreign := filepath.Join(parent, "foreign")
	require.NoError(t, os.MkdirAll(foreign, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("mine"), 0o644))
	o := opts()
	o.OutDir, o.Output.Force = foreign, true
	_, err = RunPipeline(context.Background(), repo, o)
	assert.ErrorContains(t, err, "refusing to replace "+foreign)
	assert.FileExists(t, filepath.Join(foreign, "notes.txt"))
}

// TestPipelineProvenanceAndExclusions checks the provenance of the
// sample's records and the filters that use it: --exclude (a PR, an issue
// one closes, a commit), --decontaminate (a prompt copied into a
// benchmark) and --licenses, each counted by reason.
func TestPipelineProvenanceAndExclusions(t *testing.T) {
	base, out := runSample(t, nil)
	byID := map[string]map[string]any{}
	for _, r := range readLines(t, filepath.Join(out, "merged_dataset.jsonl")) {
		md := r["metadata"].(map[string]any)
		byID[md["id"].(string)] = r
		n := int(md["pr_number"].(float64))
		assert.Equal(t, "acme-payments/paygate", md["repo"])
		assert.Equal(t, fmt.Sprintf("https://github.com/acme-payments/paygate/pull/%d", n), md["url"])
		assert.Equal(t, "Apache-2.0", md["license"], "the sample's workspace licence")
		assert.Len(t, md["base_commit"], 40)
		assert.Len(t, md["merge_commit"], 40)
		assert.NotEmpty(t, md["created_at"])
		assert.LessOrEqual(t, md["created_at"], md["merged_at"])
	}
	// The sample shows test changes apart and a difficulty per record.
	withTests := 0
	for _, r := range byID {
		md := r["metadata"].(map[string]any)
		assert.Contains(t, Difficulties, md["difficulty"])
		if len(md["test_files"].([]any)) > 0 {
			withTests++
			assert.Contains(t, r["response"], "\nTest changes:\n")
		}
	}
	assert.Positive(t, withTests, "the sample has records with test files")
	assert.Positive(t, base.Statistics.RecordsWithTests)
	assert.Equal(t, base.Statistics.Records, base.Statistics.Licenses["Apache-2.0"])
	require.Contains(t, byID, "acme-payments/paygate#12")
	prompt12 := byID["acme-payments/paygate#12"]["prompt"].(string)
	words := strings.Fields(prompt12)
	require.Greater(t, len(words), 20)
	bench := `{"problem_statement": ` + jsonString(strings.Join(words[2:20], " ")) + "}\n"
	require.Contains(t, byID, "acme-payments/paygate#26")
	commit26 := byID["acme-payments/paygate#26"]["metadata"].(map[string]any)["merge_commit"].(string)
	exclude := "# instances\nacme-payments/paygate#28\nhttps://github.com/acme-payments/paygate/issues/23\n" + commit26[:8] + "\n"

	tests := []struct {
		name    string
		mutate  func(*PipelineOptions)
		dropped map[string]int
	}{
		{"exclude and decontaminate", func(o *PipelineOptions) {
			var err error
			o.Merge.Exclude, err = ParseExcludeList(strings.NewReader(exclude), "exclude.txt")
			require.NoError(t, err)
			o.Merge.Benchmark, err = ParseBenchmark(strings.NewReader(bench), "bench.jsonl", nil, 0)
			require.NoError(t, err)
		}, map[string]int{DropExcluded: 3, DropContaminated: 1}},
		{"licences allowed", func(o *PipelineOptions) { o.Merge.Filters.Licenses = []string{"MIT", "Apache-2.0"} }, map[string]int{}},
		// Every record, also the one the sample's reapplied change (#30)
		// makes a same-change duplicate of otherwise (#19).
		{"licences not allowed", func(o *PipelineOptions) { o.Merge.Filters.Licenses = []string{"MIT"} },
			map[string]int{DropLicense: base.Statistics.Records + base.Statistics.Duplicates.SameChange}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, out := runSample(t, tt.mutate)
			if tt.dropped == nil { // every record, before the duplicate filters see it
				assert.Zero(t, res.Statistics.Records)
				assert.GreaterOrEqual(t, res.Statistics.Filtered[DropLicense], base.Statistics.Records)
				return
			}
			total := 0
			for reason, n := range tt.dropped {
				assert.Equal(t, n, res.Statistics.Filtered[reason], reason)
				total += n
			}
			assert.Equal(t, max(base.Statistics.Records-total, 0), res.Statistics.Records)
			card, err := os.ReadFile(filepath.Join(out, "README.md"))
			require.NoError(t, err)
			for reason := range tt.dropped {
				assert.Contains(t, string(card), reason, "the card counts it")
			}
		})
	}
}
