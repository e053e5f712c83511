package gitlog

import (
	"fmt"
	"hash/fnv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sftforge/sftforge/linediff"
)

func TestPatchHash(t *testing.T) {
	body := "fn a() {}\nfn b() {}\nfn c() {}\n"
	hash := func(old, new string) uint64 {
		return patchHash([]byte(old), []byte(new), linediff.Lines([]byte(old), []byte(new)))
	}
	fix := hash(body, strings.Replace(body, "fn b() {}", "fn b() { run() }", 1))
	tests := []struct {
		name  string
		h     uint64
		equal bool
	}{
		{"the same edit again", hash(body, strings.Replace(body, "fn b() {}", "fn b() { run() }", 1)), true},
		{"the same edit on lines shifted down (a cherry-pick)",
			hash("// header\n\n"+body, "// header\n\n"+strings.Replace(body, "fn b() {}", "fn b() { run() }", 1)), true},
		{"white space does not count",
			hash(body, strings.Replace(body, "fn b() {}", "fn  b()  {  run()  }", 1)), true},
		{"another edit of the same line", hash(body, strings.Replace(body, "fn b() {}", "fn b() { stop() }", 1)), false},
		{"the revert", hash(strings.Replace(body, "fn b() {}", "fn b() { run() }", 1), body), false},
		{"the same edit of another line", hash(body, strings.Replace(body, "fn c() {}", "fn b() { run() }", 1)), false},
	}
	assert.NotZero(t, fix)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.equal {
				assert.Equal(t, fix, tt.h)
			} else {
				assert.NotEqual(t, fix, tt.h)
			}
		})
	}
	assert.NotZero(t, hash(body, body), "compared but unchanged: not the 0 of files not compared")
	assert.Equal(t, hash("", "a\n"), hash("", "a"), "a missing final newline is white space")
}

// BenchmarkPatchHash compares the patch hash of a change with the line
// diff the walk computes anyway: a 3,000-line file with 10 edited lines.
func BenchmarkPatchHash(b *testing.B) {
	var old, new strings.Builder
	for i := range 3000 {
		line := "    let value_" + strings.Repeat("x", i%40) + " = compute(input, options)?;\n"
		old.WriteString(line)
		if i%300 == 7 {
			line = "    let changed = other(input)?;\n"
		}
		new.WriteString(line)
	}
	o, n := []byte(old.String()), []byte(new.String())
	hunks := linediff.Lines(o, n)
	b.Run("diffLines", func(b *testing.B) {
		for range b.N {
			diffLines(o, n)
		}
	})
	b.Run("patchHash", func(b *testing.B) {
		for range b.N {
			patchHash(o, n, hunks)
		}
	})
}

// TestPatchHashValue pins patchHash to its definition, computed the plain
// way (hash/fnv over every line split beforehand): the hashes are in the
// export's records (metadata.patch_id), so they must not change.
func TestPatchHashValue(t *testing.T) {
	reference := func(old, new string) uint64 {
		split := func(s string) []string {
			lines := strings.SplitAfter(s, "\n")
			if lines[len(lines)-1] == "" {
				lines = lines[:len(lines)-1]
			}
			return lines
		}
		oldLines, newLines := split(old), split(new)
		h := fnv.New64a()
		for _, hk := range linediff.Lines([]byte(old), []byte(new)) {
			for i := range hk.OldLines {
				h.Write([]byte("-" + strings.Join(strings.Fields(oldLines[hk.OldStart+i]), "") + "\n"))
			}
			for i := range hk.NewLines {
				h.Write([]byte("+" + strings.Join(strings.Fields(newLines[hk.NewStart+i]), "") + "\n"))
			}
		}
		if v := h.Sum64(); v != 0 {
			return v
		}
		return 1
	}
	body := "fn a() {}\n\nfn b() {\n\tx\r\n}\n"
	tests := []struct{ name, old, new string }{
		{"added file", "", body},
		{"deleted file", body, ""},
		{"no newline at the end", body, body + "fn c() {}"},
		{"last line changed without newline", "a\nb", "a\nc"},
		{"edits in several hunks", body + strings.Repeat("x\n", 20) + body, "// top\n" + body + strings.Repeat("x\n", 20) + body + "end\n"},
		{"identical", body, body},
		{"white space only lines", " \n\t\n", "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := patchHash([]byte(tt.old), []byte(tt.new), linediff.Lines([]byte(tt.old), []byte(tt.new)))
			assert.Equal(t, reference(tt.old, tt.new), got)
		})
	}
}

// TestLineCursor checks lineCursor against splitting the text, for line
// requests near and far apart (far ones skip blocks of lines).
func TestLineCursor(t *testing.T) {
	long := strings.Repeat("x", 5000)
	var many strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&many, "line %d %s\n", i, strings.Repeat("y", i%97))
	}
	tests := []struct {
		name string
		text string
		asks []int
	}{
		{name: "empty", text: "", asks: []int{0, 3}},
		{name: "one line without newline", text: "abc", asks: []int{0, 1}},
		{name: "short lines, each", text: "a\nb\nc\n", asks: []int{0, 1, 2, 3}},
		{name: "far lines", text: many.String(), asks: []int{0, 17, 18, 500, 501, 2000, 2999, 3000}},
		{name: "first far line", text: many.String(), asks: []int{2500}},
		{name: "lines longer than a block", text: long + "\n" + long + "\n" + strings.Repeat("z\n", 40) + long, asks: []int{1, 30, 42, 43}},
		{name: "blank lines", text: strings.Repeat("\n", 10000) + "end\n", asks: []int{5, 9999, 10000, 10001}},
		{name: "no trailing newline, far", text: many.String() + "last", asks: []int{3000, 3001}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := strings.SplitAfter(tt.text, "\n")
			if len(lines) > 0 && lines[len(lines)-1] == "" {
				lines = lines[:len(lines)-1]
			}
			c := lineCursor{data: []byte(tt.text)}
			for _, n := range tt.asks {
				var want []byte
				if n < len(lines) {
					want = []byte(lines[n])
				}
				assert.Equal(t, string(want), string(c.line(n)), "line %d", n)
			}
		})
	}
}
