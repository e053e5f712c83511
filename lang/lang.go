// Package lang describes a programming language to sftforge: which files
// are its sources, the differ that turns a file's successive versions
// into identifier changes, the kinds of identifiers it reports, the
// system prompt of the records, how a change line reads, and hints about
// a repository's layout (its manifests, its test directories).
//
// A [Language] is a plain value and a [Registry] a list of them, the way
// archmap's rules are values: the commit export picks a file's language
// from the registry (first match wins), the walk selects the registry's
// globs, the merge reads the kinds, prompt and renderer from it, archmap
// asks it which paths are sources ([Registry.IsSource]) and the dataset
// card names its languages; beyond the Cargo workspaces archmap reads,
// the rest of sftforge need not name a language.
// Rust is the language sftforge ships (rustparse.Language, registered by
// export.DefaultLanguages); adding a language is one package that returns
// its Language and one entry in the registry a caller passes (see the
// package example).
//
// The package imports only the shared vocabulary (package change) and
// linediff; language packages import it, never the other way round.
package lang

import (
	"path"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/linediff"
)

// A Differ follows one source file through its successive versions and
// reports the identifier changes between consecutive versions. The commit
// export gives every file path its own Differ and feeds it versions in
// history order, so an implementation can keep incremental parsing state.
// A Differ is used by one goroutine at a time.
type Differ interface {
	// Next feeds the file's next version (nil for a deleted file) and
	// returns the changes relative to the version fed before it (an empty
	// file before the first call). The File fields of the returned changes
	// and errors are left empty; the caller fills them in.
	Next(src []byte) (FileDiff, error)
	// Close releases the differ's resources.
	Close()
}

// A HunkDiffer is a [Differ] that can take the line diff from the version
// fed before to the next one, which the commit walker has already
// computed (gitlog.FileChange.Hunks), instead of diffing the versions
// again. The export uses NextHunks whenever the walker's diff is at hand.
type HunkDiffer interface {
	Differ
	// NextHunks is Next for a caller that knows the line diff from the
	// previous version to src. An implementation must not trust hunks
	// blindly: a diff that does not match the versions must not change
	// the result.
	NextHunks(src []byte, hunks []linediff.Hunk) (FileDiff, error)
}

// FileDiff is the result of one [Differ.Next] call.
type FileDiff struct {
	// Changes are the identifier changes, in a deterministic order. Lists
	// in them (Cfg, Detail) may be nil; records write them as [].
	Changes []change.Identifier
	// Errors are syntax errors in the new version; the changes of the
	// identifiers that parsed are still reported.
	Errors []change.ParseError
}

// Kind is one kind of identifier a language reports, with the words the
// merged records' sentences use for it ("Add 3 type aliases").
type Kind struct {
	Kind change.Kind
	// Noun and Plural name one and several identifiers of the kind; empty
	// means the kind's own name and that name plus "s".
	Noun, Plural string
	// Member says that an identifier of the kind belongs to its owner type
	// (Rust's fields, variants and methods): the sentences add it "to",
	// remove it "from" and modify it "of" its owner; other identifiers
	// sit "in" theirs (a module).
	Member bool
	// Container says that the kind is a type whose members the changes
	// list (Rust's structs, enums and unions): a member's sentence names
	// its owner with this kind ("Add field `raw` to union `Payload`").
	Container bool
}

// Layout holds hints about how a repository of the language is laid out.
type Layout struct {
	// Manifests are the base names of the files that declare packages and
	// their dependencies ("Cargo.toml", "Cargo.lock"; "go.mod", "go.sum"):
	// archmap's "Update dependencies" pattern counts them.
	Manifests []string
	// TestDirs are the names of directories that hold tests, benchmarks or
	// examples apart from the sources ("tests", "benches").
	TestDirs []string
}

// Language is what sftforge knows about one programming language.
type Language struct {
	// Name identifies the language ("rust"); the dataset card tags the
	// dataset with it.
	Name string
	// Title is the language's name in prose ("Rust"); "" means Name.
	Title string
	// Identifiers says in prose what the differ reports, as the dataset
	// card lists it ("functions, methods, structs and fields, …"); ""
	// lists the plurals of Kinds.
	Identifiers string
	// Globs are doublestar patterns of the language's source files on
	// repository-relative paths ("**/*.rs"). The export walks the files
	// any registered language matches.
	Globs []string
	// NewDiffer returns a [Differ] for one file of the language; nil lists
	// the files with no identifier changes.
	NewDiffer func() Differ
	// Kinds is the vocabulary of identifier kinds the differ reports.
	Kinds []Kind
	// SystemPrompt is the system message of the chat formats and the
	// instruction of alpaca for a dataset of this language.
	SystemPrompt string
	// Render renders one change line of a response; nil means
	// [change.Identifier.String], the shared renderer.
	Render func(change.Identifier) string
	// OwnerNoun names the owner of c (c.Owner is not empty) in the merged
	// records' sentences, given the owner's kind when the changes show it
	// (a Container kind, else ""): "struct `Payment`", "impl `Display for
	// Amount`". nil means [GenericOwnerNoun].
	OwnerNoun func(c change.Identifier, ownerKind change.Kind) string
	// Layout holds hints about the repository's layout.
	Layout Layout
	// TestPaths are doublestar patterns of the language's test files
	// ("**/tests/**"): every identifier of such a file is test code
	// (change.Identifier.Test) and the file is one of a record's
	// test_files.
	TestPaths []string
}

// IsTestPath reports whether path is a test file of the language.
func (l *Language) IsTestPath(path string) bool {
	for _, g := range l.TestPaths {
		if ok, _ := doublestar.Match(g, path); ok {
			return true
		}
	}
	return false
}

// DisplayName returns Title, or Name when Title is empty.
func (l *Language) DisplayName() string {
	if l.Title != "" {
		return l.Title
	}
	return l.Name
}

// IdentifierNouns returns Identifiers, or the plurals of Kinds joined by
// commas when it is empty.
func (l *Language) IdentifierNouns() string {
	if l.Identifiers != "" {
		return l.Identifiers
	}
	var words []string
	for _, k := range l.Kinds {
		w, _ := l.KindNoun(k.Kind, 2)
		words = append(words, w)
	}
	return strings.Join(words, ", ")
}

// Matches reports whether path is a source file of the language.
func (l *Language) Matches(path string) bool {
	for _, g := range l.Globs {
		if ext, ok := anyDirSuffix(g); ok {
			// What doublestar answers, without its matcher: this runs for
			// every path of every commit and every change rendered.
			if strings.HasSuffix(path, ext) {
				return true
			}
			continue
		}
		if ok, _ := doublestar.Match(g, path); ok {
			return true
		}
	}
	return false
}

// anyDirSuffix returns the literal end of a glob "**/*<literal>" (such as
// "**/*.rs": a path whose last element ends in ".rs", in any directory or
// none), which matches exactly the paths ending in the literal, as it holds
// no "/" and no pattern character.
func anyDirSuffix(glob string) (string, bool) {
	rest, ok := strings.CutPrefix(glob, "**/*")
	if !ok || rest == "" || strings.ContainsAny(rest, "*?[]{}\\/") {
		return "", false
	}
	return rest, true
}

// RenderChange renders c with the language's renderer.
func (l *Language) RenderChange(c change.Identifier) string {
	if l.Render != nil {
		return l.Render(c)
	}
	return c.String()
}

// KindNoun returns the word for n identifiers of kind, and whether the
// language lists the kind.
func (l *Language) KindNoun(kind change.Kind, n int) (string, bool) {
	for _, k := range l.Kinds {
		if k.Kind != kind {
			continue
		}
		noun, plural := k.Noun, k.Plural
		if noun == "" {
			noun = string(kind)
		}
		if plural == "" {
			plural = noun + "s"
		}
		if n == 1 {
			return noun, true
		}
		return plural, true
	}
	return "", false
}

// GenericOwnerNoun names the owner of c as a language without an
// OwnerNoun does: "KIND `Owner`" when the owner's kind is known, "`Owner`"
// otherwise; "" when c has no owner.
func GenericOwnerNoun(c change.Identifier, ownerKind change.Kind) string {
	switch {
	case c.Owner == "":
		return ""
	case ownerKind != "":
		return string(ownerKind) + " `" + c.Owner + "`"
	}
	return "`" + c.Owner + "`"
}

// Registry is the languages of a run, in order of preference: a file
// belongs to the first language whose globs match it, and the first
// language's system prompt is the dataset's.
type Registry []Language

// For returns the language of path, or nil when none matches.
func (r Registry) For(path string) *Language {
	for i := range r {
		if r[i].Matches(path) {
			return &r[i]
		}
	}
	return nil
}

// IsSource reports whether path is a source file of a registered
// language. It is the source predicate archmap's functions take
// (archmap.CountAreas); with IsManifest, a Registry is an
// archmap.Languages.
func (r Registry) IsSource(path string) bool { return r.For(path) != nil }

// Globs returns the globs of every language, in order: what a walk selects.
func (r Registry) Globs() []string {
	var out []string
	for i := range r {
		out = append(out, r[i].Globs...)
	}
	return out
}

// SystemPrompt returns the first language's system prompt, "" for an
// empty registry.
func (r Registry) SystemPrompt() string {
	if len(r) == 0 {
		return ""
	}
	return r[0].SystemPrompt
}

// Render renders a change line with the renderer of its file's language
// (c.File), or the shared renderer when no language matches.
func (r Registry) Render(c change.Identifier) string {
	if l := r.For(c.File); l != nil {
		return l.RenderChange(c)
	}
	return c.String()
}

// listing returns the first language that lists kind, nil when none does.
func (r Registry) listing(kind change.Kind) *Language {
	for i := range r {
		if r[i].kind(kind) != nil {
			return &r[i]
		}
	}
	return nil
}

// kind returns the first listing of kind among the languages, nil when
// none lists it.
func (r Registry) kind(kind change.Kind) *Kind {
	if l := r.listing(kind); l != nil {
		return l.kind(kind)
	}
	return nil
}

// kind returns the language's listing of kind, nil when it has none.
func (l *Language) kind(kind change.Kind) *Kind {
	for i := range l.Kinds {
		if l.Kinds[i].Kind == kind {
			return &l.Kinds[i]
		}
	}
	return nil
}

// IsMember reports whether the first language listing kind marks it a
// [Kind.Member].
func (r Registry) IsMember(kind change.Kind) bool {
	k := r.kind(kind)
	return k != nil && k.Member
}

// IsContainer reports whether the first language listing kind marks it a
// [Kind.Container].
func (r Registry) IsContainer(kind change.Kind) bool {
	k := r.kind(kind)
	return k != nil && k.Container
}

// OwnerNoun names the owner of c in a sentence with the OwnerNoun of its
// file's language (c.File), else of the first language listing its kind,
// else [GenericOwnerNoun]; "" when c has no owner.
func (r Registry) OwnerNoun(c change.Identifier, ownerKind change.Kind) string {
	if c.Owner == "" {
		return ""
	}
	l := r.For(c.File)
	if l == nil {
		l = r.listing(c.Kind)
	}
	if l != nil && l.OwnerNoun != nil {
		return l.OwnerNoun(c, ownerKind)
	}
	return GenericOwnerNoun(c, ownerKind)
}

// KindNoun returns the word for n identifiers of kind: the first language
// that lists the kind names it, else the kind itself, with "s" for n ≠ 1.
func (r Registry) KindNoun(kind change.Kind, n int) string {
	for i := range r {
		if w, ok := r[i].KindNoun(kind, n); ok {
			return w
		}
	}
	if n == 1 {
		return string(kind)
	}
	return string(kind) + "s"
}

// IsManifest reports whether path is a manifest of a registered language
// (by its base name, see [Layout.Manifests]).
func (r Registry) IsManifest(p string) bool {
	base := path.Base(p)
	for i := range r {
		if slices.Contains(r[i].Layout.Manifests, base) {
			return true
		}
	}
	return false
}
