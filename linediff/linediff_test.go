package linediff

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLines(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     []Hunk
	}{
		{"equal", "a\nb\n", "a\nb\n", nil},
		{"both empty", "", "", nil},
		{"add to empty", "", "a\nb\n", []Hunk{{0, 0, 0, 2}}},
		{"delete all", "a\nb\n", "", []Hunk{{0, 2, 0, 0}}},
		{"insert middle", "a\nc\n", "a\nb\nc\n", []Hunk{{1, 0, 1, 1}}},
		{"delete middle", "a\nb\nc\n", "a\nc\n", []Hunk{{1, 1, 1, 0}}},
		{"replace", "a\nb\nc\n", "a\nx\nc\n", []Hunk{{1, 1, 1, 1}}},
		{"no newline at end differs", "a\nb", "a\nb\n", []Hunk{{1, 1, 1, 1}}},
		{"two hunks", "a\nb\nc\nd\ne\n", "a\nB\nc\nd\nE\n", []Hunk{{1, 1, 1, 1}, {4, 1, 4, 1}}},
		{"move", "a\nb\nc\n", "c\na\nb\n", []Hunk{{0, 0, 0, 1}, {2, 1, 3, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Lines([]byte(tt.old), []byte(tt.new))
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.new, string(apply(t, []byte(tt.old), []byte(tt.new), got)))
		})
	}
}

func TestLineStarts(t *testing.T) {
	tests := []struct {
		in   string
		want []int
	}{
		{"", []int{0}},
		{"a", []int{0, 1}},
		{"a\n", []int{0, 2}},
		{"a\nbc\nd", []int{0, 2, 5, 6}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, LineStarts([]byte(tt.in)), "%q", tt.in)
		assert.Len(t, SplitLines([]byte(tt.in)), len(tt.want)-1, "%q", tt.in)
	}
}

// apply rebuilds new from old and the hunks, checking that the hunks are
// ordered, disjoint and that unchanged lines really are equal.
func apply(t *testing.T, old, new []byte, hs []Hunk) []byte {
	t.Helper()
	ol, nl := SplitLines(old), SplitLines(new)
	var out bytes.Buffer
	i, j := 0, 0
	for _, h := range hs {
		require.GreaterOrEqual(t, h.OldStart, i)
		require.Equal(t, h.OldStart-i, h.NewStart-j, "unchanged run lengths differ")
		for ; i < h.OldStart; i, j = i+1, j+1 {
			require.Equal(t, string(ol[i]), string(nl[j]))
			out.Write(ol[i])
		}
		for k := 0; k < h.NewLines; k++ {
			out.Write(nl[h.NewStart+k])
		}
		i += h.OldLines
		j += h.NewLines
	}
	for ; i < len(ol); i, j = i+1, j+1 {
		require.Equal(t, string(ol[i]), string(nl[j]))
		out.Write(ol[i])
	}
	return out.Bytes()
}

// lcsLen is the textbook dynamic program, the reference for minimality.
func lcsLen(a, b [][]byte) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case bytes.Equal(a[i-1], b[j-1]):
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func randomText(r *rand.Rand, n, alphabet int) []byte {
	var b strings.Builder
	for range n {
		b.WriteString("l")
		b.WriteString(strconv.Itoa(r.IntN(alphabet)))
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

func checkMinimal(t *testing.T, old, new []byte) {
	t.Helper()
	hs := LinesMinimal(old, new)
	require.Equal(t, string(new), string(apply(t, old, new, hs)))
	// The git-like diff is a valid diff too, never smaller than the minimal one.
	gh := Lines(old, new)
	require.Equal(t, string(new), string(apply(t, old, new, gh)))
	var added, deleted, gitAdded int
	for _, h := range hs {
		added += h.NewLines
		deleted += h.OldLines
	}
	for _, h := range gh {
		gitAdded += h.NewLines
	}
	assert.GreaterOrEqual(t, gitAdded, added)
	common := lcsLen(SplitLines(old), SplitLines(new))
	assert.Equal(t, len(SplitLines(new))-common, added, "added is not minimal")
	assert.Equal(t, len(SplitLines(old))-common, deleted, "deleted is not minimal")
}

func TestMinimalAgainstLCS(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 400 {
		old := randomText(r, r.IntN(40), 1+r.IntN(8))
		new := randomText(r, r.IntN(40), 1+r.IntN(8))
		checkMinimal(t, old, new)
	}
}

func FuzzLines(f *testing.F) {
	f.Add([]byte("a\nb\nc\n"), []byte("a\nc\nd"))
	f.Add([]byte(""), []byte("x\n"))
	f.Add([]byte("fn a() {}\n}\n}\n"), []byte("}\nfn a() {}\n}\n"))
	f.Fuzz(func(t *testing.T, old, new []byte) {
		if len(old) > 4000 || len(new) > 4000 {
			return
		}
		checkMinimal(t, old, new)
		checkSameAsReference(t, old, new)
	})
}

// rustShaped returns a source-like file where closing braces and blank
// lines repeat often, the lines git's diff sets aside.
func rustShaped(r *rand.Rand, n int) []byte {
	var b strings.Builder
	for i := range n {
		switch r.IntN(6) {
		case 0:
			b.WriteString("}\n")
		case 1:
			b.WriteString("\n")
		case 2:
			b.WriteString("    Ok(())\n")
		default:
			b.WriteString("    let v" + strconv.Itoa(i) + " = f(" + strconv.Itoa(r.IntN(40)) + ");\n")
		}
	}
	return []byte(b.String())
}

// editLines returns old with about one line in oneIn deleted, one preceded
// by a new line, and one replaced by a closing brace and a blank line.
func editLines(r *rand.Rand, old []byte, oneIn int) []byte {
	var nb bytes.Buffer
	for _, l := range SplitLines(old) {
		switch r.IntN(oneIn) {
		case 0: // delete
		case 1:
			nb.WriteString("new" + strconv.Itoa(r.IntN(50)) + "\n")
			nb.Write(l)
		case 2:
			nb.WriteString("}\n\n")
		default:
			nb.Write(l)
		}
	}
	return nb.Bytes()
}

// TestStatMatchesGit compares the counts with `git diff --numstat` on
// random edits of source-like files, including ones full of repeated
// lines where git's diff is not minimal.
func TestStatMatchesGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 60 {
		old := randomText(r, 200, 30)
		if i%2 == 1 {
			old = rustShaped(r, 400+r.IntN(2000))
		}
		new := editLines(r, old, 10)
		po, pn := filepath.Join(dir, "old"+strconv.Itoa(i)), filepath.Join(dir, "new"+strconv.Itoa(i))
		require.NoError(t, os.WriteFile(po, old, 0o644))
		require.NoError(t, os.WriteFile(pn, new, 0o644))
		cmd := exec.Command("git", "diff", "--no-index", "--numstat", po, pn)
		cmd.Stdin = strings.NewReader("")
		out, _ := cmd.Output()
		fields := strings.Fields(string(out))
		require.GreaterOrEqual(t, len(fields), 2, "git output %q", out)
		ga, _ := strconv.Atoi(fields[0])
		gd, _ := strconv.Atoi(fields[1])
		added, deleted := Stat(old, new)
		assert.Equal(t, ga, added, "case %d added", i)
		assert.Equal(t, gd, deleted, "case %d deleted", i)
	}
}

func BenchmarkLines(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	var ob strings.Builder
	for i := range 5000 {
		ob.WriteString("    let value_" + strconv.Itoa(i) + " = compute(" + strconv.Itoa(r.IntN(100)) + ");\n")
	}
	old := []byte(ob.String())
	lines := SplitLines(old)
	var nb bytes.Buffer
	for i, l := range lines {
		if i%97 == 0 {
			nb.WriteString("    // changed\n")
			continue
		}
		nb.Write(l)
	}
	new := nb.Bytes()
	b.SetBytes(int64(len(old) + len(new)))
	for b.Loop() {
		Lines(old, new)
	}
}
