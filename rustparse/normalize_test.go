package rustparse

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAppendNormalized(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a  +  b", "a+b"},
		{"a b", "a b"},
		{"let x = - 1 ;", "let x=-1;"},
		{"f(a,\n b,\n)", "f(a, b)"},
		{"(a,)", "(a)"},
		{"(a, b,)", "(a, b)"},
		{"[a,]", "[a]"},
		{"Vec<A,>", "Vec<A>"},
		{"x // comment\n y", "x y"},
		{"x /* a /* nested */ b */ y", "x y"},
		{`"a  // not a comment"`, `"a  // not a comment"`},
		{`"esc \" q"  x`, `"esc \" q"x`},
		{`r#"raw " /* x */"#  y`, `r#"raw " /* x */"#y`},
		{`br"b\"`, `br"b\"`},
		{"'a' 'b'", "'a''b'"},
		{"'\\'' x", "'\\''x"},
		{"&'a  str", "&'a str"},
		{"'outer: loop {}", "'outer:loop{}"},
		{"ünï  côdé", "ünï côdé"},
		{"a,", "a"},
		{"/* unterminated", ""},
		{`"unterminated`, `"unterminated`},
		{"r#", "r#"},
		{"'", "'"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, string(appendNormalized(nil, []byte(tt.in))))
		})
	}
}

func FuzzAppendNormalized(f *testing.F) {
	for _, s := range []string{"fn f(a, b,) { x /* y */ }", `r##"a"#"##`, "'a' '\\n' 'b", "\"\\", "(a,)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := appendNormalized(nil, []byte(s))
		if strings.ContainsAny(s, "'\"#") {
			// Malformed literals are copied as they are, and need not
			// normalize the same way twice; TestAppendNormalized covers
			// literals.
			return
		}
		// Normalizing is idempotent: the canonical text is its own canonical text.
		twice := appendNormalized(nil, once)
		if string(once) != string(twice) {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, once, twice)
		}
	})
}
