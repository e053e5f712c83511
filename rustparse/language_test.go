package rustparse

import (
	"os"
	"testing"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/lang"
	"github.com/sftforge/sftforge/linediff"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Rust language: its globs, its vocabulary covering every kind the
// parser extracts, and a differ equal to Parse and Diff, with and without
// the walker's hunks.
func TestLanguage(t *testing.T) {
	l := Language()
	assert.True(t, l.Matches("lib.rs"))
	assert.True(t, l.Matches("crates/a/src/lib.rs"))
	assert.False(t, l.Matches("Cargo.toml"))
	assert.Equal(t, SystemPrompt, l.SystemPrompt)

	b, err := os.ReadFile("testdata/items.rs")
	require.NoError(t, err)
	src, err := Parse(b)
	require.NoError(t, err)
	for _, it := range src.Items {
		_, ok := l.KindNoun(it.Kind, 1)
		assert.True(t, ok, "kind %s is in the vocabulary", it.Kind)
	}
	nouns := map[change.Kind]string{change.KindConst: "constants", change.KindType: "type aliases",
		change.KindAssocType: "associated types", change.KindMod: "modules", change.KindFunction: "functions"}
	for k, want := range nouns {
		got, _ := l.KindNoun(k, 2)
		assert.Equal(t, want, got)
	}

	versions := []string{"pub fn a() {}\n", "pub fn a() { b() }\nstruct S { x: u8 }\n", "struct S { x: u16 }\nfn broken( {\n"}
	d := l.NewDiffer()
	defer d.Close()
	hd, ok := d.(lang.HunkDiffer)
	require.True(t, ok, "the Rust differ takes the walker's hunks")
	_, ok = d.(interface{ Release() })
	require.True(t, ok, "the Rust differ can release its tree")
	var prev *File
	for i, v := range versions {
		var got lang.FileDiff
		var err error
		if i%2 == 0 {
			got, err = d.Next([]byte(v))
		} else {
			got, err = hd.NextHunks([]byte(v), linediff.Lines([]byte(versions[i-1]), []byte(v)))
		}
		require.NoError(t, err)
		next, err := Parse([]byte(v))
		require.NoError(t, err)
		assert.Equal(t, Diff(prev, next), got.Changes, "version %d", i)
		assert.Equal(t, len(next.Errors), len(got.Errors), "version %d", i)
		prev = next
	}
	got, err := d.Next(nil)
	require.NoError(t, err)
	assert.Equal(t, Diff(prev, nil), got.Changes, "deleted")
}
