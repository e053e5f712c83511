package gitlog

import (
	"fmt"
	"runtime"
	"time"

	"github.com/bmatcuk/doublestar/v4"
)

// Defaults of [WalkOptions].
const (
	DefaultMaxBlobSize = 2 << 20
	DefaultRenameLimit = 400
)

// WalkOptions select the commits and files of a walk. The zero value walks
// the first-parent history of HEAD and reports every changed file.
type WalkOptions struct {
	// Rev is where the walk starts: a branch, tag, hash or any revision
	// go-git resolves ("HEAD~10"); default "HEAD".
	Rev string
	// AllParents walks every ancestor (newest committer date first) instead
	// of following first parents only. Either way a commit is compared with
	// its first parent.
	AllParents bool
	// MaxCommits keeps the newest N commits of the walk that pass Since,
	// Until and SkipMerges, before any path filtering: like `git log -n N`
	// without a pathspec, so on a first-parent walk it covers HEAD~N..HEAD.
	// 0 = no limit.
	MaxCommits int
	// Since and Until bound the committer date (inclusive); zero = unbounded.
	// As in git, the walk stops after five commits in a row older than
	// Since, so a few commits with skewed clocks do not end it early.
	Since, Until time.Time
	// Include and Exclude are doublestar globs on repo-relative paths
	// ("crates/**/*.rs"); a file is selected when it matches an Include and
	// no Exclude. An empty Include selects every path, as git log does
	// without a pathspec (the commit export passes its languages' globs).
	Include, Exclude []string
	// SkipMerges leaves out commits with more than one parent.
	SkipMerges bool
	// MinChangedLines leaves out commits whose selected files change fewer
	// lines (additions plus deletions) than this.
	MinChangedLines int
	// KeepEmpty also yields commits without any selected changed file
	// (default: they are left out, like `git log -- <paths>` does). Commits
	// with an error are always yielded.
	KeepEmpty bool
	// KeepVendored keeps vendored and generated files (see the package
	// documentation); by default they are listed with Skipped set
	// (SkipVendored, SkipGenerated or SkipGitattributes) and their
	// contents not parsed.
	KeepVendored bool
	// MaxBlobSize is the largest blob loaded, in bytes; larger files are
	// listed with Skipped "too large" and no line counts. 0 means
	// DefaultMaxBlobSize; negative means no limit.
	MaxBlobSize int64
	// Reverse yields the oldest commit first (what an incremental consumer
	// wants); the selection (MaxCommits) is the same.
	Reverse bool
	// Workers is the number of commits diffed in parallel; default
	// runtime.NumCPU().
	Workers int
	// DetectRenames pairs deleted and added files into renames (exact blob
	// matches, then content similarity of at least 50% like git's -M).
	// Default off: every path is added, modified or deleted, as with
	// `git log --no-renames`. Turn it on when a moved file should not read
	// as a whole-file deletion plus addition.
	DetectRenames bool
	// RenameLimit bounds the similarity pass: it runs only when
	// deleted×added files of a commit is at most RenameLimit² (exact
	// matches are always paired). 0 means DefaultRenameLimit.
	RenameLimit int
	// KeepContent keeps both blob contents in each FileChange for the
	// consumer (see FileChange.NewContent), so they are not read twice.
	// Default off: contents are dropped once lines are counted and read
	// again, from a cache when recent, on demand.
	KeepContent bool
	// LoadFilter, when set, says which selected files have their blobs
	// read: the others are listed (path, status, hashes, modes and the
	// path-based skip rules) without reading either blob, so they have no
	// line counts, no Hunks and no content checks (size, binary,
	// generated). A consumer that handles only some paths (one shard of a
	// distributed export) sets it to skip the blob reads and line diffs of
	// the others. It is ignored when DetectRenames is on or
	// MinChangedLines is set, which need every file's contents.
	LoadFilter func(path string) bool
	// Watch are doublestar globs of paths whose changes the consumer wants
	// to know of without their contents, whether the paths are selected
	// (Include, Exclude) or not: each yielded commit lists its changed
	// paths that match one in [Commit.Watched] (and the deleted ones in
	// [Commit.WatchedDeleted]), from the same tree diff, no blob read. A
	// commit the walk would leave out (no selected file, or fewer changed
	// lines than MinChangedLines) is yielded all the same when it changes
	// a watched path, with [Commit.WatchOnly] set and no Files, so one
	// walk serves both: the commit export and, say, the commits that
	// change a manifest or a licence file. Watch does not change which
	// commits are walked (Rev, MaxCommits, Since, Until, AllParents,
	// SkipMerges select them as always).
	Watch []string
}

// Validate reports the first invalid option: negative counts, Since after
// Until or a malformed glob.
func (o *WalkOptions) Validate() error {
	switch {
	case o.MaxCommits < 0:
		return fmt.Errorf("gitlog: MaxCommits is %d, want >= 0", o.MaxCommits)
	case o.MinChangedLines < 0:
		return fmt.Errorf("gitlog: MinChangedLines is %d, want >= 0", o.MinChangedLines)
	case o.Workers < 0:
		return fmt.Errorf("gitlog: Workers is %d, want >= 0", o.Workers)
	case o.RenameLimit < 0:
		return fmt.Errorf("gitlog: RenameLimit is %d, want >= 0", o.RenameLimit)
	case !o.Since.IsZero() && !o.Until.IsZero() && o.Since.After(o.Until):
		return fmt.Errorf("gitlog: Since (%s) is after Until (%s)", o.Since.Format(time.RFC3339), o.Until.Format(time.RFC3339))
	}
	for _, set := range []struct {
		name     string
		patterns []string
	}{{"Include", o.Include}, {"Exclude", o.Exclude}, {"Watch", o.Watch}} {
		for _, p := range set.patterns {
			if p == "" {
				return fmt.Errorf("gitlog: %s has an empty glob", set.name)
			}
			if !doublestar.ValidatePattern(p) {
				return fmt.Errorf("gitlog: %s glob %q is malformed", set.name, p)
			}
		}
	}
	return nil
}

// withDefaults returns a copy with the defaults filled in.
func (o WalkOptions) withDefaults() WalkOptions {
	if o.Rev == "" {
		o.Rev = "HEAD"
	}
	if len(o.Include) == 0 {
		o.Include = []string{"**"}
	}
	if o.MaxBlobSize == 0 {
		o.MaxBlobSize = DefaultMaxBlobSize
	}
	if o.Workers == 0 {
		o.Workers = runtime.NumCPU()
	}
	if o.RenameLimit == 0 {
		o.RenameLimit = DefaultRenameLimit
	}
	return o
}

// selects reports whether a repo-relative path is selected by the globs.
func (o *WalkOptions) selects(path string) bool {
	return matchAny(o.Include, path) && !matchAny(o.Exclude, path)
}

// watches reports whether a repo-relative path matches a Watch glob.
func (o *WalkOptions) watches(path string) bool {
	return matchAny(o.Watch, path)
}

func matchAny(patterns []string, path string) bool {
	for _, p := range patterns {
		if ok, _ := doublestar.Match(p, path); ok {
			return true
		}
	}
	return false
}
