package gitlog

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sftforge/sftforge/linediff"
)

func TestDiffLines(t *testing.T) {
	tests := []struct {
		name           string
		old, new       string
		added, deleted int
	}{
		{"added file", "", "a\nb\n", 2, 0},
		{"deleted file", "a\nb", "", 0, 2},
		{"equal", "a\n", "a\n", 0, 0},
		{"middle line", "a\nb\nc\n", "a\nB\nc\n", 1, 1},
		{"newline at end added", "a\nb", "a\nb\n", 1, 1},
		{"append", "a\nb\n", "a\nb\nc\n", 1, 0},
		{"prepend", "b\nc\n", "a\nb\nc\n", 1, 0},
		{"common prefix inside a line", "abc\n", "abd\n", 1, 1},
		{"common suffix inside a line", "xbc\n", "ybc\n", 1, 1},
		{"crlf to lf", "a\r\nb\r\n", "a\nb\n", 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hunks, a, d := diffLines([]byte(tt.old), []byte(tt.new))
			assert.Equal(t, tt.added, a, "added")
			assert.Equal(t, tt.deleted, d, "deleted")
			checkHunks(t, []byte(tt.old), []byte(tt.new), hunks, a, d)
		})
	}
}

// checkHunks asserts that hunks turn old into new and add up to the counts.
func checkHunks(t *testing.T, old, new []byte, hunks []linediff.Hunk, added, deleted int) {
	t.Helper()
	ol, nl := linediff.SplitLines(old), linediff.SplitLines(new)
	var got [][]byte
	next, a, d := 0, 0, 0
	for _, h := range hunks {
		if h.OldStart < next || h.OldStart+h.OldLines > len(ol) || h.NewStart+h.NewLines > len(nl) || h.NewStart != len(got)+h.OldStart-next {
			t.Fatalf("hunk %+v out of place (old %d lines, new %d, next %d)", h, len(ol), len(nl), next)
		}
		got = append(got, ol[next:h.OldStart]...)
		got = append(got, nl[h.NewStart:h.NewStart+h.NewLines]...)
		next = h.OldStart + h.OldLines
		a += h.NewLines
		d += h.OldLines
	}
	got = append(got, ol[next:]...)
	assert.Equal(t, string(new), string(bytes.Join(got, nil)), "old with hunks %+v applied", hunks)
	assert.Equal(t, added, a, "hunks' added lines")
	assert.Equal(t, deleted, d, "hunks' deleted lines")
}

// FuzzCountLines checks that trimming common lines never changes the counts
// of the line diff, and that the hunks turn the old text into the new one.
func FuzzCountLines(f *testing.F) {
	f.Add([]byte("a\nb\nc\n"), []byte("a\nx\nc\n"))
	f.Add([]byte("a\nb"), []byte("a\nb\n"))
	f.Add([]byte("x\ny\n"), []byte("y\n"))
	f.Add([]byte("same\nsame\n"), []byte("same\n"))
	f.Add([]byte("ab\ncd"), []byte("ab\ncd\nab\ncd"))
	f.Fuzz(func(t *testing.T, old, new []byte) {
		hunks, a, d := diffLines(old, new)
		wa, wd := linediff.Stat(old, new)
		if a != wa || d != wd {
			t.Fatalf("diffLines(%q, %q) = +%d -%d, linediff.Stat = +%d -%d", old, new, a, d, wa, wd)
		}
		checkHunks(t, old, new, hunks, a, d)
	})
}

func TestIsBinary(t *testing.T) {
	assert.False(t, isBinary(nil))
	assert.False(t, isBinary([]byte("caf\xe9\n")))
	assert.True(t, isBinary([]byte("a\x00b")))
	late := make([]byte, binarySniffLen+1)
	for i := range late {
		late[i] = 'a'
	}
	late[binarySniffLen] = 0
	assert.False(t, isBinary(late), "git only looks at the first 8000 bytes")
}
