package cli

import (
	flag "github.com/spf13/pflag"

	"github.com/sftforge/sftforge/gitlog"
)

// HistoryFlags say which history is read and which of its commits: the
// flags of every binary that walks a repository (sftforge, generate, the
// Beam pipeline). The JSON names are the Beam pipeline's encoding.
type HistoryFlags struct {
	// CacheDir is where URLs are cloned (--cache-dir; default the user
	// cache directory).
	CacheDir string `json:"cache_dir,omitempty"`
	// Rev is the revision the walk starts from (--rev, default HEAD).
	Rev string `json:"rev,omitempty"`
	// MaxCommits keeps the newest N commits of the walk (-n,
	// --max-commits; 0 = all).
	MaxCommits int `json:"max_commits,omitempty"`
	// Since keeps commits at or after a date (--since; YYYY-MM-DD or RFC
	// 3339).
	Since string `json:"since,omitempty"`
	// MinChangedLines leaves out commits that change fewer lines of the
	// selected files (-m, --min-lines).
	MinChangedLines int `json:"min_changed_lines,omitempty"`
}

// AddFlags registers --cache-dir, --rev, -n/--max-commits, --since and
// -m/--min-lines on fs.
func (h *HistoryFlags) AddFlags(fs *flag.FlagSet) {
	fs.StringVar(&h.CacheDir, "cache-dir", "", "where URLs are cloned (default: user cache dir/sftforge)")
	fs.StringVar(&h.Rev, "rev", "HEAD", "revision the history walk starts from")
	fs.IntVarP(&h.MaxCommits, "max-commits", "n", 0, "newest N commits of the walk, like git log -n (0 = all)")
	fs.StringVar(&h.Since, "since", "", "only commits at or after this date (YYYY-MM-DD or RFC 3339)")
	fs.IntVarP(&h.MinChangedLines, "min-lines", "m", 0, "leave out commits that change fewer lines of the selected files")
}

// Walk returns the walk options the flags say, or a [UsageError]: a
// negative count, a date that is neither YYYY-MM-DD nor RFC 3339.
func (h *HistoryFlags) Walk() (gitlog.WalkOptions, error) {
	w := gitlog.WalkOptions{Rev: h.Rev, MaxCommits: h.MaxCommits, MinChangedLines: h.MinChangedLines}
	if h.MaxCommits < 0 {
		return w, Usagef("--max-commits %d: want 0 or more", h.MaxCommits)
	}
	if h.MinChangedLines < 0 {
		return w, Usagef("--min-lines %d: want 0 or more", h.MinChangedLines)
	}
	since, err := ParseDate(h.Since)
	if err != nil {
		return w, Usagef("--since %w", err)
	}
	w.Since = since
	return w, nil
}

// PipelineFlags are the flags of the whole pipeline, shared by sftforge
// and the Beam pipeline with the same defaults: the history, whether
// commits without a PR become records (offline), and the dataset flags.
// Embedded in the Beam pipeline's configuration, it is encoded as JSON.
type PipelineFlags struct {
	HistoryFlags
	// CommitsAsPRs makes commits without a PR number records of their own
	// when PRs are derived from the history (--commits-as-prs, default
	// true).
	CommitsAsPRs bool `json:"commits_as_prs"`
	// Dataset holds the filters, split, format, rules and redaction
	// settings.
	Dataset DatasetFlags `json:"dataset"`
}

// DefaultCommitsAsPRs is the default of --commits-as-prs: offline, a
// commit without a PR number (a direct push) is a record of its own.
const DefaultCommitsAsPRs = true

// AddFlags registers the history flags, --commits-as-prs and the dataset
// flags on fs.
func (p *PipelineFlags) AddFlags(fs *flag.FlagSet) {
	p.HistoryFlags.AddFlags(fs)
	fs.BoolVar(&p.CommitsAsPRs, "commits-as-prs", DefaultCommitsAsPRs,
		"offline: commits without a PR number become records of their own (--commits-as-prs=false: only commits naming a PR)")
	p.Dataset.AddFlags(fs)
}

// Validate checks the flags before any input is read: the history flags
// and the dataset flags (see [DatasetFlags.Validate]).
func (p *PipelineFlags) Validate() error {
	if _, err := p.Walk(); err != nil {
		return err
	}
	return p.Dataset.Validate()
}

// DefaultPipelineFlags returns the flags with their defaults, as parsing
// an empty command line sets them.
func DefaultPipelineFlags() PipelineFlags {
	var p PipelineFlags
	fs := flag.NewFlagSet("defaults", flag.ContinueOnError)
	p.AddFlags(fs)
	if err := fs.Parse(nil); err != nil {
		panic(err)
	}
	return p
}
