package lang_test

import (
	"testing"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/lang"
	"github.com/stretchr/testify/assert"
)

func registry() lang.Registry {
	return lang.Registry{
		{Name: "rust", Globs: []string{"**/*.rs"}, SystemPrompt: "rust prompt",
			Kinds:  []lang.Kind{{Kind: change.KindConst, Noun: "constant"}, {Kind: change.KindType, Noun: "type alias", Plural: "type aliases"}},
			Layout: lang.Layout{Manifests: []string{"Cargo.toml"}}},
		{Name: "toy", Globs: []string{"**/*.toy", "toys/**"},
			Kinds:  []lang.Kind{{Kind: "rule", Noun: "rewrite rule"}, {Kind: change.KindConst, Noun: "toy constant"}},
			Render: func(c change.Identifier) string { return "toy " + c.Name },
			Layout: lang.Layout{Manifests: []string{"toy.mod"}}},
	}
}

func TestRegistryFor(t *testing.T) {
	r := registry()
	tests := []struct{ path, want string }{
		{"lib.rs", "rust"},
		{"crates/a/src/lib.rs", "rust"},
		{"a/b.toy", "toy"},
		{"toys/README.md", "toy"},
		{"toys/x.rs", "rust"}, // first match wins
		{"README.md", ""},
		{"src/lib.rsx", ""},
	}
	for _, tt := range tests {
		got := ""
		if l := r.For(tt.path); l != nil {
			got = l.Name
		}
		assert.Equal(t, tt.want, got, tt.path)
		assert.Equal(t, tt.want != "", r.IsSource(tt.path), tt.path)
	}
	assert.Nil(t, lang.Registry(nil).For("lib.rs"))
}

func TestRegistry(t *testing.T) {
	r := registry()
	assert.Equal(t, []string{"**/*.rs", "**/*.toy", "toys/**"}, r.Globs())
	assert.Equal(t, "rust prompt", r.SystemPrompt())
	assert.Equal(t, "", lang.Registry(nil).SystemPrompt())

	c := change.Identifier{File: "a/b.toy", Op: change.OpAdded, Kind: "rule", Name: "greet", Visibility: "pub"}
	assert.Equal(t, "toy greet", r.Render(c))
	c.File = "src/lib.rs"
	assert.Equal(t, "rule: pub::greet", r.Render(c), "Rust has no renderer of its own: the shared one")
	c.File = "README.md"
	assert.Equal(t, "rule: pub::greet", r.Render(c))

	nouns := []struct {
		kind change.Kind
		n    int
		want string
	}{
		{change.KindConst, 1, "constant"}, // the first language listing the kind
		{change.KindConst, 2, "constants"},
		{change.KindType, 3, "type aliases"},
		{"rule", 1, "rewrite rule"},
		{"rule", 0, "rewrite rules"},
		{change.KindFunction, 1, "function"}, // listed by none
		{change.KindFunction, 2, "functions"},
	}
	for _, tt := range nouns {
		assert.Equal(t, tt.want, r.KindNoun(tt.kind, tt.n), "%s %d", tt.kind, tt.n)
	}

	assert.Equal(t, "rust", r[0].DisplayName(), "no Title: the Name")
	assert.Equal(t, "constants, type aliases", r[0].IdentifierNouns(), "no Identifiers: the Kinds' plurals")
	toy := lang.Language{Name: "toy", Title: "Toy", Identifiers: "rules and facts"}
	assert.Equal(t, "Toy", toy.DisplayName())
	assert.Equal(t, "rules and facts", toy.IdentifierNouns())

	assert.True(t, r.IsManifest("Cargo.toml"))
	assert.True(t, r.IsManifest("crates/a/Cargo.toml"))
	assert.True(t, r.IsManifest("x/toy.mod"))
	assert.False(t, r.IsManifest("Cargo.lock"))
}

func TestOwners(t *testing.T) {
	r := lang.Registry{
		{Name: "rust", Globs: []string{"**/*.rs"},
			Kinds: []lang.Kind{{Kind: change.KindField, Member: true}, {Kind: change.KindStruct, Container: true}},
			OwnerNoun: func(c change.Identifier, ownerKind change.Kind) string {
				return "rust owner `" + c.Owner + "`"
			}},
		{Name: "toy", Globs: []string{"**/*.toy"},
			Kinds: []lang.Kind{{Kind: "clause", Member: true}, {Kind: "rule", Container: true}, {Kind: change.KindField}}},
	}
	assert.True(t, r.IsMember(change.KindField), "the first language listing it")
	assert.True(t, r.IsMember("clause"))
	assert.False(t, r.IsMember("rule"))
	assert.False(t, r.IsMember("unknown"))
	assert.True(t, r.IsContainer("rule"))
	assert.False(t, r.IsContainer(change.KindField))

	tests := []struct {
		c         change.Identifier
		ownerKind change.Kind
		want      string
	}{
		{change.Identifier{File: "a.rs", Kind: change.KindField, Name: "x", Owner: "S"}, "", "rust owner `S`"},
		{change.Identifier{File: "a.toy", Kind: "clause", Name: "c", Owner: "greet"}, "rule", "rule `greet`"},
		{change.Identifier{File: "a.toy", Kind: "clause", Name: "c", Owner: "greet"}, "", "`greet`"},
		{change.Identifier{File: "a.toy", Kind: change.KindField, Name: "x", Owner: "S"}, "", "`S`" /* the file's language */},
		{change.Identifier{Kind: change.KindField, Name: "x", Owner: "S"}, "", "rust owner `S`" /* no file: the kind's */},
		{change.Identifier{Kind: "unknown", Name: "x", Owner: "m"}, "", "`m`"},
		{change.Identifier{File: "a.rs", Kind: change.KindField, Name: "x"}, "struct", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, r.OwnerNoun(tt.c, tt.ownerKind), "%+v", tt.c)
	}
}

// TestMatchesLikeDoublestar checks Language.Matches, which answers
// "**/*<literal>" globs without doublestar, against doublestar itself.
func TestMatchesLikeDoublestar(t *testing.T) {
	globs := []string{"**/*.rs", "**/*.pb.go", "**/*_test.rs", "**/*", "**/*.[rs]", "**/*.r?", "**/*x/y.rs", "src/*.rs", "**/*.{rs,toml}"}
	paths := []string{"lib.rs", "a/b/lib.rs", ".rs", "a/.rs", "a.rs/b", "a/b.rsx", "x.pb.go", "a/x_test.rs", "a\\b.rs", "src/a.rs",
		"src/a/b.rs", "a/bx/y.rs", "Cargo.toml", "a/b.r", "é/ü.rs", "a/b.RS", ""}
	for _, g := range globs {
		for _, p := range paths {
			want, _ := doublestar.Match(g, p)
			l := lang.Language{Globs: []string{g}}
			assert.Equal(t, want, l.Matches(p), "glob %q, path %q", g, p)
		}
	}
}
