package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	beamstats "github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"

	"github.com/sftforge/sftforge/archmap"
	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/dataset"
	"github.com/sftforge/sftforge/dedup"
	"github.com/sftforge/sftforge/export"
	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/internal/cli"
	"github.com/sftforge/sftforge/report"
)

// Config is what every transform needs to know of the run. It is encoded
// into the pipeline (as JSON), so it holds no secret: workers read
// GITHUB_TOKEN from their own environment.
type Config struct {
	// Sources are the repositories, in the order of the sources file.
	Sources []Source `json:"sources"`
	// PipelineFlags are the flags sftforge has too, with its defaults:
	// CacheDir (where workers clone URLs), Rev, MaxCommits, Since and
	// MinChangedLines (the commits of every source; a source's own options
	// win), CommitsAsPRs and the dataset flags.
	cli.PipelineFlags
	// Shards is the number of shards of every source; 0 sizes them by
	// the number of selected files at the walked revision:
	// FilesPerShard files a shard, at most MaxShards.
	Shards        int `json:"shards,omitempty"`
	FilesPerShard int `json:"files_per_shard"`
	MaxShards     int `json:"max_shards"`
	// OutputShards is the number of files each of merged_dataset, train
	// and validation is written as.
	OutputShards int `json:"output_shards"`
	// Out is the directory (or filesystem URL prefix) the files go to.
	Out string `json:"out"`
	// Force replaces a local output of an earlier version without marker
	// (see package outdir); the launcher's business, not the workers'.
	Force bool `json:"-"`
}

// source returns the source with the given ID.
func (c *Config) source(id string) (Source, bool) {
	for _, s := range c.Sources {
		if s.ID == id {
			return s, true
		}
	}
	return Source{}, false
}

// options returns the merge and write options of a source, as the
// sftforge binary builds them (its rules file replacing --rules).
func (c *Config) options(src Source) (dataset.MergeOptions, dataset.WriteOptions, error) {
	d := c.Dataset
	d.NoParquet = true // the pipeline writes sharded JSONL only (see Build)
	if src.Rules != "" {
		d.RulesFile = src.Rules
	}
	return d.Options(src.Name)
}

// split returns the options of the date split.
func (c *Config) split() dataset.SplitOptions {
	return dataset.SplitOptions{Validation: c.Dataset.Validation, Method: c.Dataset.SplitMethod, Seed: c.Dataset.Seed}
}

// walk returns the walk options of a source, starting at its resolved
// commit.
func (c *Config) walk(src Source, commit string) (gitlog.WalkOptions, error) {
	w, err := c.Walk()
	if err != nil {
		return w, err
	}
	w.Rev = commit
	if src.MaxCommits > 0 {
		w.MaxCommits = src.MaxCommits
	}
	return w, nil
}

// ErrorRecord is one line of errors.jsonl: a source that failed, and
// where. A failed source contributes no record to the dataset.
type ErrorRecord struct {
	Source string `json:"source"`
	Stage  string `json:"stage"` // open, export, assemble, merge
	Commit string `json:"commit,omitempty"`
	Shard  string `json:"shard,omitempty"` // "i/of"
	Error  string `json:"error"`
}

func errorKV(e ErrorRecord) (string, string) {
	b, _ := json.Marshal(e)
	return e.Source, string(b)
}

// shardTask is one shard of one source, the unit of export work.
type shardTask struct {
	Source string `json:"source"`
	Commit string `json:"commit"` // resolved revision
	Shard  int    `json:"shard"`
	Of     int    `json:"of"`
	// Paths gives the shard of each path the walk changes, balanced by
	// the parsing work (export.BalancedShards), the same for every shard
	// of the source; other paths go by a hash of the path.
	Paths map[string]int `json:"paths,omitempty"`
}

// sourceRecord is a merged record with the source it came from.
type sourceRecord struct {
	Source string               `json:"source"`
	Record dataset.MergedRecord `json:"record"`
}

// assembled is one commit of a source put together from its shards'
// parts (dataset.AssembleCommit) and redacted as the single-machine
// export does, or the error that stopped it.
type assembled struct {
	seq    int
	hash   string
	record dataset.CommitRecord
	// keep is false for a commit without a record (no selected files) and
	// one that redaction dropped.
	keep bool
	// redactions are the export redactor's counts; skipped counts the
	// files the export did not parse, by cause, and boundary marks a
	// shallow or grafted boundary commit: the export statistics
	// RunPipeline reports (statistics.json export_redactions,
	// export_skipped_files and export_boundary_commits).
	redactions map[string]int
	skipped    map[string]int
	boundary   bool
	err        error
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sftforge-beam: encode %T: %v", v, err))
	}
	return string(b)
}

// recovered turns a panic in a transform (a parser crash on some input)
// into an error, so that it fails one source rather than the pipeline.
func recovered(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("panic: %v", r)
	}
}

// planFn opens a source, pins its revision and splits it into shards; it
// emits the shard tasks and the pinned commit, keyed by source.
type planFn struct{ Cfg Config }

func (f *planFn) ProcessElement(ctx context.Context, id string, emitTask func(string), emitCommit, emitErr func(string, string)) {
	src, _ := f.Cfg.source(id)
	var (
		commit string
		files  int
		repo   *gitlog.Repository
	)
	err := func() (err error) {
		defer recovered(&err)
		if repo, err = openSource(src, f.Cfg.CacheDir); err != nil {
			return err
		}
		rev := f.Cfg.Rev
		if src.Rev != "" {
			rev = src.Rev
		}
		commit, files, err = resolveRevision(ctx, repo, rev)
		return err
	}()
	if err != nil {
		emitErr(errorKV(ErrorRecord{Source: id, Stage: "open", Error: err.Error()}))
		return
	}
	fixed := src.Shards
	if fixed == 0 {
		fixed = f.Cfg.Shards
	}
	of := shardCount(fixed, files, f.Cfg.FilesPerShard, f.Cfg.MaxShards)
	var paths map[string]int
	if of > 1 {
		// A hash of the path splits the parsing work unevenly; the
		// slowest shard is the source's time.
		err := func() (err error) {
			defer recovered(&err)
			walk, err := f.Cfg.walk(src, commit)
			if err != nil {
				return err
			}
			paths, err = export.BalancedShards(ctx, repo, walk, nil, of)
			return err
		}()
		if err != nil {
			emitErr(errorKV(ErrorRecord{Source: id, Stage: "open", Error: err.Error()}))
			return
		}
	}
	slog.Info("source planned", "source", id, "commit", commit[:8], "files", files, "shards", of)
	for i := range of {
		emitTask(mustJSON(shardTask{Source: id, Commit: commit, Shard: i, Of: of, Paths: paths}))
	}
	emitCommit(id, commit)
}

// exportShardFn runs the commit export of one shard and emits its part of
// every commit, keyed by source.
type exportShardFn struct{ Cfg Config }

func (f *exportShardFn) ProcessElement(ctx context.Context, task string, emitPart func(string, string), emitErr func(string, string)) error {
	var t shardTask
	if err := json.Unmarshal([]byte(task), &t); err != nil {
		return fmt.Errorf("sftforge-beam: decode shard task: %w", err)
	}
	src, _ := f.Cfg.source(t.Source)
	err := func() (err error) {
		defer recovered(&err)
		repo, err := openSource(src, f.Cfg.CacheDir)
		if err != nil {
			return err
		}
		walk, err := f.Cfg.walk(src, t.Commit)
		if err != nil {
			return err
		}
		start := time.Now()
		st, err := dataset.ExportShard(ctx, repo, dataset.ExportOptions{Walk: walk, ShardPaths: t.Paths}, t.Shard, t.Of, func(p dataset.ShardCommit) error {
			emitPart(t.Source, mustJSON(p))
			return nil
		})
		slog.Info("shard exported", "source", t.Source, "shard", fmt.Sprintf("%d/%d", t.Shard, t.Of), "commits", st.Commits,
			"parse", st.ParseTime.Round(time.Millisecond), "read", st.ReadTime.Round(time.Millisecond), "elapsed", time.Since(start).Round(time.Millisecond))
		return err
	}()
	if err != nil {
		emitErr(errorKV(ErrorRecord{Source: t.Source, Stage: "export", Shard: fmt.Sprintf("%d/%d", t.Shard, t.Of), Error: err.Error()}))
	}
	return nil
}

// assembleSource decodes the parts of every commit of a source (as
// exportShardFn encodes them), groups them by commit and assembles and
// redacts each commit, on all cores, in walk order. red is nil with
// --no-redact. It runs in the per-repository stage, which needs all the
// source's commits anyway: a stage of its own, grouped by commit, cost a
// shuffle and a barrier more, and ran on one core.
func assembleSource(parts []string, red *dataset.Redactor) ([]assembled, error) {
	decoded := make([]dataset.ShardCommit, len(parts))
	errs := make([]error, len(parts))
	parallel(len(parts), func(i int) {
		errs[i] = json.Unmarshal([]byte(parts[i]), &decoded[i])
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	byHash := map[string][]dataset.ShardCommit{}
	var hashes []string
	for _, p := range decoded {
		if _, ok := byHash[p.Hash]; !ok {
			hashes = append(hashes, p.Hash)
		}
		byHash[p.Hash] = append(byHash[p.Hash], p)
	}
	out := make([]assembled, len(hashes))
	parallel(len(hashes), func(i int) {
		out[i] = assembleCommit(byHash[hashes[i]], red)
	})
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out, nil
}

// assembleCommit joins the shards' parts of one commit into its record,
// redacted as the single-machine export does.
func assembleCommit(ps []dataset.ShardCommit, red *dataset.Redactor) (a assembled) {
	defer func() {
		if r := recover(); r != nil {
			a.err = fmt.Errorf("panic: %v", r)
		}
	}()
	// Parts arrive in any order; assemble them in shard order.
	sort.Slice(ps, func(i, j int) bool { return ps[i].Shard < ps[j].Shard })
	a = assembled{seq: ps[0].Seq, hash: ps[0].Hash, boundary: ps[0].Boundary, redactions: map[string]int{}}
	rec, ok, err := dataset.AssembleCommit(ps)
	if err != nil {
		a.err = err
		return a
	}
	if !ok {
		return a
	}
	for _, p := range ps {
		for _, d := range p.Diffs {
			if d.Cause != "" {
				if a.skipped == nil {
					a.skipped = map[string]int{}
				}
				a.skipped[d.Cause]++
			}
		}
	}
	if red == nil || !red.RedactCommitRecord(&rec, a.redactions) {
		a.record, a.keep = rec, true
	}
	return a
}

// parallel calls work(i) for i in [0, n) on GOMAXPROCS goroutines.
func parallel(n int, work func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				work(i)
			}
		})
	}
	wg.Wait()
}

// joinFn is the per-repository stage: the shards' parts of the source's
// commits are assembled and redacted (assembleSource), and the commit
// records, in walk order, are joined with its PRs (from github=, or
// derived from the history) into merged records, as dataset.RunPipeline
// does; the source's workspace and licences are read meanwhile. A source
// with any error upstream contributes nothing. With one source (not
// Cross), the records are rendered as recordOutputsFn renders them and
// written into the output shards here (as writeShardsFn writes them),
// on all cores; only their statistics (one accumulator) and report
// records leave the stage. With several, the records go, encoded, to the
// steps across repositories, keyed by content hash.
type joinFn struct {
	Cfg     Config          `json:"cfg"`
	Cross   bool            `json:"cross"`
	Outputs recordOutputsFn `json:"outputs"`
}

func (f *joinFn) ProcessElement(ctx context.Context, id string, planned func(*string) bool, parts func(*string) bool, errs func(*string) bool,
	emitRec func(string, string), emitStats, emitReport func(string), emitErr func(string, string)) error {
	var s string
	failed := false
	for errs(&s) {
		failed = true
	}
	if failed {
		return nil
	}
	var commit string
	for planned(&s) {
		commit = s
	}
	src, _ := f.Cfg.source(id)
	mo, _, err := f.Cfg.options(src)
	if err != nil {
		emitErr(errorKV(ErrorRecord{Source: id, Stage: "assemble", Error: err.Error()}))
		return nil
	}
	// The workspace and the licence epochs come from a walk of tree
	// diffs, made while the parts are decoded and assembled.
	rc := make(chan repoContext, 1)
	go func() { rc <- f.readContext(ctx, src, commit) }()
	var encoded []string
	for parts(&s) {
		encoded = append(encoded, s)
	}
	commits, err := assembleSource(encoded, mo.Redactor)
	encoded = nil
	if err != nil {
		<-rc
		emitErr(errorKV(ErrorRecord{Source: id, Stage: "assemble", Error: err.Error()}))
		return nil
	}
	var recs []dataset.CommitRecord
	exportRedactions, exportSkipped, boundaries := map[string]int{}, map[string]int{}, 0
	for _, c := range commits {
		if c.err != nil {
			emitErr(errorKV(ErrorRecord{Source: id, Stage: "assemble", Commit: c.hash, Error: c.err.Error()}))
			failed = true
			continue
		}
		for k, v := range c.redactions {
			exportRedactions[k] += v
		}
		for k, v := range c.skipped {
			exportSkipped[k] += v
		}
		if c.boundary {
			boundaries++
		}
		if c.keep {
			recs = append(recs, c.record)
		}
	}
	commits = nil
	if failed {
		<-rc
		return nil
	}
	merged, ms, err := f.merge(ctx, src, mo, recs, <-rc)
	if err != nil {
		emitErr(errorKV(ErrorRecord{Source: id, Stage: "merge", Error: err.Error()}))
		return nil
	}
	ms.ExportRedactions = exportRedactions
	ms.ExportSkipped, ms.ExportBoundaries = exportSkipped, boundaries
	var acc dataset.StatisticsAccumulator
	acc.AddMergeStats(ms)
	if f.Cross {
		emitStats(mustJSON(acc))
		for _, r := range merged {
			emitRec(contentHash(&r), mustJSON(sourceRecord{Source: id, Record: r}))
		}
		return nil
	}
	out := make([]renderedRecord, len(merged))
	renderErrs := make([]error, len(merged))
	parallel(len(merged), func(i int) {
		out[i], renderErrs[i] = f.Outputs.render(&sourceRecord{Source: id, Record: merged[i]})
	})
	if err := errors.Join(renderErrs...); err != nil {
		emitErr(errorKV(ErrorRecord{Source: id, Stage: "merge", Error: err.Error()}))
		return nil
	}
	for i := range merged {
		acc.AddRecord(&merged[i])
	}
	emitStats(mustJSON(acc))
	// The records' output shards are written here, on all cores: the
	// validation cutoff is this source's, and no shuffle carries the
	// lines to writers.
	keys := make([]string, len(out))
	byShard := make([][]string, f.Outputs.OutputShards)
	for i, o := range out {
		keys[i] = o.key
		byShard[o.shard] = append(byShard[o.shard], o.entry)
		emitReport(o.report)
	}
	cutoff := (&validationCutoffFn{Split: f.Cfg.split()}).ExtractOutput(keys)
	writeErrs := make([]error, len(byShard))
	parallel(len(byShard), func(i int) {
		if len(byShard[i]) > 0 {
			writeErrs[i] = writeShard(ctx, f.Cfg.Out, i, len(byShard), sliceIter(byShard[i]), cutoff, func(string) {})
		}
	})
	return errors.Join(writeErrs...)
}

// repoContext is what the merge reads of a source's repository besides
// its commits (see joinFn.readContext).
type repoContext struct {
	repo *gitlog.Repository // nil when it did not open
	// walk is the source's walk from its pinned revision; ws and license
	// are read over it, unless err.
	walk    gitlog.WalkOptions
	ws      *archmap.Workspace
	license dataset.Licenser
	err     error
}

// readContext opens the source's repository and reads the workspace and
// the licences of the walk from its pinned commit (as sftforge reads them
// from the walk of its export: dataset.ShardedMergeContext).
func (f *joinFn) readContext(ctx context.Context, src Source, commit string) (rc repoContext) {
	defer recovered(&rc.err)
	repo, err := openSource(src, f.Cfg.CacheDir)
	if err != nil {
		return rc // the records then have no provenance
	}
	rc.repo = repo
	if rc.walk, rc.err = f.Cfg.walk(src, commit); rc.err != nil {
		return rc
	}
	rc.ws, rc.license, rc.err = dataset.ShardedMergeContext(ctx, repo, rc.walk, nil)
	return rc
}

// merge joins the commit records of src with its PRs, with the merge
// options mo of the source (Config.options) and what rc read of its
// repository.
func (f *joinFn) merge(ctx context.Context, src Source, mo dataset.MergeOptions, commits []dataset.CommitRecord, rc repoContext) (recs []dataset.MergedRecord, ms dataset.MergeStats, err error) {
	defer recovered(&err)
	owner, name := src.ownerRepo()
	ghDir := src.GitHubDir
	if ghDir == "" && src.FromGitHub {
		if ghDir, err = gatherGitHub(ctx, src, f.Cfg.CacheDir); err != nil {
			return nil, ms, err
		}
	}
	var gh dataset.GitHubData
	if ghDir != "" {
		if gh, err = dataset.ReadGitHubDir(ghDir); err != nil {
			return nil, ms, err
		}
	} else {
		gh.PRs = dataset.PRsFromHistory(owner, name, commits, f.Cfg.CommitsAsPRs)
		// From the commit records assembleFn redacted with the same rules.
		mo.TextsRedacted = true
	}
	// The records' provenance, as dataset.RunPipeline names them: GitHub
	// data's OWNER/REPO is on github.com; else the clone's remote, name=
	// or the location's base name.
	if repo := rc.repo; repo != nil {
		if gh.Owner != "" {
			owner, name = gh.Owner, gh.Repo
		}
		mo.Source = dataset.PipelineSource(repo, ghDir != "", owner, name, src.Location)
		mo.License = rc.license
		if mo.License == nil {
			mo.License = dataset.RepositoryLicenses(ctx, repo)
		}
	}
	// The layers come from the source's Cargo workspace over the exported
	// range, as in sftforge.
	if rc.repo != nil && len(commits) > 0 {
		if rc.err != nil {
			return nil, ms, rc.err
		}
		mo.Workspace = rc.ws
		// The prompts are cleaned with the source's own issue forms
		// and PR templates, as in sftforge.
		history := make([]string, len(commits))
		for i := range commits {
			history[i] = commits[i].Metadata.Commit
		}
		if mo.Forms, err = dataset.FormsForRepo(ctx, rc.repo, rc.walk.Rev, history, nil); err != nil {
			return nil, ms, err
		}
	}
	return dataset.Merge(gh.PRs, gh.Issues, commits, mo)
}

// gatherGitHub fetches the PRs and issues of an OWNER/REPO source into
// the worker's cache directory when GITHUB_TOKEN is set in the worker's
// environment (the token never travels in the pipeline), and returns the
// directory; "" means offline.
func gatherGitHub(ctx context.Context, src Source, cacheDir string) (string, error) {
	token := os.Getenv("GITHUB_TOKEN")
	if token == "" {
		return "", nil
	}
	root := cacheDir
	if root == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		root = filepath.Join(d, "sftforge")
	}
	owner, name := src.ownerRepo()
	dir := filepath.Join(root, "github", owner, name)
	client, err := github.NewClient(github.ClientOptions{Token: token,
		CacheDir: filepath.Join(dir, github.StateDir, "http-cache")})
	if err != nil {
		return "", err
	}
	opts := github.GatherOptions{Owner: owner, Repo: name, OutDir: dir}
	if repo, err := openSource(src, cacheDir); err == nil {
		opts.RepoDir = repo.Path()
	}
	if _, err := github.Gather(ctx, client, opts); err != nil {
		return "", err
	}
	return dir, nil
}

// contentHash is the key of exact-duplicate removal: the prompt and
// response, as the single-machine filter compares them.
func contentHash(r *dataset.MergedRecord) string {
	h := sha256.Sum256([]byte(r.Prompt + "\x00" + r.Response))
	return hex.EncodeToString(h[:])
}

// changeKeyFn keys a record for same-change removal: its change ID when
// it has identifier changes (dataset.SameChangeKey), else its content
// hash (a group of one after the content step).
func changeKeyFn(rec string) (string, string, error) {
	var r sourceRecord
	if err := json.Unmarshal([]byte(rec), &r); err != nil {
		return "", "", err
	}
	if k := dataset.SameChangeKey(&r.Record); k != "" {
		return "change:" + k, rec, nil
	}
	return "content:" + contentHash(&r.Record), rec, nil
}

// dedupFn keeps, of records with the same key (from different
// repositories: the same prompt and response, or the same change), the
// first in the dataset's order, of equal ones that of the source listed
// first (the original before its forks: the records' provenance differs),
// and counts the others under Reason (dataset.DropDuplicate when empty).
type dedupFn struct {
	// Sources are the source IDs in the order of the sources file.
	Sources []string
	// Reason is the drop reason counted.
	Reason string `json:"reason,omitempty"`
}

func (f *dedupFn) ProcessElement(hash string, recs func(*string) bool, emit func(string), emitStats func(string)) error {
	var best *sourceRecord
	n := 0
	var s string
	for recs(&s) {
		var r sourceRecord
		if err := json.Unmarshal([]byte(s), &r); err != nil {
			return fmt.Errorf("sftforge-beam: decode record %s: %w", hash, err)
		}
		n++
		if best == nil || f.before(&r, best) {
			best = &r
		}
	}
	if best != nil {
		emit(mustJSON(*best))
	}
	if n > 1 {
		var acc dataset.StatisticsAccumulator
		reason := f.Reason
		if reason == "" {
			reason = dataset.DropDuplicate
		}
		acc.AddMergeStats(dataset.MergeStats{Dropped: map[string]int{reason: n - 1}})
		emitStats(mustJSON(acc))
	}
	return nil
}

// nearEntry is a record in a near-duplicate bucket: its order key and
// the text compared.
type nearEntry struct {
	Key  string `json:"key"`
	Text string `json:"text"`
	// Changes are the identifiers the record adds or removes: a record
	// and its revert are not near-duplicates (dataset.Opposite).
	Changes []change.Identifier `json:"changes"`
}

// nearBandsFn puts each record into one bucket per band of its MinHash
// signature (dedup.NearOptions.Sketch), as dataset's filter does within a
// repository.
type nearBandsFn struct {
	Threshold float64 `json:"threshold"`
}

func (f *nearBandsFn) ProcessElement(rec string, emit func(string, string)) error {
	var r sourceRecord
	if err := json.Unmarshal([]byte(rec), &r); err != nil {
		return err
	}
	text := dataset.NearDuplicateText(&r.Record)
	sk, err := dedup.NearOptions{Threshold: f.Threshold}.Sketch(text)
	if err != nil {
		return err
	}
	entry := mustJSON(nearEntry{Key: orderKey(&r), Text: text, Changes: dataset.AddedOrRemoved(&r.Record)})
	for _, k := range sk.Bands {
		emit(fmt.Sprintf("%016x", k), entry)
	}
	return nil
}

// nearPairsFn compares the records of one bucket exactly and emits the
// order key of each that has a newer record at least Threshold similar
// (the rule of dedup.NearOptions.Find): keyed by itself, possibly from
// several buckets.
type nearPairsFn struct {
	Threshold float64 `json:"threshold"`
}

func (f *nearPairsFn) ProcessElement(band string, entries func(*string) bool, emit func(string, string)) error {
	var es []nearEntry
	var s string
	for entries(&s) {
		var e nearEntry
		if err := json.Unmarshal([]byte(s), &e); err != nil {
			return fmt.Errorf("sftforge-beam: decode bucket %s: %w", band, err)
		}
		es = append(es, e)
	}
	if len(es) < 2 {
		return nil
	}
	sort.Slice(es, func(i, j int) bool { return es[i].Key > es[j].Key }) // newest first
	o := dedup.NearOptions{Threshold: f.Threshold}
	for i := 1; i < len(es); i++ {
		for j := range i {
			if es[j].Key != es[i].Key && o.Similarity(es[j].Text, es[i].Text) >= f.Threshold && !dedup.Opposite(es[i].Changes, es[j].Changes) {
				emit(es[i].Key, "")
				break
			}
		}
	}
	return nil
}

// keyByOrderFn keys a record by its order key.
func keyByOrderFn(rec string) (string, string, error) {
	var r sourceRecord
	if err := json.Unmarshal([]byte(rec), &r); err != nil {
		return "", "", err
	}
	return orderKey(&r), rec, nil
}

// nearFilterFn keeps a record unless a bucket marked it a near-duplicate,
// and counts those it drops.
type nearFilterFn struct{}

func (f *nearFilterFn) ProcessElement(key string, recs func(*string) bool, marks func(*string) bool, emit func(string), emitStats func(string)) {
	var s string
	dropped := false
	for marks(&s) {
		dropped = true
	}
	for recs(&s) {
		if !dropped {
			emit(s)
			continue
		}
		var acc dataset.StatisticsAccumulator
		acc.AddMergeStats(dataset.MergeStats{Dropped: map[string]int{dataset.DropNearDuplicate: 1}})
		emitStats(mustJSON(acc))
	}
}

// before orders the copies of a record in several sources: the dataset's
// order (merge date, PR number, first commit), then the sources' order.
func (f *dedupFn) before(a, b *sourceRecord) bool {
	ka, kb := recordKey(a), recordKey(b)
	if ka != kb {
		return ka > kb
	}
	ia, ib := slices.Index(f.Sources, a.Source), slices.Index(f.Sources, b.Source)
	if ia != ib {
		return ia < ib
	}
	return orderKey(a) > orderKey(b)
}

// recordKey is the part of orderKey before the source.
func recordKey(r *sourceRecord) string {
	md := &r.Record.Metadata
	first := ""
	if len(md.Commits) > 0 {
		first = md.Commits[0]
	}
	return fmt.Sprintf("%s\x00%020d\x00%s", md.MergedAt, md.PRNumber, first)
}

// orderKey is a string whose descending order is the dataset's order
// (dataset.Newer: merge date, PR number, first commit, all newest first),
// then the source and the content, so that it is total.
func orderKey(r *sourceRecord) string {
	md := &r.Record.Metadata
	first := ""
	if len(md.Commits) > 0 {
		first = md.Commits[0]
	}
	return fmt.Sprintf("%s\x00%020d\x00%s\x00%s\x00%s", md.MergedAt, md.PRNumber, first, r.Source, contentHash(&r.Record))
}

// recordOutputsFn decodes a record once for everything that follows it:
// its order key (the input of the date split), its statistics accumulator
// input, its report.Record (the input of reportFn), and its lines, keyed
// by the output shard they go to (shardEntry). The lines are rendered
// here, in the stage that made the record (one source: the repository's
// own stage), so that only they, not the record, cross the shuffle to the
// writers.
type recordOutputsFn struct {
	Format       string `json:"format"`
	OutputShards int    `json:"output_shards"`
	// SystemPrompt is the languages' (lang.Registry.SystemPrompt).
	SystemPrompt string `json:"system_prompt"`
}

func (f *recordOutputsFn) ProcessElement(rec string, emitKey, emitStats, emitReport func(string), emitLine func(int, string)) error {
	var r sourceRecord
	if err := json.Unmarshal([]byte(rec), &r); err != nil {
		return err
	}
	out, err := f.render(&r)
	if err != nil {
		return err
	}
	emitKey(out.key)
	var acc dataset.StatisticsAccumulator
	acc.AddRecord(&r.Record)
	emitStats(mustJSON(acc))
	emitReport(out.report)
	emitLine(out.shard, out.entry)
	return nil
}

// renderedRecord is what recordOutputsFn emits of a record but its
// statistics: its order key, report record, output shard and the entry of
// its lines there.
type renderedRecord struct {
	key, report string
	shard       int
	entry       string
}

func (f *recordOutputsFn) render(r *sourceRecord) (renderedRecord, error) {
	out := renderedRecord{key: orderKey(r), report: mustJSON(dataset.ReportRecord(&r.Record))}
	h := fnv.New32a()
	h.Write([]byte(contentHash(&r.Record)))
	out.shard = int(h.Sum32() % uint32(f.OutputShards))
	md := r.Record.Metadata
	line, err := dataset.FormatSFT.Encode(f.SystemPrompt, r.Record.Prompt, r.Record.Response, md)
	if err != nil {
		return out, fmt.Errorf("sftforge-beam: merged_dataset: %s PR #%d: %w", r.Source, md.PRNumber, err)
	}
	formatted := line
	if dataset.Format(f.Format) != dataset.FormatSFT {
		if formatted, err = dataset.Format(f.Format).Encode(f.SystemPrompt, r.Record.Prompt, r.Record.Response, md); err != nil {
			return out, fmt.Errorf("sftforge-beam: %s PR #%d: %w", r.Source, md.PRNumber, err)
		}
	}
	out.entry = encodeShardEntry(out.key, string(line), string(formatted))
	return out, nil
}

// encodeShardEntry joins what the writer of an output shard needs of a
// record: its order key (train or validation), its merged_dataset line
// and its train/validation line, which is left out when it is the same
// (--format sft). Lines are JSON and order keys hold no newline, so a
// newline separates them.
func encodeShardEntry(key, line, formatted string) string {
	if formatted == line {
		return key + "\n" + line
	}
	return key + "\n" + line + "\n" + formatted
}

// decodeShardEntry splits an entry of encodeShardEntry.
func decodeShardEntry(e string) (key, line, formatted string, err error) {
	key, rest, ok := strings.Cut(e, "\n")
	if !ok {
		return "", "", "", errors.New("sftforge-beam: shard entry without lines")
	}
	line, formatted, ok = strings.Cut(rest, "\n")
	if !ok {
		formatted = line
	}
	return key, line, formatted, nil
}

// statisticsFn is a combiner: the statistics of all the records kept and
// of every repository's merge, as statistics.json holds them.
type statisticsFn struct {
	Split  dataset.SplitOptions `json:"split"`
	Format string               `json:"format"`
	Source string               `json:"source"`
}

func (f *statisticsFn) CreateAccumulator() dataset.StatisticsAccumulator {
	return dataset.StatisticsAccumulator{}
}

func (f *statisticsFn) AddInput(a dataset.StatisticsAccumulator, in string) (dataset.StatisticsAccumulator, error) {
	var b dataset.StatisticsAccumulator
	if err := json.Unmarshal([]byte(in), &b); err != nil {
		return a, fmt.Errorf("sftforge-beam: decode statistics: %w", err)
	}
	a.Add(&b)
	return a, nil
}

func (f *statisticsFn) MergeAccumulators(a, b dataset.StatisticsAccumulator) dataset.StatisticsAccumulator {
	a.Add(&b)
	return a
}

func (f *statisticsFn) ExtractOutput(a dataset.StatisticsAccumulator) string {
	st := a.Statistics()
	st.Source, st.Format = f.Source, f.Format
	st.Validation = f.Split.ValidationCount(st.Records)
	st.Train = st.Records - st.Validation
	st.SplitMethod = f.Split.Method
	if st.SplitMethod == "" {
		st.SplitMethod = dataset.SplitByDate
	}
	b, _ := json.MarshalIndent(st, "", "  ")
	return string(b)
}

// validationCutoffFn is a combiner over the order keys of all records: its
// output is the key of the last record of the validation split (the
// newest records), or "\xff" when the split is empty.
type validationCutoffFn struct {
	Split dataset.SplitOptions `json:"split"`
}

func (f *validationCutoffFn) CreateAccumulator() []string { return nil }

func (f *validationCutoffFn) AddInput(a []string, key string) []string {
	if key == "" { // the marker that makes the combine non-empty
		return a
	}
	return append(a, key)
}

func (f *validationCutoffFn) MergeAccumulators(a, b []string) []string { return append(a, b...) }

func (f *validationCutoffFn) ExtractOutput(a []string) string {
	n := f.Split.ValidationCount(len(a))
	if n == 0 {
		return "\xff"
	}
	sort.Sort(sort.Reverse(sort.StringSlice(a)))
	return a[n-1]
}

// writeShardsFn writes one output shard: the lines of its records
// (recordOutputsFn), grouped by shard, into the shard's files of
// merged_dataset (every record), train and validation (by the record's
// order key against the validation cutoff), in Dir (a local directory or
// a Beam filesystem URL), one line a record, as textio.Write does; a file
// without lines is not written. It emits the name of each file written:
// an output read by another stage keeps Prism waiting for the bundle
// rather than polling it in a loop that takes a core from the writers
// (Prism, Beam 2.77, does so for a stage without outputs).
type writeShardsFn struct {
	Dir          string `json:"dir"`
	OutputShards int    `json:"output_shards"`
}

func (f *writeShardsFn) ProcessElement(ctx context.Context, shard int, entries func(*string) bool, cutoff string, emit func(string)) error {
	return writeShard(ctx, f.Dir, shard, f.OutputShards, entries, cutoff, emit)
}

// writeShard writes the shard-th of `of` output shards into dir: every
// entry's (encodeShardEntry) merged_dataset line, and its train or
// validation line by its order key against cutoff. It calls emit with
// the name of each file it opens; a file without lines is not written.
func writeShard(ctx context.Context, dir string, shard, of int, entries func(*string) bool, cutoff string, emit func(string)) (err error) {
	files := map[string]*shardFile{}
	defer func() {
		for _, sf := range files {
			if cerr := sf.close(); err == nil {
				err = cerr
			}
		}
	}()
	write := func(base, line string) error {
		name := ShardFileName(base, shard, of)
		sf, ok := files[name]
		if !ok {
			var err error
			if sf, err = openShardFile(ctx, path.Join(dir, name)); err != nil {
				return err
			}
			files[name] = sf
			emit(name)
		}
		// bufio's errors stick: close returns the first.
		_, _ = sf.buf.WriteString(line)
		_ = sf.buf.WriteByte('\n')
		return nil
	}
	var e string
	for entries(&e) {
		key, line, formatted, err := decodeShardEntry(e)
		if err != nil {
			return err
		}
		if err := write("merged_dataset", line); err != nil {
			return err
		}
		split := "train"
		if key >= cutoff {
			split = "validation"
		}
		if err := write(split, formatted); err != nil {
			return err
		}
	}
	return nil
}

// sliceIter iterates over a slice as Beam iterates over grouped values.
func sliceIter(xs []string) func(*string) bool {
	i := 0
	return func(x *string) bool {
		if i == len(xs) {
			return false
		}
		*x, i = xs[i], i+1
		return true
	}
}

// shardFile is an output file being written.
type shardFile struct {
	name string
	fsys filesystem.Interface
	fd   io.WriteCloser
	buf  *bufio.Writer
}

func openShardFile(ctx context.Context, filename string) (*shardFile, error) {
	fsys, err := filesystem.New(ctx, filename)
	if err != nil {
		return nil, err
	}
	fd, err := fsys.OpenWrite(ctx, filename)
	if err != nil {
		fsys.Close()
		return nil, err
	}
	return &shardFile{name: filename, fsys: fsys, fd: fd, buf: bufio.NewWriterSize(fd, 1<<20)}, nil
}

func (sf *shardFile) close() error {
	defer sf.fsys.Close()
	if err := sf.buf.Flush(); err != nil {
		sf.fd.Close()
		return fmt.Errorf("sftforge-beam: write %s: %w", sf.name, err)
	}
	if err := sf.fd.Close(); err != nil {
		return fmt.Errorf("sftforge-beam: write %s: %w", sf.name, err)
	}
	return nil
}

// cardFn renders the dataset card from statistics.json, with the
// default languages (a WriteOptions holds languages, which are functions
// and do not travel to workers).
type cardFn struct {
	Format string               `json:"format"`
	Name   string               `json:"name"`
	Source string               `json:"source"`
	Split  dataset.SplitOptions `json:"split"`
}

func (f *cardFn) ProcessElement(stats string) (string, error) {
	var st dataset.Statistics
	if err := json.Unmarshal([]byte(stats), &st); err != nil {
		return "", err
	}
	// textio ends every element with a newline.
	wo := dataset.WriteOptions{Format: dataset.Format(f.Format), Name: f.Name, Source: f.Source, Split: f.Split,
		NoParquet: true}
	return strings.TrimSuffix(dataset.DatasetCard(st, wo), "\n"), nil
}

// reportFn is a combiner over the records' report.Record (from
// recordFactsFn): the summary report.html shows (package report), as
// sftforge's.
type reportFn struct{}

func (f *reportFn) CreateAccumulator() report.Summary { return report.Summary{} }

func (f *reportFn) AddInput(a report.Summary, rec string) (report.Summary, error) {
	if rec == "" {
		return a, nil // the element that makes the input never empty
	}
	var rr report.Record
	if err := json.Unmarshal([]byte(rec), &rr); err != nil {
		return a, fmt.Errorf("sftforge-beam: decode report record: %w", err)
	}
	a.Add(&rr)
	return a, nil
}

func (f *reportFn) MergeAccumulators(a, b report.Summary) report.Summary {
	a.Merge(&b)
	return a
}

func (f *reportFn) ExtractOutput(a report.Summary) string { return mustJSON(a) }

// reportPageFn renders report.html from the records' summary and
// statistics.json (what was filtered and removed from prompts); it holds
// the few write options the page uses (a WriteOptions does not travel).
type reportPageFn struct {
	Name           string `json:"name"`
	Source         string `json:"source"`
	ResponseBudget int    `json:"response_budget"`
	PromptBudget   int    `json:"prompt_budget"`
}

func (f *reportPageFn) ProcessElement(summary, stats string) (string, error) {
	var s report.Summary
	if err := json.Unmarshal([]byte(summary), &s); err != nil {
		return "", err
	}
	var st dataset.Statistics
	if err := json.Unmarshal([]byte(stats), &st); err != nil {
		return "", err
	}
	var b strings.Builder
	wo := dataset.WriteOptions{Name: f.Name, Source: f.Source, ResponseBudget: f.ResponseBudget, PromptBudget: f.PromptBudget}
	if err := dataset.RenderReport(&b, &s, st, wo); err != nil {
		return "", err
	}
	// textio ends every element with a newline.
	return strings.TrimSuffix(b.String(), "\n"), nil
}

func errorLineFn(_ string, e string) string { return e }

// ShardFileName is the name of one output shard, e.g.
// train-00001-of-00004.jsonl.
func ShardFileName(base string, shard, of int) string {
	return fmt.Sprintf("%s-%05d-of-%05d.jsonl", base, shard, of)
}

func init() {
	for _, fn := range []any{&planFn{}, &exportShardFn{}, &joinFn{}, &dedupFn{},
		&nearBandsFn{}, &nearPairsFn{}, &nearFilterFn{}, &recordOutputsFn{},
		&statisticsFn{}, &validationCutoffFn{}, &writeShardsFn{}, &cardFn{}, &reportFn{}, &reportPageFn{}} {
		beam.RegisterType(reflect.TypeOf(fn).Elem())
	}
	beam.RegisterFunction(changeKeyFn)
	beam.RegisterFunction(keyByOrderFn)
	beam.RegisterFunction(errorLineFn)
	beam.RegisterCoder(reflect.TypeOf(report.Summary{}),
		func(a report.Summary) ([]byte, error) { return json.Marshal(a) },
		func(b []byte) (report.Summary, error) {
			var a report.Summary
			err := json.Unmarshal(b, &a)
			return a, err
		})
	beam.RegisterCoder(reflect.TypeOf(dataset.StatisticsAccumulator{}),
		func(a dataset.StatisticsAccumulator) ([]byte, error) { return json.Marshal(a) },
		func(b []byte) (dataset.StatisticsAccumulator, error) {
			var a dataset.StatisticsAccumulator
			err := json.Unmarshal(b, &a)
			return a, err
		})
}

// Build adds the pipeline to s: sources → shards (reshuffled) → commit
// parts → commits assembled and merged into records (grouped by
// repository; with one source, its stage also splits and writes the
// sharded JSONL files) → with several sources, duplicate removal across
// repositories (grouped by content hash, then by change ID, then
// near-duplicates bucketed by MinHash band) → date split (a combiner) →
// sharded JSONL files (grouped by output shard); and statistics.json (a
// combiner), README.md, report.html (a combiner) and errors.jsonl, all
// under cfg.Out.
func Build(s beam.Scope, cfg Config) {
	ids := make([]string, len(cfg.Sources))
	for i, src := range cfg.Sources {
		ids[i] = src.ID
	}
	sources := beam.CreateList(s, ids)
	tasks, planned, planErrs := beam.ParDo3(s, &planFn{Cfg: cfg}, sources)
	tasks = beam.Reshuffle(s, tasks)
	parts, exportErrs := beam.ParDo2(s, &exportShardFn{Cfg: cfg}, tasks)
	upstreamErrs := beam.Flatten(s, planErrs, exportErrs)

	// Each repository's merge removed its own duplicates (the same text,
	// the same change, near-duplicates: dataset.FilterOptions), so with
	// one source the steps across repositories would find none: they are
	// left out, with the shuffles of every record they cost, and the
	// repository's stage renders and writes the records itself.
	cross := len(cfg.Sources) > 1
	render := recordOutputsFn{Format: cfg.Dataset.Format, OutputShards: cfg.OutputShards,
		SystemPrompt: dataset.DefaultLanguages().SystemPrompt()}
	joined := beam.CoGroupByKey(s, planned, parts, upstreamErrs)
	split := cfg.split()
	j := beam.ParDoN(s, &joinFn{Cfg: cfg, Cross: cross, Outputs: render}, joined)
	byHash, recordStats, reportRecords, mergeErrs := j[0], j[1], j[2], j[3]
	dupStats := beam.Create(s, "{}")
	if cross {
		var records beam.PCollection
		if cfg.Dataset.Filters.KeepDuplicates {
			records = beam.DropKey(s, byHash)
		} else {
			records, dupStats = beam.ParDo2(s, &dedupFn{Sources: ids}, beam.GroupByKey(s, byHash))
		}
		// Then the same change, then near-duplicates, across
		// repositories (each repository's merge removed its own).
		if !cfg.Dataset.Filters.KeepSameChange {
			var changeStats beam.PCollection
			records, changeStats = beam.ParDo2(s, &dedupFn{Sources: ids, Reason: dataset.DropSameChange},
				beam.GroupByKey(s, beam.ParDo(s, changeKeyFn, records)))
			dupStats = beam.Flatten(s, dupStats, changeStats)
		}
		if t := cfg.Dataset.Filters.NearDuplicates; t > 0 {
			marks := beam.ParDo(s, &nearPairsFn{Threshold: t}, beam.GroupByKey(s, beam.ParDo(s, &nearBandsFn{Threshold: t}, records)))
			var nearStats beam.PCollection
			records, nearStats = beam.ParDo2(s, &nearFilterFn{}, beam.CoGroupByKey(s, beam.ParDo(s, keyByOrderFn, records), marks))
			dupStats = beam.Flatten(s, dupStats, nearStats)
		}
		o := beam.ParDoN(s, &render, records)
		orderKeys, shardLines := o[0], o[3]
		recordStats, reportRecords = beam.Flatten(s, recordStats, o[1]), beam.Flatten(s, reportRecords, o[2])
		cutoff := beam.Combine(s, &validationCutoffFn{Split: split}, beam.Flatten(s, beam.Create(s, ""), orderKeys))
		written := beam.ParDo(s, &writeShardsFn{Dir: cfg.Out, OutputShards: cfg.OutputShards},
			beam.GroupByKey(s, shardLines), beam.SideInput{Input: cutoff})
		// Read in another stage (see writeShardsFn), and nothing more.
		beamstats.Count(s, written)
	}

	allStats := beam.Flatten(s, dupStats, recordStats)
	names := sourceNames(cfg.Sources)
	stats := beam.Combine(s, &statisticsFn{Split: split, Format: cfg.Dataset.Format, Source: names}, allStats)
	textio.Write(s, path.Join(cfg.Out, "statistics.json"), stats)
	// No Parquet: JSONL shards go to any Beam filesystem; the
	// card names the JSONL (DuckDB turns the shards into Parquet in one
	// statement, see README).
	card := &cardFn{Format: cfg.Dataset.Format, Name: cfg.Dataset.Name, Source: names, Split: split}
	textio.Write(s, path.Join(cfg.Out, "README.md"), beam.ParDo(s, card, stats))
	summary := beam.Combine(s, &reportFn{}, beam.Flatten(s, beam.Create(s, ""), reportRecords))
	page := &reportPageFn{Name: cfg.Dataset.Name, Source: names, ResponseBudget: cfg.Dataset.Filters.MaxResponseTokens,
		PromptBudget: cfg.Dataset.Filters.MaxPromptTokens}
	textio.Write(s, path.Join(cfg.Out, "report.html"), beam.ParDo(s, page, summary, beam.SideInput{Input: stats}))
	textio.Write(s, path.Join(cfg.Out, "errors.jsonl"),
		beam.ParDo(s, errorLineFn, beam.Flatten(s, upstreamErrs, mergeErrs)))
}

// sourceNames names the dataset's sources in its card and statistics.
func sourceNames(srcs []Source) string {
	var names []string
	for _, s := range srcs {
		if s.Name != "" {
			names = append(names, s.Name)
		}
	}
	return strings.Join(names, ", ")
}
