package gitlog

import (
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
