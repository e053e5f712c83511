// Package export is the engine of the commit export: it walks a
// repository's history with gitlog, oldest first, feeds each selected
// file's successive versions to its language's differ (chosen by path
// from a [lang.Registry]) and yields every commit with the identifier
// changes of its files, in commit order.
//
// [Commits] splits the files between a bounded pool of workers by path
// (renames followed), so that one worker sees all the versions of a file
// and its differ re-parses incrementally; it keeps the parse trees within
// a memory budget ([Options.ResidentBytes], least recently changed files
// released first, see [ReleasingDiffer]) and bounds the file contents the
// walk may queue ahead of the parsers. [Shard] does one shard's part of
// the same work, for distributed runs (the Beam example): every shard
// walks the same commits and diffs only the files it owns, the files the
// same split gives it, so the output does not depend on the number of
// shards.
//
// The engine knows nothing of records: package dataset builds the commit
// records from what it yields (metadata, rendered response, redaction,
// UTF-8), writes the export files and merges them with pull requests.
// export never imports dataset.
package export
