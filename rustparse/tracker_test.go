package rustparse

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/linediff"
)

// mutate returns src with one random edit of the kinds commits make: a
// changed line, an inserted or deleted block of lines, a new item, an
// attribute, a broken line, or an edit at both ends of the file.
func mutate(r *rand.Rand, src []byte) []byte {
	lines := bytes.SplitAfter(src, []byte("\n"))
	if len(lines) < 4 {
		return append(append([]byte(nil), src...), "fn grown() {}\n"...)
	}
	i := r.IntN(len(lines))
	out := make([][]byte, 0, len(lines)+8)
	out = append(out, lines[:i]...)
	rest := lines[i:]
	switch r.IntN(8) {
	case 0: // change a line
		out = append(out, []byte(fmt.Sprintf("    let changed_%d = %d;\n", r.IntN(100), r.IntN(100))))
		rest = rest[1:]
	case 1: // delete a few lines
		rest = rest[min(len(rest), 1+r.IntN(6)):]
	case 2: // insert an item
		out = append(out, []byte(fmt.Sprintf("\npub fn inserted_%d(x: u32) -> u32 {\n    x * %d\n}\n", r.IntN(1000), r.IntN(10))))
	case 3: // attribute
		out = append(out, []byte("#[cfg(feature = \"v2\")]\n"))
	case 4: // broken line
		out = append(out, []byte("fn broken( {\n"))
	case 5: // duplicate a block
		n := min(len(rest), 1+r.IntN(10))
		out = append(out, rest[:n]...)
	case 6: // edits at both ends
		out = append([][]byte{[]byte("use std::fmt;\n")}, out...)
		rest = append(append([][]byte(nil), rest...), []byte("pub struct Tail;\n"))
	case 7: // whitespace-only edit
		out = append(out, []byte("\n  \n"))
	}
	out = append(out, rest...)
	return bytes.Join(out, nil)
}

// TestTrackerMatchesParse feeds many successive edited versions through a
// Tracker and checks each result equals a full Parse, item by item. (Broken
// versions are kept transient: tree-sitter's error recovery gets slow when
// unclosed braces pile up.)
func TestTrackerMatchesParse(t *testing.T) {
	steps, size := 150, 20_000
	if testing.Short() {
		steps, size = 40, 10_000
	}
	update := func(tr *Tracker, _, src []byte) (*File, error) { return tr.Update(src) }
	for _, mode := range []struct {
		name   string
		single bool
		update func(tr *Tracker, prev, src []byte) (*File, error)
	}{
		{"hunks", false, update},
		{"single-edit", true, update},
		{"given-hunks", false, func(tr *Tracker, prev, src []byte) (*File, error) {
			return tr.UpdateHunks(src, linediff.Lines(prev, src))
		}},
		{"minimal-hunks", false, func(tr *Tracker, prev, src []byte) (*File, error) {
			return tr.UpdateHunks(src, linediff.LinesMinimal(prev, src))
		}},
		{"stale-hunks", false, func(tr *Tracker, prev, src []byte) (*File, error) {
			// A diff against the wrong version must be detected.
			return tr.UpdateHunks(src, linediff.Lines(append([]byte("fn stale() {}\n"), prev...), src))
		}},
	} {
		for _, keepTree := range []bool{true, false} {
			name := mode.name
			if !keepTree {
				name += "/spliced"
			}
			t.Run(name, func(t *testing.T) {
				defer func(v bool) { singleEdit = v }(singleEdit)
				singleEdit = mode.single
				defer func(v uint32) { statementsMinBody = v }(statementsMinBody)
				if !keepTree {
					statementsMinBody = 0 // every body by statements
				}
				r := rand.New(rand.NewPCG(1, 2))
				clean := generateRust(size, 7)
				tr := NewTracker()
				tr.keepTree = keepTree
				defer tr.Close()
				var prev []byte
				for step := range steps {
					// Mostly valid versions; now and then a transient arbitrary
					// (often broken) one, fixed by the next version, as in a
					// real history.
					src := clean
					if r.IntN(4) == 0 {
						src = mutate(r, clean)
					}
					got, err := mode.update(tr, prev, src)
					prev = src
					require.NoError(t, err)
					want, err := Parse(src)
					require.NoError(t, err)
					require.Equal(t, len(want.Items), len(got.Items), "step %d", step)
					for i := range want.Items {
						require.Equal(t, want.Items[i], got.Items[i], "step %d item %d", step, i)
					}
					require.Equal(t, want.Errors, got.Errors, "step %d", step)
					if step%50 == 49 {
						tr.Reset()
						prev = nil
					}
					clean = mutateValid(r, clean)
				}
				if !keepTree {
					require.Positive(t, tr.stats.spliced, "no version was spliced")
					require.Positive(t, tr.stats.statements, "no region was parsed by statements")
					t.Logf("%d versions spliced, %d parsed in full, %d regions by statements", tr.stats.spliced, tr.stats.full, tr.stats.statements)
				}
			})
		}
	}
}

// TestEditTreeHunksRejects checks that hunks which do not turn the old
// text into the new one are refused before the tree is touched.
func TestEditTreeHunksRejects(t *testing.T) {
	old := []byte("fn a() {}\nfn b() {}\nfn c() {}\n")
	new := []byte("fn a() {}\nfn B() {}\nfn c() {}\n")
	tests := []struct {
		name  string
		hunks []linediff.Hunk
		ok    bool
	}{
		{"right", []linediff.Hunk{{OldStart: 1, OldLines: 1, NewStart: 1, NewLines: 1}}, true},
		{"wider than needed", []linediff.Hunk{{OldStart: 0, OldLines: 3, NewStart: 0, NewLines: 3}}, true},
		{"none", nil, false},
		{"wrong line", []linediff.Hunk{{OldStart: 2, OldLines: 1, NewStart: 2, NewLines: 1}}, false},
		{"shifted", []linediff.Hunk{{OldStart: 1, OldLines: 1, NewStart: 2, NewLines: 1}}, false},
		{"past the end", []linediff.Hunk{{OldStart: 1, OldLines: 5, NewStart: 1, NewLines: 5}}, false},
		{"negative", []linediff.Hunk{{OldStart: -1, OldLines: 3, NewStart: -1, NewLines: 3}}, false},
		{"out of order", []linediff.Hunk{
			{OldStart: 2, OldLines: 0, NewStart: 2, NewLines: 0},
			{OldStart: 1, OldLines: 1, NewStart: 1, NewLines: 1},
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewParser()
			tree, err := p.parseTree(nil, old)
			require.NoError(t, err)
			defer tree.Close()
			_, ok := editTreeHunks(tree, old, new, appendLineStarts(nil, old), appendLineStarts(nil, new), tt.hunks)
			require.Equal(t, tt.ok, ok)
		})
	}
}

// TestTrackerReusesNestedItems: items inside a changed impl, trait or
// module are reused when their node is kept, unless what they inherit from
// the container (owner, module path, cfg) changed; every version still
// equals Parse.
func TestTrackerReusesNestedItems(t *testing.T) {
	const base = `mod api {
    pub struct Payment { pub id: u32 }
    impl Payment {
        pub fn new() -> Self { Self { id: 0 } }
        fn amount(&self) -> u64 { 1 }
        fn currency(&self) -> &str { "EUR" }
    }
}
`
	steps := []struct {
		name      string
		src       string
		minReused int // groups reused, at least, where tree-sitter keeps nodes
	}{
		{"first version", base, 0},
		{"one method changes", strings.Replace(base, "{ 1 }", "{ 2 }", 1), 1},
		{"impl type renamed", strings.Replace(base, "impl Payment", "impl Refund", 1), 0},
		{"cfg on the impl", strings.Replace(base, "    impl Payment", "    #[cfg(feature = \"v2\")]\n    impl Payment", 1), 0},
		{"module renamed", strings.Replace(base, "mod api", "mod v2", 1), 0},
		{"method added", strings.Replace(base, "        fn amount", "        fn added(&self) {}\n        fn amount", 1), 0},
		{"back to the first", base, 1},
	}
	tr := NewTreeTracker() // node reuse is the tree tracker's
	defer tr.Close()
	for _, st := range steps {
		got, err := tr.Update([]byte(st.src))
		require.NoError(t, err, st.name)
		want, err := Parse([]byte(st.src))
		require.NoError(t, err, st.name)
		require.Equal(t, want, got, st.name)
		require.GreaterOrEqual(t, tr.reused, st.minReused, st.name)
	}
}

func TestTrackerChanges(t *testing.T) {
	tr := NewTracker()
	defer tr.Close()
	cs, f, err := tr.Changes([]byte("pub fn a() {}\n"))
	require.NoError(t, err)
	require.Len(t, f.Items, 1)
	require.Equal(t, []string{"function: pub::a"}, changeStrings(cs))
	cs, _, err = tr.Changes([]byte("pub fn a() { x() }\nfn b() {}\n"))
	require.NoError(t, err)
	require.Equal(t, []string{"function: pub::a (body)", "function: private::b"}, changeStrings(cs))
	require.Equal(t, change.OpModified, cs[0].Op)
	tr.Reset()
	require.Nil(t, tr.File())
	cs, _, err = tr.Changes(nil)
	require.NoError(t, err)
	require.Empty(t, cs)
}

func changeStrings(cs []change.Identifier) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.String())
	}
	return out
}

func TestCommonPrefixSuffix(t *testing.T) {
	long := bytes.Repeat([]byte("abcdefgh"), 40)
	tests := []struct {
		a, b           []byte
		prefix, suffix int
	}{
		{nil, nil, 0, 0},
		{[]byte("abc"), []byte("abd"), 2, 0},
		{[]byte("xbc"), []byte("abc"), 0, 2},
		{long, long, len(long), len(long)},
		{append(append([]byte{}, long...), 'x'), long, len(long), 0},
		{append([]byte{'x'}, long...), long, 0, len(long)},
	}
	for _, tt := range tests {
		require.Equal(t, tt.prefix, commonPrefix(tt.a, tt.b))
		require.Equal(t, tt.suffix, commonSuffix(tt.a, tt.b))
	}
}
