package dataset

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/sftforge/sftforge/archmap"
	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/export"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/lang"
)

// ShardCommit is one shard's part of one commit of a sharded export (see
// [ExportShard]): the commit's metadata and full file list, which every
// shard sees, and the diffs of the files the shard owns. [AssembleCommit]
// joins the parts of all shards into the record [Export] writes.
type ShardCommit struct {
	// Seq is the commit's position in the walk, oldest first, from 0.
	Seq int `json:"seq"`
	// Shard and Of say which shard made this part, of how many.
	Shard int `json:"shard"`
	Of    int `json:"of"`
	// Hash, Parents, Author, MergeAuthor, Date (RFC 3339, UTC), Subject,
	// Body and PRNumber are copied from the commit.
	Hash        string   `json:"hash"`
	Parents     []string `json:"parents"`
	Author      string   `json:"author"`
	MergeAuthor string   `json:"merge_author"`
	Date        string   `json:"date"`
	Subject     string   `json:"subject"`
	Body        string   `json:"body"`
	PRNumber    int      `json:"pr_number"`
	// Files are all the selected changed files of the commit, in order;
	// only the files this shard owns have their line counts (the others'
	// blobs are not read: see [ShardFileDiff]).
	Files []change.File `json:"files"`
	// Diffs are the results of the files this shard owns.
	Diffs []ShardFileDiff `json:"diffs"`
	// Err is the commit-level problem the walk reported, if any.
	Err string `json:"err,omitempty"`
	// Boundary marks a shallow or grafted boundary (see
	// [gitlog.Commit.Boundary]).
	Boundary bool `json:"boundary,omitempty"`
}

// ShardFileDiff is the diff of the Index-th file of a commit, made by the
// shard that owns the file.
type ShardFileDiff struct {
	Index   int                 `json:"index"`
	Changes []change.Identifier `json:"changes"`
	Errors  []change.ParseError `json:"errors"`
	// Skipped is true when the file was not parsed (binary, too large,
	// missing object, parse failure).
	Skipped bool `json:"skipped,omitempty"`
	// Cause is why it was skipped (see [ExportStats.SkippedBy]).
	Cause string `json:"cause,omitempty"`
	// Additions and Deletions are the file's line counts, which only the
	// owner of the file reads.
	Additions int `json:"additions"`
	Deletions int `json:"deletions"`
	// PatchHash is the file's gitlog.FileChange.PatchHash when it was
	// diffed, 0 otherwise.
	PatchHash uint64 `json:"patch_hash,omitempty"`
}

// ExportShard is the part of [Export] that one of `of` shards does: it
// walks the same commits as Export (oldest first) and parses only the
// files it owns, the same files the shard-th of `of` export workers would
// parse (split by path, renames followed), so the output does not depend
// on how many shards there are ([export.Shard]). Without rename detection,
// a shard reads and line-diffs only the blobs of the files it owns (the
// walk lists the others with no contents: [gitlog.WalkOptions.LoadFilter]);
// with it, owners follow renames, so every shard reads every file. emit is
// called for every commit of the walk, in order, even when the shard owns
// none of its files, so that an assembler can tell when it has all the
// parts. opts.Dir, Format, Workers, Redactor and OnCommit are not used:
// redaction happens after [AssembleCommit], as Export does it.
func ExportShard(ctx context.Context, repo *gitlog.Repository, opts ExportOptions, shard, of int, emit func(ShardCommit) error) (ExportStats, error) {
	start := time.Now()
	stats := ExportStats{Redactions: map[string]int{}, SkippedBy: map[string]int{}}
	engine := export.Options{Walk: opts.Walk, Languages: opts.Languages, ResidentBytes: opts.ResidentBytes, ShardPaths: opts.ShardPaths}
	langs := opts.Languages
	if langs == nil {
		langs = DefaultLanguages()
	}
	var times export.Times
	seq := 0
	for c, err := range export.Shard(ctx, repo, engine, shard, of, &times) {
		if err != nil {
			return stats, err
		}
		part := newShardCommit(c.Commit, seq, shard, of)
		patches := diffedPatches(c, langs)
		for i := range c.Files {
			if !c.Owned[i] {
				continue
			}
			f, d, cause := &c.Files[i], c.Diffs[i], c.Skipped[i]
			part.Diffs = append(part.Diffs, ShardFileDiff{Index: i, Changes: d.Changes,
				Errors: d.Errors, Skipped: cause != "", Cause: cause,
				Additions: f.Additions, Deletions: f.Deletions, PatchHash: patches[i]})
			if cause != "" {
				stats.SkippedFiles++
				stats.SkippedBy[cause]++
			} else if len(d.Errors) > 0 {
				stats.ParseErrors++
			}
		}
		stats.Commits++
		if c.Err != nil {
			stats.CommitErrors++
		}
		if c.Boundary {
			stats.Boundaries++
		}
		if err := emit(part); err != nil {
			return stats, err
		}
		seq++
	}
	stats.Elapsed = time.Since(start)
	stats.ParseTime = times.Parse
	stats.ReadTime = times.Read
	return stats, nil
}

func newShardCommit(c *gitlog.Commit, seq, shard, of int) ShardCommit {
	md := commitHeader(c)
	sc := ShardCommit{Seq: seq, Shard: shard, Of: of, Hash: md.Commit, Parents: md.Parents,
		Author: md.Author, MergeAuthor: md.MergeAuthor, Date: md.Date, Subject: md.Subject,
		Body: md.Body, PRNumber: md.PRNumber, Files: md.Files, Diffs: []ShardFileDiff{}}
	if c.Err != nil {
		sc.Err = c.Err.Error()
	}
	sc.Boundary = c.Boundary
	return sc
}

// AssembleCommit joins the parts of one commit made by all the shards of
// an export into the record [Export] writes for it (before redaction). ok
// is false when the commit has no selected files (Export writes no record
// for it). It is an error when parts are missing, repeated or disagree.
func AssembleCommit(parts []ShardCommit) (rec CommitRecord, ok bool, err error) {
	if len(parts) == 0 {
		return rec, false, fmt.Errorf("dataset: assemble commit: no parts")
	}
	first := parts[0]
	short := first.Hash
	if len(short) > 8 {
		short = short[:8]
	}
	if len(parts) != first.Of {
		return rec, false, fmt.Errorf("dataset: assemble commit %s: %d parts of %d shards", short, len(parts), first.Of)
	}
	seen := make([]bool, first.Of)
	files := slices.Clone(first.Files)
	diffs := make([]lang.FileDiff, len(first.Files))
	patches := make([]uint64, len(first.Files))
	owned := make([]bool, len(first.Files))
	for _, p := range parts {
		if p.Hash != first.Hash || p.Of != first.Of || p.Seq != first.Seq || len(p.Files) != len(first.Files) {
			return rec, false, fmt.Errorf("dataset: assemble commit %s: shard %d disagrees with shard %d", short, p.Shard, first.Shard)
		}
		if p.Shard < 0 || p.Shard >= p.Of || seen[p.Shard] {
			return rec, false, fmt.Errorf("dataset: assemble commit %s: shard %d repeated or out of range", short, p.Shard)
		}
		seen[p.Shard] = true
		for _, d := range p.Diffs {
			if d.Index < 0 || d.Index >= len(diffs) || owned[d.Index] {
				return rec, false, fmt.Errorf("dataset: assemble commit %s: shard %d: file index %d repeated or out of range", short, p.Shard, d.Index)
			}
			owned[d.Index] = true
			diffs[d.Index] = lang.FileDiff{Changes: d.Changes, Errors: d.Errors}
			files[d.Index].Additions, files[d.Index].Deletions = d.Additions, d.Deletions
			patches[d.Index] = d.PatchHash
		}
	}
	if len(first.Files) == 0 && !first.Boundary {
		return rec, false, nil
	}
	if first.Date != "" {
		if _, err := time.Parse(time.RFC3339, first.Date); err != nil {
			return rec, false, fmt.Errorf("dataset: assemble commit %s: date: %w", short, err)
		}
	}
	md := CommitMetadata{Commit: first.Hash, Parents: nonNil(first.Parents), Author: first.Author,
		MergeAuthor: first.MergeAuthor, Date: first.Date, Subject: first.Subject, Body: first.Body,
		PRNumber: first.PRNumber, Files: files, Boundary: first.Boundary}
	return buildCommitRecord(md, diffs, patches, DefaultLanguages()), true, nil
}

// ShardedMergeContext reads what the merge of a sharded export needs of
// the repository besides the commit records, as [RunPipeline] reads it
// beside its export: the Cargo workspace of the walked range (see
// [WorkspaceForRepo]) and the [Licenser] of the records, which, from the
// same walk of tree diffs, looks a commit's licence up once per licence
// epoch when the walk allows (first parent, no date bounds, no merges
// skipped; else once per commit, as [RepositoryLicenses]). langs (nil:
// [DefaultLanguages]) give the files the export selects when walk.Include
// is empty. It is the same walk RunPipeline makes, so a sharded run gives
// the records the same layers and licences.
func ShardedMergeContext(ctx context.Context, repo *gitlog.Repository, walk gitlog.WalkOptions, langs lang.Registry) (*archmap.Workspace, Licenser, error) {
	include := walk.Include
	if len(include) == 0 {
		if langs == nil {
			langs = DefaultLanguages()
		}
		include = langs.Globs()
	}
	ws, hist, err := workspaceForRepo(ctx, repo, walk, include)
	if err != nil {
		return nil, nil, err
	}
	return ws, repositoryLicenses(ctx, repo, hist), nil
}

// Newer reports whether a comes before b in the order of merged records
// (newest first: merge date, then PR number, then first commit), the order
// of merged_dataset.jsonl and of the date split.
func Newer(a, b *MergedRecord) bool { return newer(a, b) }

// ValidationCount returns how many of n records the split puts in
// validation (the newest ones, with SplitByDate).
func (o SplitOptions) ValidationCount(n int) int {
	share := o.Validation
	if share == 0 {
		share = 0.1
	}
	if share < 0 {
		return 0
	}
	v := int(math.Round(float64(n) * share))
	if v == 0 && n >= 2 {
		v = 1
	}
	return v
}

// StatisticsAccumulator computes the same [Statistics] as
// [ComputeStatistics] from records added one at a time, and can be merged
// with another accumulator (a combiner on a cluster). Its zero value is
// ready to use; it keeps counts and the token counts of each record, not
// the records.
type StatisticsAccumulator struct {
	Merge              MergeStats     `json:"merge"`
	Records            int            `json:"records"`
	WithIdentifierData int            `json:"with_identifier_data"`
	MatchMethods       map[string]int `json:"match_methods"`
	FeatureTypes       map[string]int `json:"feature_types"`
	Actions            map[string]int `json:"actions"`
	Layers             map[string]int `json:"layers"`
	Crates             map[string]int `json:"crates"`
	Patterns           map[string]int `json:"patterns"`
	Classified         int            `json:"classified"`
	Unclassified       int            `json:"unclassified"`
	PromptTokens       []int          `json:"prompt_tokens"`
	ResponseTokens     []int          `json:"response_tokens"`
	Licenses           map[string]int `json:"licenses"`
	Difficulty         map[string]int `json:"difficulty"`
	RecordsWithTests   int            `json:"records_with_test_changes"`
	TestChanges        int            `json:"test_identifier_changes"`
	CodeChanges        int            `json:"code_identifier_changes"`
}

func addCounts(dst *map[string]int, src map[string]int) {
	if *dst == nil {
		*dst = map[string]int{}
	}
	for k, v := range src {
		(*dst)[k] += v
	}
}

func addCount(dst *map[string]int, k string, v int) {
	if *dst == nil {
		*dst = map[string]int{}
	}
	(*dst)[k] += v
}

// AddRecord counts one record.
func (a *StatisticsAccumulator) AddRecord(r *MergedRecord) {
	md := &r.Metadata
	a.Records++
	if md.HasIdentifierData {
		a.WithIdentifierData++
	}
	addCount(&a.MatchMethods, md.MatchMethod, 1)
	addCount(&a.FeatureTypes, orNone(md.Intent.FeatureType), 1)
	addCount(&a.Actions, orNone(md.Intent.Action), 1)
	var crates []string
	for _, l := range md.Layers {
		addCount(&a.Layers, l.Layer, 1)
		a.Classified += len(l.Files)
		crates = append(crates, l.Crates...)
	}
	slices.Sort(crates)
	for _, c := range slices.Compact(crates) {
		addCount(&a.Crates, c, 1)
	}
	a.Unclassified += len(md.Unclassified)
	for _, p := range md.Patterns {
		addCount(&a.Patterns, p.Name, p.Count)
	}
	a.PromptTokens = append(a.PromptTokens, md.PromptTokens)
	a.ResponseTokens = append(a.ResponseTokens, md.ResponseTokens)
	addCount(&a.Licenses, orNone(md.License), 1)
	addCount(&a.Difficulty, md.Difficulty, 1)
	tests := 0
	for _, c := range md.Changes {
		if c.Test {
			tests++
		}
	}
	if tests > 0 {
		a.RecordsWithTests++
	}
	a.TestChanges += tests
	a.CodeChanges += len(md.Changes) - tests
}

// AddMergeStats adds the counts of one merge (one repository's, or
// records dropped later, e.g. cross-repository duplicates).
func (a *StatisticsAccumulator) AddMergeStats(ms MergeStats) {
	m := &a.Merge
	m.PRs += ms.PRs
	m.Merged += ms.Merged
	m.TouchingSource += ms.TouchingSource
	m.WithIdentifiers += ms.WithIdentifiers
	m.Records += ms.Records
	m.UnclassifiedPaths += ms.UnclassifiedPaths
	m.ClassifiedPaths += ms.ClassifiedPaths
	addCounts(&m.MatchMethods, ms.MatchMethods)
	addCounts(&m.Dropped, ms.Dropped)
	addCounts(&m.Redactions, ms.Redactions)
	addCounts(&m.ExportRedactions, ms.ExportRedactions)
	addCounts(&m.ExportSkipped, ms.ExportSkipped)
	m.ExportBoundaries += ms.ExportBoundaries
	m.LicenseErrors += ms.LicenseErrors
	addCounts(&m.Compacted, ms.Compacted)
	addCounts(&m.PromptSections, ms.PromptSections)
}

// Add merges another accumulator into a.
func (a *StatisticsAccumulator) Add(b *StatisticsAccumulator) {
	a.AddMergeStats(b.Merge)
	a.Records += b.Records
	a.WithIdentifierData += b.WithIdentifierData
	addCounts(&a.MatchMethods, b.MatchMethods)
	addCounts(&a.FeatureTypes, b.FeatureTypes)
	addCounts(&a.Actions, b.Actions)
	addCounts(&a.Layers, b.Layers)
	addCounts(&a.Crates, b.Crates)
	addCounts(&a.Patterns, b.Patterns)
	a.Classified += b.Classified
	a.Unclassified += b.Unclassified
	a.PromptTokens = append(a.PromptTokens, b.PromptTokens...)
	a.ResponseTokens = append(a.ResponseTokens, b.ResponseTokens...)
	addCounts(&a.Licenses, b.Licenses)
	addCounts(&a.Difficulty, b.Difficulty)
	a.RecordsWithTests += b.RecordsWithTests
	a.TestChanges += b.TestChanges
	a.CodeChanges += b.CodeChanges
}

// Statistics returns what [ComputeStatistics] returns for the records and
// merge stats added. Source, Format, Train, Validation and SplitMethod
// are left for the caller, as [WriteDataset] sets them.
func (a *StatisticsAccumulator) Statistics() Statistics {
	st := statisticsOfMerge(a.Merge)
	st.Records = a.Records
	st.WithIdentifierData = a.WithIdentifierData
	addCounts(&st.MatchMethods, a.MatchMethods)
	addCounts(&st.FeatureTypes, a.FeatureTypes)
	addCounts(&st.Actions, a.Actions)
	addCounts(&st.Layers, a.Layers)
	addCounts(&st.Crates, a.Crates)
	addCounts(&st.Patterns, a.Patterns)
	if a.Classified+a.Unclassified > 0 {
		st.UnclassifiedShare = math.Round(float64(a.Unclassified)/float64(a.Classified+a.Unclassified)*10000) / 10000
	}
	st.PromptTokens, st.ResponseTokens = percentiles(a.PromptTokens), percentiles(a.ResponseTokens)
	addCounts(&st.Licenses, a.Licenses)
	addCounts(&st.Difficulty, a.Difficulty)
	st.RecordsWithTests = a.RecordsWithTests
	st.TestChanges, st.CodeChanges = a.TestChanges, a.CodeChanges
	return st
}
