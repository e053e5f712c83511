// Package rustparse summarizes Rust source files as items and diffs them.
//
// It reads like go/parser: [Parse] returns a [File] listing the items of
// one file (functions, methods with their owner, structs with their fields,
// enums with their variants, unions, traits with their associated items,
// impl blocks, consts, statics, type aliases, macro_rules! macros, inline
// modules), each with its visibility as written, cfg attributes, other
// attributes, normalized signature, a hash of its normalized body and its
// lines. [Diff] is a pure function from two Files to the items added,
// removed and modified, and says what changed (signature, body,
// visibility, attributes, fields, variants). Whitespace, comments and
// trailing commas do not count as changes.
//
// An item's identity ([Item.Key]) is its kind, qualified owner, name and
// cfg attributes, so the same struct defined under #[cfg(feature = "v1")]
// and "v2" gives two items; items still sharing a key are matched in
// source order.
//
// A file with syntax errors still yields the items that parsed, with the
// error positions in [File.Errors].
//
// Extraction is bounded whatever the input: items nested deeper than
// [MaxNesting] (256) are not extracted, the file gets a [ParseError]
// "nesting deeper than 256 items" at the innermost container kept, and
// [Diff] leaves what lies at or below that level out on both sides (its
// changes are unknown, never removals).
//
// Parsing uses tree-sitter through the official binding
// github.com/tree-sitter/go-tree-sitter with the tree-sitter-rust grammar
// v0.24.2 (not smacker/go-tree-sitter, whose unmaintained Rust grammar
// 0.21 rejects async closures, unsafe extern blocks, const-generic defaults
// and gen blocks). The package installs libc's allocator for tree-sitter
// instead of the binding's Go callbacks, and extracts items with a shallow
// walk done in C (source file, module, impl, trait, extern and field-list
// bodies only), never a full tree walk. Every C object is closed.
//
// [Tracker] parses the successive versions of one file incrementally: it
// keeps the previous tree, turns the line diff into tree edits, re-parses
// with the edited tree and re-extracts only the items whose node the
// re-parse did not keep, at any depth. Its output equals [Parse]'s.
//
// [Parse], [DiffSource] and [Diff] are safe for concurrent use; a [Parser]
// or a [Tracker] is used by one goroutine at a time.
package rustparse
