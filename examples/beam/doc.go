// Command sftforge-beam runs the sftforge pipeline on Apache Beam: many
// repositories, or one huge history, spread over the workers of a cluster,
// with output identical, record for record (order aside), to the
// single-machine sftforge run on the same sources.
//
//	go run ./examples/beam --sources sources.txt -o out/
//
// runs on Prism, Beam's local runner, in-process with no setup. The same
// binary targets a Flink, Spark or Dataflow job service with Beam's flags
// (--runner, --endpoint, --environment_type, --environment_config).
//
// The sources file has one source a line: a local path, a clone URL or
// OWNER/REPO, then optional options rev=, max-commits=, rules=, shards=,
// github= (a directory from the gather binary) and name= (OWNER/REPO).
//
// The stages are transforms: each source is resolved to a commit and split
// into shards by file path, as the single-machine export splits its
// workers (dataset.ExportShard), and the shards are reshuffled over the
// workers; each shard walks the history and parses only its files; the
// parts of each repository's commits are grouped with its PRs, assembled
// (dataset.AssembleCommit) and merged (dataset.Merge); records with the
// same prompt and response are grouped across repositories and kept once
// (with one repository, whose merge removed its own, these steps are
// left out, and the repository's stage splits and writes the records
// itself); a combiner finds the newest records for the validation split
// and another computes statistics.json; the lines of merged_dataset,
// train and validation are grouped by output shard and written as
// sharded JSONL files. A
// source that fails (a bad URL, a corrupt repository, a parser crash)
// becomes a line of errors.jsonl and is left out of the dataset; the
// pipeline goes on.
package main
