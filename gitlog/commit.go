package gitlog

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/linediff"
)

// Signature is the author or committer of a commit.
type Signature struct {
	Name, Email string
	When        time.Time
}

// Commit is one commit of the walk with the selected files it changed.
type Commit struct {
	// Hash is the commit's 40-character hex SHA-1.
	Hash string
	// Parents are the hex hashes of all parents, first parent first.
	Parents []string
	// Author and Committer are copied from the commit object.
	Author, Committer Signature
	// MergeAuthor is, for a merge commit, the author of its second parent:
	// the author of the merged branch (a pull request's own changes), where
	// Author is whoever or whatever merged it (a maintainer, a merge queue
	// such as bors). Zero for other commits, or when that parent is missing.
	MergeAuthor Signature
	// Subject is the first line of the message; Body is the rest, trimmed.
	Subject, Body string
	// Message is the whole message as stored in the commit object.
	Message string
	// PRNumber is the pull request number found by [ParsePRNumber], or 0.
	PRNumber int
	// Files are the selected changed files, sorted by path. A commit is
	// compared with its first parent (a root commit with the empty tree).
	Files []FileChange
	// Boundary is true for a commit at the edge of an incomplete history:
	// listed in the shallow file of a shallow clone (`git clone --depth`)
	// or in info/grafts. Its parents are not in the repository, so what it
	// changed is unknown: Files is empty, and it is not compared with the
	// empty tree as if it were a root commit. Boundary commits are always
	// yielded.
	Boundary bool
	// Watched are the changed paths (added, modified or deleted, renames
	// as a deletion and an addition) that match [WalkOptions.Watch], in
	// path order, selected or not; WatchedDeleted are those of them the
	// commit deletes. Their blobs are not read. Both are empty for a
	// boundary commit and a commit with Err.
	Watched, WatchedDeleted []string
	// WatchOnly is true for a commit the walk yields only because it
	// changes a watched path: without Watch it would have been left out
	// (no selected file, or fewer changed lines than MinChangedLines). Its
	// Files are nil; a consumer of the selected commits skips it.
	WatchOnly bool
	// Err reports a commit-level problem (a missing or corrupt tree or
	// parent): Files is then empty or partial and the walk goes on.
	Err error
}

// ShortHash returns the first 8 characters of the commit hash.
func (c *Commit) ShortHash() string { return shortHash(c.Hash) }

// Additions returns the lines added over all files that were counted.
func (c *Commit) Additions() int {
	n := 0
	for i := range c.Files {
		n += c.Files[i].Additions
	}
	return n
}

// Deletions returns the lines deleted over all files that were counted.
func (c *Commit) Deletions() int {
	n := 0
	for i := range c.Files {
		n += c.Files[i].Deletions
	}
	return n
}

// FileErrors returns how many files carry an error (a missing or corrupt
// blob); the commit export counts them as skips.
func (c *Commit) FileErrors() int {
	n := 0
	for i := range c.Files {
		if c.Files[i].Err != nil {
			n++
		}
	}
	return n
}

// Reasons found in [FileChange.Skipped], and the causes [SkipCause]
// reports.
const (
	SkipTooLarge  = "too large"
	SkipVendored  = "vendored"
	SkipGenerated = "generated"
	// SkipBinary, SkipMissingObject and SkipCorruptObject are only
	// returned by [SkipCause] and [ObjectErrorCause]: a binary file has
	// Binary set, an unreadable one has Err set.
	SkipBinary        = "binary"
	SkipMissingObject = "missing object"
	SkipCorruptObject = "corrupt object"
	// SkipGitattributes: the repository's .gitattributes marks the file
	// linguist-vendored or linguist-generated.
	SkipGitattributes = "gitattributes"
)

// SkipCause says why a file's contents cannot be compared: Skipped when
// set, [SkipMissingObject] or [SkipCorruptObject] when a blob could not be
// read, [SkipBinary] for a binary file, or "" when it can be compared.
func (f *FileChange) SkipCause() string {
	switch {
	case f.Err != nil:
		return ObjectErrorCause(f.Err)
	case f.Skipped != "":
		return f.Skipped
	case f.Binary:
		return SkipBinary
	}
	return ""
}

// ObjectErrorCause classifies an error from reading an object of the
// repository (a FileChange's Err, or an error of OldContent, NewContent or
// [Repository.Blob]): [SkipMissingObject] when the object is not in the
// repository, [SkipCorruptObject] otherwise.
func ObjectErrorCause(err error) string {
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return SkipMissingObject
	}
	return SkipCorruptObject
}

// FileChange is one changed file of a commit.
//
// Line counts need both blob contents, so the walker loads them; with
// [WalkOptions.KeepContent] it keeps them in the FileChange so that a
// consumer (a parser) does not read them again. OldContent and NewContent
// return the kept contents or load them on demand; ReleaseContent drops them.
// The methods of one FileChange must not be called concurrently.
type FileChange struct {
	// File is the path after the change (for a deletion the deleted path),
	// the path before a rename, the status (added, modified, deleted or
	// renamed; a change of type, file to symlink, is modified; a file
	// replaced by a directory of the same name is a deletion plus
	// additions, as in git) and the line counts: Additions and Deletions
	// are the added and deleted lines, as `git log --numstat` counts them;
	// 0 for binary or skipped files.
	change.File
	// OldHash and NewHash are the hex blob hashes, "" when absent.
	OldHash, NewHash string
	// OldMode and NewMode are the git file modes (0o100644, 0o100755,
	// 0o120000 for a symlink), 0 when absent.
	OldMode, NewMode uint32
	// Hunks is the line diff behind Additions and Deletions: the runs of
	// changed lines from the old to the new contents, in whole-file
	// 0-based line numbers (an added file is one hunk of all its lines).
	// It lets a consumer that follows the file's versions, such as an
	// incremental parser, skip diffing them again. Nil when nothing was
	// compared (binary, skipped or unreadable files) or no line changed.
	Hunks []linediff.Hunk
	// PatchHash identifies the change of the file's lines the way `git
	// patch-id` does, independent of where the lines are: a hash of the
	// removed and added lines of every hunk, in order, with all white
	// space removed and without line numbers (a cherry-pick onto shifted
	// lines has the same hash, a revert another). 0 when the contents were
	// not compared (binary, skipped, unloaded or unreadable files).
	PatchHash uint64
	// Binary is true when either side has a NUL byte in its first 8,000
	// bytes (git's rule); binary files have no line counts.
	Binary bool
	// Skipped is why the contents were not loaded: [SkipTooLarge],
	// [SkipVendored], [SkipGenerated] or [SkipGitattributes]; "" when they
	// were.
	Skipped string
	// Err is a problem reading this file's blobs (a missing or corrupt
	// object); the rest of the commit is unaffected.
	Err error

	repo                   *Repository
	gitHunks               bool // Hunks are git's (Repository.Diff), as WritePatch prints them
	oldContent, newContent []byte
	oldLoaded, newLoaded   bool
	unloaded               bool // refused by WalkOptions.LoadFilter: no counts, no checks
}

// OldContent returns the contents before the change: nil for an added file,
// the kept bytes when the walker kept them, else the blob read on demand.
// The bytes may be shared with the repository's caches: do not modify them.
func (f *FileChange) OldContent() ([]byte, error) {
	return f.content(f.OldHash, &f.oldContent, &f.oldLoaded)
}

// NewContent returns the contents after the change: nil for a deleted file,
// the kept bytes when the walker kept them, else the blob read on demand.
func (f *FileChange) NewContent() ([]byte, error) {
	return f.content(f.NewHash, &f.newContent, &f.newLoaded)
}

// ReleaseContent drops kept contents so their memory can be reclaimed; later
// calls to OldContent and NewContent read the blobs again.
func (f *FileChange) ReleaseContent() {
	f.oldContent, f.newContent = nil, nil
	f.oldLoaded, f.newLoaded = false, false
}

func (f *FileChange) content(hash string, kept *[]byte, loaded *bool) ([]byte, error) {
	if hash == "" {
		return nil, nil
	}
	if *loaded {
		return *kept, nil
	}
	if f.repo == nil {
		return nil, fmt.Errorf("gitlog: read blob %s: blob %s: no repository to read from", f.Path, shortHash(hash))
	}
	h, err := parseHash(hash)
	if err != nil {
		return nil, fmt.Errorf("gitlog: read blob %s: %q: %w", f.Path, hash, err)
	}
	b, err := f.repo.readBlob(h, 0)
	if err != nil {
		return nil, fmt.Errorf("gitlog: read blob %s: %w", f.Path, err)
	}
	*kept, *loaded = b, true
	return b, nil
}

var (
	mergePullRequest = regexp.MustCompile(`^Merge pull request #([0-9]{1,9})\b`)
	mergeBors        = regexp.MustCompile(`^Merge (?:of )?#([0-9]{1,9})\b`)
	mergeHomu        = regexp.MustCompile(`^(?:Auto|Rollup) merge of #([0-9]{1,9})\b`)
	subjectPR        = regexp.MustCompile(`\(#([0-9]{1,9})\)`)
)

// ParsePRNumber returns the pull request number a commit message names, or 0:
// the last "(#1234)" in the subject (squash merges), or a merge message
// ("Merge pull request #12 from …", bors' "Merge #12", homu's "Auto merge of
// #12 - …", Mergify's "Merge of #12") in the subject or at the start of a
// body line.
func ParsePRNumber(subject, body string) int {
	subject = strings.TrimSpace(subject)
	for _, re := range mergeRes {
		if m := re.FindStringSubmatch(subject); m != nil {
			return atoiOrZero(m[1])
		}
	}
	if all := subjectPR.FindAllStringSubmatch(subject, -1); len(all) > 0 {
		return atoiOrZero(all[len(all)-1][1])
	}
	for line := range strings.Lines(body) {
		line = strings.TrimSpace(line)
		for _, re := range mergeRes {
			if m := re.FindStringSubmatch(line); m != nil {
				return atoiOrZero(m[1])
			}
		}
	}
	return 0
}

var mergeRes = []*regexp.Regexp{mergePullRequest, mergeBors, mergeHomu}

func atoiOrZero(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// splitMessage splits a commit message into its subject (first line) and
// body (the rest, trimmed).
func splitMessage(msg string) (subject, body string) {
	msg = strings.TrimLeft(msg, "\n")
	subject, body, _ = strings.Cut(msg, "\n")
	return strings.TrimSpace(subject), strings.TrimSpace(body)
}

func shortHash(h string) string {
	if len(h) > 8 {
		return h[:8]
	}
	return h
}
