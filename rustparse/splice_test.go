package rustparse

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/linediff"
)

// TestSplice feeds pairs of versions through a splicing Tracker and checks
// the second equals Parse's, and whether it was spliced or parsed in full.
func TestSplice(t *testing.T) {
	const base = `//! A module.
use std::fmt;

/// The first.
#[derive(Debug)]
pub struct A {
    pub id: u64,
}

impl A {
    pub fn one(&self) -> u64 {
        self.id
    }

    fn two(&self) -> u64 {
        2
    }
}

mod inner {
    pub fn deep() {}
}

macro_rules! m {
    () => {};
}

pub fn last() -> u32 {
    1
}
`
	replace := func(src, old, new string) string { return replaceOnce(t, src, old, new) }
	edit := func(old, new string) string { return replace(base, old, new) }
	// Versions with a syntax error inside one item: tree-sitter's grammar
	// has no where clause bounding `dyn Trait` (hyperswitch has many).
	brokenLast := edit("pub fn last() -> u32 {", "pub fn last() -> u32\nwhere\n    dyn X: Y,\n{")
	brokenStruct := edit("pub struct A {", "pub struct A where dyn X: Y {")
	brokenMethod := edit("    fn two(&self) -> u64 {", "    fn two(&self) -> u64 where dyn X: Y {")
	brokenHeader := edit("impl A {", "impl A where dyn B: C {")
	missingToken := edit("    1\n}", "    1 +\n}")
	// The edits spliced inside an impl or module body.
	nested := map[string]bool{"method body": true, "method added": true, "function in a module": true,
		"method removed": true, "method attribute": true, "old error far above two edits": true,
		"old error in a method, the other method edited": true, "old error in an impl header, a method edited": true}
	for _, tc := range []struct {
		name, old, new string
		spliced        bool
	}{
		{"body of the last function", base, edit("    1\n}", "    2\n}"), true},
		{"method body", base, edit("        2\n", "        3\n"), true},
		{"function in a module", base, edit("pub fn deep() {}", "pub fn deep() { 1 }"), true},
		{"method removed", base, edit("    fn two(&self) -> u64 {\n        2\n    }\n", ""), true},
		{"method attribute", base, edit("    fn two", "    #[inline]\n    fn two"), true},
		{"impl header changed", base, edit("impl A {", "impl B {"), true},
		{"method added", base, edit("    fn two", "    fn added() {}\n\n    fn two"), true},
		{"item appended", base, base + "\nfn appended() {}\n", true},
		{"item inserted between", base, edit("mod inner", "const C: u8 = 1;\n\nmod inner"), true},
		{"attribute added", base, edit("pub fn last", "#[cfg(test)]\npub fn last"), true},
		{"attribute added above a doc comment", base, edit("use std::fmt;\n\n/// The first.", "use std::fmt;\n#[cfg(x)]\n/// The first."), true},
		{"attribute added above a comment, comment changed", base, edit("\nmod inner", "#[cfg(x)]\n// inner\nmod inner"), true},
		{"attribute added above the last item", base, edit("}\n\npub fn last", "}\n#[cfg(x)]\n// last\npub fn last"), true},
		{"doc comment changed", base, edit("/// The first.", "/// The first one."), true},
		{"use changed", base, edit("use std::fmt;", "use std::{fmt, io};"), true},
		{"field added", base, edit("    pub id: u64,\n", "    pub id: u64,\n    pub name: String,\n"), true},
		{"macro rules changed", base, edit("() => {};", "() => { 1 };"), true},
		{"no newline at the end", base, strings.TrimSuffix(base, "\n") + " // end", true},
		{"the same text", base, base, true},
		{"block comment opened", base, edit("mod inner", "/* mod inner"), false},
		{"raw string opened", base, edit("mod inner", "const S: &str = r#\"\nmod inner"), false},
		{"brace removed", base, edit("        self.id\n    }\n", "        self.id\n"), false},
		{"broken old version", edit("fn two", "fn two("), base, true},
		{"old error far below the edit", brokenLast, replace(brokenLast, "    pub id: u64,\n", "    pub id: u64,\n    pub name: String,\n"), true},
		{"old error far above the edit", brokenStruct, replace(brokenStruct, "    1\n}", "    2\n}"), true},
		{"old error far above two edits", brokenStruct, replace(replace(brokenStruct, "    1\n}", "    2\n\n}"), "pub fn deep() {}", "pub fn deep() {}\n    pub fn deeper() {}"), true},
		{"old error next to a use changed", brokenStruct, replace(brokenStruct, "use std::fmt;", "use std::fmt;\nuse std::io;"), true},
		{"old error in the item next to the edit", brokenLast, replace(brokenLast, "() => {};", "() => { 1 };"), true},
		{"old error kept in the edited item", brokenLast, replace(brokenLast, "    1\n}", "    2\n}"), true},
		{"old error fixed", brokenLast, base, true},
		{"old error in a method, the other method edited", brokenMethod, replace(brokenMethod, "self.id", "self.id + 1"), true},
		{"old error in an impl header, a method edited", brokenHeader, replace(brokenHeader, "self.id", "self.id + 1"), true},
		{"old error moved in its item", brokenLast, replace(brokenLast, "pub fn last() -> u32\n", "pub fn last()\n    -> u32\n"), true},
		{"error added in a function", base, brokenLast, false},
		{"error added in a method", base, brokenMethod, false},
		{"old error, another added", brokenLast, replace(brokenLast, "pub struct A {", "pub struct A where dyn X: Y {"), false},
		{"old error changed", brokenLast, replace(brokenLast, "dyn X: Y", "dyn Z: Y"), false},
		{"unclosed parenthesis added in a method", base, edit("    fn two", "    fn broken( {\n    }\n\n    fn two"), false},
		{"missing token in the old version", missingToken, replace(missingToken, "pub id: u64,", "pub id: u32,"), false},
		{"error added between items", base, edit("\nmod inner", "\n);\nmod inner"), false},
		{"error added at an item's end", base, edit("    1\n}", "    1\n"), false},
		// The attribute's region takes in the macro it belongs to, then
		// the trait changed inside next to it, then the item inserted
		// after that trait (embassy's fmc.rs lost the item after them).
		{"attribute, then a change inside, then an insertion", attrsAndTrait,
			strings.NewReplacer("macro_rules! m", "#[cfg(x)]\nmacro_rules! m", "macro_rules! n", "#[cfg(x)]\nmacro_rules! n", "impl S", "#[cfg(x)]\nimpl S",
				"const R: u8;", "const R: u16;", "/// I.", "pub type Regs = u8;\n\n/// I.", "    (a) => {}\n", "    (a) => {}\n    (b) => {}\n").Replace(attrsAndTrait), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, withHunks := range []bool{false, true} {
				tr := NewTracker()
				_, err := tr.Update([]byte(tc.old))
				require.NoError(t, err)
				before := tr.stats
				var got *File
				if withHunks {
					got, err = tr.UpdateHunks([]byte(tc.new), linediff.Lines([]byte(tc.old), []byte(tc.new)))
				} else {
					got, err = tr.Update([]byte(tc.new))
				}
				require.NoError(t, err)
				want, err := Parse([]byte(tc.new))
				require.NoError(t, err)
				require.Equal(t, want, got)
				require.Equal(t, tc.spliced, tr.stats.spliced > before.spliced, "spliced")
				require.Equal(t, nested[tc.name], tr.stats.nested > before.nested, "spliced inside a body")
				tr.Close()
			}
		})
	}
}

const attrsAndTrait = "fn a() {}\n\nmacro_rules! m { () => {} }\n\nmacro_rules! n { () => {} }\n\nimpl S {\n    fn f() {}\n}\n\ntrait T {\n    const R: u8;\n}\n\n/// I.\npub trait I {}\n\nm!(\n    (a) => {}\n);\n"

// TestSpliceHistory checks a splicing Tracker against Parse over many
// random edits with spliceCheck on (every spliced version is compared as
// it is made) and that most versions were spliced.
func TestSpliceHistory(t *testing.T) {
	defer func(v bool) { spliceCheck = v }(spliceCheck)
	spliceCheck = true
	defer func(v uint32) { statementsMinBody = v }(statementsMinBody)
	for _, seed := range []uint64{1, 2, 3, 4} {
		statementsMinBody = 1024
		if seed%2 == 0 {
			statementsMinBody = 0 // every body by statements
		}
		r := rand.New(rand.NewPCG(seed, 99))
		src := generateRust(8_000, seed)
		tr := NewTracker()
		for step := range 60 {
			src = mutateValid(r, src)
			got, err := tr.Update(src)
			require.NoError(t, err)
			want, err := Parse(src)
			require.NoError(t, err)
			require.Equal(t, want, got, "seed %d step %d", seed, step)
		}
		require.Greater(t, tr.stats.spliced, tr.stats.full, "seed %d: spliced %d, full %d", seed, tr.stats.spliced, tr.stats.full)
		require.Positive(t, tr.stats.nested, "seed %d: nothing spliced inside a body", seed)
		tr.Close()
	}
}

// TestSpliceStatements checks edits inside function bodies, which a
// splicing Tracker parses by statements: each row's new version must equal
// a full parse, and states whether it was parsed by statements.
func TestSpliceStatements(t *testing.T) {
	defer func(v uint32) { statementsMinBody = v }(statementsMinBody)
	statementsMinBody = 0
	const base = `use std::fmt;

pub fn run(x: u32) -> u32 {
    let a = x + 1;
    // a comment
    let b = match a {
        0 => 1,
        _ => 2,
    };
    if b > 1 {
        println!("big");
    }
    foo(b);
    a + b
}

impl S {
    fn method(&self) -> u32 {
        let v = self.v;
        v * 2
    }
}

fn last() {}
`
	edit := func(old, new string) string { return replaceOnce(t, base, old, new) }
	// The edits spliced inside a statement's match, or inside an arm.
	inner := map[string]bool{"lines added to a match": true, "match arm changed": true, "block arm added": true,
		"arm removed": true, "statement in a block arm": true}
	// The edits spliced by parsing a function's header on its own.
	header := map[string]bool{"signature changed": true, "signature and a statement changed": true,
		"where clause added": true, "a signature changed, then the next item's body": true,
		"a signature changed, then the next item's header": true, "a method's signature changed": true}
	for _, tc := range []struct {
		name, old, new string
		statements     bool
	}{
		{"let changed", base, edit("let a = x + 1;", "let a = x + 2;"), true},
		{"tail changed", base, edit("    a + b\n", "    a * b\n"), true},
		{"statement added", base, edit("    foo(b);\n", "    foo(b);\n    bar(a);\n"), true},
		{"statement removed", base, edit("    foo(b);\n", ""), true},
		{"comment changed", base, edit("// a comment", "// another comment"), true},
		{"lines added to a match", base, edit("        0 => 1,\n", "        0 => 1,\n        1 => 3,\n"), true},
		{"method statement changed", base, edit("let v = self.v;", "let v = self.v + 1;"), true},
		{"method tail changed", base, edit("        v * 2\n", "        v * 3\n"), true},
		{"item added in a body", base, edit("    foo(b);\n", "    fn inner() {}\n    foo(b);\n"), true},
		{"statement after the tail", base, edit("    a + b\n", "    a + b\n    c\n"), false},
		{"tail made a statement", base, edit("    a + b\n", "    a + b;\n"), true},
		{"unary statement after an if", base, edit("    foo(b);\n", "    -b;\n"), false},
		{"call statement after an if", base, edit("    foo(b);\n", "    (b);\n"), false},
		{"brace opened", base, edit("    foo(b);\n", "    foo(b); {\n"), false},
		{"brace closed", base, edit("    foo(b);\n", "    }\n    foo(b);\n"), false},
		{"syntax error", base, edit("    foo(b);\n", "    foo(b;\n"), false},
		{"signature changed", base, edit("pub fn run(x: u32)", "pub fn run(x: u64)"), true},
		{"signature and a statement changed", base, strings.Replace(edit("pub fn run(x: u32)", "pub fn run(x: u64)"), "foo(b);", "foo(a);", 1), true},
		// A line added before an item is a region of its own, which
		// takes the item in (an attribute belongs to it).
		{"attribute added to a function", base, edit("pub fn run", "#[inline]\npub fn run"), false},
		{"doc comment added to a function", base, edit("pub fn run", "/// Runs.\npub fn run"), false},
		{"where clause added", base, edit("-> u32 {\n    let a", "-> u32\nwhere\n    u32: Copy,\n{\n    let a"), true},
		{"lines added before the first statement", base, edit("-> u32 {\n    let a", "-> u32 {\n\n    // first\n    let a"), true},
		{"header broken", base, edit("pub fn run(x: u32)", "pub fn run(x: u32"), false},
		{"function added before a changed header", base, edit("pub fn run(x: u32)", "fn added() {}\n\npub fn run(x: u64)"), false},
		{"header and first statement on one line", edit("-> u32 {\n    let a = x + 1;", "-> u32 { let a = x + 1;"),
			edit("pub fn run(x: u32) -> u32 {\n    let a = x + 1;", "pub fn run(x: u64) -> u32 { let a = x + 1;"), false},
		{"last line of the body", base, edit("    a + b\n}", "    a + b }"), false},
		{"match arm changed", base, edit("        0 => 1,\n", "        0 => 5,\n"), true},
		{"block arm added", base, edit("        _ => 2,\n", "        1 => {\n            3\n        }\n        _ => 2,\n"), true},
		{"tuple pattern after a block arm", edit("        _ => 2,\n", "        1 => {\n            3\n        }\n        _ => 2,\n"),
			edit("        _ => 2,\n", "        1 => {\n            3\n        }\n        (_) => 2,\n"), true},
		{"arm after a last arm without a comma", edit("        _ => 2,\n", "        _ => S { a: 2 }\n"),
			edit("        _ => 2,\n", "        _ => S { a: 2 }\n        1 => 3,\n"), false},
		{"arm removed", base, edit("        0 => 1,\n", ""), true},
		{"statement in a block arm", edit("        _ => 2,\n", "        1 => {\n            let q = 3;\n            q\n        }\n        _ => 2,\n"),
			edit("        _ => 2,\n", "        1 => {\n            let q = 4;\n            q\n        }\n        _ => 2,\n"), true},
		{"old error in the signature, body changed", edit("pub fn run(x: u32) -> u32 {", "pub fn run(x: u32) -> u32\nwhere\n    dyn X: Y,\n{"),
			edit("pub fn run(x: u32) -> u32 {", "pub fn run(x: u32) -> u32\nwhere\n    dyn X: Y,\n{\n    let extra = 0;"), true},
		{"match arms broken", base, edit("        0 => 1,\n", "        0 => 1,\n        1 =>\n"), false},
		{"two items next to each other changed inside", base, strings.Replace(edit("let a = x + 1;", "let a = x + 2;"), "let v = self.v;", "let v = self.v + 1;", 1), true},
		{"a body changed, then the next item's header", base, strings.Replace(edit("let a = x + 1;", "let a = x + 2;"), "impl S {", "impl T {", 1), true},
		{"a signature changed, then the next item's body", base, strings.Replace(edit("pub fn run(x: u32)", "pub fn run(x: u64)"), "let v = self.v;", "let v = self.v + 1;", 1), true},
		{"a signature changed, then the next item's header", base, strings.Replace(edit("pub fn run(x: u32)", "pub fn run(x: u64)"), "impl S {", "impl T {", 1), true},
		{"a method's signature changed", base, edit("fn method(&self) -> u32", "fn method(&mut self) -> u32"), true},
		{"an attribute added before a changed body", base, strings.Replace(edit("impl S {", "#[cfg(x)]\nimpl S {"), "let v = self.v;", "let v = self.v + 1;", 1), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			again := strings.Replace(tc.new, "foo(b)", "foo(b, 1)", 1) + "\nfn appended() { let z = 1; z }\n"
			before, after := spliceEdit(t, tc.old, tc.new, again)
			require.Equal(t, tc.statements, after.statements > before.statements, "parsed by statements")
			require.Equal(t, inner[tc.name], after.inner > before.inner, "spliced inside a match or an arm")
			require.Equal(t, header[tc.name], after.headers > before.headers, "the header parsed on its own")
		})
	}
}

// TestSpliceElements checks splicing inside the elements of a call's
// arguments, an array, a tuple and a struct literal, and inside blocks
// reached through expressions (a closure, an if): each edit's version must
// equal a full parse, whether or not it was spliced inside a statement.
func TestSpliceElements(t *testing.T) {
	defer func(v uint32) { statementsMinBody = v }(statementsMinBody)
	statementsMinBody = 0
	const base = `impl Default for Fields {
    fn default() -> Self {
        Self(HashMap::from([
            (
                Method::Card,
                Info {
                    name: "card".to_string(),
                    fields: HashMap::from([
                        ("number", Field { kind: Kind::Number, value: None }),
                        ("cvc", Field { kind: Kind::Cvc, value: None }),
                    ]),
                    extra: vec![1, 2],
                },
            ),
            (Method::Wallet, Info { name: "wallet".to_string(), fields: HashMap::new(), extra: vec![] }),
        ]))
    }
}

fn run(xs: &[u32]) -> u32 {
    let total = xs.iter().map(|x| {
        let y = x + 1;
        y * 2
    }).sum::<u32>();
    if total > 10 {
        log(total);
    } else {
        log(0);
    }
    call(
        1,
        [
            10, 20, 30,
        ],
        (
            total, 2
        ),
    )
}
`
	edit := func(old, new string) string { return replaceOnce(t, base, old, new) }
	for _, tc := range []struct {
		name, old, new string
		inner          bool // spliced inside a statement (a list in it)
	}{
		{"element changed", base, edit("Kind::Cvc", "Kind::Code"), true},
		{"element added", base, edit("                        (\"cvc\"", "                        (\"name\", Field { kind: Kind::Name, value: None }),\n                        (\"cvc\""), true},
		{"element removed", base, edit("                        (\"number\", Field { kind: Kind::Number, value: None }),\n", ""), true},
		{"first element changed", base, edit("(\"number\", Field", "(\"num\", Field"), true},
		{"last element changed", base, edit("(Method::Wallet, Info { name: \"wallet\"", "(Method::Wallet, Info { name: \"w\""), true},
		{"struct field changed", base, edit("extra: vec![1, 2],", "extra: vec![1, 2, 3],"), true},
		{"struct field added", base, edit("                    extra: vec![1, 2],\n", "                    extra: vec![1, 2],\n                    more: 1,\n"), true},
		{"base initializer in the middle", base, edit("                    extra: vec![1, 2],\n", "                    ..Default::default(),\n                    extra: vec![1, 2],\n"), true},
		// A tuple called with the next element's parentheses: no error.
		{"comma removed, a call", base, edit("value: None }),\n                        (\"cvc\"", "value: None })\n                        (\"cvc\""), true},
		{"comma removed, an error", base, edit("                Method::Card,\n", "                Method::Card\n"), false},
		{"trailing comma removed", base, edit("Kind::Cvc, value: None }),\n", "Kind::Cvc, value: None })\n"), true},
		{"element joined to the one before", base, edit("                        (\"cvc\", Field { kind: Kind::Cvc, value: None }),\n", "                        .clone(),\n"), false},
		{"element split in two", base, edit("(\"cvc\", Field { kind: Kind::Cvc, value: None })", "(\"cvc\", Field { kind: Kind::Cvc, value: None }), (\"x\", y)"), true},
		{"array made a repeat", base, edit("10, 20, 30,", "10; 3"), true},
		{"tuple made one value", base, edit("total, 2\n", "total\n"), true},
		{"array element changed", base, edit("10, 20, 30,", "10, 25, 30,"), true},
		{"attribute on an element", base, edit("                        (\"cvc\"", "                        #[cfg(x)]\n                        (\"cvc\""), true},
		{"two elements apart changed", base, strings.Replace(edit("Kind::Cvc", "Kind::Code"), "Method::Wallet,", "Method::Purse,", 1), true},
		{"two adjacent elements changed", base, strings.Replace(edit("Kind::Cvc", "Kind::Code"), "Kind::Number", "Kind::Num", 1), true},
		{"two statements apart changed", base, strings.Replace(edit("let y = x + 1;", "let y = x + 3;"), "log(0);", "log(2);", 1), true},
		{"one of two edits apart breaks", base, strings.Replace(edit("Kind::Cvc", "Kind::Code"), "Method::Wallet,", "Method::Wallet", 1), false},
		{"closure statement changed", base, edit("let y = x + 1;", "let y = x + 3;"), true},
		{"if block changed", base, edit("log(total);", "log(total + 1);"), true},
		{"else block changed", base, edit("log(0);", "log(1);"), true},
		{"element commented out", base, edit("                        (\"cvc\"", "                        // (\"cvc\""), true},
		{"line comment swallows the next element's start", base, edit("                        (\"cvc\", Field { kind: Kind::Cvc, value: None }),\n", "                        // x,"), false},
		{"string opened", base, edit("(\"cvc\"", "(\"cvc"), false},
		{"brace opened in an element", base, edit("Kind::Cvc, value", "Kind::Cvc, v: {, value"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Edited again inside the lists.
			again := strings.Replace(strings.Replace(tc.new, "Kind::Number", "Kind::Digits", 1), "y * 2", "y * 4", 1)
			before, after := spliceEdit(t, tc.old, tc.new, again)
			require.Equal(t, tc.inner, after.inner > before.inner, "spliced inside a statement")
		})
	}
}

// spliceEdit feeds old, then new with its line diff, to a splicing
// Tracker and checks that new's items equal Parse's; then again, with its
// line diff from new, which must equal Parse's too (what the Tracker
// recorded for new moved correctly). It returns the Tracker's statistics
// before and after new.
func spliceEdit(t *testing.T, old, new, again string) (before, after spliceStats) {
	t.Helper()
	tr := NewTracker()
	defer tr.Close()
	_, err := tr.Update([]byte(old))
	require.NoError(t, err)
	before = tr.stats
	for i, v := range []string{new, again} {
		prev := old
		if i > 0 {
			prev = new
		}
		got, err := tr.UpdateHunks([]byte(v), linediff.Lines([]byte(prev), []byte(v)))
		require.NoError(t, err)
		want, err := Parse([]byte(v))
		require.NoError(t, err)
		require.Equal(t, want, got, "version %d", i+1)
		if i == 0 {
			after = tr.stats
		}
	}
	return before, after
}

// TestSlideHunks checks that an insertion or deletion a diff could place a
// few lines up or down is moved to where it touches the fewest items, and
// that the spliced version still equals a full parse.
func TestSlideHunks(t *testing.T) {
	const old = "fn a() {\n    1\n}\n\nfn b() {\n    2\n}\n"
	const added = "fn a() {\n    1\n}\n\nfn n() {\n    3\n}\n\nfn b() {\n    2\n}\n"
	for _, tc := range []struct {
		name     string
		old, new string
		hunks    []linediff.Hunk // as a diff may give them
		want     []linediff.Hunk
	}{
		// "}", "", "fn n() {", "    3" inserted before a's "}": moved
		// one line down, below a.
		{"function added, diffed from inside the one before", old, added,
			[]linediff.Hunk{{OldStart: 2, OldLines: 0, NewStart: 2, NewLines: 4}},
			[]linediff.Hunk{{OldStart: 3, OldLines: 0, NewStart: 3, NewLines: 4}}},
		// A copy of a function appended, diffed as inserted inside it:
		// moved above it, the nearer place that touches no item.
		{"duplicate added, diffed from inside the copy", "fn a() {\n    1\n}\n", "fn a() {\n    1\n}\nfn a() {\n    1\n}\n",
			[]linediff.Hunk{{OldStart: 1, OldLines: 0, NewStart: 1, NewLines: 3}},
			[]linediff.Hunk{{OldStart: 0, OldLines: 0, NewStart: 0, NewLines: 3}}},
		{"function removed, diffed from inside the one before", added, old,
			[]linediff.Hunk{{OldStart: 2, OldLines: 4, NewStart: 2, NewLines: 0}},
			[]linediff.Hunk{{OldStart: 3, OldLines: 4, NewStart: 3, NewLines: 0}}},
		{"already between items", old, added,
			[]linediff.Hunk{{OldStart: 4, OldLines: 0, NewStart: 4, NewLines: 4}},
			[]linediff.Hunk{{OldStart: 4, OldLines: 0, NewStart: 4, NewLines: 4}}},
		{"a change is not moved", old, strings.Replace(old, "1", "5", 1),
			[]linediff.Hunk{{OldStart: 1, OldLines: 1, NewStart: 1, NewLines: 1}},
			[]linediff.Hunk{{OldStart: 1, OldLines: 1, NewStart: 1, NewLines: 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTracker()
			defer tr.Close()
			_, err := tr.Update([]byte(tc.old))
			require.NoError(t, err)
			src := []byte(tc.new)
			lines := appendLineStarts(nil, src)
			require.True(t, hunksValid(tr.src, src, tr.lines, lines, tc.hunks), "the test's hunks")
			got := tr.slideHunks(src, lines, tc.hunks)
			require.Equal(t, tc.want, got)
			require.True(t, hunksValid(tr.src, src, tr.lines, lines, got), "moved hunks must still be a diff")
			f, err := tr.UpdateHunks(src, tc.hunks)
			require.NoError(t, err)
			want, err := Parse(src)
			require.NoError(t, err)
			require.Equal(t, want, f)
		})
	}
}

// replaceOnce returns src with the first old replaced by new; old must be
// in src.
func replaceOnce(t *testing.T, src, old, new string) string {
	t.Helper()
	require.Contains(t, src, old)
	return strings.Replace(src, old, new, 1)
}
