package rustparse

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sftforge/sftforge/change"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nestedMods returns n nested `mod m {` around inner, one a line.
func nestedMods(n int, inner string) []byte {
	return []byte(strings.Repeat("mod m {\n", n) + inner + "\n" + strings.Repeat("}\n", n))
}

func TestNestingLimit(t *testing.T) {
	deepErr := fmt.Sprintf("nesting deeper than %d items: the items below are not extracted", MaxNesting)
	tests := []struct {
		name     string
		src      []byte
		items    int
		errLine  int    // 0: no depth error
		errExtra string // suffix of the message
	}{
		{"255 modules and a function", nestedMods(MaxNesting-1, "fn f() {}"), MaxNesting, 0, ""},
		{"256 empty modules", nestedMods(MaxNesting, ""), MaxNesting, 0, ""},
		{"256 modules with a comment", nestedMods(MaxNesting, "// nothing"), MaxNesting, 0, ""},
		{"256 modules and a function", nestedMods(MaxNesting, "fn f() {}"), MaxNesting, MaxNesting, ""},
		{"40,000 modules", nestedMods(40000, "fn f() {}"), MaxNesting, MaxNesting, ""},
		{"40,000 unclosed modules: one ERROR node, no items", []byte(strings.Repeat("mod m {\n", 40000)), 0, 0, ""},
		{"struct fields past the limit", nestedMods(MaxNesting-1, "struct S { a: u8 }"), MaxNesting, MaxNesting, ""},
		{"tuple fields past the limit", nestedMods(MaxNesting-1, "struct S(u8);"), MaxNesting, MaxNesting, ""},
		{"unit struct at the limit", nestedMods(MaxNesting-1, "struct S;"), MaxNesting, 0, ""},
		{"impl members past the limit", nestedMods(MaxNesting-1, "impl S { fn m() {} }"), MaxNesting, MaxNesting, ""},
		{"two places", []byte(string(nestedMods(MaxNesting, "fn f() {}")) + string(nestedMods(MaxNesting, "fn g() {}"))),
			2 * MaxNesting, MaxNesting, " (2 places)"},
		{"deep blocks inside a function are not items", []byte("fn f() " + strings.Repeat("{", 40000) + strings.Repeat("}", 40000) + "\n"), 1, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			f, err := Parse(tt.src)
			require.NoError(t, err)
			assert.Less(t, time.Since(start), 10*time.Second)
			assert.Equal(t, tt.items, len(f.Items))
			var depthErrs []ParseError
			for _, e := range f.Errors {
				if strings.HasPrefix(e.Message, "nesting deeper") {
					depthErrs = append(depthErrs, e)
				}
			}
			if tt.errLine == 0 {
				assert.Empty(t, depthErrs)
				assert.Zero(t, f.cut)
				return
			}
			require.Len(t, depthErrs, 1)
			assert.Equal(t, ParseError{Line: tt.errLine, Column: 1, Message: deepErr + tt.errExtra}, depthErrs[0])
			assert.Equal(t, MaxNesting+1, f.cut)
			for _, it := range f.Items {
				assert.LessOrEqual(t, len(it.Owner), len("m::")*MaxNesting, "owner paths stay bounded")
			}
			// The Tracker agrees, from scratch and after an edit.
			tr := NewTracker()
			defer tr.Close()
			for _, src := range [][]byte{tt.src, append([]byte("fn top() {}\n"), tt.src...), tt.src} {
				got, err := tr.Update(src)
				require.NoError(t, err)
				want, err := Parse(src)
				require.NoError(t, err)
				require.True(t, reflect.DeepEqual(want, got), "tracker\n%s\nparse\n%s", renderFile(got), renderFile(want))
			}
		})
	}
}

// TestDiffAcrossCut: items at or below a file's cut are unknown, so Diff
// reports them neither removed nor added, whichever side was cut.
func TestDiffAcrossCut(t *testing.T) {
	item := func(name string, depth uint16) Item {
		return Item{Kind: change.KindFunction, Name: name, Visibility: change.VisibilityPrivate, Line: 1, EndLine: 1, depth: depth}
	}
	full := &File{Items: []Item{item("top", 1), item("mid", 3), item("deep", 5)}}
	cutAt4 := &File{Items: []Item{item("top", 1), item("mid", 3)}, cut: 4}
	cutAt3 := &File{Items: []Item{item("top", 1), item("new", 2)}, cut: 3}
	tests := []struct {
		name     string
		old, new *File
		want     []string
	}{
		{"new version cut", full, cutAt4, nil},
		{"old version cut", cutAt4, full, nil},
		{"both cut, the lower cut wins", cutAt4, cutAt3, []string{"added new"}},
		{"neither cut", full, &File{Items: []Item{item("top", 1)}}, []string{"removed mid", "removed deep"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range Diff(tt.old, tt.new) {
				got = append(got, string(c.Op)+" "+c.Name)
			}
			assert.Equal(t, tt.want, got)
			requireSameDiff(t, tt.old, tt.new, tt.name)
		})
	}

	// Whole files: an edit above a too-deep part reports that edit only.
	deep := string(nestedMods(MaxNesting+50, "fn deep() {}"))
	changes, err := DiffSource([]byte("fn a() {}\n"+deep), []byte("fn b() {}\n"+deep))
	require.NoError(t, err)
	var got []string
	for _, c := range changes {
		got = append(got, string(c.Op)+" "+c.Name)
	}
	assert.Equal(t, []string{"added b", "removed a"}, got)
}
