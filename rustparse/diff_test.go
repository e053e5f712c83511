package rustparse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sftforge/sftforge/change"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func renderChanges(cs []change.Identifier) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(string(c.Op))
		b.WriteString(" | ")
		b.WriteString(c.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func TestDiffGolden(t *testing.T) {
	olds, err := filepath.Glob("testdata/diff/*.old.rs")
	require.NoError(t, err)
	require.NotEmpty(t, olds)
	for _, oldPath := range olds {
		name := strings.TrimSuffix(oldPath, ".old.rs")
		t.Run(filepath.Base(name), func(t *testing.T) {
			old, err := os.ReadFile(oldPath)
			require.NoError(t, err)
			new, err := os.ReadFile(name + ".new.rs")
			require.NoError(t, err)
			cs, err := DiffSource(old, new)
			require.NoError(t, err)
			checkGolden(t, name+".golden", renderChanges(cs))
		})
	}
}

func TestDiffDetails(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           []string // change lines
	}{
		{"whitespace and comments", "fn f(a: u8) -> u8 { a + 1 }", "fn f( a:u8 )->u8{\n  // c\n  a+1 /* d */\n}", nil},
		{"trailing comma", "fn f() { g(a, b) }", "fn f() {\n    g(\n        a,\n        b,\n    )\n}", nil},
		{"single argument wrapped", "fn f(a: u8) { g(a) }", "fn f(\n    a: u8,\n) {\n    g(\n        a,\n    )\n}", nil},
		{"string whitespace counts", `fn f() { "a b" }`, `fn f() { "a  b" }`, []string{"function: private::f (body)"}},
		{"signature", "pub fn f(a: u8) {}", "pub fn f(a: u16) {}", []string{"function: pub::f (signature)"}},
		{"visibility", "fn f() {}", "pub(crate) fn f() {}", []string{"function: pub(crate)::f (visibility)"}},
		{"attributes", "#[inline] fn f() {}", "#[inline(always)] fn f() {}", []string{"function: private::f (attributes)"}},
		{"doc comment ignored", "fn f() {}", "/// doc\n#[doc = \"more\"]\nfn f() {}", nil},
		{"cfg is identity", "#[cfg(a)] fn f() {}", "#[cfg(b)] fn f() {}",
			[]string{"function: private::f #[cfg(b)]", "function: private::f #[cfg(a)]"}},
		{"field added", "struct S { a: u8 }", "struct S { a: u8, b: u8 }",
			[]string{"struct: private::S (fields)", "field: private::S::b"}},
		{"field type", "struct S { a: u8 }", "struct S { a: u16 }",
			[]string{"struct: private::S (body)", "field: private::S::a (signature)"}},
		{"variant removed", "enum E { A, B }", "enum E { A }",
			[]string{"enum: private::E (variants)", "variant: inherited::E::B"}},
		{"method moved to trait impl", "impl S { fn f(&self) {} }", "impl T for S { fn f(&self) {} }",
			[]string{"impl: inherited::T for S", "method: inherited::T for S::f", "impl: inherited::S", "method: private::S::f"}},
		{"const value", "const C: u8 = 1;", "const C: u8 = 2;", []string{"const: private::C (body)"}},
		{"duplicates as multiset", "fn f() {}\nfn f() {}", "fn f() {}\nfn f() { x() }\nfn f() {}",
			[]string{"function: private::f (body)", "function: private::f"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := DiffSource([]byte(tt.old), []byte(tt.new))
			require.NoError(t, err)
			var got []string
			for _, c := range cs {
				got = append(got, c.String())
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDiffNilFiles(t *testing.T) {
	f, err := Parse([]byte("pub fn f() {}\nstruct S;"))
	require.NoError(t, err)
	assert.Empty(t, Diff(nil, nil))
	assert.Empty(t, Diff(f, f))
	added := Diff(nil, f)
	require.Len(t, added, 2)
	assert.Equal(t, change.OpAdded, added[0].Op)
	assert.Equal(t, "function: pub::f", added[0].String())
	removed := Diff(f, nil)
	require.Len(t, removed, 2)
	assert.Equal(t, change.OpRemoved, removed[1].Op)
	assert.Equal(t, "struct: private::S", removed[1].String())
}
