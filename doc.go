// Package sftforge turns a Rust repository's history into a supervised
// fine-tuning (SFT) dataset that maps a product-level request ("let merchants
// search customers by ID") to the code it takes: the architectural layers a
// change touches and the identifiers it adds, removes or modifies.
//
// The module is a pipeline of importable stages, each with typed inputs and
// outputs and its own file format:
//
//   - [github.com/sftforge/sftforge/github] fetches merged pull requests and
//     issues (problem statements, patches, commit SHAs, PR↔issue links).
//   - [github.com/sftforge/sftforge/gitlog] walks git history of a local path
//     or remote URL, fast and in parallel.
//   - [github.com/sftforge/sftforge/rustparse] extracts Rust items with
//     tree-sitter and diffs them into identifier-level changes.
//   - [github.com/sftforge/sftforge/archmap] classifies paths into
//     architectural layers and derives intent and code patterns.
//   - [github.com/sftforge/sftforge/dataset] exports per-commit records,
//     merges them with PR data and writes filtered, split, formatted datasets.
//   - [github.com/sftforge/sftforge/outdir] owns an output directory: it
//     replaces only its own old output or an empty directory, never an
//     input, stages the whole run beside it under a lock and swaps it in.
//
// The stages never import dataset; dataset wires them together. The example
// binaries under examples/ only parse flags and call the stages.
package sftforge
