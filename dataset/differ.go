package dataset

import (
	"path"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/linediff"
	"github.com/sftforge/sftforge/rustparse"
)

// A FileDiffer follows one source file through its successive versions and
// reports the identifier changes between consecutive versions. The commit
// export gives every file path its own FileDiffer and feeds it versions in
// history order, so an implementation can keep incremental parsing state.
// A FileDiffer is used by one goroutine at a time.
type FileDiffer interface {
	// Next feeds the file's next version (nil for a deleted file) and
	// returns the changes relative to the version fed before it (an empty
	// file before the first call). The File field of the returned records
	// is left empty; the caller fills it in.
	Next(src []byte) (FileDiff, error)
	// Close releases the differ's resources.
	Close()
}

// A HunkDiffer is a [FileDiffer] that can take the line diff from the
// version fed before to the next one, which the commit walker has already
// computed ([gitlog.FileChange.Hunks]), instead of diffing the versions
// again. The export uses NextHunks whenever the walker's diff is at hand.
type HunkDiffer interface {
	FileDiffer
	// NextHunks is Next for a caller that knows the line diff from the
	// previous version to src. An implementation must not trust hunks
	// blindly: a diff that does not match the versions must not change
	// the result.
	NextHunks(src []byte, hunks []linediff.Hunk) (FileDiff, error)
}

// FileDiff is the result of one [FileDiffer.Next] call.
type FileDiff struct {
	// Changes are the identifier changes, in a deterministic order.
	Changes []change.Identifier
	// Errors are syntax errors in the new version; the changes of the items
	// that parsed are still reported.
	Errors []ParseErrorRecord
}

// Languages maps a file extension (with its dot, e.g. ".rs") to a
// constructor of the [FileDiffer] for that language. A second language is
// added to the export by adding an entry; nothing else changes.
type Languages map[string]func() FileDiffer

// DefaultLanguages returns the differs sftforge ships: Rust.
func DefaultLanguages() Languages {
	return Languages{".rs": NewRustDiffer}
}

// differFor returns the constructor for p's extension, or nil.
func (l Languages) differFor(p string) func() FileDiffer {
	return l[path.Ext(p)]
}

// rustDiffer adapts a rustparse.Tracker to [FileDiffer].
type rustDiffer struct {
	tracker *rustparse.Tracker
	prev    *rustparse.File
}

// NewRustDiffer returns a [FileDiffer] for Rust source files, built on an
// incremental rustparse.Tracker.
func NewRustDiffer() FileDiffer {
	return &rustDiffer{tracker: rustparse.NewTracker()}
}

func (d *rustDiffer) Next(src []byte) (FileDiff, error) { return d.next(src, nil, false) }

func (d *rustDiffer) NextHunks(src []byte, hunks []linediff.Hunk) (FileDiff, error) {
	return d.next(src, hunks, true)
}

func (d *rustDiffer) next(src []byte, hunks []linediff.Hunk, haveHunks bool) (FileDiff, error) {
	var next *rustparse.File
	if src == nil {
		d.tracker.Reset()
	} else {
		var err error
		if haveHunks {
			next, err = d.tracker.UpdateHunks(src, hunks)
		} else {
			next, err = d.tracker.Update(src)
		}
		if err != nil {
			return FileDiff{}, err
		}
	}
	out := rustFileDiff(d.prev, next)
	d.prev = next
	return out, nil
}

// rustFileDiff is the FileDiff from prev to next (nil: no file).
func rustFileDiff(prev, next *rustparse.File) FileDiff {
	var out FileDiff
	if next != nil {
		for _, e := range next.Errors {
			out.Errors = append(out.Errors, ParseErrorRecord{Line: e.Line, Message: e.Message})
		}
	}
	for _, c := range rustparse.Diff(prev, next) {
		c.Cfg, c.Detail = nonNil(c.Cfg), nonNil(c.Detail)
		c.Line = 0 // records do not keep it: equal to a record read back
		out.Changes = append(out.Changes, c)
	}
	return out
}

// Release frees the parse tree and keeps the last items.
func (d *rustDiffer) Release() { d.tracker.Release() }

func (d *rustDiffer) Close() {
	d.tracker.Close()
	d.prev = nil
}

// nonNil returns s, or an empty slice for nil, so that JSON has [] not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
