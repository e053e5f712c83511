// Package archmap maps the files, identifiers and descriptions of a change
// to the vocabulary of a supervised fine-tuning record: which architectural
// layers it touches, what kind of feature it is, and which code patterns it
// follows.
//
// It has three parts, each usable on its own:
//
//   - Layers. A layer is a part of the repository itself: [ReadWorkspace]
//     reads its Cargo workspace through an fs.FS (crates, descriptions,
//     targets and the dependencies between them; bad manifests become
//     [Warning] values naming file and line), and [Infer] groups the crates
//     into layers ordered by the crate dependency graph, dependencies
//     first, splits a crate that carries much of the code by its top-level
//     modules and gives files outside crates role layers ([PathRole]). Each
//     [Layer] lists its crates. [UnionWorkspaces] unites the workspaces of
//     several revisions, so crates that moved or disappeared stay known;
//     [WorkspaceFromPaths] infers crates when no manifest is at hand. A
//     [Preset] ([HyperswitchPreset]) only names and splits the inferred
//     layers. A [Classifier] holds ordered [Rule] values; the first rule
//     that matches a repository-relative path names the path's layer.
//     Besides the inferred ones, rules are doublestar glob patterns
//     ([GlobRule]), the word-table heuristics of [Default] ([LayoutRule]),
//     or any Go value implementing [Rule]. A YAML rules file ([LoadRules],
//     [Classifier.Apply]) adds or overrides layers, rules, keywords and
//     intent vocabulary. Paths no rule matches are reported
//     ([Classifier.Group]), never silently lumped into "other".
//
//   - Intent. [IntentDetector.Detect] derives a feature type, an action and
//     the entities a change is about. The feature type is the area the
//     change is about in the repository's own words: area labels,
//     conventional-commit scopes and "area: …" prefixes, ticked "Type of
//     change" boxes of a PR template, the crate or module holding most of
//     its files ([Area], [CountAreas], [PathArea]), and last keywords. The
//     action comes from boxes, kind labels, conventional-commit types, the
//     verb that starts a title and its object, keywords, and what the files
//     and identifier changes show. The taxonomy is plain data that users
//     extend: [DefaultTaxonomy] is generic; [PaymentsTaxonomy] adds the
//     domain of payment platforms for the hyperswitch preset.
//
//   - Code patterns. [DetectPatterns] runs [Detector] values over the
//     structured identifier changes ([change.Identifier]) and per-file line
//     counts ([change.File]) of a change and returns named counts such as
//     "Extend types with new fields" or "Add enum variants".
//
// Which paths are source files is the caller's to say (a func(path) bool:
// package dataset passes its languages' lang.Registry.IsSource; nil is
// [RustSource]), so a language added to a run counts as source code in
// [CountAreas], [LargeCrates], [WorkspaceFromPaths] and the patterns of a
// [Classifier.WithLanguages] (which also names the manifests) with no
// change here. The workspace itself is
// read from Cargo manifests.
//
// archmap does not import the other stages of sftforge: its inputs are the
// shared change values of package change, which the dataset package fills.
package archmap
