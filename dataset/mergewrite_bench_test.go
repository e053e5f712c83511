package dataset

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/sftforge/sftforge/dedup"
	"github.com/sftforge/sftforge/gitlog"
)

// BenchmarkMergeWrite times the merge and the write of a pipeline run
// without its export: the commit records of SFTFORGE_BENCH_EXPORT (a
// run's commits_export directory) grouped into PRs as the offline
// pipeline groups them, merged with the binary's defaults (response
// budget, near-duplicates, redaction, licences and forms of the
// repository SFTFORGE_BENCH_REPO), then written. E.g.
//
//	SFTFORGE_BENCH_EXPORT=/tmp/out/commits_export SFTFORGE_BENCH_REPO=/work/repos/hyperswitch.git \
//	  go test ./dataset -run '^$' -bench MergeWrite -benchtime 1x -cpuprofile /tmp/mw.prof
func BenchmarkMergeWrite(b *testing.B) {
	dir, repoPath := os.Getenv("SFTFORGE_BENCH_EXPORT"), os.Getenv("SFTFORGE_BENCH_REPO")
	if dir == "" || repoPath == "" {
		b.Skip("set SFTFORGE_BENCH_EXPORT and SFTFORGE_BENCH_REPO")
	}
	ctx := context.Background()
	repo, err := gitlog.Open(ctx, repoPath, gitlog.OpenOptions{})
	if err != nil {
		b.Fatal(err)
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	slices.Sort(names) // NNNNN_ prefix: history order
	var commits []CommitMetadata
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<30)
		for sc.Scan() {
			var rec CommitRecord
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				b.Fatal(err)
			}
			commits = append(commits, compactMetadata(rec.Metadata))
		}
	}
	history := make([]string, len(commits))
	for i := range commits {
		history[i] = commits[i].Commit
	}
	ws, hist, err := workspaceForRepo(ctx, repo, gitlog.WalkOptions{}, DefaultLanguages().Globs())
	if err != nil {
		b.Fatal(err)
	}
	set, err := FormsForRepo(ctx, repo, "", history, nil)
	if err != nil {
		b.Fatal(err)
	}
	red, err := NewRedactor("", false)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var mergeTime, writeTime, mergeCPU, writeCPU time.Duration
	var mergeAlloc, writeAlloc, mergeGCs, writeGCs uint64
	var ms0, ms1 runtime.MemStats
	for i := range b.N {
		b.StopTimer()
		// The merge drops the commits' changes: a clone for each run but
		// the last, which takes the loaded commits (held once, as in a
		// pipeline run).
		cs := commits
		if i < b.N-1 {
			cs = slices.Clone(commits)
		} else {
			commits = nil
		}
		var h historyPRs
		for i := range cs {
			h.add("", "", &cs[i], false)
		}
		out := b.TempDir()
		runtime.GC() // the decoding's garbage
		b.StartTimer()
		opts := MergeOptions{Workspace: ws, Forms: set, Redactor: red, TextsRedacted: true,
			License: repositoryLicenses(ctx, repo, hist), Source: Source{Repo: "bench"},
			Filters: FilterOptions{MaxResponseTokens: DefaultMaxResponseTokens, NearDuplicates: dedup.DefaultThreshold}}
		runtime.ReadMemStats(&ms0)
		start := time.Now()
		cpu, _ := processCPU()
		recs, ms, err := mergeCommits(ctx, h.list(), nil, cs, opts)
		if err != nil {
			b.Fatal(err)
		}
		mergeTime += time.Since(start)
		cpu1, _ := processCPU()
		mergeCPU += cpu1 - cpu
		runtime.ReadMemStats(&ms1)
		mergeAlloc += ms1.TotalAlloc - ms0.TotalAlloc
		mergeGCs += uint64(ms1.NumGC - ms0.NumGC)
		ms0 = ms1
		start = time.Now()
		cpu, _ = processCPU()
		if _, err := writeDataset(ctx, out, recs, ms, WriteOptions{ResponseBudget: DefaultMaxResponseTokens}); err != nil {
			b.Fatal(err)
		}
		writeTime += time.Since(start)
		cpu1, _ = processCPU()
		writeCPU += cpu1 - cpu
		runtime.ReadMemStats(&ms1)
		writeAlloc += ms1.TotalAlloc - ms0.TotalAlloc
		writeGCs += uint64(ms1.NumGC - ms0.NumGC)
	}
	// CPU seconds (the process's, the collector's included) vary less
	// than wall time on a shared machine.
	b.ReportMetric(mergeTime.Seconds()/float64(b.N), "merge-s/op")
	b.ReportMetric(writeTime.Seconds()/float64(b.N), "write-s/op")
	b.ReportMetric(mergeCPU.Seconds()/float64(b.N), "merge-cpu-s/op")
	b.ReportMetric(writeCPU.Seconds()/float64(b.N), "write-cpu-s/op")
	// What the collector has to do: bytes allocated and collections.
	b.ReportMetric(float64(mergeAlloc)/float64(b.N)/(1<<20), "merge-MiB/op")
	b.ReportMetric(float64(writeAlloc)/float64(b.N)/(1<<20), "write-MiB/op")
	b.ReportMetric(float64(mergeGCs)/float64(b.N), "merge-GCs/op")
	b.ReportMetric(float64(writeGCs)/float64(b.N), "write-GCs/op")
}
