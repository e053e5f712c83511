package rustparse

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

// renderFile prints every item and error of f, one per line.
func renderFile(f *File) string {
	var b strings.Builder
	for _, it := range f.Items {
		fmt.Fprintf(&b, "%d-%d %s %s %q owner=%q", it.Line, it.EndLine, it.Kind, it.Visibility, it.Name, it.Owner)
		if len(it.Cfg) > 0 {
			fmt.Fprintf(&b, " cfg=%q", it.Cfg)
		}
		if len(it.Attrs) > 0 {
			fmt.Fprintf(&b, " attrs=%q", it.Attrs)
		}
		fmt.Fprintf(&b, " sig=%q", it.Signature)
		if it.BodyHash != 0 {
			fmt.Fprintf(&b, " body=%016x", it.BodyHash)
		}
		b.WriteByte('\n')
	}
	for _, e := range f.Errors {
		fmt.Fprintf(&b, "error %d:%d %s\n", e.Line, e.Column, e.Message)
	}
	return b.String()
}

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), got)
}

type want struct {
	line       int
	kind, name string
}

// annotations reads the `// want: KIND NAME; KIND NAME` comments of a test
// file: items of those kinds and names start on the comment's line.
func annotations(t *testing.T, src []byte) []want {
	t.Helper()
	var ws []want
	sc := bufio.NewScanner(bytes.NewReader(src))
	for line := 1; sc.Scan(); line++ {
		_, rest, ok := strings.Cut(sc.Text(), "// want: ")
		if !ok {
			continue
		}
		for _, w := range strings.Split(rest, ";") {
			kind, name, ok := strings.Cut(strings.TrimSpace(w), " ")
			require.True(t, ok, "line %d: bad annotation %q", line, w)
			ws = append(ws, want{line, kind, name})
		}
	}
	return ws
}

func TestParseGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.rs")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			require.NoError(t, err)
			f, err := Parse(src)
			require.NoError(t, err)
			checkGolden(t, strings.TrimSuffix(path, ".rs")+".golden", renderFile(f))

			// Every annotated item is there, and every item is annotated.
			ws := annotations(t, src)
			var got []want
			for _, it := range f.Items {
				got = append(got, want{it.Line, string(it.Kind), it.Name})
			}
			assert.ElementsMatch(t, ws, got)
			if filepath.Base(path) == "broken.rs" {
				assert.NotEmpty(t, f.Errors)
			} else {
				assert.Empty(t, f.Errors, "%s parses without errors", path)
			}
		})
	}
}

func TestVisibility(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"fn f() {}", "private"},
		{"pub fn f() {}", "pub"},
		{"pub(crate) fn f() {}", "pub(crate)"},
		{"pub( crate ) fn f() {}", "pub(crate)"},
		{"pub(super) fn f() {}", "pub(super)"},
		{"pub(self) fn f() {}", "pub(self)"},
		{"pub(in crate::a::b) fn f() {}", "pub(in crate::a::b)"},
		{"pub(in  super :: a) fn f() {}", "pub(in super::a)"},
		{"crate fn f() {}", "pub(crate)"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			f, err := Parse([]byte(tt.src))
			require.NoError(t, err)
			require.Len(t, f.Items, 1)
			assert.Equal(t, tt.want, f.Items[0].Visibility)
		})
	}
}

func TestOwnersAndKinds(t *testing.T) {
	src := `
mod a { pub mod b {
    pub struct T { x: u8 }
    impl T { fn m(&self) {} }
    impl std::fmt::Debug for T { fn fmt(&self) {} }
    pub trait Tr { fn d(&self) {} type A; const C: u8; }
    pub enum E { V }
}}
`
	f, err := Parse([]byte(src))
	require.NoError(t, err)
	var got []string
	for _, it := range f.Items {
		got = append(got, fmt.Sprintf("%s %s|%s|%s", it.Kind, it.Owner, it.Name, it.Visibility))
	}
	assert.Equal(t, []string{
		"mod |a|private",
		"mod a|b|pub",
		"struct a::b|T|pub",
		"field a::b::T|x|private",
		"impl a::b|T|inherited",
		"method a::b::T|m|private",
		"impl a::b|std::fmt::Debug for T|inherited",
		"method a::b::std::fmt::Debug for T|fmt|inherited",
		"trait a::b|Tr|pub",
		"method a::b::Tr|d|inherited",
		"assoc_type a::b::Tr|A|inherited",
		"assoc_const a::b::Tr|C|inherited",
		"enum a::b|E|pub",
		"variant a::b::E|V|inherited",
	}, got)
}

func TestParseEmptyAndGarbage(t *testing.T) {
	for _, src := range []string{"", "\n\n", "}}}{{{", "\x00\xff\xfe", "fn", "#[cfg(x)]"} {
		f, err := Parse([]byte(src))
		require.NoError(t, err, "%q", src)
		require.NotNil(t, f)
	}
	f, err := Parse(nil)
	require.NoError(t, err)
	assert.Empty(t, f.Items)
	assert.Empty(t, f.Errors)
}

func TestParseErrorsPositions(t *testing.T) {
	f, err := Parse([]byte("fn ok() {}\nfn bad( {\n}\nstruct S { a: u8 }\n"))
	require.NoError(t, err)
	require.NotEmpty(t, f.Errors)
	assert.Equal(t, 2, f.Errors[0].Line)
	assert.NotEmpty(t, f.Errors[0].Message)
	var names []string
	for _, it := range f.Items {
		names = append(names, it.Name)
	}
	assert.Contains(t, names, "ok")
}

func TestParseConcurrent(t *testing.T) {
	src, err := os.ReadFile("testdata/items.rs")
	require.NoError(t, err)
	want, err := Parse(src)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				got, err := Parse(src)
				if !assert.NoError(t, err) || !assert.Equal(t, want, got) {
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestRawTreeLayout checks that the shallow walk, which reads the C tree
// out of the binding's Tree, sees the nodes the binding's API sees.
func TestRawTreeLayout(t *testing.T) {
	src, err := os.ReadFile("testdata/items.rs")
	require.NoError(t, err)
	p := NewParser()
	defer p.Close()
	tree, err := p.parseTree(nil, src)
	require.NoError(t, err)
	defer tree.Close()
	recs := walkTree(tree, p.g.expand, nil, math.MaxUint32, nil)
	root := tree.RootNode()
	var top []record
	for _, r := range recs {
		if r.depth == 1 {
			top = append(top, r)
		}
	}
	require.Equal(t, int(root.ChildCount()), len(top))
	for i, r := range top {
		n := root.Child(uint(i))
		assert.Equal(t, n.Id(), r.id)
		assert.Equal(t, n.KindId(), r.kind)
		assert.Equal(t, [2]uint{n.StartByte(), n.EndByte()}, [2]uint{uint(r.start), uint(r.end)})
	}
}
