package dataset

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/sftforge/sftforge/lang"
	"github.com/sftforge/sftforge/outdir"
	"github.com/sftforge/sftforge/report"
	"golang.org/x/sync/errgroup"
)

// WriteOptions configures [WriteDataset].
type WriteOptions struct {
	// Format of train.jsonl and validation.jsonl; default FormatSFT.
	// merged_dataset.jsonl always holds the full sft records.
	Format Format
	// Split says how records are split into train and validation.
	Split SplitOptions
	// Name and Source describe the dataset in its card (e.g.
	// "hyperswitch-sft", "juspay/hyperswitch").
	Name, Source string
	// SystemPrompt is the system message of the messages format and the
	// instruction of alpaca; default the first language's
	// (lang.Language.SystemPrompt).
	SystemPrompt string
	// Languages are the run's languages: the dataset card names them and
	// what their identifier changes are, and the first one's system prompt
	// is the default SystemPrompt; nil means DefaultLanguages().
	Languages lang.Registry `json:"-"`
	// NoParquet leaves out the Parquet files (merged_dataset.parquet,
	// train.parquet, validation.parquet: the same records and columns as
	// the JSONL, zstd), which are written by default and are what the
	// card's configs name.
	NoParquet bool
	// Output says what [WriteDataset]'s directory may be (see package
	// outdir): an empty or missing directory, or one an earlier run
	// wrote; its Inputs (the PR data, the commit export) are protected.
	Output outdir.Options
	// ResponseBudget and PromptBudget are the token budgets report.html
	// marks on its histograms (the filters' MaxResponseTokens and
	// MaxPromptTokens; 0: none).
	ResponseBudget, PromptBudget int
}

// DatasetFiles are the names in a dataset directory (of [WriteDataset] and
// [RunPipeline]), as outdir.Options.Known: an output of an earlier
// version without marker holds only these.
var DatasetFiles = []string{"commits_export", "github_data", "merged_dataset.jsonl", "train.jsonl",
	MergedParquet, TrainParquet, ValidationParquet,
	"validation.jsonl", "statistics.json", "README.md", "report.html"}

// Statistics is the content of statistics.json.
type Statistics struct {
	Source             string         `json:"source"`
	Format             string         `json:"format"`
	Records            int            `json:"records"`
	Train              int            `json:"train"`
	Validation         int            `json:"validation"`
	SplitMethod        string         `json:"split_method"`
	WithIdentifierData int            `json:"with_identifier_data"`
	PRs                int            `json:"prs"`
	MergedPRs          int            `json:"merged_prs"`
	PRsTouchingSource  int            `json:"prs_touching_source"`
	PRsWithIdentifiers int            `json:"prs_with_identifier_data"`
	IdentifierCoverage float64        `json:"identifier_coverage"` // share of PRs touching source with identifier data
	MatchMethods       map[string]int `json:"match_methods"`
	FeatureTypes       map[string]int `json:"feature_types"`
	Actions            map[string]int `json:"actions"`
	Layers             map[string]int `json:"layers"`
	Crates             map[string]int `json:"crates"` // records whose layers hold files of each crate
	Patterns           map[string]int `json:"patterns"`
	UnclassifiedShare  float64        `json:"unclassified_share"` // share of record paths in no layer
	PromptTokens       Percentiles    `json:"prompt_tokens"`
	ResponseTokens     Percentiles    `json:"response_tokens"`
	Filtered           map[string]int `json:"filtered"`
	Redactions         map[string]int `json:"redactions"`
	ExportRedactions   map[string]int `json:"export_redactions"`       // in the commit export
	ExportSkipped      map[string]int `json:"export_skipped_files"`    // files of the commit export not parsed, by cause
	ExportBoundaries   int            `json:"export_boundary_commits"` // boundary commits of a shallow or grafted history
	ResponsesCompacted map[string]int `json:"responses_compacted"`     // by the last compaction step needed
	PromptSections     map[string]int `json:"prompt_sections_removed"` // form scaffolding removed from prompts, by role
	DroppedRedacted    int            `json:"dropped_mostly_redacted"`
	// Licenses counts the records by licence (SPDX expression; "none"
	// when unknown).
	Licenses map[string]int `json:"licenses"`
	// LicenseErrors counts the records whose licence lookup failed (see
	// [MergeStats.LicenseErrors]).
	LicenseErrors int `json:"license_errors"`
	// Difficulty counts the records by difficulty bucket.
	Difficulty map[string]int `json:"difficulty"`
	// RecordsWithTests counts the records with test changes; TestChanges
	// and CodeChanges the identifier changes listed in the records'
	// metadata that are and are not test code.
	RecordsWithTests int `json:"records_with_test_changes"`
	TestChanges      int `json:"test_identifier_changes"`
	CodeChanges      int `json:"code_identifier_changes"`
	// Duplicates counts the records removed as duplicates of a newer one,
	// by kind (also in Filtered, under their drop reasons).
	Duplicates DuplicateCounts `json:"duplicates"`
}

// DuplicateCounts are the records removed as duplicates of a newer record.
type DuplicateCounts struct {
	SameText       int `json:"same_text"`      // the same prompt and response
	SameChange     int `json:"same_change"`    // the same metadata.change_id: cherry-picks, backports, reapplied reverts
	NearDuplicates int `json:"near_duplicate"` // prompt and response near-duplicates (MinHash-LSH, exact Jaccard)
}

// Percentiles summarises a distribution of token counts.
type Percentiles struct {
	Min  int     `json:"min"`
	P50  int     `json:"p50"`
	P90  int     `json:"p90"`
	P95  int     `json:"p95"`
	P99  int     `json:"p99"`
	Max  int     `json:"max"`
	Mean float64 `json:"mean"`
}

// percentiles computes nearest-rank percentiles.
func percentiles(v []int) Percentiles {
	if len(v) == 0 {
		return Percentiles{}
	}
	s := append([]int(nil), v...)
	sort.Ints(s)
	rank := func(p float64) int {
		i := int(math.Ceil(p/100*float64(len(s)))) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	sum := 0
	for _, x := range s {
		sum += x
	}
	return Percentiles{Min: s[0], P50: rank(50), P90: rank(90), P95: rank(95), P99: rank(99), Max: s[len(s)-1],
		Mean: math.Round(float64(sum)/float64(len(s))*10) / 10}
}

// ComputeStatistics summarises records and the merge that made them.
func ComputeStatistics(recs []MergedRecord, ms MergeStats) Statistics {
	var a StatisticsAccumulator
	a.AddMergeStats(ms)
	for i := range recs {
		a.AddRecord(&recs[i])
	}
	return a.Statistics()
}

// statisticsOfMerge fills the parts of [Statistics] that come from the
// merge counts, with every map allocated.
func statisticsOfMerge(ms MergeStats) Statistics {
	st := Statistics{
		PRs:                ms.PRs,
		MergedPRs:          ms.Merged,
		PRsTouchingSource:  ms.TouchingSource,
		PRsWithIdentifiers: ms.WithIdentifiers,
		MatchMethods:       map[string]int{},
		FeatureTypes:       map[string]int{},
		Actions:            map[string]int{},
		Layers:             map[string]int{},
		Crates:             map[string]int{},
		Patterns:           map[string]int{},
		Filtered:           map[string]int{},
		Redactions:         map[string]int{},
		ExportRedactions:   map[string]int{},
		ExportSkipped:      map[string]int{},
		ExportBoundaries:   ms.ExportBoundaries,
		LicenseErrors:      ms.LicenseErrors,
		ResponsesCompacted: map[string]int{},
		Licenses:           map[string]int{},
		Difficulty:         map[string]int{},
		PromptSections:     map[string]int{},
		DroppedRedacted:    ms.Dropped[DropRedacted],
		Duplicates: DuplicateCounts{SameText: ms.Dropped[DropDuplicate], SameChange: ms.Dropped[DropSameChange],
			NearDuplicates: ms.Dropped[DropNearDuplicate]},
	}
	addCounts(&st.Filtered, ms.Dropped)
	addCounts(&st.Redactions, ms.Redactions)
	addCounts(&st.ExportRedactions, ms.ExportRedactions)
	addCounts(&st.ExportSkipped, ms.ExportSkipped)
	addCounts(&st.ResponsesCompacted, ms.Compacted)
	addCounts(&st.PromptSections, ms.PromptSections)
	if ms.TouchingSource > 0 {
		st.IdentifierCoverage = math.Round(float64(ms.WithIdentifiers)/float64(ms.TouchingSource)*10000) / 10000
	}
	return st
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// WriteDataset writes merged_dataset.jsonl (full sft records), train.jsonl
// and validation.jsonl (in opts.Format), statistics.json, a Hugging Face
// dataset card README.md and report.html (see [RenderReport]) into dir. The files are written beside dir and
// replace it as a whole when all are written (see package outdir for what
// dir may be).
func WriteDataset(dir string, recs []MergedRecord, ms MergeStats, opts WriteOptions) (Statistics, error) {
	out, err := outdir.Stage(dir, outputOptions(opts.Output, DatasetFiles))
	if err != nil {
		return Statistics{}, fmt.Errorf("dataset: %w", err)
	}
	defer out.Close()
	st, err := writeDataset(context.Background(), out.Path(), recs, ms, opts)
	if err != nil {
		return st, err
	}
	if err := out.Commit(); err != nil {
		return st, fmt.Errorf("dataset: %w", err)
	}
	return st, nil
}

// writeFile writes a file of the dataset into a staged directory.
func writeFile(dir, name string, data []byte) error {
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		return fmt.Errorf("dataset: %w", err)
	}
	return nil
}

// writeRecordFiles writes the records' files into dir: the JSONL files
// in one pass (each record encoded once for merged_dataset.jsonl and, in
// opts.Format, for train.jsonl or validation.jsonl as isVal says, the
// same line when that format is sft), and beside it, on the other CPUs,
// the Parquet files. It stops with ctx's error every few hundred records
// or row group.
func writeRecordFiles(ctx context.Context, dir string, recs []MergedRecord, isVal []bool, opts WriteOptions) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return writeJSONLFiles(gctx, dir, recs, isVal, opts.Format, opts.SystemPrompt) })
	if !opts.NoParquet {
		all := func(int) bool { return true }
		for _, f := range []struct {
			name string
			f    Format
			keep func(i int) bool
		}{
			{MergedParquet, FormatSFT, all},
			{TrainParquet, opts.Format, func(i int) bool { return !isVal[i] }},
			{ValidationParquet, opts.Format, func(i int) bool { return isVal[i] }},
		} {
			g.Go(func() error { return writeParquet(gctx, dir, f.name, recs, f.keep, f.f, opts.SystemPrompt) })
		}
	}
	return g.Wait()
}

// writeJSONLFiles writes merged_dataset.jsonl (sft), train.jsonl and
// validation.jsonl (format f, as isVal says) through buffers: no file is
// held in memory whole.
func writeJSONLFiles(ctx context.Context, dir string, recs []MergedRecord, isVal []bool, f Format, systemPrompt string) (err error) {
	names := [3]string{"merged_dataset.jsonl", "train.jsonl", "validation.jsonl"}
	var files [3]*os.File
	var ws [3]*bufio.Writer
	defer func() {
		for _, file := range files {
			if file != nil {
				if cerr := file.Close(); err == nil && cerr != nil {
					err = fmt.Errorf("dataset: %w", cerr)
				}
			}
		}
	}()
	for k, name := range names {
		if files[k], err = os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644); err != nil {
			return fmt.Errorf("dataset: %w", err)
		}
		ws[k] = bufio.NewWriterSize(files[k], 1<<20)
	}
	// Each record's metadata is encoded once, for its lines in both
	// files; in format sft the whole line is the same in both.
	var head, meta []byte
	tail := appendRecordTail(nil)
	writeLine := func(w *bufio.Writer) {
		w.Write(head)
		w.Write(meta)
		w.Write(tail)
	}
	for i := range recs {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("dataset: write: %w", err)
			}
		}
		r := &recs[i]
		meta = appendMergedMetadata(meta[:0], &r.Metadata)
		k := 1
		if isVal[i] {
			k = 2
		}
		if head, err = appendRecordHead(head[:0], FormatSFT, systemPrompt, r.Prompt, r.Response); err != nil {
			return fmt.Errorf("dataset: %s: PR #%d: %w", names[0], r.Metadata.PRNumber, err)
		}
		writeLine(ws[0])
		if f != FormatSFT {
			if head, err = appendRecordHead(head[:0], f, systemPrompt, r.Prompt, r.Response); err != nil {
				return fmt.Errorf("dataset: %s: PR #%d: %w", names[k], r.Metadata.PRNumber, err)
			}
		}
		writeLine(ws[k])
	}
	for _, w := range ws {
		if err := w.Flush(); err != nil {
			return fmt.Errorf("dataset: %w", err)
		}
	}
	// The output is flushed to disk as a whole before it is put in place;
	// these files, the largest, are flushed now, while the Parquet files
	// are still being encoded.
	for k, file := range files {
		if err := file.Sync(); err != nil {
			return fmt.Errorf("dataset: %s: %w", names[k], err)
		}
	}
	return nil
}

// validationMask says which records go to the validation split, as
// split does (which returns them): isVal[i] for recs[i], and how many.
func (o SplitOptions) validationMask(recs []MergedRecord) (isVal []bool, n int) {
	isVal = make([]bool, len(recs))
	n = o.ValidationCount(len(recs))
	if n == 0 {
		return isVal, 0
	}
	order := make([]int, len(recs))
	for i := range order {
		order[i] = i
	}
	if o.Method == SplitRandom {
		r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	} else {
		sort.SliceStable(order, func(a, b int) bool { return newer(&recs[order[a]], &recs[order[b]]) })
	}
	for _, i := range order[:n] {
		isVal[i] = true
	}
	return isVal, n
}

// writeDataset is WriteDataset into dir, a staged directory that the
// caller puts in place.
func writeDataset(ctx context.Context, dir string, recs []MergedRecord, ms MergeStats, opts WriteOptions) (Statistics, error) {
	if opts.Format == "" {
		opts.Format = FormatSFT
	}
	if err := opts.Format.Validate(); err != nil {
		return Statistics{}, fmt.Errorf("dataset: %w", err)
	}
	if err := opts.Split.Validate(); err != nil {
		return Statistics{}, err
	}
	if opts.SystemPrompt == "" {
		opts.SystemPrompt = opts.languages().SystemPrompt()
	}
	isVal, nVal := opts.Split.validationMask(recs)
	st := ComputeStatistics(recs, ms)
	st.Source, st.Format = opts.Source, string(opts.Format)
	st.Train, st.Validation = len(recs)-nVal, nVal
	st.SplitMethod = opts.Split.Method
	if st.SplitMethod == "" {
		st.SplitMethod = SplitByDate
	}
	cancelled := func() error { // checked between files: the directory is staged, a cancelled run leaves it
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("dataset: write: %w", err)
		}
		return nil
	}
	if err := cancelled(); err != nil {
		return st, err
	}
	if err := writeRecordFiles(ctx, dir, recs, isVal, opts); err != nil {
		return st, err
	}
	if err := cancelled(); err != nil {
		return st, err
	}
	sj, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return st, fmt.Errorf("dataset: statistics.json: %w", err)
	}
	if err := writeFile(dir, "statistics.json", append(sj, '\n')); err != nil {
		return st, err
	}
	if err := writeFile(dir, "README.md", []byte(DatasetCard(st, opts))); err != nil {
		return st, err
	}
	if err := cancelled(); err != nil {
		return st, err
	}
	var sum report.Summary
	for i := range recs {
		rr := ReportRecord(&recs[i])
		sum.Add(&rr)
	}
	var page bytes.Buffer
	if err := RenderReport(&page, &sum, st, opts); err != nil {
		return st, err
	}
	if err := writeFile(dir, "report.html", page.Bytes()); err != nil {
		return st, err
	}
	return st, nil
}

// languages returns opts.Languages, or DefaultLanguages() when nil.
func (opts WriteOptions) languages() lang.Registry {
	if opts.Languages == nil {
		return DefaultLanguages()
	}
	return opts.Languages
}

// DatasetCard renders a Hugging Face dataset card: a YAML header with the
// configs and splits, then how the dataset was made and its statistics.
// The card names the languages of opts (their names as tags, their titles
// and identifier nouns in prose).
func DatasetCard(st Statistics, opts WriteOptions) string {
	name := opts.Name
	if name == "" {
		name = "sftforge dataset"
	}
	langs := opts.languages()
	var tags, titles, idents []string
	for i := range langs {
		l := &langs[i]
		if !slices.Contains(tags, l.Name) {
			tags = append(tags, l.Name)
			titles = append(titles, l.DisplayName())
			idents = append(idents, l.IdentifierNouns())
		}
	}
	// The identifier nouns open on one line and go on on the next, as
	// the paragraph is wrapped.
	identLine := strings.Join(idents, "; ")
	if first, rest, ok := strings.Cut(identLine, ", "); ok {
		identLine = first + ",\n" + rest
	}
	ext := "parquet"
	if opts.NoParquet {
		ext = "jsonl"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `---
pretty_name: %q
language:
- en
- code
task_categories:
- text-generation
tags:
- code
%s- sft
- software-engineering
size_categories:
- %s
configs:
- config_name: default
  data_files:
  - split: train
    path: train.%s
  - split: validation
    path: validation.%s
---

# %s

Supervised fine-tuning records made by [sftforge](https://github.com/sftforge/sftforge) from the
history of %s. Each record goes from a product-level request (the linked issues and the pull
request description, cleaned of template noise and code) to the code it took, written as a plan:
the architectural layers touched, in dependency order, with their files and each file's key
changes as sentences; the code patterns with counts; and the identifier changes (%s) of each commit, with visibility
and owners. Responses longer than the token budget are compacted (long lists collapsed, changes
summarised by kind); the metadata keeps every change.

## Files

| file | records | content |
| --- | --- | --- |
| train.jsonl | %d | %s format |
| validation.jsonl | %d | %s format; split: %s |
| merged_dataset.jsonl | %d | full records: prompt, response, metadata |
%s| statistics.json | | counts, match methods, layers, patterns, token lengths, filters |
| report.html | | the same as charts: records over time, layers, feature types, token histograms, filters, examples (self-contained) |

`, name, tagLines(tags), sizeCategory(st.Records), ext, ext, name, orDefault(st.Source, "a "+joinAnd(titles)+" repository"),
		identLine, st.Train, st.Format, st.Validation, st.Format, st.SplitMethod, st.Records, parquetRows(opts.NoParquet))
	fmt.Fprintf(&b, "## How it was made\n\n"+
		"- PRs: %d (%d merged; %d touch source files the history export covers).\n"+
		"- PRs with identifier data: %d (%.1f%%). Match methods: %s.\n"+
		"- Records kept: %d; with identifier data: %d. Filtered: %s.\n"+
		"- Duplicates of a newer record removed: %d with the same prompt and response, %d of the same change (files and identifier changes, like git patch-id: cherry-picks, backports, reapplied reverts), %d near-duplicates (MinHash-LSH over word shingles, exact Jaccard).\n"+
		"- Prompt tokens (cl100k_base) p50/p90/max: %d/%d/%d; response tokens: %d/%d/%d. Responses compacted to fit the budget: %s.\n"+
		"- Form scaffolding removed from prompts (sections of issue forms and PR templates that describe no problem: empty answers, confirmations, offers to submit a PR, environment blocks, checklists): %s.\n"+
		"- Secrets and e-mail addresses redacted: %s in the records; %s in the commit export.\n"+
		"- Licences (SPDX, of the changed files at the merge commit): %s%s.\n"+
		"- Difficulty (files, layers, crates and identifier changes of the code): %s.\n"+
		"- Test changes: %d records have some; %d of %d identifier changes are test code (listed apart in the responses).\n\n",
		st.PRs, st.MergedPRs, st.PRsTouchingSource, st.PRsWithIdentifiers, st.IdentifierCoverage*100,
		countsText(st.MatchMethods), st.Records, st.WithIdentifierData, countsText(st.Filtered),
		st.Duplicates.SameText, st.Duplicates.SameChange, st.Duplicates.NearDuplicates,
		st.PromptTokens.P50, st.PromptTokens.P90, st.PromptTokens.Max,
		st.ResponseTokens.P50, st.ResponseTokens.P90, st.ResponseTokens.Max, countsText(st.ResponsesCompacted),
		countsText(st.PromptSections), countsText(st.Redactions), countsText(st.ExportRedactions),
		countsText(st.Licenses), licenseErrorsText(st.LicenseErrors), difficultyText(st.Difficulty),
		st.RecordsWithTests, st.TestChanges, st.TestChanges+st.CodeChanges)
	fmt.Fprintf(&b, "## Layers\n\n%s\n## Feature types\n\n%s\n", countsList(st.Layers), countsList(st.FeatureTypes))
	return b.String()
}

// licenseErrorsText is the card's note of the failed licence lookups, ""
// without any.
func licenseErrorsText(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; lookups failed for %d records (unreadable or malformed manifests; see license_errors)", n)
}

// tagLines renders tags as the lines of a YAML list.
func tagLines(tags []string) string {
	var b strings.Builder
	for _, t := range tags {
		b.WriteString("- " + t + "\n")
	}
	return b.String()
}

// parquetRows are the card's lines for the Parquet files, "" without them.
func parquetRows(none bool) string {
	if none {
		return ""
	}
	return "| train.parquet, validation.parquet, merged_dataset.parquet | | the same records and columns, zstd-compressed Parquet (metadata nested); what the configs load |\n"
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// sizeCategory is the Hugging Face size category of n records.
func sizeCategory(n int) string {
	switch {
	case n < 1000:
		return "n<1K"
	case n < 10000:
		return "1K<n<10K"
	case n < 100000:
		return "10K<n<100K"
	default:
		return "100K<n<1M"
	}
}

// sortedKeys returns m's keys by descending count, then name.
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}

func countsText(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func countsList(m map[string]int) string {
	if len(m) == 0 {
		return "(none)\n"
	}
	var b strings.Builder
	for _, k := range sortedKeys(m) {
		fmt.Fprintf(&b, "- %s: %d\n", k, m[k])
	}
	return b.String()
}
