package sample

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkBuild measures a whole Build: history, work tree and GitHub
// files.
func BenchmarkBuild(b *testing.B) {
	root := b.TempDir()
	for i := 0; b.Loop(); i++ {
		if _, err := Build(filepath.Join(root, strconv.Itoa(i))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteFixtureFiles is the baseline for BenchmarkBuild: copying
// every embedded fixture file to disk once, with no git at all.
func BenchmarkWriteFixtureFiles(b *testing.B) {
	root := b.TempDir()
	for i := 0; b.Loop(); i++ {
		dir := filepath.Join(root, strconv.Itoa(i))
		err := fs.WalkDir(fixtureFiles, "fixture", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			target := filepath.Join(dir, filepath.FromSlash(p))
			if d.IsDir() {
				return os.MkdirAll(target, 0o755)
			}
			data, err := fixtureFiles.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(target, data, 0o644)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
