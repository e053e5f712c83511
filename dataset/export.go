package dataset

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/export"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/lang"
	"github.com/sftforge/sftforge/outdir"
)

// ExportOptions configures [Export].
type ExportOptions struct {
	// Dir is the output directory (e.g. "commits_export"). It is replaced
	// as a whole when the export completes; until then it is untouched.
	Dir string
	// Output says what Dir may be (see package outdir): an empty or
	// missing directory, or one an earlier run wrote. The repository is
	// always protected; Export adds it to Output.Inputs.
	Output outdir.Options
	// Walk selects the commits and files; Reverse and KeepContent are set
	// by Export.
	Walk gitlog.WalkOptions
	// Format is the record format of the export files; default FormatSFT.
	Format Format
	// Workers is the number of parsing workers; default runtime.NumCPU().
	// Files are split between workers by path, so each file's versions are
	// parsed incrementally by one worker.
	Workers int
	// Languages chooses each file's differ (the first language whose
	// globs match its path) and, when Walk.Include is empty, which files
	// the walk selects (every language's globs); default
	// DefaultLanguages(). Selected files of no language are listed with no
	// identifier changes.
	Languages lang.Registry
	// Logger receives progress and skip messages; default slog.Default().
	Logger *slog.Logger
	// ResidentBytes bounds the source bytes of the files whose parse trees
	// the workers keep for incremental re-parsing (trees cost a multiple
	// of it); least recently changed files are dropped first and parsed
	// cold when they change again. 0 means DefaultResidentBytes, a
	// negative value means no bound. The output does not depend on it.
	ResidentBytes int64
	// Redactor, when set, removes secrets and e-mail addresses from the
	// prompt and response of every record before it is yielded or written
	// (the one place commit records are redacted).
	Redactor *Redactor
	// OnCommit, when set, is called after each record is written (by
	// [CommitRecords]: after the consumer took it), in order, with the
	// number so far (for progress display).
	OnCommit func(written int, c CommitRecord)
	// ShardPaths, for [ExportShard] only, gives the shard of each path
	// (see export.BalancedShards); other paths go by a hash of the path.
	ShardPaths map[string]int

	// workspace, set by RunPipeline, takes from the export's walk what the
	// workspace and the licence history need (see workspaceWalk), so that
	// the history is walked once.
	workspace *workspaceWalk
}

// SkipParseError is the cause of a skipped file the differ could not parse
// at all, in [ExportStats.SkippedBy] (the engine's [export.SkipParseError]).
const SkipParseError = export.SkipParseError

// DefaultResidentBytes is the default [ExportOptions.ResidentBytes].
const DefaultResidentBytes = export.DefaultResidentBytes

// ExportStats summarises an export.
type ExportStats struct {
	Commits      int // commits seen by the walk
	Records      int // records written (yielded by CommitRecords)
	Files        int // changed files over all records
	Changes      int // identifier changes over all records
	Added        int // identifier changes with op added
	Removed      int // identifier changes with op removed
	Modified     int // identifier changes with op modified
	SkippedFiles int // files not parsed, for any cause in SkippedBy
	CommitErrors int // commits whose tree could not be read
	ParseErrors  int // files parsed with syntax errors (items that parsed still reported)
	// SkippedBy counts the skipped files by cause: gitlog's
	// [gitlog.SkipMissingObject], [gitlog.SkipCorruptObject],
	// [gitlog.SkipBinary], [gitlog.SkipTooLarge], [gitlog.SkipVendored],
	// [gitlog.SkipGenerated], [gitlog.SkipGitattributes], and
	// [SkipParseError].
	SkippedBy map[string]int
	// Boundaries counts the boundary commits of a shallow or grafted
	// history: their records have "boundary": true and no files.
	Boundaries int
	Redactions map[string]int // secrets and e-mail addresses replaced, by rule
	Redacted   int            // records dropped because they were mostly placeholders
	Elapsed    time.Duration  // wall time
	// WalkTime is the wall time spent inside the gitlog walk (tree diffs,
	// blob reads, line counts), excluding waits for the parsers.
	WalkTime time.Duration
	// ParseTime is the time the workers spent in the differs (parse, item
	// extraction, identifier diff), summed over workers.
	ParseTime time.Duration
	// ReadTime is the time workers spent loading blobs the walk had not
	// kept, summed over workers.
	ReadTime time.Duration
}

// SkippedSummary describes the skipped files by cause, for a summary line:
// "4 files skipped (binary 1, missing object 2, too large 1)", or "0 files
// skipped".
func (s ExportStats) SkippedSummary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d files skipped", s.SkippedFiles)
	for i, cause := range slices.Sorted(maps.Keys(s.SkippedBy)) {
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", cause, s.SkippedBy[cause])
	}
	if len(s.SkippedBy) > 0 {
		b.WriteString(")")
	}
	return b.String()
}

// Export walks repo and writes one record per commit with changed selected
// files into opts.Dir, plus index.csv: the records of [CommitRecords],
// written as they come. Commits are processed oldest first; each file's
// versions go to one worker (split by path, renames followed) that keeps
// the file's previous parse tree and re-parses incrementally. The records
// are reassembled in commit order. The output directory is written beside
// it and replaced only when everything has been written (see package
// outdir for what it may replace).
func Export(ctx context.Context, repo *gitlog.Repository, opts ExportOptions) (ExportStats, error) {
	return exportStaged(ctx, repo, opts, nil)
}

// exportStaged is Export, passing each record written to also (when set).
func exportStaged(ctx context.Context, repo *gitlog.Repository, opts ExportOptions, also func(CommitRecord)) (ExportStats, error) {
	start := time.Now()
	if opts.Dir == "" {
		return ExportStats{Redactions: map[string]int{}, SkippedBy: map[string]int{}}, errors.New("dataset: export: no output directory")
	}
	out, err := outdir.Stage(opts.Dir, outputOptions(opts.Output, exportKnown, repoPaths(repo)...))
	if err != nil {
		return ExportStats{Redactions: map[string]int{}, SkippedBy: map[string]int{}}, fmt.Errorf("dataset: export: %w", err)
	}
	defer out.Close()
	stats, err := exportInto(ctx, repo, opts, out.Path(), also)
	if err != nil {
		return stats, err
	}
	if err := out.Commit(); err != nil {
		return stats, fmt.Errorf("dataset: export: %w", err)
	}
	stats.Elapsed = time.Since(start)
	return stats, nil
}

// exportKnown are the names in an export directory, for outdir's Force.
var exportKnown = []string{"index.csv", "[0-9][0-9][0-9][0-9][0-9]*_*.jsonl"}

// outputOptions returns o with inputs added to its Inputs and, unless it
// has some, the known names of an output for Force.
func outputOptions(o outdir.Options, known []string, inputs ...string) outdir.Options {
	o.Inputs = append(slices.Clip(o.Inputs), inputs...)
	if o.Known == nil {
		o.Known = known
	}
	return o
}

// repoPaths are the paths of repo an output must not touch: its git
// directory and, for a work tree, the work tree.
func repoPaths(repo *gitlog.Repository) []string {
	p := repo.Path()
	if filepath.Base(p) == ".git" {
		return []string{p, filepath.Dir(p)}
	}
	return []string{p}
}

// exportInto is Export writing into dir, an existing directory that the
// caller puts in place; each record written is also passed to also (when
// set), so that a caller can keep the records without reading the files
// back.
func exportInto(ctx context.Context, repo *gitlog.Repository, opts ExportOptions, dir string, also func(CommitRecord)) (ExportStats, error) {
	start := time.Now()
	if opts.Format == "" {
		opts.Format = FormatSFT
	}
	if err := opts.Format.Validate(); err != nil {
		return ExportStats{Redactions: map[string]int{}, SkippedBy: map[string]int{}}, fmt.Errorf("dataset: export: %w", err)
	}
	langs := opts.Languages
	if langs == nil {
		langs = DefaultLanguages()
	}
	w, err := newExportWriter(dir, opts.Format, langs.SystemPrompt())
	if err != nil {
		return ExportStats{Redactions: map[string]int{}, SkippedBy: map[string]int{}}, err
	}
	defer w.index.Close()
	stats, err := exportRecords(ctx, repo, opts, func(rec CommitRecord) error {
		if err := w.write(rec); err != nil {
			return err
		}
		if also != nil {
			also(rec)
		}
		return nil
	})
	if err != nil {
		return stats, err
	}
	if err := w.close(); err != nil {
		return stats, err
	}
	stats.Elapsed = time.Since(start)
	return stats, nil
}

// exportWriter writes the files of an export directory: one file per
// record, numbered from 1, and index.csv.
type exportWriter struct {
	dir    string
	format Format
	system string // the system prompt of chat formats
	index  *os.File
	csv    *csv.Writer
	n      int // records written
}

// newExportWriter creates index.csv in dir and writes its header; system
// is the system prompt of the records (the languages' first).
func newExportWriter(dir string, format Format, system string) (*exportWriter, error) {
	index, err := os.OpenFile(filepath.Join(dir, "index.csv"), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("dataset: export: %w", err)
	}
	w := &exportWriter{dir: dir, format: format, system: system, index: index, csv: csv.NewWriter(index)}
	if err := w.csv.Write(indexHeader); err != nil {
		index.Close()
		return nil, fmt.Errorf("dataset: export: write index.csv: %w", err)
	}
	return w, nil
}

// write writes the next record's file and index row.
func (w *exportWriter) write(rec CommitRecord) error {
	w.n++
	if err := writeCommitRecord(w.dir, w.n, rec, w.format, w.system); err != nil {
		return err
	}
	if err := w.csv.Write(indexRow(w.n, rec)); err != nil {
		return fmt.Errorf("dataset: export: write index.csv: %w", err)
	}
	return nil
}

// close flushes and closes index.csv.
func (w *exportWriter) close() error {
	w.csv.Flush()
	if err := w.csv.Error(); err != nil {
		return fmt.Errorf("dataset: export: write index.csv: %w", err)
	}
	if err := w.index.Close(); err != nil {
		return fmt.Errorf("dataset: export: write index.csv: %w", err)
	}
	return nil
}

// errStopRecords is returned by the emit function of [CommitRecords] when
// the consumer stops the iteration early.
var errStopRecords = errors.New("dataset: commit records: iteration stopped")

// CommitRecords walks repo like [Export] and yields its commit records in
// memory, in commit order (oldest first), the very records Export writes:
// diffed, redacted by opts.Redactor when set (records that are mostly
// placeholders are left out), with text coerced to valid UTF-8 as JSON
// writes it. It writes no files: opts.Dir, Output and Format are not used.
// A walk or parse failure is yielded once as the error, and ends the
// sequence. When the sequence ends, whether run to the end or stopped
// early, *stats (when not nil) holds the export's statistics. Each range
// over the sequence runs the export again.
//
// [Export] writes the files from this sequence, and [RunPipeline] merges
// the same records while it writes them, without reading its files back.
func CommitRecords(ctx context.Context, repo *gitlog.Repository, opts ExportOptions, stats *ExportStats) iter.Seq2[CommitRecord, error] {
	return func(yield func(CommitRecord, error) bool) {
		st, err := exportRecords(ctx, repo, opts, func(rec CommitRecord) error {
			if !yield(rec, nil) {
				return errStopRecords
			}
			return nil
		})
		if stats != nil {
			*stats = st
		}
		if err != nil && !errors.Is(err, errStopRecords) {
			yield(CommitRecord{}, err)
		}
	}
}

// exportRecords is the export: it runs the engine (package export) over
// repo and calls emit with each commit's record in commit order, after
// redaction (the one place commit records are redacted) and UTF-8
// coercion. An error from emit stops the export and is returned.
func exportRecords(ctx context.Context, repo *gitlog.Repository, opts ExportOptions, emit func(CommitRecord) error) (ExportStats, error) {
	start := time.Now()
	stats := ExportStats{Redactions: map[string]int{}, SkippedBy: map[string]int{}}
	langs := opts.Languages
	if langs == nil {
		langs = DefaultLanguages()
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	engine := export.Options{Walk: opts.Walk, Workers: opts.Workers, Languages: langs, ResidentBytes: opts.ResidentBytes}
	if ww := opts.workspace; ww != nil {
		// The commits yielded only for these paths reach ww.add, not the
		// records below.
		engine.Walk.Watch = slices.Concat(engine.Walk.Watch, ww.globs)
		engine.Watched = ww.add
	}
	var times export.Times
	written := 0
	for c, err := range export.Commits(ctx, repo, engine, &times) {
		if err != nil {
			return stats, err
		}
		stats.Commits++
		if c.Err != nil {
			stats.CommitErrors++
			log.Warn("commit skipped", "commit", c.ShortHash(), "err", c.Err)
		}
		for _, cause := range c.Skipped {
			if cause != "" {
				stats.SkippedFiles++
				stats.SkippedBy[cause]++
			}
		}
		if c.Boundary {
			stats.Boundaries++
		} else if len(c.Files) == 0 {
			continue
		}
		rec := buildCommitRecord(commitHeader(c.Commit), c.Diffs, diffedPatches(c, langs), langs)
		if opts.Redactor != nil && opts.Redactor.RedactCommitRecord(&rec, stats.Redactions) {
			stats.Redacted++
			continue
		}
		validUTF8Record(&rec)
		written++
		stats.Records++
		stats.Files += len(rec.Metadata.Files)
		for _, ch := range rec.Metadata.Changes {
			stats.Changes++
			switch ch.Op {
			case change.OpAdded:
				stats.Added++
			case change.OpRemoved:
				stats.Removed++
			case change.OpModified:
				stats.Modified++
			}
		}
		for i, d := range c.Diffs {
			if c.Skipped[i] == "" && len(d.Errors) > 0 {
				stats.ParseErrors++
			}
		}
		if err := emit(rec); err != nil {
			return stats, err
		}
		if opts.OnCommit != nil {
			opts.OnCommit(written, rec)
		}
	}
	stats.Elapsed = time.Since(start)
	stats.WalkTime = times.Walk
	stats.ParseTime = times.Parse
	stats.ReadTime = times.Read
	return stats, nil
}

// commitHeader returns the metadata of a commit before its files are
// diffed: everything but Changes, ParseErrors and ChangesOmitted.
func commitHeader(c *gitlog.Commit) CommitMetadata {
	md := CommitMetadata{
		Commit:      c.Hash,
		Parents:     nonNil(c.Parents),
		Author:      c.Author.Name,
		MergeAuthor: c.MergeAuthor.Name,
		Date:        commitDate(c.Author.When),
		Subject:     c.Subject,
		Body:        c.Body,
		PRNumber:    c.PRNumber,
		Files:       make([]change.File, 0, len(c.Files)),
		Boundary:    c.Boundary,
	}
	for _, f := range c.Files {
		md.Files = append(md.Files, f.File)
	}
	return md
}

// buildCommitRecord assembles the record of one commit from its header
// (see commitHeader) and its files' diffs and patch hashes (parallel to
// md.Files).
func buildCommitRecord(md CommitMetadata, diffs []lang.FileDiff, patches []uint64, langs lang.Registry) CommitRecord {
	md.Files = nonNil(md.Files)
	md.PatchID = commitPatchID(md.Files, patches)
	// The changes are kept for the whole merge (RunPipeline): allocate
	// what is listed, not what append's doubling would leave spare.
	listed := 0
	for i := range md.Files {
		listed += min(len(diffs[i].Changes), MaxChangesPerFile)
	}
	md.Changes = make([]change.Identifier, 0, min(listed, MaxChangesPerCommit))
	md.ParseErrors = []change.ParseError{}
	md.ChangesOmitted = 0
	changeBytes := 0
	for i, f := range md.Files {
		for j, ch := range diffs[i].Changes {
			size := changeSize(ch)
			if j >= MaxChangesPerFile || len(md.Changes) >= MaxChangesPerCommit || changeBytes+size > MaxChangeBytesPerCommit {
				md.ChangesOmitted++
				continue
			}
			changeBytes += size
			md.Changes = append(md.Changes, ch)
		}
		errs := diffs[i].Errors
		if n := len(errs); n > MaxParseErrorsPerFile {
			md.ParseErrors = append(md.ParseErrors, errs[:MaxParseErrorsPerFile]...)
			md.ParseErrors = append(md.ParseErrors, change.ParseError{File: f.Path,
				Message: fmt.Sprintf("%d more parse errors not listed (at most %d per file)", n-MaxParseErrorsPerFile, MaxParseErrorsPerFile)})
		} else {
			md.ParseErrors = append(md.ParseErrors, errs...)
		}
	}
	response := renderCommitResponse(md.Files, md.Changes, langs)
	if md.ChangesOmitted > 0 {
		response += fmt.Sprintf("\n\n(%d more identifier changes not listed)", md.ChangesOmitted)
	}
	return CommitRecord{
		Prompt:   CommitPrompt(md.Subject, md.Body),
		Response: response,
		Metadata: md,
	}
}

// Bounds of one commit record, so that a runaway input (a generated file
// of 100,000 functions, identifiers megabytes long, thousands of syntax
// errors) cannot make a record, or the merged records built from it,
// grow without bound. They are a safety cap on bytes, well above real
// commits (of hyperswitch's newest 2,000 commits, the largest record lists
// 1,991 changes in 345 KB, at most 1,041 in one file and 21 parse errors
// in one file); compacting responses to a token budget is the merge's job. The
// changes left out are counted in CommitMetadata.ChangesOmitted and
// mentioned at the end of the response.
const (
	// MaxChangesPerFile is the most identifier changes listed per file.
	MaxChangesPerFile = 5000
	// MaxChangesPerCommit is the most identifier changes listed per commit.
	MaxChangesPerCommit = 20000
	// MaxChangeBytesPerCommit bounds the bytes of the listed changes'
	// names, owners, cfg and detail in one commit.
	MaxChangeBytesPerCommit = 4 << 20
	// MaxParseErrorsPerFile is the most parse errors listed per file; one
	// more entry counts the rest.
	MaxParseErrorsPerFile = 100
)

// changeSize is the bytes a change adds to a record, roughly.
func changeSize(c change.Identifier) int {
	n := len(c.File) + len(c.Name) + len(c.Owner) + len(c.Kind) + len(c.Op) + len(c.Visibility) + 64
	for _, s := range c.Cfg {
		n += len(s) + 3
	}
	for _, s := range c.Detail {
		n += len(s) + 3
	}
	return n
}

// commitDate formats a commit's date as RFC 3339 in UTC, or returns ""
// when the date is unknown: git accepts timestamps that go-git cannot
// parse (they come back as the zero time, which would read 0001-01-01) and
// years RFC 3339 cannot write (before 1 or after 9999). An empty date is
// explicit; a made-up one would sort the commit wrongly.
func commitDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	if y := t.Year(); y < 1 || y > 9999 {
		return ""
	}
	return t.Format(time.RFC3339)
}

// csvText returns s for a text column of index.csv: control characters
// (U+0000 to U+001F, U+007F; a NUL byte in a subject, an escape sequence)
// and invalid UTF-8 become U+FFFD, so that every CSV reader sees one
// printable line per row. The JSONL records keep the text as it is (JSON
// escapes it).
func csvText(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, string(utf8.RuneError)))
}

// indexHeader is the header row of index.csv.
var indexHeader = []string{"index", "sha", "date", "author", "subject", "pr_number", "files",
	"additions", "deletions", "identifiers_added", "identifiers_removed", "identifiers_modified", "file"}

// ExportFileName returns the name of the n-th (1-based) record file of an
// export: NNNNN_<sha8>_<sha>.jsonl.
func ExportFileName(n int, sha string) string {
	short := sha
	if len(short) > 8 {
		short = short[:8]
	}
	return fmt.Sprintf("%05d_%s_%s.jsonl", n, short, sha)
}

func indexRow(n int, rec CommitRecord) []string {
	md := rec.Metadata
	var add, del, ia, ir, im int
	for _, f := range md.Files {
		add += f.Additions
		del += f.Deletions
	}
	for _, c := range md.Changes {
		switch c.Op {
		case change.OpAdded:
			ia++
		case change.OpRemoved:
			ir++
		case change.OpModified:
			im++
		}
	}
	pr := ""
	if md.PRNumber > 0 {
		pr = strconv.Itoa(md.PRNumber)
	}
	return []string{strconv.Itoa(n), md.Commit, md.Date, csvText(md.Author), csvText(md.Subject), pr,
		strconv.Itoa(len(md.Files)), strconv.Itoa(add), strconv.Itoa(del),
		strconv.Itoa(ia), strconv.Itoa(ir), strconv.Itoa(im), ExportFileName(n, md.Commit)}
}

// writeCommitRecord writes record n into dir, with system as the system
// prompt of chat formats.
func writeCommitRecord(dir string, n int, rec CommitRecord, format Format, system string) error {
	line, err := format.Encode(system, rec.Prompt, rec.Response, rec.Metadata)
	if err != nil {
		return fmt.Errorf("dataset: export: commit %s: %w", rec.Metadata.Commit[:8], err)
	}
	name := ExportFileName(n, rec.Metadata.Commit)
	if err := os.WriteFile(filepath.Join(dir, name), append(line, '\n'), 0o644); err != nil {
		return fmt.Errorf("dataset: export: %w", err)
	}
	return nil
}

// anyFormatLine holds a record line of any [Format].
type anyFormatLine struct {
	Prompt     *string        `json:"prompt"`
	Response   *string        `json:"response"`
	Completion *string        `json:"completion"`
	Messages   []Message      `json:"messages"`
	Input      *string        `json:"input"`
	Output     *string        `json:"output"`
	Metadata   CommitMetadata `json:"metadata"`
}

// commitRecord recovers the prompt and response of a line in any format.
func (l anyFormatLine) commitRecord() (CommitRecord, bool) {
	rec := CommitRecord{Metadata: l.Metadata}
	switch {
	case l.Prompt != nil && l.Response != nil:
		rec.Prompt, rec.Response = *l.Prompt, *l.Response
	case l.Prompt != nil && l.Completion != nil:
		rec.Prompt, rec.Response = *l.Prompt, *l.Completion
	case l.Input != nil && l.Output != nil:
		rec.Prompt, rec.Response = *l.Input, *l.Output
	case len(l.Messages) > 0:
		for _, m := range l.Messages {
			switch m.Role {
			case "user":
				rec.Prompt = m.Content
			case "assistant":
				rec.Response = m.Content
			}
		}
	default:
		return rec, false
	}
	return rec, true
}

// ReadCommitExport reads every record file of an export directory, in
// index order (record 100000 and later too: the number grows past five
// digits). Records of any [Format] are read back as [CommitRecord]. It is
// for an export on disk (the merge binary); [RunPipeline] takes the
// records from memory. index.csv must be there (an export is written
// whole, index included) and list as many records as there are record
// files; otherwise the directory is not a complete export and the error
// wraps [ErrIncomplete].
func ReadCommitExport(dir string) ([]CommitRecord, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("dataset: read commit export: %w", err)
	}
	names, err := exportRecordFiles(dir)
	if err != nil {
		return nil, err
	}
	indexPath := filepath.Join(dir, "index.csv")
	index, err := os.ReadFile(indexPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("dataset: read commit export: %s: no index.csv: not a complete commit export (run generate again): %w", dir, ErrIncomplete)
	}
	if err != nil {
		return nil, fmt.Errorf("dataset: read commit export: %w", err)
	}
	rows, err := csv.NewReader(bytes.NewReader(index)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("dataset: read commit export: %s: %w", indexPath, err)
	}
	if len(rows) == 0 || len(rows)-1 != len(names) {
		return nil, fmt.Errorf("dataset: read commit export: %s lists %d records, %s holds %d record files: not a complete commit export (run generate again): %w",
			indexPath, max(len(rows)-1, 0), dir, len(names), ErrIncomplete)
	}
	recs := make([]CommitRecord, 0, len(names))
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("dataset: read commit export: %w", err)
		}
		var line anyFormatLine
		if err := json.Unmarshal(b, &line); err != nil {
			return nil, fmt.Errorf("dataset: read commit export: %s:1: %w", name, err)
		}
		rec, ok := line.commitRecord()
		if !ok || rec.Metadata.Commit == "" {
			return nil, fmt.Errorf("dataset: read commit export: %s:1: not a commit record (no prompt, response or metadata.commit)", name)
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// exportRecordFiles returns the paths of the record files in dir
// (NNNNN_<sha8>_<sha>.jsonl, five digits or more), in record order.
func exportRecordFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil // the caller reports the missing directory
		}
		return nil, fmt.Errorf("dataset: read commit export: %w", err)
	}
	type numbered struct {
		n    int
		name string
	}
	var files []numbered
	for _, e := range entries {
		name := e.Name()
		digits, _, ok := strings.Cut(name, "_")
		if !ok || len(digits) < 5 || !strings.HasSuffix(name, ".jsonl") || e.IsDir() {
			continue
		}
		n, err := strconv.Atoi(digits)
		if err != nil || n < 0 || strings.TrimLeft(digits, "0123456789") != "" {
			continue
		}
		files = append(files, numbered{n, name})
	}
	slices.SortFunc(files, func(a, b numbered) int {
		if a.n != b.n {
			return a.n - b.n
		}
		return strings.Compare(a.name, b.name)
	})
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = filepath.Join(dir, f.name)
	}
	return names, nil
}

// diffedPatches returns the patch hash (gitlog.FileChange.PatchHash) of
// each file of c that a differ compared (a language's file, not skipped,
// owned by the shard), 0 for the others: the same files whatever the
// number of shards.
func diffedPatches(c *export.Commit, langs lang.Registry) []uint64 {
	patches := make([]uint64, len(c.Files))
	for i := range c.Files {
		if c.Skipped[i] == "" && langs.For(c.Files[i].Path) != nil && (c.Owned == nil || c.Owned[i]) {
			patches[i] = c.Files[i].PatchHash
		}
	}
	return patches
}

// commitPatchID is [CommitMetadata.PatchID]: a hash of the paths and
// patch hashes of the files that were diffed, "" when none was.
func commitPatchID(files []change.File, patches []uint64) string {
	h := sha256.New()
	n := 0
	for i, f := range files {
		if i < len(patches) && patches[i] != 0 {
			fmt.Fprintf(h, "%s\x00%016x\n", f.Path, patches[i])
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
