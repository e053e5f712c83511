package sample

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/linediff"
)

func numbered(from, to int) string {
	var sb strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&sb, "line %d\n", i)
	}
	return sb.String()
}

// TestUnifiedDiff pins the rendering; the blob ids and the similarity index
// in the expectations were checked against git 2.x on the same inputs.
func TestUnifiedDiff(t *testing.T) {
	ten := numbered(1, 10)
	tests := []struct {
		name     string
		old, new snapshot
		renames  []rename
		want     string
	}{
		{
			name: "added file",
			old:  snapshot{},
			new:  snapshot{"a.rs": []byte("fn a() {}\n")},
			want: "diff --git a/a.rs b/a.rs\nnew file mode 100644\nindex 0000000..ca05282\n--- /dev/null\n+++ b/a.rs\n@@ -0,0 +1 @@\n+fn a() {}\n",
		},
		{
			name: "deleted file",
			old:  snapshot{"a.rs": []byte("x\ny\n")},
			new:  snapshot{},
			want: "diff --git a/a.rs b/a.rs\ndeleted file mode 100644\nindex b77b4eb..0000000\n--- a/a.rs\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-x\n-y\n",
		},
		{
			name: "two changes close enough to share a hunk",
			old:  snapshot{"n.txt": []byte(ten)},
			new:  snapshot{"n.txt": []byte(strings.NewReplacer("line 3\n", "LINE 3\n", "line 8\n", "").Replace(ten))},
			want: "diff --git a/n.txt b/n.txt\nindex fa2da6e..09324e0 100644\n--- a/n.txt\n+++ b/n.txt\n" +
				"@@ -1,10 +1,9 @@\n line 1\n line 2\n-line 3\n+LINE 3\n line 4\n line 5\n line 6\n line 7\n-line 8\n line 9\n line 10\n",
		},
		{
			name: "two changes far apart make two hunks",
			old:  snapshot{"n.txt": []byte(numbered(1, 20))},
			new:  snapshot{"n.txt": []byte(strings.NewReplacer("line 2\n", "line 2b\n", "line 19\n", "line 19\nline 19b\n").Replace(numbered(1, 20)))},
			want: "diff --git a/n.txt b/n.txt\nindex c4352f8..97d5761 100644\n--- a/n.txt\n+++ b/n.txt\n" +
				"@@ -1,5 +1,5 @@\n line 1\n-line 2\n+line 2b\n line 3\n line 4\n line 5\n" +
				"@@ -17,4 +17,5 @@\n line 17\n line 18\n line 19\n+line 19b\n line 20\n",
		},
		{
			name: "missing newline at end of file",
			old:  snapshot{"a.rs": []byte("a\nb")},
			new:  snapshot{"a.rs": []byte("a\nb\n")},
			want: "diff --git a/a.rs b/a.rs\nindex 0a207c0..422c2b7 100644\n--- a/a.rs\n+++ b/a.rs\n" +
				"@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
		},
		{
			name:    "pure rename",
			old:     snapshot{"old.rs": []byte("fn a() {}\n")},
			new:     snapshot{"new.rs": []byte("fn a() {}\n")},
			renames: []rename{{From: "old.rs", To: "new.rs"}},
			want:    "diff --git a/old.rs b/new.rs\nsimilarity index 100%\nrename from old.rs\nrename to new.rs\n",
		},
		{
			name:    "rename with an edit",
			old:     snapshot{"old.rs": []byte(ten)},
			new:     snapshot{"new.rs": []byte(strings.Replace(ten, "line 10\n", "line ten\n", 1))},
			renames: []rename{{From: "old.rs", To: "new.rs"}},
			want: "diff --git a/old.rs b/new.rs\nsimilarity index 87%\nrename from old.rs\nrename to new.rs\nindex fa2da6e..c02d574 100644\n--- a/old.rs\n+++ b/new.rs\n" +
				"@@ -7,4 +7,4 @@\n line 7\n line 8\n line 9\n-line 10\n+line ten\n",
		},
		{
			name: "unchanged files are left out",
			old:  snapshot{"a.rs": []byte("a\n"), "b.rs": []byte("b\n")},
			new:  snapshot{"a.rs": []byte("a\n"), "b.rs": []byte("b\n")},
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := unifiedDiff(tt.old, tt.new, tt.renames)
			assert.Equal(t, tt.want, got)
			// The github package's parser reads it back with git's counts.
			files, err := github.ParseDiffFiles(got)
			require.NoError(t, err)
			for _, f := range files {
				old := tt.old[f.Path]
				if f.PreviousPath != "" {
					old = tt.old[f.PreviousPath]
				}
				added, deleted := linediff.Stat(old, tt.new[f.Path])
				assert.Equal(t, [2]int{added, deleted}, [2]int{f.Additions, f.Deletions}, f.Path)
			}
		})
	}
}

// FuzzUnifiedDiff checks on arbitrary texts that the rendered diff reads
// back, with the github package's parser, as one file with linediff's
// (git-compatible) counts, and that its hunk headers agree with their
// bodies.
func FuzzUnifiedDiff(f *testing.F) {
	f.Add([]byte("a\nb\nc\n"), []byte("a\nc\nd\n"))
	f.Add([]byte(""), []byte("x"))
	f.Add([]byte("x\ny"), []byte(""))
	f.Add([]byte(numbered(1, 30)), []byte(strings.Replace(numbered(1, 30), "line 15\n", "", 1)))
	f.Fuzz(func(t *testing.T, old, new []byte) {
		if string(old) == string(new) {
			return
		}
		diff := unifiedDiff(snapshot{"f.rs": old}, snapshot{"f.rs": new}, nil)
		files, err := github.ParseDiffFiles(diff)
		require.NoError(t, err)
		require.Len(t, files, 1)
		added, deleted := linediff.Stat(old, new)
		assert.Equal(t, added, files[0].Additions)
		assert.Equal(t, deleted, files[0].Deletions)
		checkHunkHeaders(t, diff)
	})
}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$`)

// checkHunkHeaders counts each hunk's old and new lines against its header.
func checkHunkHeaders(t *testing.T, diff string) {
	t.Helper()
	count := func(s string) int {
		if s == "" {
			return 1
		}
		n, err := strconv.Atoi(s)
		require.NoError(t, err)
		return n
	}
	var wantOld, wantNew, gotOld, gotNew int
	inHunk := false
	flush := func() {
		if inHunk {
			assert.Equal(t, [2]int{wantOld, wantNew}, [2]int{gotOld, gotNew}, diff)
		}
	}
	for _, l := range strings.Split(strings.TrimSuffix(diff, "\n"), "\n") {
		if m := hunkHeader.FindStringSubmatch(l); m != nil {
			flush()
			inHunk, wantOld, wantNew, gotOld, gotNew = true, count(m[2]), count(m[4]), 0, 0
			continue
		}
		if !inHunk || l == "" {
			continue
		}
		switch l[0] {
		case ' ':
			gotOld++
			gotNew++
		case '-':
			gotOld++
		case '+':
			gotNew++
		}
	}
	flush()
}
