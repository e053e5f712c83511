// Package filetree reads the files of a directory tree with their
// contents, for tests that check that a run left a user's files, or a
// previous output, byte-identical.
package filetree

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Read returns every file under path (or the file at path itself) with its
// contents, keyed by its path. A path that does not exist gives an empty
// map; any other error fails tb.
func Read(tb testing.TB, path string) map[string]string {
	tb.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == path && errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		m[p] = string(b)
		return err
	})
	if err != nil {
		tb.Fatalf("filetree: read %s: %v", path, err)
	}
	return m
}
