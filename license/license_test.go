package license

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mitText and unlicenseText are the MIT licence's and the Unlicense's
// texts (also read by package dataset's tests).
var (
	mitText       = readText("testdata/MIT.txt")
	unlicenseText = readText("testdata/Unlicense.txt")
)

func readText(name string) string {
	b, err := os.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

func TestDetect(t *testing.T) {
	tests := []struct {
		name  string
		fs    fstest.MapFS
		paths []string
		want  string
		err   string
	}{
		{name: "root package licence", fs: fstest.MapFS{
			"Cargo.toml":  file("[package]\nname = \"rg\"\nlicense = \"Unlicense OR MIT\"\n"),
			"LICENSE-MIT": file(mitText)}, paths: []string{"src/main.rs"}, want: "Unlicense OR MIT"},
		{name: "workspace licence inherited by a crate", fs: fstest.MapFS{
			"Cargo.toml":               file("[workspace]\nmembers = [\"crates/*\"]\npackage.license = \"Apache-2.0\"\n"),
			"crates/router/Cargo.toml": file("[package]\nname = \"router\"\nlicense.workspace = true\n")},
			paths: []string{"crates/router/src/lib.rs", "docs/x.md"}, want: "Apache-2.0"},
		{name: "crates under different licences", fs: fstest.MapFS{
			"a/Cargo.toml": file("[package]\nname = \"a\"\nlicense = \"MIT/Apache-2.0\"\n"),
			"b/Cargo.toml": file("[package]\nname = \"b\"\nlicense = \"BSD-3-Clause\"\n")},
			paths: []string{"a/src/lib.rs", "b/src/lib.rs", "a/src/x.rs"}, want: "(MIT OR Apache-2.0) AND BSD-3-Clause"},
		{name: "licence files only are alternatives", fs: fstest.MapFS{
			"LICENSE-MIT": file(mitText), "UNLICENSE": file(unlicenseText), "COPYING": file("see the other files\n"),
			"README.md": file(mitText)}, paths: []string{"src/lib.rs"}, want: "MIT OR Unlicense"},
		{name: "files outside crates add nothing to a crate's licence", fs: fstest.MapFS{
			"LICENSE-MIT": file(mitText), "LICENSE-CC": file(unlicenseText),
			"a/Cargo.toml": file("[package]\nname = \"a\"\nlicense = \"MIT OR Apache-2.0\"\n")},
			paths: []string{"a/src/lib.rs", "docs/guide.md", ".github/ci.sh"}, want: "MIT OR Apache-2.0"},
		{name: "crate without licence takes the repository's", fs: fstest.MapFS{
			"LICENSE":         file(mitText),
			"tool/Cargo.toml": file("[package]\nname = \"tool\"\npublish = false\n"),
		}, paths: []string{"tool/src/main.rs"}, want: "MIT"},
		{name: "license-file", fs: fstest.MapFS{
			"Cargo.toml":  file("[package]\nname = \"x\"\nlicense-file = \"LICENSE.txt\"\n"),
			"LICENSE.txt": file(mitText)}, paths: []string{"src/lib.rs"}, want: "MIT"},
		{name: "license-file outside the repository", fs: fstest.MapFS{
			"Cargo.toml": file("[package]\nname = \"x\"\nlicense-file = \"../LICENSE\"\n")}, paths: []string{"src/lib.rs"}, want: ""},
		{name: "no licence", fs: fstest.MapFS{"src/lib.rs": file("")}, paths: []string{"src/lib.rs"}, want: ""},
		{name: "no paths: the repository's", fs: fstest.MapFS{"LICENSE": file(mitText)}, want: "MIT"},
		{name: "bad manifest is skipped with an error", fs: fstest.MapFS{
			"LICENSE":      file(mitText),
			"a/Cargo.toml": file("[package\nname="),
		}, paths: []string{"a/src/lib.rs"}, want: "MIT", err: "a/Cargo.toml: license: Cargo.toml:"},
		{name: "licence not SPDX", fs: fstest.MapFS{
			"Cargo.toml": file("[package]\nname = \"x\"\nlicense = \"Proprietary stuff\"\n")},
			paths: []string{"src/lib.rs"}, want: "", err: `SPDX expression "Proprietary stuff"`},
		{name: "licence of the wrong type", fs: fstest.MapFS{
			"Cargo.toml": file("[package]\nname = \"x\"\nlicense = 3\n")},
			paths: []string{"src/lib.rs"}, want: "", err: "package.license: want a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, fsys := range []fs.FS{tt.fs, hashFS{tt.fs}} {
				var d Detector
				got, err := d.Detect(fsys, tt.paths)
				assert.Equal(t, tt.want, got)
				if tt.err == "" {
					assert.NoError(t, err)
				} else {
					assert.ErrorContains(t, err, tt.err)
				}
				// A second call is served from the cache, with the same answer.
				again, _ := d.Detect(fsys, tt.paths)
				assert.Equal(t, got, again)
			}
		})
	}
}

// hashFS is a MapFS with content hashes (the file's text as its hash).
type hashFS struct{ fstest.MapFS }

func (h hashFS) FileHash(name string) (string, error) {
	f, ok := h.MapFS[name]
	if !ok {
		return "", &fs.PathError{Op: "hash", Path: name, Err: fs.ErrNotExist}
	}
	return "h:" + string(f.Data), nil
}

// countingFS counts the files read.
type countingFS struct {
	hashFS
	reads map[string]int
}

func (c countingFS) ReadFile(name string) ([]byte, error) {
	c.reads[name]++
	return c.hashFS.MapFS.ReadFile(name)
}

func TestDetectCachesByBlob(t *testing.T) {
	fsys := countingFS{hashFS{fstest.MapFS{
		"Cargo.toml":   file("[workspace]\npackage.license = \"Apache-2.0\"\n"),
		"a/Cargo.toml": file("[package]\nname = \"a\"\nlicense.workspace = true\n"),
		"LICENSE":      file(mitText),
	}}, map[string]int{}}
	var d Detector
	for range 3 {
		got, err := d.Detect(fsys, []string{"a/src/lib.rs", "a/src/x.rs", "README.md"})
		require.NoError(t, err)
		assert.Equal(t, "Apache-2.0", got)
	}
	assert.Equal(t, map[string]int{"Cargo.toml": 1, "a/Cargo.toml": 1}, fsys.reads)
}

func TestReadManifest(t *testing.T) {
	tests := []struct {
		name, toml string
		want       Manifest
		err        string
	}{
		{"package", "[package]\nlicense = \" MIT \"\n", Manifest{Package: true, License: "MIT"}, ""},
		{"inherited", "[package]\nlicense = { workspace = true }\n", Manifest{Package: true, Inherited: []string{"license"}}, ""},
		{"workspace", "[workspace.package]\nlicense-file = \"L\"\n", Manifest{Workspace: true, WorkspaceLicenseFile: "L"}, ""},
		{"dotted keys", "[workspace]\npackage.license = \"MIT\"\n", Manifest{Workspace: true, WorkspaceLicense: "MIT"}, ""},
		{"no licence", "[package]\nname = \"x\"\n", Manifest{Package: true, PackageName: "x"}, ""},
		{"workspace licence inherited", "[workspace.package]\nlicense.workspace = true\n", Manifest{Workspace: true}, "workspace.package.license: want a string"},
		{"array", "[package]\nlicense = [\"MIT\"]\n", Manifest{Package: true}, "package.license: want a string or {workspace = true}"},
		{"not toml", "[package\n", Manifest{}, "license: Cargo.toml:"},
		{"other fields' problems are archmap's", "[workspace]\nmembers = [1]\n[workspace.package]\nlicense = \"MIT\"\n", Manifest{Workspace: true, WorkspaceLicense: "MIT"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadManifest([]byte(tt.toml))
			if tt.err != "" {
				assert.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"MIT", "MIT", ""},
		{"MIT/Apache-2.0", "MIT OR Apache-2.0", ""},
		{"mit or  Apache-2.0", "mit OR Apache-2.0", ""}, // go-spdx compares identifiers without case
		{"MIT or Apache-2.0", "MIT OR Apache-2.0", ""},
		{"(MIT OR Apache-2.0) and BSD-3-Clause", "(MIT OR Apache-2.0) AND BSD-3-Clause", ""},
		{"Apache-2.0 with LLVM-exception", "Apache-2.0 WITH LLVM-exception", ""},
		{"", "", "empty SPDX expression"},
		{"Proprietary", "", `SPDX expression "Proprietary"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Normalize(tt.in)
			if tt.err != "" {
				assert.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSatisfiesAndValidateList(t *testing.T) {
	tests := []struct {
		expr    string
		allowed []string
		want    bool
	}{
		{"MIT OR Apache-2.0", []string{"MIT"}, true},
		{"MIT AND Apache-2.0", []string{"MIT"}, false},
		{"MIT AND Apache-2.0", []string{"MIT", "Apache-2.0"}, true},
		{"GPL-3.0-only", []string{"MIT", "Apache-2.0"}, false},
		{"", []string{"MIT"}, false},
	}
	for _, tt := range tests {
		got, err := Satisfies(tt.expr, tt.allowed)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "%q by %v", tt.expr, tt.allowed)
	}
	for _, tt := range []struct {
		list []string
		err  string
	}{
		{[]string{"MIT", "Apache-2.0"}, ""},
		{nil, "empty licence list"},
		{[]string{"MIT", "permissive"}, `"permissive" is not an SPDX licence identifier`},
		{[]string{"MIT OR Apache-2.0"}, "is not an SPDX licence identifier"},
	} {
		err := ValidateList(tt.list)
		if tt.err == "" {
			assert.NoError(t, err)
		} else {
			assert.ErrorContains(t, err, tt.err)
		}
	}
}

func TestClassify(t *testing.T) {
	assert.Equal(t, []string{"MIT"}, Classify([]byte(mitText)))
	assert.Equal(t, []string{"Unlicense"}, Classify([]byte(unlicenseText)))
	assert.Nil(t, Classify([]byte("This project is dual-licensed under the Unlicense and MIT licenses.\n")))
	assert.Nil(t, Classify(nil))
}

func TestJoin(t *testing.T) {
	assert.Equal(t, "", Join(nil))
	assert.Equal(t, "MIT OR Apache-2.0", Join([]string{"MIT OR Apache-2.0", "MIT OR Apache-2.0"}))
	assert.Equal(t, "(MIT OR Apache-2.0) AND BSD-3-Clause", Join([]string{"BSD-3-Clause", "MIT OR Apache-2.0"}))
}

func TestDetectReadDirError(t *testing.T) {
	var d Detector
	_, err := d.Detect(brokenFS{}, nil)
	assert.ErrorContains(t, err, "read the root directory")
}

type brokenFS struct{}

func (brokenFS) Open(name string) (fs.File, error) {
	if name == "." {
		return nil, errors.New("broken")
	}
	return nil, fs.ErrNotExist
}

func FuzzReadManifest(f *testing.F) {
	for _, s := range []string{"[package]\nlicense = \"MIT\"\n", "[package]\nlicense.workspace = true\n",
		"[workspace.package]\nlicense = \"MIT OR Apache-2.0\"\n", "[package\n", "license = 3\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadManifest(data)
		if err != nil {
			return
		}
		if m.License != "" {
			Normalize(m.License) // never panics
		}
	})
}

func TestAffectsAndGlobs(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"Cargo.toml", true},
		{"crates/router/Cargo.toml", true},
		{"LICENSE", true},
		{"LICENSE-MIT", true},
		{"crates/a/license.txt", true},
		{"Copying", true},
		{"UNLICENSE", true},
		{"licenses/apache.txt", true},
		{"Cargo.toml/odd", true},
		{"Cargo.lock", false},
		{"cargo.toml", false},
		{"src/lib.rs", false},
		{"docs/legal.md", false},
		{"README.md", false},
	}
	globs := Globs()
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			assert.Equal(t, tt.want, Affects(tt.path))
			matched := false
			for _, g := range globs {
				ok, err := doublestar.Match(g, tt.path)
				require.NoError(t, err)
				matched = matched || ok
			}
			if tt.want {
				assert.True(t, matched, "no glob of %q selects %s", globs, tt.path)
			}
		})
	}
}

func TestDetectTracked(t *testing.T) {
	tests := []struct {
		name    string
		fs      fstest.MapFS
		want    string
		tracked bool
	}{
		{name: "manifest licence", fs: fstest.MapFS{
			"Cargo.toml": file("[package]\nname = \"x\"\nlicense = \"MIT\"\n")}, want: "MIT", tracked: true},
		{name: "licence files", fs: fstest.MapFS{"LICENSE": file(mitText)}, want: "MIT", tracked: true},
		{name: "license-file named like a licence", fs: fstest.MapFS{
			"Cargo.toml":  file("[package]\nname = \"x\"\nlicense-file = \"LICENSE.txt\"\n"),
			"LICENSE.txt": file(mitText)}, want: "MIT", tracked: true},
		{name: "license-file of another name", fs: fstest.MapFS{
			"Cargo.toml":    file("[package]\nname = \"x\"\nlicense-file = \"docs/legal.md\"\n"),
			"docs/legal.md": file(mitText)}, want: "MIT", tracked: false},
		{name: "license-file outside the repository", fs: fstest.MapFS{
			"Cargo.toml": file("[package]\nname = \"x\"\nlicense-file = \"../legal.md\"\n")}, want: "", tracked: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Detector
			got, tracked, err := d.DetectTracked(hashFS{tt.fs}, []string{"src/lib.rs"})
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.tracked, tracked)
		})
	}
}

// countFS counts the files a lookup hashes or opens.
type countFS struct {
	hashFS
	n *int
}

func (c countFS) FileHash(name string) (string, error) { *c.n++; return c.hashFS.FileHash(name) }
func (c countFS) Open(name string) (fs.File, error)    { *c.n++; return c.hashFS.Open(name) }

// revisionWorkspace is a workspace of crates with an inherited, an own, a
// broken and an untracked licence, for lookups at one Revision.
func revisionWorkspace() fstest.MapFS {
	return fstest.MapFS{
		"Cargo.toml":         file("[workspace]\nmembers = [\"a\", \"b\", \"c\", \"d\"]\n\n[workspace.package]\nlicense = \"MIT OR Apache-2.0\"\n"),
		"LICENSE":            file(mitText),
		"a/Cargo.toml":       file("[package]\nname = \"a\"\nlicense.workspace = true\n"),
		"b/Cargo.toml":       file("[package]\nname = \"b\"\nlicense = \"BSD-3-Clause\"\n"),
		"c/Cargo.toml":       file("[package\nname="),
		"d/Cargo.toml":       file("[package]\nname = \"d\"\nlicense-file = \"legal/terms.md\"\n"),
		"d/legal/terms.md":   file(mitText),
		"tools/gen/build.rs": file(""),
	}
}

func TestRevision(t *testing.T) {
	ws := revisionWorkspace()
	type lookup struct {
		paths   []string
		want    string
		tracked bool
		err     string // "" none
		reads   int    // -1: any
	}
	tests := []struct {
		name    string
		lookups []lookup
	}{
		{name: "a directory found once is not read again", lookups: []lookup{
			{paths: []string{"a/src/lib.rs"}, want: "MIT OR Apache-2.0", tracked: true, reads: -1},
			{paths: []string{"a/src/lib.rs", "a/src/x.rs"}, want: "MIT OR Apache-2.0", tracked: true, reads: 0},
		}},
		{name: "directories of earlier lookups join new ones", lookups: []lookup{
			{paths: []string{"b/src/lib.rs"}, want: "BSD-3-Clause", tracked: true, reads: -1},
			{paths: []string{"a/src/lib.rs", "b/src/lib.rs"}, want: "(MIT OR Apache-2.0) AND BSD-3-Clause", tracked: true, reads: -1},
			{paths: []string{"b/src/lib.rs", "a/src/lib.rs"}, want: "(MIT OR Apache-2.0) AND BSD-3-Clause", tracked: true, reads: 0},
		}},
		{name: "an error is reported by every lookup", lookups: []lookup{
			{paths: []string{"c/src/lib.rs"}, want: "MIT OR Apache-2.0", tracked: true, err: "c/Cargo.toml", reads: -1},
			{paths: []string{"c/src/lib.rs"}, want: "MIT OR Apache-2.0", tracked: true, err: "c/Cargo.toml", reads: -1},
		}},
		{name: "and by the lookup of a directory below", lookups: []lookup{
			{paths: []string{"c/src/lib.rs", "c/src/deep/x.rs"}, want: "MIT OR Apache-2.0", tracked: true, err: "c/Cargo.toml", reads: -1},
			{paths: []string{"c/src/deep/x.rs"}, want: "MIT OR Apache-2.0", tracked: true, err: "c/Cargo.toml", reads: -1},
		}},
		{name: "an untracked directory stays untracked", lookups: []lookup{
			{paths: []string{"d/src/lib.rs"}, want: "MIT", tracked: false, reads: -1},
			{paths: []string{"a/src/lib.rs"}, want: "MIT OR Apache-2.0", tracked: true, reads: -1},
			{paths: []string{"a/src/lib.rs", "d/src/lib.rs"}, want: "(MIT OR Apache-2.0) AND MIT", tracked: false, reads: 0},
		}},
		{name: "the repository's licence, once", lookups: []lookup{
			{paths: []string{"tools/gen/build.rs"}, want: "MIT OR Apache-2.0", tracked: true, reads: -1},
			{paths: []string{"tools/gen/build.rs", "docs/x.md"}, want: "MIT OR Apache-2.0", tracked: true, reads: -1},
			{paths: []string{"docs/x.md"}, want: "MIT OR Apache-2.0", tracked: true, reads: 0},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n int
			var d Detector
			rev := d.At(countFS{hashFS{ws}, &n})
			for i, l := range tt.lookups {
				n = 0
				got, tracked, err := rev.Detect(l.paths)
				assert.Equal(t, l.want, got, "lookup %d", i)
				assert.Equal(t, l.tracked, tracked, "lookup %d", i)
				if l.err == "" {
					assert.NoError(t, err, "lookup %d", i)
				} else {
					assert.ErrorContains(t, err, l.err, "lookup %d", i)
				}
				if l.reads >= 0 {
					assert.Equal(t, l.reads, n, "lookup %d: files read", i)
				}
				// A lookup of its own at the revision agrees.
				fresh, freshTracked, _ := d.DetectTracked(hashFS{ws}, l.paths)
				assert.Equal(t, fresh, got, "lookup %d", i)
				assert.Equal(t, freshTracked, tracked, "lookup %d", i)
			}
		})
	}
}

// TestRevisionConcurrent runs lookups of one Revision at once (go test
// -race): each gives what a lookup of its own gives.
func TestRevisionConcurrent(t *testing.T) {
	ws := revisionWorkspace()
	lookups := [][]string{{"a/src/lib.rs"}, {"b/src/x/y.rs", "a/src/lib.rs"}, {"c/src/lib.rs"}, {"docs/x.md"}, {"b/src/lib.rs"}}
	var d Detector
	rev := d.At(hashFS{ws})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				paths := lookups[(g+i)%len(lookups)]
				got, tracked, err := rev.Detect(paths)
				want, wantTracked, wantErr := d.DetectTracked(hashFS{ws}, paths)
				assert.Equal(t, want, got, "%v", paths)
				assert.Equal(t, wantTracked, tracked, "%v", paths)
				assert.Equal(t, wantErr == nil, err == nil, "%v", paths)
			}
		})
	}
	wg.Wait()
}

// TestCarry checks Revision.Carry against lookups from scratch: the
// revision after a change, given what the revision before found, finds
// what a revision of its own finds, for every directory, and reads only
// what the change can have changed.
func TestCarry(t *testing.T) {
	paths := [][]string{
		{"a/src/lib.rs"}, {"a/sub/src/lib.rs"}, {"b/src/lib.rs"}, {"c/src/lib.rs"}, {"d/src/lib.rs"},
		{"e/src/lib.rs"}, {"tools/gen/build.rs"}, {"docs/x.md"}, {"a/src/lib.rs", "b/src/lib.rs", "e/src/lib.rs"},
	}
	base := revisionWorkspace()
	base["Cargo.toml"] = file("[workspace]\nmembers = [\"a\", \"b\", \"c\", \"d\", \"e\"]\n\n[workspace.package]\nlicense = \"MIT OR Apache-2.0\"\n")
	base["e/Cargo.toml"] = file("[package]\nname = \"e\"\nlicense-file = \"../LICENSES/e.txt\"\n")
	base["LICENSES/e.txt"] = file(mitText)
	tests := []struct {
		name   string
		change map[string]string // path -> new content; "" deletes
		// carried: the lookup of b (untouched by every change) reads
		// nothing after the carry
		carried bool
	}{
		{name: "a crate's own licence", change: map[string]string{"a/Cargo.toml": "[package]\nname = \"a\"\nlicense = \"Apache-2.0\"\n"}, carried: true},
		{name: "the workspace's licence", change: map[string]string{"Cargo.toml": "[workspace]\nmembers = [\"a\", \"b\"]\n\n[workspace.package]\nlicense = \"ISC\"\n"}},
		{name: "the workspace loses its licence: the root files", change: map[string]string{"Cargo.toml": "[workspace]\nmembers = [\"a\", \"b\"]\n"}},
		{name: "a root licence file", change: map[string]string{"LICENSE": unlicenseText}},
		{name: "a crate inside a crate", change: map[string]string{"a/sub/Cargo.toml": "[package]\nname = \"sub\"\nlicense = \"ISC\"\n"}, carried: true},
		{name: "a crate deleted", change: map[string]string{"a/Cargo.toml": ""}, carried: true},
		{name: "a license-file elsewhere", change: map[string]string{"LICENSES/e.txt": unlicenseText}, carried: true},
		{name: "an untracked license-file", change: map[string]string{"d/legal/terms.md": unlicenseText}, carried: true},
		{name: "a broken manifest mended", change: map[string]string{"c/Cargo.toml": "[package]\nname = \"c\"\nlicense = \"MPL-2.0\"\n"}, carried: true},
		{name: "a manifest broken", change: map[string]string{"b/Cargo.toml": "[package\n"}},
		{name: "only source files", change: map[string]string{"a/src/lib.rs": "fn f() {}"}, carried: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			after := fstest.MapFS{}
			maps.Copy(after, base)
			var changed []string
			for p, content := range tt.change {
				changed = append(changed, p)
				if content == "" {
					delete(after, p)
				} else {
					after[p] = file(content)
				}
			}
			var d Detector
			before := d.At(hashFS{base})
			for _, ps := range paths {
				before.Detect(ps)
			}
			var n int
			carried := d.At(countFS{hashFS{after}, &n})
			carried.Carry(before, changed)
			if tt.carried {
				n = 0
				_, _, err := carried.Detect([]string{"b/src/lib.rs"})
				require.NoError(t, err)
				assert.Zero(t, n, "b's licence is carried")
			}
			fresh := (&Detector{}).At(hashFS{after})
			for _, ps := range paths {
				want, wantTracked, wantErr := fresh.Detect(ps)
				got, tracked, err := carried.Detect(ps)
				assert.Equal(t, want, got, "%v", ps)
				assert.Equal(t, wantTracked, tracked, "%v", ps)
				assert.Equal(t, wantErr == nil, err == nil, "%v: %v, %v", ps, wantErr, err)
			}
		})
	}
}
