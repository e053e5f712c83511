package rustparse

import (
	"strings"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/lang"
	"github.com/sftforge/sftforge/linediff"
)

// SystemPrompt is the system message of a Rust dataset's chat formats and
// the instruction of its alpaca format.
const SystemPrompt = "You are an expert Rust engineer on this codebase. Given a product-level request, " +
	"say which architectural layers and files to change and which identifiers to add, remove or modify."

// Language returns Rust as sftforge knows it: the files matching
// **/*.rs, diffed by [NewDiffer]; the item kinds of [Diff]; the Rust
// system prompt; the shared change-line renderer; Cargo manifests and
// test directories; test files (tests/, benches/, tests.rs). It is a new value on each call: callers may change
// it.
func Language() lang.Language {
	return lang.Language{
		Name:        "rust",
		Title:       "Rust",
		Identifiers: "functions, methods, structs and fields, enums and variants, traits, impls…",
		Globs:       []string{"**/*.rs"},
		NewDiffer:   NewDiffer,
		Kinds: []lang.Kind{
			{Kind: change.KindFunction}, {Kind: change.KindMethod, Member: true},
			{Kind: change.KindStruct, Container: true}, {Kind: change.KindEnum, Container: true},
			{Kind: change.KindUnion, Container: true}, {Kind: change.KindTrait},
			{Kind: change.KindImpl}, {Kind: change.KindConst, Noun: "constant"},
			{Kind: change.KindStatic}, {Kind: change.KindType, Noun: "type alias", Plural: "type aliases"},
			{Kind: change.KindAssocType, Noun: "associated type", Member: true},
			{Kind: change.KindAssocConst, Noun: "associated constant", Member: true},
			{Kind: change.KindMacro}, {Kind: change.KindMod, Noun: "module"},
			{Kind: change.KindField, Member: true}, {Kind: change.KindVariant, Member: true},
		},
		OwnerNoun:    OwnerNoun,
		SystemPrompt: SystemPrompt,
		Layout: lang.Layout{
			Manifests: []string{"Cargo.toml", "Cargo.lock"},
			TestDirs:  []string{"tests", "benches", "examples"},
		},
		// Integration tests and benchmarks (Cargo's tests/ and benches/
		// targets, at any depth) and the conventional tests.rs file of a
		// #[cfg(test)] mod tests; declared elsewhere.
		TestPaths: []string{"**/tests/**", "**/benches/**", "**/tests.rs"},
	}
}

// OwnerNoun names the owner of a Rust identifier in a sentence (its
// [lang.Language.OwnerNoun]): the struct, enum or union of a field
// ("struct `X`" when the changes do not show which, "`E::V`" for a field
// of an enum variant), the enum of a variant, the impl of a trait-impl
// member ("impl `T for X`"), the type or trait of another member ("`X`"),
// the module of any other item ("module `a::b`"); "" at top level.
func OwnerNoun(c change.Identifier, ownerKind change.Kind) string {
	if c.Owner == "" {
		return ""
	}
	switch c.Kind {
	case change.KindField:
		if ownerKind != "" {
			return string(ownerKind) + " `" + c.Owner + "`"
		}
		if strings.Contains(c.Owner, "::") {
			return "`" + c.Owner + "`" // a field of an enum variant
		}
		return "struct `" + c.Owner + "`"
	case change.KindVariant:
		return "enum `" + c.Owner + "`"
	case change.KindMethod, change.KindAssocType, change.KindAssocConst:
		if strings.Contains(c.Owner, " for ") {
			return "impl `" + c.Owner + "`"
		}
		return "`" + c.Owner + "`"
	}
	return "module `" + c.Owner + "`"
}

// differ adapts a [Tracker] to [lang.Differ] and [lang.HunkDiffer].
type differ struct {
	tracker *Tracker
	prev    *File
}

// newDifferTracker makes the differs' Trackers.
var newDifferTracker = NewTracker

// NewDiffer returns a [lang.HunkDiffer] for one Rust source file, built on
// a splicing [Tracker] ([NewTracker]): it keeps the last source and items,
// no parse tree. On hyperswitch's whole history the export took a third
// less time than with tree Trackers within its 24 MiB budget, and 825
// instead of 1,461 MiB (see the README's Memory section). It also has Release (a
// no-op for a splicing Tracker), which the commit export calls when its
// memory budget is exceeded.
func NewDiffer() lang.Differ {
	return &differ{tracker: newDifferTracker()}
}

func (d *differ) Next(src []byte) (lang.FileDiff, error) { return d.next(src, nil, false) }

func (d *differ) NextHunks(src []byte, hunks []linediff.Hunk) (lang.FileDiff, error) {
	return d.next(src, hunks, true)
}

func (d *differ) next(src []byte, hunks []linediff.Hunk, haveHunks bool) (lang.FileDiff, error) {
	var next *File
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
			return lang.FileDiff{}, err
		}
	}
	out := fileDiff(d.prev, next)
	d.prev = next
	return out, nil
}

// fileDiff is the lang.FileDiff from prev to next (nil: no file).
func fileDiff(prev, next *File) lang.FileDiff {
	var out lang.FileDiff
	if next != nil {
		for _, e := range next.Errors {
			out.Errors = append(out.Errors, change.ParseError{Line: e.Line, Message: e.Message})
		}
	}
	out.Changes = Diff(prev, next)
	return out
}

// Release frees the parse tree and keeps the last items.
func (d *differ) Release() { d.tracker.Release() }

func (d *differ) Close() {
	d.tracker.Close()
	d.prev = nil
}
