package gitlog

import (
	"bytes"
	stdzlib "compress/zlib"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/klauspost/compress/zlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPackReaderMatchesGoGit reads every object of a repacked repository
// (with deltas) through the pack reader and compares it with go-git's.
func TestPackReaderMatchesGoGit(t *testing.T) {
	s := newScenario(t)
	repack(t, s.dir, 3)
	repo := openTest(t, s.dir)
	require.NotNil(t, repo.packs)
	require.Len(t, repo.packs.packs, 1)

	iter, err := repo.main.IterEncodedObjects(plumbing.AnyObject)
	require.NoError(t, err)
	n := 0
	require.NoError(t, iter.ForEach(func(o plumbing.EncodedObject) error {
		rc, err := o.Reader()
		require.NoError(t, err)
		want, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		got, err := repo.packs.read(o.Type(), o.Hash(), 0)
		require.NoError(t, err, "%s %s", o.Type(), o.Hash())
		assert.Equal(t, want, got, "%s %s", o.Type(), o.Hash())
		n++
		return nil
	}))
	assert.Greater(t, n, 30)

	_, err = repo.packs.read(plumbing.BlobObject, plumbing.NewHash(strings.Repeat("12", 20)), 0)
	assert.ErrorIs(t, err, errNotPacked)
	c, err := repo.repo.CommitObject(s.commits["c1"])
	require.NoError(t, err)
	_, err = repo.packs.read(plumbing.BlobObject, c.TreeHash, 0)
	assert.ErrorIs(t, err, plumbing.ErrObjectNotFound, "a tree asked for as a blob")
	big := s.blob(strings.Repeat("// padding line for a large file\n", 100))
	_, err = repo.packs.read(plumbing.BlobObject, big, 100)
	assert.ErrorIs(t, err, errTooLarge)
}

func TestApplyDelta(t *testing.T) {
	base := []byte(strings.Repeat("fn a() {}\n", 50))
	tests := []struct {
		name   string
		target []byte
	}{
		{"insert in the middle", slices.Concat(base[:100], []byte("fn b() {}\n"), base[100:])},
		{"delete", base[200:]},
		{"unrelated", []byte("something else entirely\n")},
		{"empty", []byte{}},
		{"large copy", bytes.Repeat(base, 200)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := applyDelta(base, packfile.DiffDelta(base, tt.target))
			require.NoError(t, err)
			assert.Equal(t, tt.target, got)
		})
	}
	_, err := applyDelta([]byte("short"), packfile.DiffDelta(base, base))
	assert.ErrorContains(t, err, "source size")
}

func FuzzApplyDelta(f *testing.F) {
	base := []byte("pub fn a() {}\npub fn b() {}\n")
	f.Add(base, packfile.DiffDelta(base, []byte("pub fn a() {}\npub fn c() {}\n")))
	f.Add(base, []byte{0x1c, 0x05, 0x90, 0x05})
	f.Add([]byte{}, []byte{0x00, 0x02, 0x02, 'h', 'i'})
	f.Fuzz(func(t *testing.T, base, delta []byte) {
		out, err := applyDelta(base, delta)
		if err != nil {
			return
		}
		if _, size, err := deltaSizes(delta); err != nil || size != len(out) {
			t.Fatalf("applied %d bytes, delta header says %d (%v)", len(out), size, err)
		}
	})
}

func FuzzParsePackIndex(f *testing.F) {
	s := newScenario(f)
	repack(f, s.dir, 10)
	idxs, err := filepath.Glob(filepath.Join(s.dir, "objects", "pack", "*.idx"))
	require.NoError(f, err)
	require.Len(f, idxs, 1)
	idx, err := os.ReadFile(idxs[0])
	require.NoError(f, err)
	f.Add(idx)
	f.Add(idx[:1100])
	f.Add([]byte("\xfftOc\x00\x00\x00\x02"))
	f.Fuzz(func(t *testing.T, idx []byte) {
		p, err := parsePackIndex(idx)
		if err != nil {
			return
		}
		for i := range p.n {
			var h plumbing.Hash
			copy(h[:], p.hashes[i*len(h):])
			p.find(h) // must not panic
		}
	})
}

func TestParseTree(t *testing.T) {
	s := newScenario(t)
	c, err := s.repo.CommitObject(s.commits["c7"])
	require.NoError(t, err)
	tree, err := c.Tree()
	require.NoError(t, err)
	raw := encodeTree(t, tree)
	entries, err := parseTree(raw)
	require.NoError(t, err)
	require.Len(t, entries, len(tree.Entries))
	for i, e := range tree.Entries {
		assert.Equal(t, e.Name, entries[i].name)
		assert.Equal(t, uint32(e.Mode), entries[i].mode)
		assert.Equal(t, e.Hash, entries[i].hash)
	}

	for _, bad := range []string{"100644", "10x644 a\x00" + strings.Repeat("x", 20), "100644 a\x00short", " a\x00" + strings.Repeat("x", 20)} {
		_, err := parseTree([]byte(bad))
		assert.ErrorContains(t, err, "corrupt tree", "%q", bad)
	}
}

func encodeTree(t testing.TB, tree *object.Tree) []byte {
	obj := &plumbing.MemoryObject{}
	require.NoError(t, tree.Encode(obj))
	rc, err := obj.Reader()
	require.NoError(t, err)
	raw, err := io.ReadAll(rc)
	require.NoError(t, err)
	return raw
}

func FuzzParseTree(f *testing.F) {
	f.Add([]byte("100644 lib.rs\x00" + strings.Repeat("a", 20) + "40000 src\x00" + strings.Repeat("b", 20)))
	f.Add([]byte("100644 \x00"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		entries, err := parseTree(raw)
		if err != nil {
			return
		}
		for _, e := range entries {
			if e.name == "" {
				t.Fatalf("entry without a name in %q", raw)
			}
		}
	})
}

func TestCompareEntries(t *testing.T) {
	file := func(name string) treeEntry { return treeEntry{name: name, mode: 0o100644} }
	dir := func(name string) treeEntry { return treeEntry{name: name, mode: modeDir} }
	// git's order: a directory sorts as if its name ended in "/".
	ordered := []treeEntry{file("foo-bar"), file("foo.rs"), dir("foo"), file("foo0"), dir("foo0/x"[:4] + "1"), file("g")}
	for i := range ordered {
		for j := range ordered {
			a, b := ordered[i], ordered[j]
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			assert.Equal(t, want, compareEntries(&a, &b), "%s vs %s", a.name, b.name)
		}
	}
	f, d := file("foo"), dir("foo")
	assert.Equal(t, -1, compareEntries(&f, &d), "file foo before directory foo/")
}

// BenchmarkInflate compares the standard library's zlib with klauspost's,
// which the pack reader uses, on Rust-like source compressed as git does.
func BenchmarkInflate(b *testing.B) {
	var src bytes.Buffer
	for i := range 4000 {
		fmt.Fprintf(&src, "    pub fn handler_%d(state: &AppState, req: Request) -> Result<Response, Error> {\n        let id = req.id.clone();\n        Ok(Response::new(id, %d))\n    }\n", i, i*7)
	}
	var z bytes.Buffer
	w := stdzlib.NewWriter(&z)
	_, err := w.Write(src.Bytes())
	require.NoError(b, err)
	require.NoError(b, w.Close())
	inflate := func(b *testing.B, open func(io.Reader) (io.ReadCloser, error)) {
		b.SetBytes(int64(src.Len()))
		for b.Loop() {
			r, err := open(bytes.NewReader(z.Bytes()))
			require.NoError(b, err)
			_, err = io.Copy(io.Discard, r)
			require.NoError(b, err)
		}
	}
	b.Run("std", func(b *testing.B) { inflate(b, stdzlib.NewReader) })
	b.Run("klauspost", func(b *testing.B) { inflate(b, zlib.NewReader) })
}
