// Package dataset turns the outputs of the stage packages into training
// data.
//
// It owns the record schemas and the files written to disk:
//
//   - The per-commit export (see [Export]) walks a repository with gitlog,
//     feeds each changed source file's successive versions to a language
//     differ chosen by file extension (rustparse for .rs), reassembles the
//     identifier changes per commit and writes one JSONL record per commit
//     to commits_export/NNNNN_<sha8>_<sha>.jsonl plus an index.csv. The
//     same records are available in memory, without files, from
//     [CommitRecords]; [RunPipeline] merges them from there.
//   - The merge joins GitHub PR data with the commit export into
//     merged_dataset.jsonl, applies filters and splits, and renders the
//     records in several formats with statistics and a dataset card.
//
// dataset may import the stage packages (gitlog, rustparse, github,
// archmap); they never import dataset.
package dataset
