package rustparse

import (
	"strings"

	"github.com/sftforge/sftforge/change"
)

// Item is one Rust item of a file. Fields and variants are items of their
// own (change.KindField / change.KindVariant with Owner the qualified type name).
type Item struct {
	Kind change.Kind
	// Name is the identifier; for impl blocks "Type" or "Trait for Type".
	Name string
	// Owner is the qualified owner: the inline module path ("a::b"), the
	// impl's "Type" or "Trait for Type" or the trait name (prefixed by the
	// module path), or the struct/enum of a field/variant; empty at top level.
	Owner string
	// Visibility is private, pub, pub(crate), pub(super), pub(self),
	// pub(in PATH) or inherited.
	Visibility string
	// Cfg holds the normalized #[cfg(...)] attributes of the item and of
	// its enclosing items, outermost first (e.g. `cfg(feature="v1")`). They
	// are part of the item's identity.
	Cfg []string
	// Attrs holds the item's other outer attributes, normalized, without
	// the #[ ] (e.g. `derive(Debug, Clone)`); doc comments are excluded.
	Attrs []string
	// Signature is the normalized text of the item without its visibility,
	// attributes and body (e.g. `fn f<T:Clone>(x:T)->u32`; a field's type).
	Signature string
	// BodyHash hashes the normalized tokens of the body: a function's
	// block, a const's or static's value, a struct's or union's field list,
	// an enum's variant list, a variant's fields and discriminant, a macro's
	// rules. Zero when there is none; impls, traits and modules have none
	// (their members are items of their own).
	BodyHash uint64
	// Line and EndLine are the 1-based first and last lines of the item,
	// attributes and doc comments not included.
	Line, EndLine int

	// members hashes the names of a struct's/union's fields or an enum's
	// variants, so Diff can tell "fields"/"variants" from "body".
	members uint64
	// depth is the item's nesting level (1: top level; see MaxNesting).
	depth uint16
}

// Key is the identity of the item: kind, qualified owner, name and cfg
// attributes, e.g. `struct:a::b::Payment#[cfg(feature="v1")]`. Two items of
// one file may share a key; Diff then matches them in source order.
func (it Item) Key() string {
	var b strings.Builder
	b.Grow(it.keyLen())
	b.WriteString(string(it.Kind))
	b.WriteByte(':')
	writeQualifiedName(&b, it.Owner, it.Name, it.Cfg, "")
	return b.String()
}

// keyLen is len(it.Key()).
func (it *Item) keyLen() int {
	n := len(it.Kind) + 1 + len(it.Name)
	if it.Owner != "" {
		n += len(it.Owner) + 2
	}
	for _, c := range it.Cfg {
		n += len(c) + 3
	}
	return n
}

// appendKey appends the bytes of it.Key() to b without building the
// string; Diff hashes and compares keys through it.
func (it *Item) appendKey(b []byte) []byte {
	b = append(b, it.Kind...)
	b = append(b, ':')
	if it.Owner != "" {
		b = append(b, it.Owner...)
		b = append(b, "::"...)
	}
	b = append(b, it.Name...)
	for _, c := range it.Cfg {
		b = append(b, "#["...)
		b = append(b, c...)
		b = append(b, ']')
	}
	return b
}

// writeQualifiedName writes owner::name (name alone at top level) and the
// cfg attributes, each as sep#[cfg].
func writeQualifiedName(b *strings.Builder, owner, name string, cfg []string, sep string) {
	if owner != "" {
		b.WriteString(owner)
		b.WriteString("::")
	}
	b.WriteString(name)
	for _, c := range cfg {
		b.WriteString(sep)
		b.WriteString("#[")
		b.WriteString(c)
		b.WriteByte(']')
	}
}

// ParseError is the position of a syntax error: an ERROR node or a token
// tree-sitter had to assume (MISSING). Line and Column are 1-based; the
// column counts bytes.
type ParseError struct {
	Line, Column int
	Message      string
}

// File is the summary of one Rust source file.
type File struct {
	// Items in source order (a container before its members).
	Items []Item
	// Errors lists syntax errors, and items nested deeper than MaxNesting;
	// the items that parsed are still listed.
	Errors []ParseError

	// cut is 0, or the nesting level from which items were left out
	// (MaxNesting+1, or less where the walk's own depth bound was met).
	cut int
}
