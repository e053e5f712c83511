package dataset

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/sftforge/sftforge/archmap"
	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/dedup"
	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/github/forms"
	"github.com/sftforge/sftforge/lang"
)

// MergeOptions configures [Merge].
type MergeOptions struct {
	// Classifier maps paths to layers; nil means the layers archmap infers
	// from Workspace with Preset (see archmap.Infer).
	Classifier *archmap.Classifier
	// Workspace is the repository's Cargo workspace (see WorkspaceForRepo);
	// nil infers the crates from the paths of the commits and PRs.
	Workspace *archmap.Workspace
	// Preset names and splits the inferred layers: PresetAuto (default),
	// PresetWorkspace, PresetHyperswitch or PresetKeywords.
	Preset string
	// Rules, when set, are applied to the classifier (a rules file's
	// layers and layer rules).
	Rules *archmap.RuleSet
	// Taxonomy detects intent; nil means archmap.PaymentsTaxonomy() for
	// paths laid out like juspay/hyperswitch and archmap.DefaultTaxonomy()
	// otherwise.
	Taxonomy *archmap.Taxonomy
	// ExtraTaxonomy extends the taxonomy (a rules file's taxonomy section).
	ExtraTaxonomy archmap.Taxonomy
	// Detectors find code patterns; nil means archmap's default detectors.
	Detectors []archmap.Detector
	// Languages name the kinds of identifier changes and render their
	// lines in the responses; nil means DefaultLanguages(). Give the
	// export's (see [PipelineOptions]).
	Languages lang.Registry
	// Source names the repository: the records' id, repo and url.
	Source Source
	// License, when set, gives each record's licence (see
	// [RepositoryLicenses]); nil leaves it empty.
	License Licenser
	// Exclude, when set, drops the records whose PR, linked issue or
	// commit it lists (counted as DropExcluded).
	Exclude *ExcludeList
	// Benchmark, when set, drops the records whose prompt shares a word
	// n-gram with one of its texts (counted as DropContaminated).
	Benchmark *Benchmark
	// Forms are the repository's issue forms and pull request templates
	// (see [FormsForRepo]): the sections they call scaffolding are
	// removed from prompts and counted. Nil means the generic rules of
	// package forms only ([RunPipeline] reads the repository's own).
	Forms *forms.Set
	// Template renders the response; nil means DefaultResponseTemplate.
	Template *template.Template
	// Filters select the records to keep.
	Filters FilterOptions
	// Redactor, when set, removes secrets and personal data from every
	// text that goes into a record (see redaction.go).
	Redactor *Redactor
	// TextsRedacted says the PRs' titles and bodies are redacted already,
	// as those [PRsFromHistory] derives from commit records redacted by
	// the same Redactor are: the prompts and titles built from them only
	// are not redacted again, the responses (new text) are. Each text is
	// redacted once. No issues may be given with it.
	TextsRedacted bool
	// ownsPRs says the merge may clear each PR once its record is taken
	// (the pipeline's PRs, which nothing reads after the merge), so that
	// the PRs and the records are not held in full at the same time.
	ownsPRs bool
	// IncludeUnmerged keeps PRs that were closed without merging (off by
	// default: they are not code that landed).
	IncludeUnmerged bool
	// Logger receives warnings; default slog.Default().
	Logger *slog.Logger
}

// MergeStats counts what [Merge] did.
type MergeStats struct {
	PRs              int            `json:"prs"`
	Merged           int            `json:"merged"`
	TouchingSource   int            `json:"prs_touching_source"`      // merged PRs with files the export covers
	WithIdentifiers  int            `json:"prs_with_identifier_data"` // of those, matched to commits with identifier changes
	MatchMethods     map[string]int `json:"match_methods"`
	Records          int            `json:"records"`
	Dropped          map[string]int `json:"dropped"`
	Redactions       map[string]int `json:"redactions"`
	ExportRedactions map[string]int `json:"export_redactions"` // set by RunPipeline
	ExportSkipped    map[string]int `json:"export_skipped"`    // set by RunPipeline: skipped files by cause
	ExportBoundaries int            `json:"export_boundaries"` // set by RunPipeline: shallow or grafted boundary commits
	// Compacted counts the records whose response was compacted to fit
	// the budget, by the last compaction step it needed (see budget.go).
	Compacted map[string]int `json:"responses_compacted"`
	// PromptSections counts the form scaffolding sections removed from
	// prompts, by role (forms.NoResponse, forms.Volunteer…).
	PromptSections map[string]int `json:"prompt_sections_removed"`
	// LicenseErrors counts the records whose licence lookup failed (a
	// commit, manifest or licence file that cannot be read or parsed):
	// their licence is empty, or only that of what could be read.
	LicenseErrors     int `json:"license_errors"`
	UnclassifiedPaths int `json:"unclassified_paths"`
	ClassifiedPaths   int `json:"classified_paths"`
}

// Merge joins PRs with the commit export into training records, newest PR
// first. Issues provide the problem statements of the PRs that close them.
// Records are filtered as opts.Filters says; the reasons are counted.
func Merge(prs []github.PR, issues []github.Issue, commits []CommitRecord, opts MergeOptions) ([]MergedRecord, MergeStats, error) {
	return mergeCommits(context.Background(), prs, issues, commitMetadata(commits), opts)
}

// commitMetadata returns what the merge keeps of commit records: their
// metadata, compacted (see compactMetadata).
func commitMetadata(commits []CommitRecord) []CommitMetadata {
	out := make([]CommitMetadata, len(commits))
	for i := range commits {
		out[i] = compactMetadata(commits[i].Metadata)
	}
	return out
}

// compactMetadata returns what the merge needs of a commit record: its
// metadata without parse errors and parents but the first. The prompt and response,
// rendered for the export files, are not needed: the merge renders its
// own text from the commit's subject, body, files and changes.
func compactMetadata(md CommitMetadata) CommitMetadata {
	if len(md.Parents) > 0 { // the first parent: the base of the change
		md.Parents = []string{md.Parents[0]}
	}
	md.ParseErrors = nil
	return md
}

// mergeCommits is [Merge] over the commits' metadata (in history order),
// which it owns: the changes of each commit are dropped once the records
// of all the PRs it belongs to are built, so that the commits and the
// merged records are not held in full at the same time. It stops with
// ctx's error within a record or so of ctx being done (a run's Ctrl-C).
func mergeCommits(ctx context.Context, prs []github.PR, issues []github.Issue, commits []CommitMetadata, opts MergeOptions) ([]MergedRecord, MergeStats, error) {
	stats := MergeStats{MatchMethods: map[string]int{}, Dropped: map[string]int{}, Redactions: map[string]int{},
		Compacted: map[string]int{}, PromptSections: map[string]int{}}
	if opts.Languages == nil {
		opts.Languages = DefaultLanguages()
	}
	cls, err := LayerClassifier(opts, mergePaths(prs, commits))
	if err != nil {
		return nil, stats, err
	}
	opts.Classifier = cls
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	if opts.Rules != nil {
		c, err := opts.Classifier.Apply(opts.Rules)
		if err != nil {
			return nil, stats, err
		}
		opts.Classifier = c
	}
	// The code patterns ask the languages which files are sources and
	// manifests.
	opts.Classifier = opts.Classifier.WithLanguages(opts.Languages)
	intents := newIntentContext(opts.Taxonomy, opts.ExtraTaxonomy, commits, opts.Languages.IsSource)
	tmpl := opts.Template // nil: the default, rendered without the template package
	issueByNumber := make(map[int]*github.Issue, len(issues))
	for i := range issues {
		issueByNumber[issues[i].Number] = &issues[i]
	}
	sourceExt := map[string]bool{}
	for _, c := range commits {
		for _, f := range c.Files {
			sourceExt[extOf(f.Path)] = true
		}
	}
	matches := matchPRs(prs, commits)
	uses := make(map[*CommitMetadata]int, len(commits))
	for i := range prs {
		if prs[i].Merged || opts.IncludeUnmerged {
			for _, c := range matches[i].commits {
				uses[c]++
			}
		}
	}
	// The records are built on every CPU (buildMergedRecord, redaction and
	// token counts are most of the merge) and taken in PR order, so the
	// output and the stats do not depend on the number of workers.
	build := func(i int) prBuild {
		pr := &prs[i]
		if !pr.Merged && !opts.IncludeUnmerged {
			return prBuild{}
		}
		if ctx.Err() != nil { // cancelled: the take below stops
			return prBuild{}
		}
		sections := map[string]int{}
		rec, compacted, err := buildMergedRecord(pr, matches[i], issueByNumber, opts.Classifier, intents, opts.Detectors, tmpl,
			opts.Filters.MaxResponseTokens, opts.Languages, opts.Forms, sections)
		b := prBuild{rec: rec, compacted: compacted, sections: sections, buildErr: err}
		if err != nil {
			return b
		}
		if ctx.Err() != nil {
			return b
		}
		if err := fillProvenance(&b.rec.Metadata, pr, matches[i].commits, recordPaths(&b.rec.Metadata), opts.Source, opts.License); err != nil {
			b.licenseErr = fmt.Errorf("record %s: %w", b.rec.Metadata.ID, err)
		}
		// Exclusion and decontamination look at the record as built, before
		// redaction, and spare it the rest of the work.
		switch {
		case opts.Exclude.Match(&b.rec.Metadata):
			b.excluded = DropExcluded
			return b
		case opts.Benchmark.Contaminated(b.rec.Prompt):
			b.excluded = DropContaminated
			return b
		}
		if opts.Redactor != nil {
			b.redactions = map[string]int{}
			if b.dropped = opts.Redactor.redactMerged(&b.rec, b.redactions, opts.TextsRedacted && len(issues) == 0); b.dropped {
				return b
			}
		}
		b.tokensErr = countRecordTokens(&b.rec, b.rec.Metadata.Redactions > 0)
		return b
	}
	nMerged := 0
	for i := range prs {
		if prs[i].Merged || opts.IncludeUnmerged {
			nMerged++
		}
	}
	recs := make([]MergedRecord, 0, nMerged)
	var firstLicenseErr error
	err = orderedParallel(len(prs), runtime.GOMAXPROCS(0), build, func(i int, b prBuild) error {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("dataset: merge: %w", err)
		}
		pr := &prs[i]
		if opts.ownsPRs {
			defer func() { *pr = github.PR{} }()
		}
		stats.PRs++
		if !pr.Merged && !opts.IncludeUnmerged {
			return nil
		}
		if pr.Merged {
			stats.Merged++
		}
		m := matches[i]
		touches := len(m.commits) > 0
		for _, f := range pr.Files {
			touches = touches || sourceExt[extOf(f.Path)]
		}
		if touches {
			stats.TouchingSource++
		}
		if b.buildErr != nil {
			return b.buildErr
		}
		if b.licenseErr != nil && !errors.Is(b.licenseErr, context.Canceled) && !errors.Is(b.licenseErr, context.DeadlineExceeded) {
			stats.LicenseErrors++
			if firstLicenseErr == nil {
				firstLicenseErr = b.licenseErr
				log.Warn("dataset: licence lookup failed: the record's licence is empty or only that of the files that could be read (counted as license_errors in statistics.json; later failures are not logged)",
					"error", b.licenseErr)
			}
		}
		rec := b.rec
		for _, c := range m.commits {
			if uses[c]--; uses[c] == 0 {
				c.Changes = nil // the record holds its own copy
			}
		}
		if b.compacted != "" {
			stats.Compacted[b.compacted]++
		}
		for k, v := range b.sections {
			stats.PromptSections[k] += v
		}
		if touches && rec.Metadata.HasIdentifierData {
			stats.WithIdentifiers++
		}
		stats.MatchMethods[m.method]++
		for _, l := range rec.Metadata.Layers {
			stats.ClassifiedPaths += len(l.Files)
		}
		stats.UnclassifiedPaths += len(rec.Metadata.Unclassified)
		for k, v := range b.redactions {
			stats.Redactions[k] += v
		}
		if b.excluded != "" {
			stats.Dropped[b.excluded]++
			return nil
		}
		if b.dropped {
			stats.Dropped[DropRedacted]++
			return nil
		}
		if b.tokensErr != nil {
			return b.tokensErr
		}
		recs = append(recs, rec)
		return nil
	})
	if err != nil {
		return nil, stats, err
	}
	if err := ctx.Err(); err != nil {
		return nil, stats, fmt.Errorf("dataset: merge: %w", err)
	}
	sort.SliceStable(recs, func(a, b int) bool { return newer(&recs[a], &recs[b]) })
	if recs, err = opts.Filters.apply(recs, stats.Dropped); err != nil {
		return nil, stats, err
	}
	if err := ctx.Err(); err != nil { // the duplicate filters do not watch ctx
		return nil, stats, fmt.Errorf("dataset: merge: %w", err)
	}
	stats.Records = len(recs)
	if stats.TouchingSource > 0 && stats.WithIdentifiers*100 < stats.TouchingSource*95 {
		log.Warn("few merged PRs matched to commits with identifier data",
			"with_identifier_data", stats.WithIdentifiers, "touching_source", stats.TouchingSource)
	}
	return recs, stats, nil
}

// prBuild is what is built for one PR on a worker of the merge: its
// record, redacted and its tokens counted, unless dropped by the
// redaction.
type prBuild struct {
	rec        MergedRecord
	compacted  string
	sections   map[string]int // form scaffolding removed from the prompt, by role
	redactions map[string]int // findings by rule; nil without a redactor
	dropped    bool           // mostly placeholders after redaction
	excluded   string         // DropExcluded or DropContaminated, else
	buildErr   error          // from buildMergedRecord
	licenseErr error          // from the licence lookup: the record's licence is empty
	tokensErr  error          // from countRecordTokens
}

// orderedParallel calls work(i) for i in [0, n) on up to workers
// goroutines and take(i, result) in order of i on the calling goroutine,
// with at most orderedWindow results per worker waiting to be taken (so
// that a slow item, a huge PR, does not idle the other workers for long).
// It stops at the first error of take, which it returns, after the work
// in flight is over.
func orderedParallel[T any](n, workers int, work func(int) T, take func(int, T) error) error {
	if workers <= 1 || n <= 1 {
		for i := range n {
			if err := take(i, work(i)); err != nil {
				return err
			}
		}
		return nil
	}
	window := orderedWindow * workers
	type slot struct {
		done chan struct{}
		val  T
	}
	ring := make([]slot, window)
	for i := range ring {
		ring[i].done = make(chan struct{}, 1)
	}
	jobs := make(chan int)
	free := make(chan struct{}, window) // tokens: ring slots not in use
	for range window {
		free <- struct{}{}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for i := range jobs {
				s := &ring[i%window]
				s.val = work(i)
				s.done <- struct{}{}
			}
		})
	}
	go func() {
		defer close(jobs)
		for i := range n {
			select {
			case <-free:
			case <-stop:
				return
			}
			select {
			case jobs <- i:
			case <-stop:
				return
			}
		}
	}()
	var err error
	for i := 0; i < n && err == nil; i++ {
		s := &ring[i%window]
		<-s.done
		v := s.val
		var zero T
		s.val = zero
		free <- struct{}{}
		err = take(i, v)
	}
	close(stop)
	wg.Wait()
	return err
}

// orderedWindow is how many results per worker orderedParallel lets wait
// for their turn.
const orderedWindow = 16

// recordPaths returns the paths of a record's files: its layers' and the
// unclassified ones.
func recordPaths(md *MergedMetadata) []string {
	paths := slices.Clone(md.Unclassified)
	for _, l := range md.Layers {
		paths = append(paths, l.Files...)
	}
	return paths
}

// extOf returns the extension of a path, with its dot.
func extOf(p string) string {
	i := strings.LastIndexByte(p, '.')
	if i < 0 || strings.LastIndexByte(p, '/') > i {
		return ""
	}
	return p[i:]
}

// buildMergedRecord makes one record from a PR and its matched commits,
// its response fitted to budget tokens (0: none); it returns the last
// compaction step the response needed ("" when none). The prompt is
// cleaned of the scaffolding formSet knows, counted into removed.
func buildMergedRecord(pr *github.PR, m prMatch, issues map[int]*github.Issue, cls *archmap.Classifier,
	intents intentContext, detectors []archmap.Detector, tmpl *template.Template, budget int, langs lang.Registry,
	formSet *forms.Set, removed map[string]int) (MergedRecord, string, error) {
	md := MergedMetadata{
		PRNumber:     pr.Number,
		Title:        pr.Title,
		Author:       pr.Author,
		Labels:       nonNil(pr.Labels),
		MatchMethod:  m.method,
		LinkedIssues: nonNil(append([]int(nil), pr.LinkedIssues...)),
		Commits:      []string{},
		Changes:      []MergedChange{},
		PatchBytes:   len(pr.Patch),
	}
	if pr.MergedAt != nil {
		md.MergedAt = pr.MergedAt.UTC().Format(time.RFC3339)
	}
	// Files and changes: from the matched commits, else the PR's file list.
	var files []change.File
	var idents []change.Identifier
	var subjects []string
	var commits []ResponseCommit
	identCount, changeBytes := 0, 0
	// The slices are allocated at their size: a merge builds many records.
	nChanges, nFiles := 0, 0
	for _, cm := range m.commits {
		nChanges += len(cm.Changes)
		nFiles += len(cm.Files)
	}
	if len(m.commits) == 0 {
		nFiles = len(pr.Files)
	}
	// The paths in order of first appearance, each with its status (that
	// of the first commit touching it, else the PR's file list).
	status := make(map[string]fileStatus, nFiles)
	var paths []string
	if nFiles > 0 {
		paths = make([]string, 0, nFiles)
	}
	addPath := func(p string, st fileStatus) bool {
		if _, seen := status[p]; seen {
			return false
		}
		status[p] = st
		paths = append(paths, p)
		return true
	}
	var changed []change.Identifier // every identifier change, for the change ID
	var patches []string            // and the commits' patch IDs
	if nChanges > 0 && len(m.commits) > 1 {
		changed = make([]change.Identifier, 0, nChanges)
	}
	if nChanges > 0 {
		// The detectors' copy: from a pool, given back once they ran.
		buf := identsPool.Get().(*[]change.Identifier)
		defer func() {
			clear(idents)
			*buf = idents[:0]
			identsPool.Put(buf)
		}()
		idents = slices.Grow((*buf)[:0], nChanges)
		md.Changes = make([]MergedChange, 0, min(nChanges, MaxChangesPerCommit))
	}
	switch {
	case len(m.commits) == 1: // its files, read only; capped: an append copies
		fs := m.commits[0].Files
		files = fs[:len(fs):len(fs)]
	case nFiles > 0:
		files = make([]change.File, 0, nFiles)
	}
	if n := len(m.commits); n > 0 {
		patches = make([]string, 0, n)
		md.Commits = make([]string, 0, n)
		subjects = make([]string, 0, n)
		commits = make([]ResponseCommit, 0, n)
	}
	for _, cm := range m.commits {
		patches = append(patches, cm.PatchID)
		md.Commits = append(md.Commits, cm.Commit)
		title := commitTitle(cm.Subject, cm.Body) // no merge line, no own PR number
		subjects = append(subjects, title)
		if md.MergedAt == "" {
			md.MergedAt = cm.Date
		}
		for _, f := range cm.Files {
			addPath(f.Path, fileStatus{f.Status, f.OldPath})
			md.Additions += f.Additions
			md.Deletions += f.Deletions
		}
		if len(m.commits) > 1 {
			files = append(files, cm.Files...)
		}
		// The same safety cap as a commit record's, over the whole PR:
		// listed holds this commit's changes within it.
		listed, cut := cm.Changes, false
		if len(m.commits) == 1 {
			changed = cm.Changes // not modified: no copy
		} else {
			changed = append(changed, cm.Changes...)
		}
		for i, ch := range cm.Changes {
			identCount++
			// The detectors have never been given what changed (Detail),
			// so "Change function signatures" never fires here; kept so
			// for unchanged output until that is decided on its own.
			id := ch
			id.Detail = nil
			idents = append(idents, id)
			size := changeSize(ch)
			if len(md.Changes) >= MaxChangesPerCommit || changeBytes+size > MaxChangeBytesPerCommit {
				if !cut {
					listed, cut = slices.Clone(cm.Changes[:i]), true
				}
				continue
			}
			changeBytes += size
			if cut {
				listed = append(listed, ch)
			}
			md.Changes = append(md.Changes, MergedChange{Commit: cm.Commit, Identifier: ch})
		}
		commits = append(commits, ResponseCommit{SHA: cm.Commit, Subject: title,
			Files: cm.Files, Changes: listed})
	}
	// Files the PR touched that the export did not cover (docs, config…)
	// still tell which layers the change spans.
	for _, f := range pr.Files {
		if addPath(f.Path, fileStatus{f.Status, f.OldPath}) {
			if len(m.commits) == 0 {
				md.Additions += f.Additions
				md.Deletions += f.Deletions
			}
			files = append(files, f)
		}
	}
	md.FilesChanged = len(paths)
	md.TestFiles = []string{}
	for _, p := range paths {
		if l := langs.For(p); l != nil && l.IsTestPath(p) {
			md.TestFiles = append(md.TestFiles, p)
		}
	}
	md.ChangeID = dedup.ChangeID(files, changed, patches...)
	md.IdentifierChanges = identCount // all of them, also those past the cap
	md.HasIdentifierData = md.IdentifierChanges > 0

	groups, unclassified := cls.Group(paths)
	for _, g := range groups {
		md.Layers = append(md.Layers, LayerRecord{Layer: g.Layer.ID, Title: g.Layer.Title, Crates: g.Crates, Files: g.Files})
	}
	md.Layers = nonNil(md.Layers)
	md.Unclassified = nonNil(unclassified)

	intent := intents.detect(pr, subjects, paths, md.Layers, md.Changes)
	md.Intent = IntentRecord{FeatureType: intent.FeatureType, Action: intent.Action, Entities: nonNil(intent.Entities)}

	md.Patterns = archmap.DetectPatterns(files, idents, cls, detectors...)
	md.Difficulty = Difficulty(&md)

	var linked []IssueText
	for _, n := range pr.LinkedIssues {
		if is := issues[n]; is != nil {
			linked = append(linked, IssueText{Number: n, Title: is.Title, Body: is.Body})
		}
	}
	base := ResponseData{Title: pr.Title, Intent: md.Intent, Lead: featureLead(md.Intent), Patterns: md.Patterns}
	plan := newResponsePlan(base, md.Layers, md.Unclassified, commits, status, langs)
	resp, tokens, compacted, err := fitResponse(tmpl, plan, budget)
	if err != nil {
		return MergedRecord{}, "", fmt.Errorf("dataset: PR #%d: %w", pr.Number, err)
	}
	md.ResponseTokens = tokens
	prompt := stripOwnNumber(problemStatement(pr.Title, pr.Body, linked, formSet, removed), pr.Number) // a PR never names itself
	return MergedRecord{Prompt: prompt, Response: resp, Metadata: md}, compacted, nil
}

// identsPool holds the buffers of buildMergedRecord's copy of a record's
// identifier changes for the pattern detectors.
var identsPool = sync.Pool{New: func() any { return new([]change.Identifier) }}

// countRecordTokens fills the token counts of a record: the prompt's, and
// the response's again when it changed since it was fitted (redaction).
func countRecordTokens(r *MergedRecord, responseChanged bool) error {
	var err error
	if r.Metadata.PromptTokens, err = CountTokens(r.Prompt); err != nil {
		return err
	}
	if responseChanged {
		r.Metadata.ResponseTokens, err = CountTokens(r.Response)
	}
	return err
}

// mergePaths returns the paths of the commits and of the PRs' file lists.
func mergePaths(prs []github.PR, commits []CommitMetadata) []string {
	paths := metadataPaths(commits)
	for _, pr := range prs {
		for _, f := range pr.Files {
			paths = append(paths, f.Path)
		}
	}
	return paths
}

// looksLikeHyperswitch reports whether paths show juspay/hyperswitch's
// layout (the router crate with core, routes and db, or its model crates).
func looksLikeHyperswitch(paths []string) bool {
	for _, p := range paths {
		switch {
		case strings.HasPrefix(p, "crates/router/src/core/"), strings.HasPrefix(p, "crates/hyperswitch_domain_models/"),
			strings.HasPrefix(p, "crates/diesel_models/"), strings.HasPrefix(p, "crates/storage_models/"):
			return true
		}
	}
	return false
}
