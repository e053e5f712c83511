// Package change holds the vocabulary the stages share to describe a
// change, the way go/token serves go/ast: how a file changed ([Status],
// [File]), and what happened to one identifier of it ([Op], [Kind],
// [Identifier]), with the one renderer of a change line
// ([Identifier.String]).
//
// The commit walker (gitlog) reports [File] values, a language's differ
// (rustparse for Rust) reports [Identifier] values, archmap reads both, and
// the records of the dataset hold them as they are: the JSON field names
// and values here are the record schema documented in the README. The
// package imports nothing of this module.
package change

// Status says how a file changed.
type Status string

// The statuses of a [File]. GitHub's "removed" is [StatusDeleted] here
// (package github converts at its wire boundary). A change of type (file
// to symlink) is modified; a file replaced by a directory of the same name
// is a deletion plus additions, as in git.
const (
	StatusAdded    Status = "added"
	StatusModified Status = "modified"
	StatusDeleted  Status = "deleted"
	StatusRenamed  Status = "renamed"
	// StatusCopied: a copy of OldPath (GitHub and git diff -C report it).
	StatusCopied Status = "copied"
	// StatusChanged: only the file's mode changed (GitHub's "changed").
	StatusChanged Status = "changed"
	// StatusUnchanged: listed without a change (GitHub's "unchanged").
	StatusUnchanged Status = "unchanged"
)

// File is one changed file: a line of a commit record's "files" list.
type File struct {
	// Path is the repository-relative, "/"-separated path after the
	// change; for a deletion the deleted path.
	Path string `json:"path" yaml:"path"`
	// OldPath is the path before a rename or copy, "" otherwise.
	OldPath string `json:"old_path" yaml:"old_path"`
	// Status is how the file changed.
	Status Status `json:"status" yaml:"status"`
	// Additions and Deletions are the added and deleted lines, as
	// `git log --numstat` counts them; 0 for binary or skipped files.
	Additions int `json:"additions" yaml:"additions"`
	Deletions int `json:"deletions" yaml:"deletions"`
}

// Op says what happened to an identifier between two versions of a file.
type Op string

// The operations of an [Identifier].
const (
	OpAdded    Op = "added"
	OpRemoved  Op = "removed"
	OpModified Op = "modified"
)

// Kind is the kind of an identifier. The constants below are the
// vocabulary of the languages sftforge ships (Rust's item kinds); a
// language may use others, and lists its own in its Kinds.
type Kind string

// The identifier kinds of Rust, as named in the records.
const (
	KindFunction   Kind = "function"    // free function, also in extern blocks
	KindMethod     Kind = "method"      // function in an impl or trait
	KindStruct     Kind = "struct"      // named, tuple or unit struct
	KindEnum       Kind = "enum"        // enum
	KindUnion      Kind = "union"       // union
	KindTrait      Kind = "trait"       // trait
	KindImpl       Kind = "impl"        // impl block, named "Type" or "Trait for Type"
	KindConst      Kind = "const"       // module-level const
	KindStatic     Kind = "static"      // static
	KindType       Kind = "type"        // module-level type alias
	KindAssocType  Kind = "assoc_type"  // associated type of a trait or impl
	KindAssocConst Kind = "assoc_const" // associated const of a trait or impl
	KindMacro      Kind = "macro"       // macro_rules! definition
	KindMod        Kind = "mod"         // inline module or module declaration
	KindField      Kind = "field"       // field of a struct or union; tuple fields are named 0, 1, ...
	KindVariant    Kind = "variant"     // enum variant
)

// Visibility values that are not written in the source.
const (
	// VisibilityPrivate is the visibility of an item written without one;
	// the line renderer also shows it for an empty Visibility.
	VisibilityPrivate = "private"
	// VisibilityInherited is the visibility of items that cannot have
	// their own (Rust's enum variants, trait items, trait-impl members and
	// impl blocks).
	VisibilityInherited = "inherited"
)

// The aspects of an identifier a modification can touch, as listed in
// [Identifier.Detail], in this order.
const (
	DetailSignature  = "signature"
	DetailBody       = "body"
	DetailVisibility = "visibility"
	DetailAttributes = "attributes"
	DetailFields     = "fields"
	DetailVariants   = "variants"
)

// Identifier is one identifier added, removed or modified in a file: a
// line of a commit record's "changes" list.
type Identifier struct {
	// File is the path of the file, as in [File.Path]; a differ leaves it
	// empty and the commit export fills it in.
	File string `json:"file" yaml:"file"`
	Op   Op     `json:"op" yaml:"op"`
	Kind Kind   `json:"kind" yaml:"kind"`
	// Name is the identifier; for a Rust impl block "Type" or "Trait for
	// Type".
	Name string `json:"name" yaml:"name"`
	// Owner is the qualified owner: a module path, a type, "Trait for
	// Type", or the struct or enum of a field or variant; empty at top
	// level.
	Owner string `json:"owner" yaml:"owner"`
	// Visibility is the new one (the old one for a removed identifier):
	// for Rust private, pub, pub(crate), pub(super), pub(self),
	// pub(in PATH) or inherited.
	Visibility string `json:"visibility" yaml:"visibility"`
	// Cfg holds the conditions the identifier is compiled under, outermost
	// first (Rust's normalized #[cfg(...)] attributes, e.g.
	// `cfg(feature="v1")`). They are part of its identity: cfg twins
	// differ here.
	Cfg []string `json:"cfg" yaml:"cfg"`
	// Detail lists what changed for OpModified: signature, body,
	// visibility, attributes, fields (a struct's or union's field names),
	// variants (an enum's variant names). For structs, unions and enums
	// "body" is reported only when the fields or variants did not change.
	Detail []string `json:"detail" yaml:"detail"`
	// Test marks an identifier of test code: for Rust one compiled only
	// under cfg(test) (a #[cfg(test)] module's items), a test or bench
	// function (#[test], #[tokio::test], #[bench]…), or any identifier of
	// a file under a tests/ or benches/ directory (the language's
	// TestPaths). Responses list test changes after the code changes.
	Test bool `json:"test" yaml:"test"`
	// Line is the identifier's 1-based line in the new version (the old
	// one for a removed identifier), 0 when unknown. Records do not keep
	// it: it is not part of the JSON.
	Line int `json:"-" yaml:"-"`
}

// String renders the change as one line of a record's response: the kind,
// then the visibility joined to the qualified name, then the cfg
// attributes, then what changed for a modified identifier:
//
//	function: pub::validate_capture_method
//	method: pub(crate)::PaymentIntent::update (body)
//	struct: pub::Payment #[cfg(feature = "v2")]
//
// An empty Visibility shows as private. This is the renderer of change
// lines; a language may render its own way (see its Render).
func (c Identifier) String() string {
	// One allocation, the string: the line is written on the stack when
	// it fits.
	var line [128]byte
	return string(c.Append(line[:0]))
}

// Append appends the line [Identifier.String] renders to b and returns
// the extended buffer, so that a response is written without a string
// per line.
func (c Identifier) Append(b []byte) []byte {
	b = append(b, c.Kind...)
	b = append(b, ": "...)
	vis := c.Visibility
	if vis == "" {
		vis = VisibilityPrivate
	}
	b = append(b, vis...)
	b = append(b, "::"...)
	if c.Owner != "" {
		b = append(b, c.Owner...)
		b = append(b, "::"...)
	}
	b = append(b, c.Name...)
	for _, cfg := range c.Cfg {
		b = append(b, " #["...)
		b = append(b, cfg...)
		b = append(b, ']')
	}
	if c.Op == OpModified && len(c.Detail) > 0 {
		b = append(b, " ("...)
		for i, d := range c.Detail {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, d...)
		}
		b = append(b, ')')
	}
	return b
}

// ParseError says that a file could not be parsed or diffed cleanly: a
// syntax error (the identifiers that parsed are still reported), a missing
// blob, or a file skipped for its size. It is a line of a commit record's
// "parse_errors" list.
type ParseError struct {
	// File is the path of the file, as in [File.Path]; a differ leaves it
	// empty and the commit export fills it in.
	File string `json:"file"`
	// Line is the 1-based line of the error, 0 when it concerns the whole
	// file.
	Line    int    `json:"line"`
	Message string `json:"message"`
}
