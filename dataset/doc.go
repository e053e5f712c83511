// Package dataset turns the outputs of the stage packages into training
// data.
//
// It owns the record schemas and the files written to disk:
//
//   - The per-commit export (see [Export]) takes each commit and its
//     files' identifier changes from the export engine (package export:
//     the walk, the per-path differs chosen by the file's language, the
//     workers), builds one record per commit and writes it as JSONL to
//     commits_export/NNNNN_<sha8>_<sha>.jsonl plus an index.csv. The same
//     records are available in memory, without files, from
//     [CommitRecords]; [RunPipeline] merges them from there.
//   - The merge joins GitHub PR data with the commit export into
//     merged_dataset.jsonl, applies filters and splits, and renders the
//     records in several formats with statistics and a dataset card.
//
// dataset may import the stage packages (gitlog, rustparse, github,
// archmap) and the export engine; they never import dataset.
package dataset
