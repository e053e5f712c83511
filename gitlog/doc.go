// Package gitlog walks the history of a git repository and reports, for every
// commit, the files it changed: path, old path, status, blob hashes and added
// and deleted line counts, with the blob contents available without reading
// them twice.
//
// A [Repository] is opened from a local path (bare or with a work tree) or a
// remote URL, which is cloned once (bare) into a cache directory and fetched
// incrementally afterwards. [Repository.Commits] is an iterator over the
// selected commits: first-parent by default, limited by count, dates and path
// globs (every file by default), with vendored, generated, binary and very
// large files marked rather than loaded. [WalkOptions.Watch] makes the same
// walk also report, on each commit, its changed paths of other globs (a
// manifest, a licence file) without reading them, and yield the commits
// that change only those, so that a consumer needs no second walk.
// Vendored means under one of
// [VendoredDirs] above any src/ directory; generated means a generated-code
// header in the leading comments; and the repository's own .gitattributes
// (linguist-vendored, linguist-generated, set or unset) at the walked
// revision has the last word.
//
// The walker does not use go-git's DiffTree or Patch, which are far too slow
// on large histories. It diffs trees itself, skipping subtrees whose hashes
// are equal and caching decoded trees, reads objects through go-git's
// filesystem storage with kept file descriptors (one storage per worker, since
// go-git's pack reader is not safe for concurrent use), counts lines with
// [github.com/sftforge/sftforge/linediff] and detects renames by exact hash,
// then by content similarity with a bound on the number of candidate pairs.
//
// Commits are processed by a bounded pool of workers and yielded in a
// deterministic order (newest first, or oldest first with
// [WalkOptions.Reverse]). A missing or corrupt object marks the affected file
// ([FileChange.Err], classified by [FileChange.SkipCause]) or commit
// ([Commit.Err]) and the walk goes on, unless more than half of the selected
// commits cannot be read: then the walk ends with an error. A corrupt pack
// index or a truncated pack fails [Open], naming the file.
//
// A shallow clone or a repository with info/grafts has boundary commits
// whose parents are missing by design. They are yielded with
// [Commit.Boundary] set and no files (what they changed is unknown), never
// compared with the empty tree as if they were root commits, and the first
// walk logs a warning to [OpenOptions.Logger].
//
// The porcelain answers what the git command line answers for one or two
// revisions: [Repository.Commit] reads one commit (like `git show
// --no-patch`), [Repository.FS] a revision's files, [Repository.Range]
// lists the commits of base..head (like `git rev-list`) and their merge
// base, [Repository.Diff] compares two revisions (or trees)
// like `git diff` (every path, renames, line counts), and [WritePatch]
// renders that diff as git's unified patch, byte for byte for ordinary
// changes, with hunks placed as git places them
// ([github.com/sftforge/sftforge/linediff.GitHunks]).
//
// The package knows nothing of Rust: paths are selected by glob, and contents
// are bytes.
package gitlog
