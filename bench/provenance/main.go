// Command provenance measures issue 15's record fields on a repository's
// history: it runs the offline pipeline (as `sftforge --repo PATH -n N`)
// and prints the licences found and the share of records under each, the
// test-change share, the difficulty distribution, and the time each step
// adds as a share of the pipeline: the licence detection (runs without
// it), decontamination against a synthetic benchmark of 2,294 texts of
// 200 words (SWE-bench's size) and an exclude list of 500 entries (runs
// with them), and the difficulty and test-file rules (timed over the
// records). Medians of --runs runs each; the machine's other load is
// noise common to all variants. Used by bench/provenance.sh.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sftforge/sftforge/dataset"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/internal/cli"
	"github.com/sftforge/sftforge/outdir"
)

func main() {
	repoPath := flag.String("repo", "", "repository (a copy: nothing is written into it)")
	n := flag.Int("n", 500, "newest N commits")
	runs := flag.Int("runs", 3, "runs of each variant")
	flag.Parse()
	if err := run(*repoPath, *n, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "provenance:", err)
		os.Exit(1)
	}
}

type variant struct {
	name      string
	noLicense bool
	filters   bool
}

func run(repoPath string, n, runs int) error {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "provenance-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bench := filepath.Join(tmp, "bench.jsonl")
	exclude := filepath.Join(tmp, "exclude.txt")
	if err := writeInputs(bench, exclude); err != nil {
		return err
	}
	variants := []variant{{name: "no licence", noLicense: true}, {name: "default"}, {name: "with filters", filters: true}}
	times := map[string][]time.Duration{}
	var last dataset.PipelineResult
	var lookups []time.Duration
	var calls int64
	var recs []dataset.MergedRecord
	// A warm-up run: the repository's files in the page cache for all.
	var warmN, warmC atomic.Int64
	if _, _, out, err := once(ctx, repoPath, n, variants[1], bench, exclude, filepath.Join(tmp, "warm"), &warmN, &warmC); err != nil {
		return err
	} else {
		os.RemoveAll(out)
	}
	for r := range runs {
		for _, v := range variants {
			var nanos, count atomic.Int64
			res, elapsed, out, err := once(ctx, repoPath, n, v, bench, exclude, filepath.Join(tmp, fmt.Sprintf("out-%d", r)), &nanos, &count)
			if err != nil {
				return err
			}
			times[v.name] = append(times[v.name], elapsed)
			if v.name == "default" {
				last = res
				lookups = append(lookups, time.Duration(nanos.Load()))
				calls = count.Load()
				if r == runs-1 {
					if recs, err = readRecords(filepath.Join(out, "merged_dataset.jsonl")); err != nil {
						return err
					}
				}
			}
			os.RemoveAll(out)
		}
	}
	med := func(name string) time.Duration {
		d := slices.Clone(times[name])
		slices.Sort(d)
		return d[len(d)/2]
	}
	total := med("default")
	st := last.Statistics
	fmt.Printf("repository %s, newest %d commits: %d records (%d PRs)\n", filepath.Base(repoPath), n, st.Records, st.PRs)
	fmt.Printf("licences: %s\n", shares(st.Licenses, st.Records))
	testRecs := 0
	for i := range recs {
		if len(recs[i].Metadata.TestFiles) > 0 {
			testRecs++
		}
	}
	fmt.Printf("test changes: %d of %d records (%.1f%%) have some; %d of %d listed identifier changes (%.1f%%) are test code; %d records (%.1f%%) list test files\n",
		st.RecordsWithTests, st.Records, pct(st.RecordsWithTests, st.Records), st.TestChanges, st.TestChanges+st.CodeChanges,
		pct(st.TestChanges, st.TestChanges+st.CodeChanges), testRecs, pct(testRecs, st.Records))
	fmt.Printf("difficulty: %s\n", sharesOrdered(st.Difficulty, st.Records, dataset.Difficulties))
	fmt.Printf("pipeline (median of %d): %s; without licences %s; with --decontaminate (2,294 texts) and --exclude (500 entries) %s\n",
		runs, round(total), round(med("no licence")), round(med("with filters")))
	slices.Sort(lookups)
	look := lookups[len(lookups)/2]
	fmt.Printf("licence detection: %+.1f%% of the pipeline by A/B; %d lookups took %s summed over the merge's workers (%.1f%% of the pipeline's wall time)\n",
		pctD(total-med("no licence"), total), calls, round(look), pctD(look, total))
	fmt.Printf("decontamination + exclusion: %+.1f%% of the pipeline by A/B (filtered: %s)\n",
		pctD(med("with filters")-total, total), filteredText(st.Filtered))
	// Direct timings of the filters: reading the inputs, checking the records.
	t0 := time.Now()
	b, err := dataset.ReadBenchmark(bench, nil, 0)
	if err != nil {
		return err
	}
	x, err := dataset.ReadExcludeList(exclude)
	if err != nil {
		return err
	}
	load := time.Since(t0)
	t0 = time.Now()
	for i := range recs {
		b.Contaminated(recs[i].Prompt)
		x.Match(&recs[i].Metadata)
	}
	check := time.Since(t0)
	fmt.Printf("decontamination + exclusion, timed: reading the inputs %s (%d n-grams), checking %d records %s: %.1f%% of the pipeline\n",
		round(load), b.NGrams(), len(recs), check.Round(time.Microsecond), pctD(load+check, total))
	t0 = time.Now()
	for range 100 {
		for i := range recs {
			dataset.Difficulty(&recs[i].Metadata)
		}
	}
	diff := time.Since(t0) / 100
	fmt.Printf("difficulty rule: %s over the records (%.3f%% of the pipeline)\n", diff, pctD(diff, total))
	return nil
}

func once(ctx context.Context, repoPath string, n int, v variant, bench, exclude, out string, nanos, calls *atomic.Int64) (dataset.PipelineResult, time.Duration, string, error) {
	flags := cli.DefaultPipelineFlags()
	flags.MaxCommits = n
	if v.filters {
		flags.Dataset.BenchmarkFile, flags.Dataset.ExcludeFile = bench, exclude
	}
	walk, err := flags.Walk()
	if err != nil {
		return dataset.PipelineResult{}, 0, "", err
	}
	mo, wo, err := flags.Dataset.Options("")
	if err != nil {
		return dataset.PipelineResult{}, 0, "", err
	}
	start := time.Now()
	repo, err := gitlog.Open(ctx, repoPath, gitlog.OpenOptions{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return dataset.PipelineResult{}, 0, "", err
	}
	defer repo.Close()
	if v.noLicense {
		mo.License = func(string, []string) (string, error) { return "", nil }
	} else {
		lic := dataset.RepositoryLicenses(ctx, repo)
		mo.License = func(c string, p []string) (string, error) {
			t := time.Now()
			defer func() { nanos.Add(int64(time.Since(t))); calls.Add(1) }()
			return lic(c, p)
		}
	}
	mo.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	res, err := dataset.RunPipeline(ctx, repo, dataset.PipelineOptions{OutDir: out, Output: outdir.Options{Force: true},
		CommitsAsPRs: flags.CommitsAsPRs, Merge: mo, Write: wo,
		Export: dataset.ExportOptions{Walk: walk, Redactor: mo.Redactor, Logger: mo.Logger}})
	return res, time.Since(start), out, err
}

// writeInputs writes a synthetic benchmark (2,294 texts of 200 words from
// a 5,000-word vocabulary) and an exclude list of 500 PR references.
func writeInputs(bench, exclude string) error {
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for range 2294 {
		words := make([]string, 200)
		for i := range words {
			words[i] = fmt.Sprintf("w%d", r.IntN(5000))
		}
		line, _ := json.Marshal(map[string]string{"problem_statement": strings.Join(words, " ")})
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(bench, []byte(b.String()), 0o644); err != nil {
		return err
	}
	b.Reset()
	for i := range 500 {
		fmt.Fprintf(&b, "bench/none#%d\n", 100000+i)
	}
	return os.WriteFile(exclude, []byte(b.String()), 0o644)
}

func readRecords(path string) ([]dataset.MergedRecord, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []dataset.MergedRecord
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if l == "" {
			continue
		}
		var r dataset.MergedRecord
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func shares(m map[string]int, total int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || (m[keys[i]] == m[keys[j]] && keys[i] < keys[j]) })
	return sharesOrdered(m, total, keys)
}

func sharesOrdered(m map[string]int, total int, keys []string) string {
	var parts []string
	for _, k := range keys {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d (%.1f%%)", k, m[k], pct(m[k], total)))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func filteredText(m map[string]int) string {
	var parts []string
	for _, k := range []string{dataset.DropExcluded, dataset.DropContaminated, dataset.DropLicense} {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) * 100 / float64(b)
}

func pctD(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) * 100 / float64(b)
}

func round(d time.Duration) time.Duration { return d.Round(10 * time.Millisecond) }
