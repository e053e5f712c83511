package github

import (
	"testing"

	"github.com/sftforge/sftforge/change"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sampleDiff = `diff --git a/src/lib.rs b/src/lib.rs
index 1111111..2222222 100644
--- a/src/lib.rs
+++ b/src/lib.rs
@@ -1,3 +1,4 @@
 fn a() {}
-fn b() {}
+fn b() -> u8 { 1 }
+--- not a header
 fn c() {}
diff --git a/new.rs b/new.rs
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/new.rs
@@ -0,0 +1,2 @@
+pub struct S;
+pub enum E {}
\ No newline at end of file
diff --git a/gone.rs b/gone.rs
deleted file mode 100644
index 4444444..0000000
--- a/gone.rs
+++ /dev/null
@@ -1 +0,0 @@
-fn gone() {}
diff --git a/old name.rs b/new name.rs
similarity index 90%
rename from old name.rs
rename to new name.rs
index 5555555..6666666 100644
--- a/old name.rs
+++ b/new name.rs
@@ -1,2 +1,2 @@
-x
+y
 z
diff --git a/moved.rs b/place/moved.rs
similarity index 100%
rename from moved.rs
rename to place/moved.rs
diff --git a/run.sh b/run.sh
old mode 100644
new mode 100755
diff --git a/logo.png b/logo.png
index 7777777..8888888 100644
Binary files a/logo.png and b/logo.png differ
diff --git "a/caf\303\251.rs" "b/caf\303\251.rs"
index 1..2 100644
--- "a/caf\303\251.rs"
+++ "b/caf\303\251.rs"
@@ -1 +1 @@
-a
+b
`

func TestParseDiffFiles(t *testing.T) {
	files, err := ParseDiffFiles(sampleDiff)
	require.NoError(t, err)
	assert.Equal(t, PRFiles{
		{Path: "src/lib.rs", Status: change.StatusModified, Additions: 2, Deletions: 1},
		{Path: "new.rs", Status: change.StatusAdded, Additions: 2},
		{Path: "gone.rs", Status: change.StatusDeleted, Deletions: 1},
		{Path: "new name.rs", OldPath: "old name.rs", Status: change.StatusRenamed, Additions: 1, Deletions: 1},
		{Path: "place/moved.rs", OldPath: "moved.rs", Status: change.StatusRenamed},
		{Path: "run.sh", Status: change.StatusChanged},
		{Path: "logo.png", Status: change.StatusModified},
		{Path: "café.rs", Status: change.StatusModified, Additions: 1, Deletions: 1},
	}, files)
}

func TestParseDiffFilesErrors(t *testing.T) {
	tests := []struct {
		name, diff, wantErr string
	}{
		{"bad hunk header", "diff --git a/x b/x\n@@ nonsense\n", "diff line 2: bad hunk header"},
		{"hunk ends early", "diff --git a/x b/x\n@@ -1,3 +1,3 @@\n a\n", "hunk ends early"},
		{"garbage in hunk", "diff --git a/x b/x\n@@ -1 +1 @@\n?x\n", "diff line 3: unexpected line in hunk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDiffFiles(tt.diff)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestParseDiffFilesEmpty(t *testing.T) {
	files, err := ParseDiffFiles("")
	require.NoError(t, err)
	assert.Equal(t, PRFiles{}, files)
}

func FuzzParseDiffFiles(f *testing.F) {
	f.Add(sampleDiff)
	f.Add("diff --git a/x b/x\n@@ -1 +1 @@\n-a\n+b\n")
	f.Add("diff --git \"a/q\" \"b/q\"\n")
	f.Fuzz(func(t *testing.T, diff string) {
		files, err := ParseDiffFiles(diff)
		if err != nil {
			return
		}
		for _, fl := range files {
			if fl.Additions < 0 || fl.Deletions < 0 || fl.Status == "" {
				t.Fatalf("bad file %+v", fl)
			}
		}
	})
}
